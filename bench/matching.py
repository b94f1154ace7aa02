"""Time the matching: the suggestions page and plan-all for the whole organisation.

Suggestions: GET /matching/engagements/<id>/ as the measured branch's coordinator through
django.test.Client (the whole Django stack, as bench/measure.py), for random waiting
engagements of her branch; every volunteer of the organisation is scored on every request.

Plan-all: a fresh Python process (so its peak memory is the planning's, not the seeding's) runs
services.match_plan_create for the whole organisation as its administrator — reading the
database, scoring, the min-cost flow, the first-come-first-served baseline and storing the plan
with its 10,000 proposals — and reports wall time and peak resident memory. The same process
then checks the result: an independent exact solver (scipy's sparse
min_weight_full_bipartite_matching) on the candidate network must reach the same total, and a
plan with twice as many candidates per engagement must not be cheaper.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import matching_seed, report
from bench.measure import client_for, summarise
from samspil.core.models import User
from samspil.engagements.matching import selectors
from samspil.engagements.models import Engagement, EngagementState, MatchPlan

SUGGESTIONS_TARGET_MS = 100.0
PLAN_TARGET_SECONDS = 30.0
PLAN_TARGET_MIB = 2048.0


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def measure_suggestions(seeded: matching_seed.Seeded, *, requests: int, warmup: int,
                        out=print) -> dict:
    rng = random.Random(11)
    ids = list(Engagement.objects.filter(branch=seeded.branch, state=EngagementState.WAITING)
               .values_list("pk", flat=True))
    client = client_for(seeded.coordinator)

    def get(pk: int) -> float:
        url = reverse("matching:suggestions", args=[pk])
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or b'<table class="suggestions">' not in response.content:
            raise SystemExit(f"GET {url} answered {response.status_code} without suggestions.")
        return elapsed

    example = rng.choice(ids)
    with CaptureQueriesContext(connection) as captured:
        get(example)
    queries = len(captured)  # now: the next request clears the connection's query log
    out(f"Suggestions: warming up ({warmup} requests) ...")
    for _ in range(warmup):
        get(rng.choice(ids))
    out(f"Suggestions: measuring ({requests} requests) ...")
    first_radius = selectors.RADII_KM[0]
    searched = []
    original = selectors.suggestions_for

    def counting(**kwargs):  # which pass found the best (the view calls it once a request)
        found = original(**kwargs)
        searched.append(found.searched_km)
        return found

    selectors.suggestions_for = counting
    try:
        samples = [get(rng.choice(ids)) for _ in range(requests)]
    finally:
        selectors.suggestions_for = original
    first_pass = sum(1 for km in searched if km == first_radius)
    stats = summarise(samples)
    return {"key": "suggestions", "title": "Suggestions for one waiting engagement",
            "example": reverse("matching:suggestions", args=[example]),
            "queries": queries, **stats, "target_ms": SUGGESTIONS_TARGET_MS,
            "pass": stats["p95_ms"] < SUGGESTIONS_TARGET_MS,
        "first_pass_share": first_pass / max(len(samples), 1)}


def measure_plan(*, root: Path, verify: bool, out=print) -> dict:
    """Run plan_child in a process of its own and return what it reports."""
    out("Plan all: planning the whole organisation in a fresh process ...")
    env = dict(os.environ)
    command = [sys.executable, str(root / "bench" / "run.py"), "--plan-child"]
    if not verify:
        command.append("--no-verify")
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"The planning process failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def plan_child(*, verify: bool) -> dict:
    """In the fresh process: plan, measure, check. Returns the figures (printed as JSON)."""
    from samspil.engagements.matching import planner, services

    admin = User.objects.get(username=matching_seed.ADMIN)
    # Earlier runs' plans would only make the table bigger; they are not part of the timing.
    MatchPlan.objects.filter(organisation_id=admin.organisation_id).delete()
    baseline = _peak_mib()
    details: dict = {}
    started = time.perf_counter()
    plan = services.match_plan_create(actor=admin, branch=None, details=details)
    seconds = time.perf_counter() - started
    peak = _peak_mib()
    outcome: planner.Outcome = details.pop("outcome")
    eng, vol = details.pop("tables")
    matched = int((outcome.volunteer >= 0).sum())
    result = {
        "seconds": round(seconds, 2),
        "steps": {k: round(details[k], 2) for k in ("load", "score", "solve", "store")},
        "peak_rss_mib": round(peak, 1),
        "rss_before_mib": round(baseline, 1),
        "engagements": details["engagements"], "volunteers": details["volunteers"],
        "candidates_per_engagement": planner.CANDIDATES, "arcs": details["arcs"],
        "solver_rounds": details["rounds"], "optimal_over_all_pairs": outcome.certified,
        "matched": matched, "unmatched": details["engagements"] - matched,
        "total_cost": plan.total_cost, "greedy_cost": plan.greedy_cost,
        "greedy_matched": plan.greedy_matched,
        "unmatched_reasons": _count(r for r in outcome.reasons if r),
        "proposals_stored": plan.proposals.count(),
        "target_seconds": PLAN_TARGET_SECONDS, "target_mib": PLAN_TARGET_MIB,
    }
    result["pass"] = seconds < PLAN_TARGET_SECONDS and peak < PLAN_TARGET_MIB
    if verify:
        result["checks"] = _checks(eng, vol, outcome)
    return result


def _count(values) -> dict[str, int]:
    counted: dict[str, int] = {}
    for v in values:
        counted[v] = counted.get(v, 0) + 1
    return counted


def _objective(outcome, penalty: int) -> int:
    return outcome.total_cents + penalty * int((outcome.volunteer < 0).sum())


def _checks(eng, vol, outcome) -> dict:
    """The plan is optimal on its network (independent solver) and K is large enough."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    from samspil.engagements.matching import costs, planner

    penalty = int(costs.WEIGHTS.unmatched * costs.CENTS)
    m = len(eng)
    arc_e, arc_v, arc_cents = outcome.network
    free = vol.free()
    # One column per free place of each volunteer, plus one "unmatched" column per engagement.
    first_column = np.concatenate([[0], np.cumsum(free)])
    rows, cols, weights = [], [], []
    for copy in range(int(free.max()) if len(free) else 0):
        has = free[arc_v] > copy
        rows.append(arc_e[has])
        cols.append(first_column[arc_v[has]] + copy)
        weights.append(arc_cents[has])
    places = int(first_column[-1])
    rows.append(np.arange(m))
    cols.append(places + np.arange(m))
    weights.append(np.full(m, penalty))
    # +1 everywhere: the solver treats stored zeros as missing edges; every row takes exactly
    # one edge, so the shift adds m to the total and changes nothing else.
    matrix = csr_matrix((np.concatenate(weights) + 1, (np.concatenate(rows),
                                                        np.concatenate(cols))),
                        shape=(m, places + m))
    clock = time.perf_counter()
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    exact = int(np.asarray(matrix[row_ind, col_ind]).sum()) - m
    exact_seconds = time.perf_counter() - clock
    clock = time.perf_counter()
    wider = planner.plan(eng, vol, k=2 * planner.CANDIDATES)
    wider_seconds = time.perf_counter() - clock
    plan_objective = _objective(outcome, penalty)
    return {
        "objective": plan_objective,
        "independent_solver_objective": exact,
        "independent_solver_agrees": exact == plan_objective,
        "independent_solver_seconds": round(exact_seconds, 1),
        "objective_with_twice_the_candidates": _objective(wider, penalty),
        "twice_the_candidates_is_not_cheaper": _objective(wider, penalty) >= plan_objective,
        "twice_the_candidates_seconds": round(wider_seconds, 1),
    }


def build(*, root: Path, seeded: matching_seed.Seeded, suggestions: dict, plan: dict,
          requests: int, warmup: int) -> dict:
    return {
        "benchmark": "matching",
        "date": timezone.now().isoformat(timespec="seconds"),
        "commit": report._git(root, "rev-parse", "--short", "HEAD"),
        "uncommitted_changes": report._uncommitted(root),
        "machine": report.machine(),
        "database": report.database(),
        "rows": seeded.counts,
        # Other work on the machine slows every figure; this says how much there was.
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "seed_seconds": round(seeded.seconds, 1),
        "requests": requests, "warmup": warmup,
        "suggestions": suggestions,
        "plan": plan,
        "all_pass": suggestions["pass"] and plan["pass"] and plan["optimal_over_all_pairs"] and all(
            v for k, v in plan.get("checks", {}).items() if k.endswith(("agrees", "cheaper"))),
    }


def markdown(result: dict) -> str:
    m, db, rows = result["machine"], result["database"], result["rows"]
    vendor = report.VENDOR_NAMES.get(db["vendor"], db["vendor"])
    s, p = result["suggestions"], result["plan"]
    checks = p.get("checks")
    saving = p["greedy_cost"] - p["total_cost"]
    lines = [
        f"# Matching benchmark — {vendor}",
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
        f"| Python / Django | {m['python']} / {m['django']} |",
        f"| Database | {vendor} {db['version']} (`{db['name']}`) |",
        f"| Load average (1, 5, 15 min) at the end | "
        f"{', '.join(str(x) for x in result['load_average_at_end'])} |",
        "",
        "| Rows (organisation \"Familiehjælpen (matching benchmark)\") | |",
        "|---|---:|",
        f"| Volunteers (active) | {rows['volunteers']:,} ({rows['active_volunteers']:,}) |",
        f"| Availability slots / child-safety certificates | {rows['availability_slots']:,} / "
        f"{rows['certificates']:,} |",
        f"| Waiting engagements | {rows['waiting']:,} |",
        f"| Active engagements (volunteers' load) | {rows['active_engagements']:,} |",
        f"| Households / members / need ratings | {rows['households']:,} / "
        f"{rows['persons']:,} / {rows['need_ratings']:,} |",
        "",
        "## Suggestions",
        "",
        f"Server time of `GET {s['example']}` and other waiting engagements of the coordinator's "
        f"branch, {s['n']} requests after {result['warmup']} warm-up requests. Every request "
        f"scores the organisation's active volunteers who take the engagement's role, first "
        f"those within 40 km (enough for {s['first_pass_share']:.0%} of the requests; see "
        f"docs/matching.md), and writes an audit row.",
        "",
        "| SQL queries | n | Median ms | p95 ms | Max ms | Target p95 | Result |",
        "|---:|---:|---:|---:|---:|---:|---|",
        f"| {s['queries']} | {s['n']} | {s['median_ms']:.1f} | {s['p95_ms']:.1f} | "
        f"{s['max_ms']:.1f} | < {s['target_ms']:.0f} ms | "
        f"{'pass' if s['pass'] else '**FAIL**'} |",
        "",
        "## Plan all (the whole organisation)",
        "",
        f"{p['engagements']:,} waiting engagements × {p['volunteers']:,} active volunteers, "
        f"K = {p['candidates_per_engagement']} first candidates per engagement, "
        f"{p['solver_rounds']} solver rounds with pricing ({p['arcs']:,} arcs in the end; "
        + ("proven optimal over all allowed pairs" if p["optimal_over_all_pairs"]
           else "**not proven optimal over all pairs**")
        + f"), in a fresh process, from reading the database to the stored plan with "
        f"{p['proposals_stored']:,} proposals.",
        "",
        "| | Figure | Target | Result |",
        "|---|---:|---:|---|",
        f"| Wall time | {p['seconds']:.1f} s | < {p['target_seconds']:.0f} s | "
        f"{'pass' if p['seconds'] < p['target_seconds'] else '**FAIL**'} |",
        f"| Peak memory (resident, whole process) | {p['peak_rss_mib']:,.0f} MiB | "
        f"< {p['target_mib']:,.0f} MiB | "
        f"{'pass' if p['peak_rss_mib'] < p['target_mib'] else '**FAIL**'} |",
        f"| … of which before planning (Django, numpy, OR-Tools loaded) | "
        f"{p['rss_before_mib']:,.0f} MiB | | |",
        "",
        "Steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in p["steps"].items()) + ".",
        "",
        "| | Optimal plan | First come, first served |",
        "|---|---:|---:|",
        f"| Matched | {p['matched']:,} | {p['greedy_matched']:,} |",
        f"| Total cost (points) | {p['total_cost']:,.2f} | {p['greedy_cost']:,.2f} |",
        f"| Average cost per match | {p['total_cost'] / max(p['matched'], 1):.2f} | "
        f"{p['greedy_cost'] / max(p['greedy_matched'], 1):.2f} |",
        "",
        f"The plan costs {saving:,.2f} points ({saving / max(p['greedy_cost'], 1e-9):.1%}) less "
        "than first come, first served"
        + (f" and matches {p['matched'] - p['greedy_matched']:,} more."
           if p["matched"] != p["greedy_matched"] else " and matches as many."),
        "Unmatched, by reason: " + (", ".join(f"{k} {v:,}" for k, v in
                                              sorted(p["unmatched_reasons"].items()))
                                    or "none") + ".",
        "",
    ]
    if checks:
        lines += [
            "Checks (not timed):",
            "",
            f"- Independent exact solver (scipy `min_weight_full_bipartite_matching` on the "
            f"candidate network, one column per free place): objective "
            f"{checks['independent_solver_objective']:,} vs the plan's "
            f"{checks['objective']:,} — "
            + ("**the same**" if checks["independent_solver_agrees"] else "**DIFFERENT**")
            + f" ({checks['independent_solver_seconds']} s).",
            f"- With 2K = {2 * p['candidates_per_engagement']} first candidates per engagement: "
            f"objective {checks['objective_with_twice_the_candidates']:,} — "
            + ("not cheaper"
               if checks["twice_the_candidates_is_not_cheaper"] else "**cheaper: a bug**")
            + f" ({checks['twice_the_candidates_seconds']} s).",
            "",
            "(Objective = total cost in hundredths of a point + 1,000,000 per unmatched "
            "engagement, as the solver sees it.)",
            "",
        ]
    lines += ["All targets met." if result["all_pass"] else "**Some targets are missed.**", ""]
    return "\n".join(lines)


def write(result: dict, directory: Path, suffix: str = "") -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"matching-{result['database']['vendor']}{suffix}"
    json_path, md_path = directory / f"{stem}.json", directory / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(result))
    return json_path, md_path
