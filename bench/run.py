"""`make bench`: seed large data in a database of its own and time the registry and matching.

    .venv/bin/python bench/run.py                      # SQLite in bench/var/ (never var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samspil_bench .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --only matching      # one of the two

Registry: seeds 50,000 households and 150,000 members once (later runs reuse them), then times
the household list (first and deeper pages), a search by name and the household detail page for
a branch coordinator, and writes bench/results/registry-<vendor>.json and .md.
Matching: seeds 10,000 volunteers and 10,000 waiting engagements once, then times the
suggestions page and plan-all for the whole organisation (wall time, peak memory, optimal cost
against first come, first served), and writes bench/results/matching-<vendor>.json and .md.
See bench/README.md.
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
    parser.add_argument("--only", choices=["registry", "matching", "activities", "outcomes",
                                           "christmas", "christmas-linkage", "import", "api"],
                        default=None, help="run one benchmark (default: all)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument("--households", type=int, default=None,
                        help="seed this many households instead of 50,000 (a quick smoke run; "
                             "results get a -<N> suffix)")
    parser.add_argument("--matching-size", type=int, default=None,
                        help="seed this many volunteers and waiting engagements instead of "
                             "10,000 each (a quick smoke run; results get a -<N> suffix)")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip the matching checks (independent solver, 2K candidates)")
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when a page misses the target")
    parser.add_argument("--plan-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--intake-client", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    configure()
    if args.only == "christmas-linkage":  # DuckDB only: no Django database is touched
        from bench import christmas_run

        return christmas_run.linkage(args)
    import django

    django.setup()
    if args.plan_child:  # bench/matching.py runs plan-all in a process of its own
        import json

        from bench import matching

        print(json.dumps(matching.plan_child(verify=not args.no_verify)))
        return 0
    if args.intake_client:  # bench/christmas.py's concurrent client, in a second process
        import json

        from bench import christmas

        base, slug, pk, total, concurrency = args.intake_client
        print(json.dumps(christmas.intake_client(base=base, slug=slug, round_pk=int(pk),
                                                 total=int(total),
                                                 concurrency=int(concurrency))))
        return 0

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", interactive=False, verbosity=1)
    passed = True
    if args.only in (None, "registry"):
        passed &= run_registry(args)
    if args.only in (None, "matching"):
        passed &= run_matching(args)
    if args.only == "activities" or (args.only is None and connection.vendor == "postgresql"):
        passed &= run_activities()
    if args.only == "outcomes" or (args.only is None and connection.vendor == "postgresql"):
        from bench import outcomes

        passed &= outcomes.measure(ROOT, RESULTS)
    if args.only in (None, "christmas"):
        from bench import christmas_run

        passed &= christmas_run.intake(args)
    if args.only in (None, "import"):
        from bench import imports

        passed &= imports.measure_import(ROOT, RESULTS)
    if args.only in (None, "api"):
        from bench import imports

        passed &= imports.measure_api(ROOT, RESULTS, args)
    print(f"\n{time.perf_counter() - started:.0f} s in all.")
    return 1 if args.check and not passed else 0


def run_registry(args) -> bool:
    from bench import measure, report, seed

    plan = seed.Plan(args.households or seed.HOUSEHOLDS)
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
    print(f"Wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}.")
    return result["all_pass"]


def run_matching(args) -> bool:
    from bench import matching, matching_seed

    n = args.matching_size
    size = matching_seed.Size(n, n) if n else matching_seed.Size()
    seeded = matching_seed.ensure_seeded(size)
    suggestions = matching.measure_suggestions(seeded, requests=args.requests,
                                               warmup=args.warmup)
    plan = matching.measure_plan(root=ROOT, verify=not args.no_verify)
    result = matching.build(root=ROOT, seeded=seeded, suggestions=suggestions, plan=plan,
                            requests=args.requests, warmup=args.warmup)
    suffix = f"-{n}" if n else ""
    json_path, md_path = matching.write(result, RESULTS, suffix)
    print()
    print(f"Suggestions: {suggestions['queries']} queries, median {suggestions['median_ms']:.1f} "
          f"ms, p95 {suggestions['p95_ms']:.1f} ms (< {suggestions['target_ms']:.0f} ms: "
          f"{'pass' if suggestions['pass'] else 'FAIL'})")
    print(f"Plan all: {plan['engagements']:,} x {plan['volunteers']:,} in {plan['seconds']:.1f} "
          f"s, peak {plan['peak_rss_mib']:,.0f} MiB ({'pass' if plan['pass'] else 'FAIL'}); "
          f"cost {plan['total_cost']:,.2f} for {plan['matched']:,} matches, first come first "
          f"served {plan['greedy_cost']:,.2f} for {plan['greedy_matched']:,}")
    if "checks" in plan:
        checks = plan["checks"]
        print(f"Checks: independent solver agrees: {checks['independent_solver_agrees']}; "
              f"2K not cheaper: {checks['twice_the_candidates_is_not_cheaper']}")
    print(f"Wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}.")
    return result["all_pass"]


def run_activities() -> bool:
    """200 concurrent public sign-ups for 50 places through gunicorn (bench/activities.py)."""
    import os as _os

    from django.utils import timezone

    from bench import activities, report

    result = activities.run(ROOT)
    meta = {"measured_at": timezone.now().isoformat(timespec="seconds"),
            "commit": report._git(ROOT, "rev-parse", "--short", "HEAD")}
    machine = {**report.machine(), "load_average": [round(x, 2) for x in _os.getloadavg()]}
    json_path, md_path = activities.write(result, RESULTS, machine, meta)
    print(f"Activities: {result['clients']} concurrent sign-ups for {result['capacity']} places "
          f"in {result['seconds_for_all_posts']:.2f} s; places taken "
          f"{result['database']['confirmed']}, waiting {result['database']['waiting']}, "
          f"statuses {result['status_codes']} ({'pass' if result['pass'] else 'FAIL'})")
    print(f"Wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}.")
    return result["pass"]


if __name__ == "__main__":
    sys.exit(main())
