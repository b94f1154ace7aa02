"""Settings come from the environment, fail loudly on bad values, and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from samspil.settings import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[3]


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL must be true or false"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be a whole number"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", "a.dk, b.dk ,")
    assert env_list("X_LIST", []) == ["a.dk", "b.dk"]
    monkeypatch.setenv("X_BOOL", "yes")
    assert env_bool("X_BOOL", False) is True


def _manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({
        "SAMSPIL_PRODUCTION": "true", "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "Q9v!k2#Lp0zR7t$Wm4yB8nC1dF6hJ3sG5",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "OUTCOMES_PSEUDONYM_SECRET": "p" * 20 + "Zx8!vR2#kL5qW9$mT3nB7",
        "AUDIT_CHAIN_KEY": "a" * 20 + "Hc4!pQ7#rT1zX9$wN6mK2",
        "ALLOWED_HOSTS": "samspil.example.org", "SAMSPIL_VAR_DIR": str(tmp_path),
    })
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DATABASE_URL")}
    env.update({"SAMSPIL_PRODUCTION": "true", "SAMSPIL_VAR_DIR": str(tmp_path)})
    result = _manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY must be set in production" in result.stderr
