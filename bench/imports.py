"""Import and API benchmarks (`bench/run.py --only import` / `--only api`).

import: an XLSX of 20,000 households with 60,000 persons (one row per person, as the example
file), made with openpyxl; then the dry run (samspil.imports.services.check) and the import
(services.run) each timed as the background task runs them, median of RUNS runs (the imported
households are deleted between runs). Target: each under 60 s.

api: the registry seed of bench/seed.py (50,000 households), a token of its branch
coordinator, and every list endpoint of the REST API timed through django.test.Client (the
whole stack: token lookup, throttle, selector, pagination, JSON), requested in turn. Target:
p95 under 150 ms each.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import statistics
import time
from pathlib import Path

from django.db import connection, transaction

ORGANISATION = "Importhjælpen (import benchmark)"
HOUSEHOLDS = 20_000
PERSONS = 60_000
RUNS = 3
TARGET_S = 60.0
TARGET_API_MS = 150.0
SEED = 2026
FIRST = ["Anna", "Mette", "Peter", "Maria", "Lars", "Louise", "Thomas", "Camilla", "Jens",
         "Sofie", "Omar", "Fatima", "Ali", "Sara", "Emil", "Freja", "Noah", "Ida"]
LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
        "Sørensen", "Rasmussen", "Hussein", "Yilmaz", "Berg"]


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def make_xlsx(rng: random.Random, households: int = HOUSEHOLDS, persons: int = PERSONS) -> bytes:
    from openpyxl import Workbook

    from samspil.imports.exports import EXAMPLES

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Familier")
    sheet.append(EXAMPLES["households"][0])
    postcodes = ["2610", "2650", "2600", "2605", "2620", "2625", "2630", "2635"]
    today = datetime.date(2026, 6, 1)
    extra = persons - 2 * households  # every household has a parent and a child
    for h in range(1, households + 1):
        last = rng.choice(LAST)
        address = f"{rng.choice(['Egevej', 'Bøgevej', 'Lærkevej', 'Tjørnevej'])} {h}"
        postcode = rng.choice(postcodes)
        size = 2 + (1 if h <= extra else 0)
        for i in range(size):
            parent = i == 0 or (i == 1 and size == 3 and h % 2 == 0)
            age = rng.randint(25, 55) if parent else rng.randint(0, 17)
            born = today - datetime.timedelta(days=365 * age + rng.randint(0, 364))
            sheet.append([str(h), address, postcode,
                          f"201{rng.randint(0, 99999):05d}" if i == 0 else "",
                          f"familie{h}@example.dk" if i == 0 else "",
                          "forælder" if parent else "barn", rng.choice(FIRST), last,
                          born, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _world():
    from samspil.core.models import Branch, Organisation, Role, User

    org, _ = Organisation.objects.get_or_create(name=ORGANISATION, defaults={"kind": "charity"})
    branch, _ = Branch.objects.get_or_create(organisation=org, name="Rødovre",
                                             defaults={"municipality_id": "0175"})
    user = User.objects.filter(username="import-bench").first()
    if user is None:
        user = User.objects.create_user("import-bench", organisation=org, role=Role.COORDINATOR)
        user.branches.add(branch)
    return org, branch, user


def _wipe(org) -> None:
    from samspil.households.models import Household, Person
    from samspil.imports.models import ImportJob

    with transaction.atomic():
        Person.objects.filter(household__organisation=org).delete()
        Household.objects.filter(organisation=org).delete()
        ImportJob.objects.filter(organisation=org).delete()


def measure_import(root: Path, results: Path) -> bool:
    from bench import report
    from samspil.imports import services

    load_start = _load()
    org, branch, user = _world()
    rng = random.Random(SEED)
    started = time.perf_counter()
    content = make_xlsx(rng)
    made = time.perf_counter() - started
    print(f"XLSX of {HOUSEHOLDS:,} households, {PERSONS:,} persons: {len(content) / 1e6:.1f} "
          f"MB in {made:.1f} s")
    checks, imports = [], []
    for run in range(RUNS):
        _wipe(org)
        job = services.job_create(actor=user, branch=branch, kind="households",
                                  filename="bench.xlsx", content=content)
        job = services.job_map(actor=user, job=job, mapping=job.columns)
        t = time.perf_counter()
        job = services.check(job, lambda p, s: None)
        checks.append(time.perf_counter() - t)
        assert job.status == "valid", job.problems[:5]
        assert job.created == {"households": HOUSEHOLDS, "persons": PERSONS}, job.created
        services.job_confirm(actor=user, job=job)
        t = time.perf_counter()
        job = services.run(job, lambda p, s: None)
        imports.append(time.perf_counter() - t)
        assert job.status == "done" and job.created["persons"] == PERSONS, job.created
        print(f"run {run + 1}: dry run {checks[-1]:.1f} s, import {imports[-1]:.1f} s")
    load_end = _load()
    result = {
        "benchmark": "import",
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": report._git(root, "rev-parse", "--short", "HEAD"),
        "machine": report.machine(), "database": connection.vendor,
        "load_average_start": load_start, "load_average_end": load_end,
        "households": HOUSEHOLDS, "persons": PERSONS, "xlsx_bytes": len(content),
        "xlsx_generation_s": round(made, 2),
        "dry_run_s": {"median": round(statistics.median(checks), 2),
                      "runs": [round(x, 2) for x in checks]},
        "import_s": {"median": round(statistics.median(imports), 2),
                     "runs": [round(x, 2) for x in imports]},
        "target_s": TARGET_S,
    }
    result["pass"] = (result["dry_run_s"]["median"] < TARGET_S
                      and result["import_s"]["median"] < TARGET_S)
    _write(results, f"import-{connection.vendor}", result, _import_md(result))
    return result["pass"]


def _import_md(r: dict) -> str:
    ok = "yes" if r["pass"] else "**no**"
    return (
        f"# Import benchmark ({r['database']})\n\n"
        f"{r['measured_at']} · commit {r['commit']} · load average at start "
        f"{r['load_average_start']}, at end {r['load_average_end']} (1, 5, 15 min).\n\n"
        f"XLSX of {r['households']:,} households with {r['persons']:,} persons "
        f"({r['xlsx_bytes'] / 1e6:.1f} MB), one row per person.\n\n"
        "| step | median | runs | target | met |\n|---|---|---|---|---|\n"
        f"| dry run (read, check every cell, duplicates) | {r['dry_run_s']['median']} s | "
        f"{r['dry_run_s']['runs']} | < {r['target_s']:.0f} s | {ok} |\n"
        f"| import (read, check again, write in one transaction, audit) | "
        f"{r['import_s']['median']} s | {r['import_s']['runs']} | < {r['target_s']:.0f} s | "
        f"{ok} |\n"
    )


def _write(results: Path, name: str, result: dict, md: str) -> None:
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False)
                                          + "\n")
    (results / f"{name}.md").write_text(md)
    print(f"Wrote bench/results/{name}.json and .md")


# --- the API -------------------------------------------------------------------------------

ENDPOINTS = [
    ("households, first page", "/api/v1/households/", {}),
    ("households, page 100", "/api/v1/households/", {"page": 100}),
    ("households, 200 a page", "/api/v1/households/", {"page_size": 200}),
    ("households, search", "/api/v1/households/", {"q": "Jensen Anna"}),
    ("households, branch + updated_since", "/api/v1/households/",
     {"updated_since": "2020-01-01T00:00:00+01:00"}),
    ("volunteers", "/api/v1/volunteers/", {}),
    ("engagements", "/api/v1/engagements/", {}),
    ("activities", "/api/v1/activities/", {}),
    ("referrals", "/api/v1/referrals/", {}),
    ("questionnaires", "/api/v1/questionnaires/", {}),
]


def measure_api(root: Path, results: Path, args) -> bool:
    from django.core.cache import cache
    from django.test import Client

    from bench import report, seed
    from samspil.api import services as api_services
    from samspil.households.models import Household

    plan = seed.Plan(args.households or seed.HOUSEHOLDS)
    seeded = seed.ensure_seeded(plan)
    load_start = _load()
    user = seeded.coordinator
    _, key = api_services.token_create(actor=user, name="benchmark")
    client = Client(HTTP_HOST="127.0.0.1")  # as bench/measure.py (DEBUG off: ALLOWED_HOSTS)
    headers = {"Authorization": f"Bearer {key}"}
    branch = user.branches.first().pk
    rows = []
    timings: dict[str, list[float]] = {title: [] for title, _p, _q in ENDPOINTS}
    for i in range(args.warmup + args.requests):
        for title, path, query in ENDPOINTS:
            if "branch" in title:
                query = {**query, "branch": branch}
            cache.clear()  # the rate limit is not what is measured
            t = time.perf_counter()
            response = client.get(path, query, headers=headers)
            elapsed = (time.perf_counter() - t) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} {query}: {response.status_code} {response.content[:200]}")
            if i >= args.warmup:
                timings[title].append(elapsed)
    for title, path, query in ENDPOINTS:
        values = sorted(timings[title])
        p95 = values[max(0, int(round(0.95 * len(values))) - 1)]
        rows.append({"endpoint": title, "path": path, "query": query,
                     "median_ms": round(statistics.median(values), 1), "p95_ms": round(p95, 1),
                     "pass": p95 < TARGET_API_MS})
    load_end = _load()
    result = {
        "benchmark": "api",
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": report._git(root, "rev-parse", "--short", "HEAD"),
        "machine": report.machine(), "database": connection.vendor,
        "load_average_start": load_start, "load_average_end": load_end,
        "households_in_database": Household.objects.count(),
        "households_the_coordinator_sees": seeded.counts["households_in_measured_branch"],
        "requests": args.requests, "warmup": args.warmup, "target_p95_ms": TARGET_API_MS,
        "endpoints": rows, "pass": all(r["pass"] for r in rows),
    }
    lines = [f"# API benchmark ({connection.vendor})\n",
             f"{result['measured_at']} · commit {result['commit']} · load average at start "
             f"{load_start}, at end {load_end} (1, 5, 15 min).\n",
             f"{result['households_in_database']:,} households in the database; the branch "
             f"coordinator's token sees {result['households_the_coordinator_sees']:,}. "
             f"{args.requests} timed requests per endpoint after {args.warmup} untimed, in "
             "turn, through django.test.Client (token, throttle, selector, page, JSON).\n",
             "| endpoint | median ms | p95 ms | target | met |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['endpoint']} | {r['median_ms']} | {r['p95_ms']} | < 150 ms | "
                     f"{'yes' if r['pass'] else '**no**'} |")
    _write(results, f"api-{connection.vendor}", result, "\n".join(lines) + "\n")
    for r in rows:
        print(f"{r['endpoint']:<40} median {r['median_ms']:>7.1f} ms  p95 {r['p95_ms']:>7.1f} ms")
    return result["pass"]
