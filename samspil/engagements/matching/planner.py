"""Plan all: an optimal assignment of waiting engagements to volunteers, as a min-cost flow.

The network: each engagement has one unit to send; it may go to one of its candidate
volunteers (arc capacity 1, cost = the pair's cost), or straight to the sink at the cost
Weights.unmatched (larger than any pair's cost, so the flow is always feasible and as many
engagements as possible are matched); each volunteer passes at most her free places
(capacity − current load) on to the sink. OR-Tools' SimpleMinCostFlow returns a flow of minimum
total cost. Costs are whole hundredths of a point, so the optimum is exact for the costs shown.

Candidates: every allowed pair would be 10^8 arcs for 10,000 × 10,000, so the network starts
with each engagement's K (CANDIDATES) cheapest allowed volunteers. That flow is optimal for the
restricted network; to know it is optimal for all pairs, the node potentials of the optimal flow
(shortest-path distances in its residual network, by Bellman-Ford) price every pair left out:
a pair with a negative reduced cost could make the plan cheaper, so the most promising of them
(up to PRICED per engagement) join the network and it is solved again. When no pair has a
negative reduced cost the plan is optimal over all allowed pairs (linear-programming duality), and
"unmatched" means what it says: no volunteer passes the hard rules, or all who do are taken by
other matches of the plan. The benchmark (10,000 × 10,000) needs seven rounds.

Scoring goes block by block (BLOCK engagements × all volunteers at a time); the costs are kept
as an int32 matrix (400 MB for 10,000 × 10,000) for the pricing, or recomputed block by block
above MATRIX_LIMIT. The same pass runs the first-come-first-served baseline (greedy.py), since
the blocks come in referral order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from samspil.engagements.matching import costs
from samspil.engagements.matching.greedy import NOT_ALLOWED, FirstComeFirstServed
from samspil.engagements.matching.tables import EngagementTable, VolunteerTable

CANDIDATES = 30  # K: arcs per engagement to start with, its cheapest allowed volunteers
PRICED = 10  # pairs per engagement added in a pricing round, the most promising first
BLOCK = 256  # engagements scored at once (BLOCK × volunteers × 8 bytes per array)
PRICING_ROUNDS = 10  # the network grows at most this many times
MATRIX_LIMIT = 150_000_000  # pairs whose costs are kept (int32) between scoring and pricing
NO_PAIR = np.iinfo(np.int32).max  # in the kept matrix: the rules forbid the pair


class PlanningError(RuntimeError):
    pass


@dataclass
class Outcome:
    volunteer: np.ndarray  # per engagement: volunteer index, -1 for unmatched
    cents: np.ndarray  # cost of the match in hundredths of a point (0 when unmatched)
    allowed: np.ndarray  # how many volunteers the hard rules allow for each engagement
    reasons: list[str]  # per engagement: "" when matched, else a reason code (display.py)
    greedy_volunteer: np.ndarray
    greedy_cents: np.ndarray
    arcs: int = 0
    rounds: int = 1  # times the flow was solved
    # Proven optimal over all allowed pairs (no left-out pair has a negative reduced cost).
    certified: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    # The candidate network as solved (engagement, volunteer, cost per arc), for checks.
    network: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def total_cents(self) -> int:
        return int(self.cents[self.volunteer >= 0].sum())

    @property
    def greedy_total_cents(self) -> int:
        return int(self.greedy_cents[self.greedy_volunteer >= 0].sum())


def sort_keys(cents: np.ndarray, allowed: np.ndarray, n: int) -> np.ndarray:
    """Unique sort keys (cost, then volunteer index) with NOT_ALLOWED for forbidden pairs."""
    index = np.arange(cents.shape[-1], dtype=np.int64)
    return np.where(allowed, cents * max(n, 1) + index, NOT_ALLOWED)


def cheapest(keys: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and keys of the k smallest keys of each row, in ascending order."""
    k = min(k, keys.shape[1])
    if k == 0:
        empty = np.zeros((keys.shape[0], 0), dtype=np.int64)
        return empty, empty
    part = np.argpartition(keys, k - 1, axis=1)[:, :k] if k < keys.shape[1] else np.broadcast_to(
        np.arange(keys.shape[1]), keys.shape).copy()
    part_keys = np.take_along_axis(keys, part, axis=1)
    order = np.argsort(part_keys, axis=1)
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(part_keys, order, axis=1)


def solve_flow(m: int, free: np.ndarray, arc_e: np.ndarray, arc_v: np.ndarray,
               arc_cents: np.ndarray, unmatched_cents: int) -> tuple[np.ndarray, np.ndarray]:
    """The minimum-cost flow on the network above: each engagement's volunteer (or -1), and
    the flow on each candidate arc."""
    n = len(free)
    sink = m + n
    used = np.unique(arc_v)
    starts = np.concatenate([arc_e, np.arange(m), m + used]).astype(np.int32)
    ends = np.concatenate([m + arc_v, np.full(m, sink), np.full(len(used), sink)]).astype(np.int32)
    capacities = np.concatenate([np.ones(len(arc_e)), np.ones(m), free[used]]).astype(np.int64)
    unit_costs = np.concatenate([arc_cents, np.full(m, unmatched_cents),
                                 np.zeros(len(used))]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(starts, ends, capacities, unit_costs)
    supplies = np.zeros(m + n + 1, dtype=np.int64)
    supplies[:m] = 1
    supplies[sink] = -m
    flow.set_nodes_supplies(np.arange(m + n + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise PlanningError(f"The min-cost-flow solver did not find an optimum ({status}).")
    flows = flow.flows(np.arange(len(arc_e), dtype=np.int32))
    chosen = flows > 0
    result = np.full(m, -1, dtype=np.int64)
    result[arc_e[chosen]] = arc_v[chosen]
    return result, chosen


def potentials(m: int, free: np.ndarray, arc_e: np.ndarray, arc_v: np.ndarray,
               arc_cents: np.ndarray, arc_flow: np.ndarray, volunteer: np.ndarray,
               unmatched_cents: int) -> np.ndarray | None:
    """Shortest-path distances from a virtual source to every node of the residual network of
    an optimal flow (Bellman-Ford, all arcs relaxed at once per round). None if they do not
    settle, which an optimal flow rules out."""
    n = len(free)
    sink = m + n
    unmatched = volunteer < 0
    used = np.bincount(volunteer[~unmatched], minlength=n)
    e = np.arange(m)
    v_nodes = m + np.arange(n)
    starts = np.concatenate([
        np.where(arc_flow, m + arc_v, arc_e),  # candidate arcs, forward or back
        np.where(unmatched, sink, e),  # "unmatched" arcs
        v_nodes[used < free], np.full(int((used > 0).sum()), sink),  # volunteer -> sink
    ])
    ends = np.concatenate([
        np.where(arc_flow, arc_e, m + arc_v),
        np.where(unmatched, e, sink),
        np.full(int((used < free).sum()), sink), v_nodes[used > 0],
    ])
    weights = np.concatenate([
        np.where(arc_flow, -arc_cents, arc_cents),
        np.where(unmatched, -unmatched_cents, unmatched_cents),
        np.zeros(int((used < free).sum()) + int((used > 0).sum()), dtype=np.int64),
    ]).astype(np.int64)
    order = np.argsort(ends, kind="stable")
    starts, ends, weights = starts[order], ends[order], weights[order]
    targets, first = np.unique(ends, return_index=True)
    distance = np.zeros(m + n + 1, dtype=np.int64)
    for _ in range(m + n + 2):
        best = np.minimum.reduceat(distance[starts] + weights, first) if len(first) else first
        lower = best < distance[targets]
        if not lower.any():
            return distance
        distance[targets[lower]] = best[lower]
    return None


def plan(eng: EngagementTable, vol: VolunteerTable, *, k: int = CANDIDATES,
         priced: int = PRICED, block: int = BLOCK, weights: costs.Weights = costs.WEIGHTS,
         matrix_limit: int = MATRIX_LIMIT) -> Outcome:
    """The optimal plan and the first-come-first-served baseline (eng is in referral order)."""
    m, n = len(eng), len(vol)
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    free = vol.free()
    k = min(k, n)
    cand_v = np.full((m, k), -1, dtype=np.int64)
    cand_cents = np.zeros((m, k), dtype=np.int64)
    allowed = np.zeros(m, dtype=np.int64)
    kept = np.empty((m, n), dtype=np.int32) if 0 < m * n <= matrix_limit else None
    baseline = FirstComeFirstServed(free)
    greedy_v = np.full(m, -1, dtype=np.int64)
    greedy_cents = np.zeros(m, dtype=np.int64)
    for start in range(0, m, block):
        rows = np.arange(start, min(m, start + block))
        scores = costs.cost_matrix(eng, vol, rows, weights)
        if kept is not None:
            kept[rows] = np.where(scores.allowed, scores.cents, NO_PAIR)
        keys = sort_keys(scores.cents, scores.allowed, n)
        allowed[rows] = scores.allowed.sum(axis=1)
        part, part_keys = cheapest(keys, k)
        valid = part_keys != NOT_ALLOWED
        cand_v[rows] = np.where(valid, part, -1)
        cand_cents[rows] = np.where(valid, part_keys // max(n, 1), 0)
        for i, e in enumerate(rows):
            candidates = part[i][valid[i]]
            v = baseline.take(candidates, keys[i], bool(allowed[e] > len(candidates)))
            if v >= 0:
                greedy_v[e] = v
                greedy_cents[e] = scores.cents[i, v]
    seconds["score"] = time.perf_counter() - clock

    clock = time.perf_counter()
    has_arc = cand_v >= 0
    arc_e = np.nonzero(has_arc)[0].astype(np.int64)
    arc_v = cand_v[has_arc]
    arc_cents = cand_cents[has_arc]
    unmatched_cents = int(round(weights.unmatched * costs.CENTS))
    rounds, certified = 0, False
    while True:
        volunteer, arc_flow = solve_flow(m, free, arc_e, arc_v, arc_cents, unmatched_cents)
        rounds += 1
        distance = potentials(m, free, arc_e, arc_v, arc_cents, arc_flow, volunteer,
                              unmatched_cents)
        if distance is None:
            break
        extra = _negative_pairs(eng, vol, kept, distance, volunteer, priced, block, weights)
        if extra is None:
            certified = True
            break
        if rounds > PRICING_ROUNDS:
            break
        arc_e = np.concatenate([arc_e, extra[0]])
        arc_v = np.concatenate([arc_v, extra[1]])
        arc_cents = np.concatenate([arc_cents, extra[2]])
    seconds["solve"] = time.perf_counter() - clock

    cents = np.zeros(m, dtype=np.int64)
    cents[arc_e[arc_flow]] = arc_cents[arc_flow]  # what the solver minimised
    reasons = ["" if volunteer[e] >= 0 else
               ("taken" if allowed[e] else costs.no_candidate_reason(eng, vol, e))
               for e in range(m)]
    return Outcome(volunteer=volunteer, cents=cents, allowed=allowed, reasons=reasons,
                   greedy_volunteer=greedy_v, greedy_cents=greedy_cents, arcs=len(arc_e),
                   rounds=rounds, certified=certified, seconds=seconds,
                   network=(arc_e, arc_v, arc_cents))


def _negative_pairs(eng, vol, kept, distance, volunteer, k, block, weights):
    """Allowed pairs outside the network with a negative reduced cost (cost + d(engagement)
    − d(volunteer)), at most k per engagement, the most negative first; None when there are
    none. (Arcs in the network without flow have a reduced cost of at least 0 in an optimal
    flow; the matched pairs are left out here.)"""
    m, n = len(eng), len(vol)
    d_e = distance[:m]
    d_v = distance[m:m + n]
    found_e, found_v, found_cents = [], [], []
    for start in range(0, m, block):
        rows = np.arange(start, min(m, start + block))
        if kept is not None:
            cents = kept[rows].astype(np.int64)
            ok = cents != NO_PAIR
        else:
            scores = costs.cost_matrix(eng, vol, rows, weights)
            cents, ok = scores.cents, scores.allowed
        reduced = np.where(ok, cents + d_e[rows][:, None] - d_v[None, :], 0)
        matched = volunteer[rows] >= 0
        reduced[np.nonzero(matched)[0], volunteer[rows][matched]] = 0
        negative = (reduced < 0).any(axis=1)
        if not negative.any():
            continue
        reduced, cents, rows = reduced[negative], cents[negative], rows[negative]
        part, part_reduced = cheapest(reduced, k)
        use = part_reduced < 0
        found_e.append(np.broadcast_to(rows[:, None], part.shape)[use])
        found_v.append(part[use])
        found_cents.append(np.take_along_axis(cents, part, axis=1)[use])
    if not found_e:
        return None
    return np.concatenate(found_e), np.concatenate(found_v), np.concatenate(found_cents)
