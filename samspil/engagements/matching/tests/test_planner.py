"""Plan-all is optimal: its total cost equals an independent exact solver's on small random
instances (scipy's linear_sum_assignment on the matrix with one column per free place).

The instances are random tables (no database), so that many of them run in a second.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from samspil.engagements.matching import costs, planner
from samspil.engagements.matching.greedy import NOT_ALLOWED, greedy_assign
from samspil.engagements.matching.tables import (
    SKILLS,
    EngagementTable,
    VolunteerTable,
    unit_vectors,
)

PENALTY = int(costs.WEIGHTS.unmatched * costs.CENTS)


def random_tables(rng: np.random.Generator, m: int, n: int) -> tuple[EngagementTable,
                                                                     VolunteerTable]:
    """Engagements and volunteers around Copenhagen with random rules and factors."""
    needs = rng.integers(0, 4, size=(m, len(SKILLS))) * (rng.random((m, len(SKILLS))) < 0.4)
    eng = EngagementTable(
        ids=np.arange(1, m + 1), organisation=np.ones(m, dtype=np.int64),
        branch=np.ones(m, dtype=np.int64), household=np.arange(1, m + 1),
        referred_on=np.arange(m).astype("datetime64[D]"),
        role_bit=1 << rng.integers(0, 2, m),
        xyz=unit_vectors(55.6 + rng.random(m) * 0.3, 12.3 + rng.random(m) * 0.4),
        language=["da"] * m, language_bit=np.where(rng.random(m) < 0.3, 1 << 2, 0),
        parent_gender=rng.integers(0, 3, m), age_groups=rng.integers(0, 8, m),
        needs_certificate=rng.random(m) < 0.3, needs=needs,
        needed_skills=((needs > 0) * (1 << np.arange(len(SKILLS)))).sum(axis=1),
        skill_costs=costs.skill_cost_table(needs),
    )
    hours = rng.random(n) * 6
    vol = VolunteerTable(
        ids=np.arange(1, n + 1), organisation=np.ones(n, dtype=np.int64),
        branch=np.ones(n, dtype=np.int64), version=np.ones(n, dtype=np.int64),
        xyz=unit_vectors(55.6 + rng.random(n) * 0.3, 12.3 + rng.random(n) * 0.4),
        languages=rng.integers(0, 8, n), skills=rng.integers(0, 1 << len(SKILLS), n),
        roles=rng.integers(0, 4, n), capacity=rng.integers(0, 3, n),
        load=rng.integers(0, 2, n) * (rng.random(n) < 0.2), active=rng.random(n) < 0.9,
        certificate_ok=rng.random(n) < 0.7, pref_gender=rng.integers(0, 3, n),
        pref_gender_required=rng.random(n) < 0.3, pref_age_bit=rng.choice([0, 1, 2, 4], n),
        pref_age_required=rng.random(n) < 0.3, hours=hours,
        availability_cost=costs.availability_cost(hours),
    )
    return eng, vol


def full_scores(eng, vol):
    scores = costs.cost_matrix(eng, vol, np.arange(len(eng)))
    return scores.cents, scores.allowed


def exact_objective(cents: np.ndarray, allowed: np.ndarray, free: np.ndarray) -> int:
    """Minimum of (sum of match costs + PENALTY per unmatched engagement), by
    linear_sum_assignment on one column per free place plus one "unmatched" column per
    engagement."""
    m = cents.shape[0]
    columns = [v for v in range(len(free)) for _ in range(int(free[v]))]
    forbidden = PENALTY * 10  # never chosen: an "unmatched" column is always cheaper
    matrix = np.full((m, len(columns) + m), forbidden, dtype=np.int64)
    for c, v in enumerate(columns):
        matrix[:, c] = np.where(allowed[:, v], cents[:, v], forbidden)
    matrix[:, len(columns):] = PENALTY
    rows, cols = linear_sum_assignment(matrix)
    return int(matrix[rows, cols].sum())


def objective(outcome: planner.Outcome) -> int:
    unmatched = int((outcome.volunteer < 0).sum())
    return outcome.total_cents + PENALTY * unmatched


def check_feasible(outcome, cents, allowed, free):
    chosen = np.nonzero(outcome.volunteer >= 0)[0]
    assert allowed[chosen, outcome.volunteer[chosen]].all()
    assert (np.bincount(outcome.volunteer[chosen], minlength=len(free)) <= free).all()
    assert outcome.total_cents == int(cents[chosen, outcome.volunteer[chosen]].sum())


@pytest.mark.parametrize("seed", range(40))
def test_the_plan_is_optimal_on_small_random_instances(seed):
    rng = np.random.default_rng(seed)
    eng, vol = random_tables(rng, m=int(rng.integers(1, 14)), n=int(rng.integers(1, 12)))
    cents, allowed = full_scores(eng, vol)
    outcome = planner.plan(eng, vol, k=len(vol), block=4)
    check_feasible(outcome, cents, allowed, vol.free())
    assert objective(outcome) == exact_objective(cents, allowed, vol.free())


@pytest.mark.parametrize("seed", range(40))
def test_with_few_candidates_pricing_still_finds_the_optimum_over_all_pairs(seed):
    """With K smaller than the number of volunteers, the first network may miss better pairs;
    pricing adds them until the plan is provably optimal over all allowed pairs (with the
    costs kept in a matrix, or recomputed when the matrix would be too large)."""
    rng = np.random.default_rng(1000 + seed)
    eng, vol = random_tables(rng, m=int(rng.integers(4, 16)), n=int(rng.integers(4, 14)))
    k = int(rng.integers(1, 4))
    cents, allowed = full_scores(eng, vol)
    best = exact_objective(cents, allowed, vol.free())
    for matrix_limit in (planner.MATRIX_LIMIT, 0):
        outcome = planner.plan(eng, vol, k=k, block=3, matrix_limit=matrix_limit)
        check_feasible(outcome, cents, allowed, vol.free())
        assert outcome.certified
        assert objective(outcome) == best
    # "Unmatched" is true: every allowed volunteer of an unmatched engagement is full.
    used = np.bincount(outcome.volunteer[outcome.volunteer >= 0], minlength=len(vol))
    spare = vol.free() - used > 0
    for e in np.nonzero(outcome.volunteer < 0)[0]:
        assert not (allowed[e] & spare).any()
        assert outcome.reasons[e] == "taken" if allowed[e].any() else outcome.reasons[e]


@pytest.mark.parametrize("seed", range(20))
def test_the_first_network_alone_is_optimal_for_its_own_arcs(seed):
    """The solver itself: on the network of each engagement's K cheapest allowed volunteers,
    the flow equals the exact optimum restricted to those pairs."""
    rng = np.random.default_rng(3000 + seed)
    eng, vol = random_tables(rng, m=int(rng.integers(4, 16)), n=int(rng.integers(4, 14)))
    k = int(rng.integers(1, 4))
    cents, allowed = full_scores(eng, vol)
    keys = planner.sort_keys(cents, allowed, len(vol))
    part, part_keys = planner.cheapest(keys, k)
    valid = part_keys != NOT_ALLOWED
    arc_e = np.broadcast_to(np.arange(len(eng))[:, None], part.shape)[valid]
    arc_v = part[valid]
    restricted = np.zeros_like(allowed)
    restricted[arc_e, arc_v] = True
    volunteer, _flow = planner.solve_flow(len(eng), vol.free(), arc_e, arc_v,
                                          cents[arc_e, arc_v], PENALTY)
    chosen = volunteer >= 0
    total = int(cents[np.nonzero(chosen)[0], volunteer[chosen]].sum())
    total += PENALTY * int((~chosen).sum())
    assert total == exact_objective(cents, restricted, vol.free())


def test_exhaustive_search_agrees_on_tiny_instances():
    """A second, independent check: every assignment enumerated."""
    for seed in range(15):
        rng = np.random.default_rng(500 + seed)
        eng, vol = random_tables(rng, m=4, n=3)
        cents, allowed = full_scores(eng, vol)
        free = vol.free()
        best = None
        for choice in itertools.product(range(-1, len(vol)), repeat=len(eng)):
            used = np.bincount([c for c in choice if c >= 0], minlength=len(vol))
            if (used > free).any() or any(c >= 0 and not allowed[e, c]
                                          for e, c in enumerate(choice)):
                continue
            total = sum(int(cents[e, c]) if c >= 0 else PENALTY for e, c in enumerate(choice))
            best = total if best is None else min(best, total)
        assert objective(planner.plan(eng, vol, k=3)) == best


def reference_greedy(cents, allowed, free):
    remaining = free.copy()
    result = []
    for e in range(cents.shape[0]):
        options = [(int(cents[e, v]), v) for v in range(cents.shape[1])
                   if allowed[e, v] and remaining[v] > 0]
        if options:
            _cost, v = min(options)
            remaining[v] -= 1
            result.append(v)
        else:
            result.append(-1)
    return np.array(result)


@pytest.mark.parametrize("seed", range(20))
def test_the_baseline_is_first_come_first_served(seed):
    rng = np.random.default_rng(2000 + seed)
    eng, vol = random_tables(rng, m=int(rng.integers(1, 20)), n=int(rng.integers(1, 10)))
    cents, allowed = full_scores(eng, vol)
    expected = reference_greedy(cents, allowed, vol.free())
    # With K = 1 the baseline often has to look past its candidates: the same answer.
    for k in (1, 2, len(vol)):
        outcome = planner.plan(eng, vol, k=k, block=5)
        assert (outcome.greedy_volunteer == expected).all()
    keys = planner.sort_keys(cents, allowed, len(vol))
    assert (greedy_assign(keys, vol.free()) == expected).all()
    # The plan is never worse than the baseline.
    greedy_objective = (outcome.greedy_total_cents
                        + PENALTY * int((outcome.greedy_volunteer < 0).sum()))
    assert objective(outcome) <= greedy_objective


def test_first_come_first_served_can_be_beaten():
    """On one road: volunteer A lives 1 km from the first family and 2 km from the second,
    volunteer B 3 km from the first and 6 km from the second. First come, first served gives
    A to the first family (1 + 6 = 7 km in all); the plan gives A to the second (3 + 2 = 5)."""
    rng = np.random.default_rng(0)
    eng, vol = random_tables(rng, m=2, n=2)
    eng.role_bit[:] = vol.roles[:] = vol.capacity[:] = 1
    vol.load[:] = 0
    vol.active[:] = True
    eng.needs_certificate[:] = eng.language_bit[:] = 0
    eng.skill_costs[:] = 0
    vol.pref_gender[:] = vol.pref_age_bit[:] = 0
    vol.availability_cost[:] = 0
    km = 1 / 111.2  # degrees of latitude
    eng.xyz = unit_vectors([56.0, 56.0 + 3 * km], [10.0, 10.0])
    vol.xyz = unit_vectors([56.0 + km, 56.0 - 3 * km], [10.0, 10.0])
    outcome = planner.plan(eng, vol)
    assert outcome.greedy_volunteer.tolist() == [0, 1]
    assert outcome.volunteer.tolist() == [1, 0]
    assert outcome.greedy_total_cents == pytest.approx(700, abs=3)
    assert outcome.total_cents == pytest.approx(500, abs=3)


def test_an_empty_plan_is_empty():
    rng = np.random.default_rng(1)
    eng, vol = random_tables(rng, m=0, n=3)
    outcome = planner.plan(eng, vol)
    assert len(outcome.volunteer) == 0 and outcome.total_cents == 0
    eng, vol = random_tables(rng, m=3, n=0)
    outcome = planner.plan(eng, vol)
    assert (outcome.volunteer == -1).all()
    assert outcome.reasons == ["no_active"] * 3


@pytest.mark.parametrize("seed", range(5))
def test_a_pair_costs_the_same_in_a_matrix_and_on_its_own(seed):
    """The plan, the suggestions and the stored factors score pairs in different shapes; the
    cost, to the hundredth of a point, must not depend on that."""
    rng = np.random.default_rng(4000 + seed)
    eng, vol = random_tables(rng, m=40, n=300)
    cents, allowed = full_scores(eng, vol)
    e, v = np.meshgrid(np.arange(len(eng)), np.arange(len(vol)), indexing="ij")
    pairs = costs.pair_costs(eng, vol, e.ravel(), v.ravel())
    assert (pairs.cents == cents.ravel()).all()
    assert (pairs.allowed == allowed.ravel()).all()
