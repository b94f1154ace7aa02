"""bench/run.py's dispatch for the Christmas-aid benchmarks (bench/christmas.py)."""

from __future__ import annotations


def linkage(args) -> int:
    import django

    django.setup()
    from bench import christmas

    result = christmas.run_linkage()
    passes = christmas.linkage_passes(result)
    json_path, md_path = christmas.write(result, "christmas-linkage-duckdb")
    print(md_path.read_text())
    print(f"Wrote {json_path} and {md_path}.")
    return 1 if args.check and not all(passes.values()) else 0


def intake(args) -> bool:
    import os

    from django.db import connection

    from bench import christmas

    # SAMSPIL_BENCH_INTAKE_POSTS: fewer posts for a quick smoke run (default 6,000);
    # SAMSPIL_BENCH_INTAKE_WORKERS / _THREADS / _CONCURRENCY try another server set-up.
    setting = os.environ.get
    result = christmas.run_intake(
        total=int(setting("SAMSPIL_BENCH_INTAKE_POSTS", 6000)),
        workers=int(setting("SAMSPIL_BENCH_INTAKE_WORKERS", christmas.INTAKE_WORKERS)),
        threads=int(setting("SAMSPIL_BENCH_INTAKE_THREADS", christmas.INTAKE_THREADS)),
        concurrency=int(setting("SAMSPIL_BENCH_INTAKE_CONCURRENCY", 16)))
    christmas.write(result, f"christmas-intake-{connection.vendor}")
    print(christmas._markdown(result))
    return result["pass"]
