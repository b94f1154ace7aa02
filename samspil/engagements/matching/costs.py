"""The cost of a (volunteer, engagement) pair and the hard rules, vectorised with numpy.

One formula for the suggestions and for plan-all: `pair_costs` works on any shapes that
broadcast, so the same code scores one engagement against 10,000 volunteers, a block of
engagements against all volunteers, or a list of chosen pairs. Costs are in points, lower is
better; docs/matching.md explains them to coordinators. The weights are data (`WEIGHTS`).

The hard rules here are the vectorised form of eligibility.exclusion_reasons, which stays the
single statement of them: tests/test_costs.py checks on random instances that both agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from samspil.households.models import LifeArea
from samspil.volunteers.models import ChildAgeGroup, Skill

if TYPE_CHECKING:
    from samspil.engagements.matching.tables import EngagementTable, VolunteerTable

EARTH_RADIUS_KM = 6371.0088
SKILLS: list[str] = list(Skill.values)
DANISH_SKILL = Skill.DANISH
# Which volunteer skill meets a need in a life area of the needs assessment. Areas without a
# skill (wellbeing) do not count in the skills factor.
NEED_SKILLS: dict[str, str] = {
    LifeArea.ECONOMY: Skill.ECONOMY,
    LifeArea.WORK: Skill.JOB_SEARCH,
    LifeArea.EDUCATION: Skill.JOB_SEARCH,
    LifeArea.SCHOOL: Skill.HOMEWORK,
    LifeArea.NETWORK: Skill.LEISURE,
    LifeArea.PARENTING: Skill.PARENTING,
    # Housing and legal matters are mostly letters from authorities, in e-Boks and on
    # borger.dk: digital self-service.
    LifeArea.HOUSING: Skill.DIGITAL,
    LifeArea.LEGAL: Skill.DIGITAL,
}
# "0-5" -> (0, 5): the children's age groups a volunteer may prefer, as eligibility reads them.
AGE_GROUPS: dict[str, tuple[int, int]] = {
    value: tuple(int(x) for x in value.split("-")) for value in ChildAgeGroup.values
}
AGE_GROUP_BITS: dict[str, int] = {value: 1 << i for i, value in enumerate(AGE_GROUPS)}


@dataclass(frozen=True)
class Weights:
    """Points added to a pair's cost by each factor (lower total = better match)."""

    per_km: float = 1.0  # straight-line distance between the postcodes' centres
    language: float = 15.0  # the family prefers a language other than Danish; not spoken
    skills: float = 30.0  # times the share of the assessed need the skills do not cover
    availability: float = 10.0  # times the share of FAMILY_HOURS_FULL not offered
    family_hours_full: float = 4.0  # hours a week in family time that count as "fully free"
    preference: float = 5.0  # each of the volunteer's wishes (not musts) the family misses
    # Plan-all only: leaving a family unmatched costs more than any match, so the plan matches
    # as many as the rules and capacities allow, and among those the cheapest.
    unmatched: float = 10_000.0
    # A family whose preferred language is not Danish needs the "danish" skill at this level.
    danish_need_level: int = 2

    def as_dict(self) -> dict:
        return asdict(self)


WEIGHTS = Weights()

# Family time: when families usually can meet (their own availability is not recorded).
# weekday (0 = Monday) -> (from, to) in minutes after midnight.
FAMILY_TIME: dict[int, tuple[int, int]] = {
    **{day: (15 * 60, 20 * 60) for day in range(5)},  # weekday afternoons and evenings
    5: (10 * 60, 18 * 60),
    6: (10 * 60, 18 * 60),
}

# Bits of the soft-preference factor (which wish is missed), stored with a match's factors.
MISSED_GENDER = 1
MISSED_CHILD_AGE = 2

CENTS = 100  # costs are whole hundredths of a point: the solver works in integers


def availability_cost(hours: np.ndarray, weights: Weights = WEIGHTS) -> np.ndarray:
    share = np.minimum(hours, weights.family_hours_full) / weights.family_hours_full
    return weights.availability * (1.0 - share)


def skill_cost_table(needs: np.ndarray, weights: Weights = WEIGHTS) -> np.ndarray:
    """For each engagement, the skills cost for every possible skill set (a bit mask).

    needs: (m, len(SKILLS)) levels 0-3. Returns (m, 2**len(SKILLS)); a volunteer's cost is one
    look-up by her skill mask, which is much faster than comparing skill by skill.
    """
    masks = np.arange(1 << len(SKILLS))
    missing = ((masks[:, None] >> np.arange(len(SKILLS))[None, :]) & 1) == 0  # (2**S, S)
    needs = needs.astype(np.float64)
    unmet = needs @ missing.T.astype(np.float64)  # (m, 2**S)
    total = needs.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, unmet / np.where(total > 0, total, 1), 0.0)
    return weights.skills * share


def distance_km(e_xyz: np.ndarray, v_xyz: np.ndarray) -> np.ndarray:
    """Great-circle distance from unit vectors (last axis x, y, z); shapes broadcast.

    Element by element, in a fixed order, so that a pair gets exactly the same distance (and
    cost, to the hundredth) whether it is scored in a matrix or on its own.
    """
    chord2 = ((e_xyz[..., 0] - v_xyz[..., 0]) ** 2 + (e_xyz[..., 1] - v_xyz[..., 1]) ** 2
              + (e_xyz[..., 2] - v_xyz[..., 2]) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(chord2) / 2))


@dataclass
class PairScores:
    """Costs (and, optionally, the parts) for the pairs asked for, all the same shape."""

    allowed: np.ndarray  # bool
    cents: np.ndarray  # int64: total cost in hundredths of a point
    parts: dict[str, np.ndarray] | None = None


def allowed_pairs(eng: EngagementTable, vol: VolunteerTable, e, v) -> np.ndarray:
    """The hard rules (eligibility.exclusion_reasons) for index arrays e and v that broadcast."""
    ok = vol.organisation[v] == eng.organisation[e]
    ok &= vol.active[v]
    ok &= (vol.roles[v] & eng.role_bit[e]) != 0
    ok &= vol.load[v] < vol.capacity[v]
    ok &= ~eng.needs_certificate[e] | vol.certificate_ok[v]
    pg = vol.pref_gender[v]
    gender_clash = (pg != 0) & (eng.parent_gender[e] != 0) & (eng.parent_gender[e] != pg)
    ok &= ~(vol.pref_gender_required[v] & gender_clash)
    age_bit = vol.pref_age_bit[v]
    age_clash = (age_bit != 0) & ((eng.age_groups[e] & age_bit) == 0)
    ok &= ~(vol.pref_age_required[v] & age_clash)
    return ok


def pair_costs(eng: EngagementTable, vol: VolunteerTable, e, v, *, parts: bool = False,
               weights: Weights = WEIGHTS) -> PairScores:
    """Hard rules and cost for index arrays e (engagements) and v (volunteers).

    For a matrix pass e[:, None] and v[None, :]; for a list of pairs pass two arrays of the
    same length.
    """
    e = np.asarray(e)
    v = np.asarray(v)
    km = distance_km(eng.xyz[e], vol.xyz[v])
    spoken = (vol.languages[v] & eng.language_bit[e]) != 0
    language = np.where((eng.language_bit[e] != 0) & ~spoken, weights.language, 0.0)
    skills = eng.skill_costs[e, vol.skills[v]]
    availability = vol.availability_cost[v]
    pg = vol.pref_gender[v]
    missed_gender = ((pg != 0) & (eng.parent_gender[e] != 0) & (eng.parent_gender[e] != pg)
                     & ~vol.pref_gender_required[v])
    age_bit = vol.pref_age_bit[v]
    missed_age = ((age_bit != 0) & ((eng.age_groups[e] & age_bit) == 0)
                  & ~vol.pref_age_required[v])
    preferences = weights.preference * (missed_gender.astype(np.float64)
                                        + missed_age.astype(np.float64))
    distance = weights.per_km * km
    total = distance + language + skills + availability + preferences
    cents = np.rint(total * CENTS).astype(np.int64)
    result = PairScores(allowed=allowed_pairs(eng, vol, e, v), cents=cents)
    if parts:
        result.parts = {
            "km": km, "distance": distance, "language": language, "skills": skills,
            "availability": availability + np.zeros_like(km),
            "preferences": preferences,
            "missed": (missed_gender * MISSED_GENDER + missed_age * MISSED_CHILD_AGE),
            "spoken": spoken,
        }
    return result


def cost_matrix(eng: EngagementTable, vol: VolunteerTable, rows: np.ndarray,
                weights: Weights = WEIGHTS) -> PairScores:
    """Every volunteer against the engagements `rows`: arrays of shape (len(rows), len(vol))."""
    return pair_costs(eng, vol, np.asarray(rows)[:, None], np.arange(len(vol))[None, :],
                      weights=weights)


def factors(eng: EngagementTable, vol: VolunteerTable, e: np.ndarray, v: np.ndarray,
            weights: Weights = WEIGHTS, cents: np.ndarray | None = None) -> list[dict]:
    """The factors of chosen pairs, as stored with a proposal and shown to coordinators.
    `cents`: the totals as the caller scored them (they are the same; this makes sure)."""
    e = np.asarray(e, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    scores = pair_costs(eng, vol, e, v, parts=True, weights=weights)
    if cents is not None:
        scores.cents = np.asarray(cents, dtype=np.int64)
    p = scores.parts
    needed = eng.needed_skills[e]
    has = vol.skills[v]
    result = []
    for i in range(len(e)):
        result.append({
            "km": round(float(p["km"][i]), 1),
            "distance": round(float(p["distance"][i]), 2),
            "language": round(float(p["language"][i]), 2),
            "language_code": eng.language_code(int(e[i])),
            "spoken": bool(p["spoken"][i]),
            "skills": round(float(p["skills"][i]), 2),
            "covered": int(needed[i] & has[i]),
            "missing": int(needed[i] & ~has[i]),
            "availability": round(float(p["availability"][i]), 2),
            "hours": round(float(vol.hours[v[i]]), 1),
            "preferences": round(float(p["preferences"][i]), 2),
            "missed": int(p["missed"][i]),
            "total": int(scores.cents[i]) / CENTS,
        })
    return result


def no_candidate_reason(eng: EngagementTable, vol: VolunteerTable, e: int) -> str:
    """Why no volunteer at all is allowed for engagement e: the first rule, in the order a
    coordinator would look, that leaves nobody. Returns a reason code (see display.py)."""
    v = np.arange(len(vol))
    left = (vol.organisation == eng.organisation[e]) & vol.active
    if not left.any():
        return "no_active"
    left &= (vol.roles & eng.role_bit[e]) != 0
    if not left.any():
        return "no_role"
    left &= vol.load < vol.capacity
    if not left.any():
        return "no_capacity"
    if eng.needs_certificate[e]:
        left &= vol.certificate_ok
        if not left.any():
            return "no_certificate"
    left &= allowed_pairs(eng, vol, np.full_like(v, e), v)
    return "preferences" if not left.any() else ""
