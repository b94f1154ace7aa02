"""`make bench`: seed a large registry in a database of its own and time the registry pages.

    .venv/bin/python bench/run.py                      # SQLite in bench/var/ (never var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspil_bench .venv/bin/python bench/run.py

Seeds 50,000 households and 150,000 members once (later runs reuse them), then times the
household list (first and deeper pages), a search by name and the household detail page for a
branch coordinator, and writes bench/results/registry-<vendor>.json and .md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"


def configure() -> None:
    """Point Django at the benchmark's own database before settings are read."""
    if os.environ.get("DATABASE_URL"):
        # Used as given; the local secrets (field encryption key) still live in bench/var.
        os.environ.setdefault("SAMSPIL_VAR_DIR", str(BENCH_VAR))
    else:
        # Always bench/var, even if SAMSPIL_VAR_DIR points elsewhere: never the demo database.
        os.environ["SAMSPIL_VAR_DIR"] = str(BENCH_VAR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "samspil.settings"
    if os.environ.get("DEBUG", "").lower() in ("1", "true", "yes", "on"):
        print("DEBUG is set; the benchmark runs with DEBUG off, as production does.")
    os.environ["DEBUG"] = "false"
    # Run as a script, bench/ itself is first on sys.path; import its modules as bench.* instead.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument("--households", type=int, default=None,
                        help="seed this many households instead of 50,000 (a quick smoke run; "
                             "results get a -<N> suffix)")
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when a page misses the target")
    args = parser.parse_args(argv)

    configure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import measure, report, seed

    plan = seed.Plan(args.households or seed.HOUSEHOLDS)
    started = time.perf_counter()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", interactive=False, verbosity=1)
    seeded = seed.ensure_seeded(plan)
    print(f"Measuring as {seeded.coordinator.username} (coordinator, branch {seeded.branch}, "
          f"{seeded.counts['households_in_measured_branch']:,} households).")
    pages = measure.measure(seeded.coordinator, requests=args.requests, warmup=args.warmup)
    result = report.build(root=ROOT, rows=seeded.counts, seed_seconds=seeded.seconds,
                          requests=args.requests, warmup=args.warmup, pages=pages)
    suffix = "" if plan.households == seed.HOUSEHOLDS else f"-{plan.households}"
    json_path, md_path = report.write(result, RESULTS, suffix)

    print()
    print(f"{'page':<44} {'queries':>7} {'median ms':>10} {'p95 ms':>8}  target")
    for p in pages:
        verdict = "pass" if p["pass"] else "FAIL"
        print(f"{p['title']:<44} {p['queries']:>7} {p['median_ms']:>10.1f} {p['p95_ms']:>8.1f}"
              f"  < {p['target_ms']:.0f} ms {verdict}")
    print()
    print(f"Wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)} "
          f"({time.perf_counter() - started:.0f} s in all).")
    return 1 if args.check and not result["all_pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
