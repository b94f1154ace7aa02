"""The pins agree: every dependency in pyproject.toml is pinned exactly, and constraints.txt
(what the Makefile installs with) pins it to the same version, so no machine gets another."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[3]


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    return [Requirement(line) for line in lines]


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[_name(name)] = version.strip()
    return pins


def test_every_dependency_is_pinned_exactly():
    loose = [str(r) for r in _project_requirements()
             if len(r.specifier) != 1 or next(iter(r.specifier)).operator != "=="]
    assert not loose, f"pin these with == in pyproject.toml: {loose}"


def test_constraints_pin_every_dependency_to_the_same_version():
    pins = _constraints()
    wrong = {}
    for requirement in _project_requirements():
        wanted = next(iter(requirement.specifier)).version
        got = pins.get(_name(requirement.name))
        if got != wanted:
            wrong[requirement.name] = (wanted, got)
    assert not wrong, f"pyproject.toml vs constraints.txt (wanted, found): {wrong}"
