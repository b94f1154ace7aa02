"""Write the results: bench/results/registry-<vendor>.json and a readable .md beside it."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.utils import timezone


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(  # noqa: S603, S607 (fixed command)
            ["git", *args], cwd=root, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _uncommitted(root: Path) -> bool:
    """Whether the application code measured differs from the commit (bench/ itself aside)."""
    return bool(_git(root, "status", "--porcelain", "--untracked-files=no", "--", "samspil"))


def machine() -> dict:
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": nproc,
        "cpu": _cpu_model(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def database() -> dict:
    vendor = connection.vendor
    if vendor == "sqlite":
        version = sqlite3.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT 1")
            version = str(cursor.fetchone()[0])
    name = settings.DATABASES["default"]["NAME"]
    if vendor == "sqlite":
        name = os.path.relpath(name, settings.BASE_DIR)
    return {"vendor": vendor, "version": version, "name": str(name),
            "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE", 0)}


def build(*, root: Path, rows: dict, seed_seconds: float, requests: int, warmup: int,
          pages: list[dict]) -> dict:
    return {
        "benchmark": "registry",
        "date": timezone.now().isoformat(timespec="seconds"),
        "commit": _git(root, "rev-parse", "--short", "HEAD"),
        "uncommitted_changes": _uncommitted(root),
        "machine": machine(),
        "database": database(),
        "settings": {"DEBUG": settings.DEBUG, "PAGE_SIZE": settings.PAGE_SIZE,
                     "LANGUAGE": "da"},
        "rows": rows,
        "seed_seconds": round(seed_seconds, 1),
        "requests_per_page": requests,
        "warmup_per_page": warmup,
        "pages": pages,
        "all_pass": all(p["pass"] for p in pages),
    }


VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def markdown(result: dict) -> str:
    m, db, rows = result["machine"], result["database"], result["rows"]
    vendor = VENDOR_NAMES.get(db["vendor"], db["vendor"])
    lines = [
        f"# Registry benchmark — {vendor}",
        "",
        f"Measured {result['date']}"
        + (f" on commit `{result['commit']}`" if result["commit"] else "")
        + (" with uncommitted changes in samspil/" if result["uncommitted_changes"] else "")
        + " by `make bench` (`bench/run.py`); see `bench/README.md`.",
        "",
        "| Machine | |",
        "|---|---|",
        f"| CPU cores (nproc) | {m['nproc']} ({m['cpu']}) |",
        f"| Memory | {m['memory_gb']} GB |",
        f"| OS | {m['os']} |",
        f"| Python / Django | {m['python']} / {m['django']} |",
        f"| Database | {vendor} {db['version']} (`{db['name']}`) |",
        f"| Settings | DEBUG={result['settings']['DEBUG']}, PAGE_SIZE="
        f"{result['settings']['PAGE_SIZE']}, language da |",
        "",
        "| Rows | |",
        "|---|---:|",
        f"| Households | {rows['households']:,} |",
        f"| … in the coordinator's branch | {rows['households_in_measured_branch']:,} |",
        f"| Members (persons) | {rows['persons']:,} |",
        f"| Consents | {rows['consents']:,} |",
        f"| Needs assessments / ratings | {rows['needs_assessments']:,} / "
        f"{rows['need_ratings']:,} |",
        f"| Audit events (before this run) | {rows['audit_events']:,} |",
        "",
        f"Server time per request, {result['requests_per_page']} requests per page after "
        f"{result['warmup_per_page']} warm-up requests each, as a branch coordinator "
        "(the pages interleaved):",
        "",
        "| Page | Example | SQL queries | n | Median ms | p95 ms | Max ms | Target p95 | Result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in result["pages"]:
        lines.append(
            f"| {p['title']} | `{p['example']}` | {p['queries']} | {p['n']} | "
            f"{p['median_ms']:.1f} | {p['p95_ms']:.1f} | {p['max_ms']:.1f} | "
            f"< {p['target_ms']:.0f} ms | {'pass' if p['pass'] else '**FAIL**'} |"
        )
    lines += [
        "",
        "All pages meet the target." if result["all_pass"] else "**Some pages miss the target.**",
        "",
    ]
    return "\n".join(lines)


def write(result: dict, directory: Path, suffix: str = "") -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"registry-{result['database']['vendor']}{suffix}"
    json_path, md_path = directory / f"{stem}.json", directory / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(result))
    return json_path, md_path
