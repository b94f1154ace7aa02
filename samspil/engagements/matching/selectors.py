"""Reads for matching, always scoped to the user asking.

Which engagements a user may see is decided by engagements.selectors.engagement_list_for; plans
follow the same rule (a coordinator sees the plans of her branches, an organisation
administrator all plans of the organisation, including those for the whole organisation).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q, QuerySet

from samspil.core.models import Role, User
from samspil.engagements.matching import costs, planner, tables
from samspil.engagements.matching.display import Factors, needs_list
from samspil.engagements.models import Engagement, EngagementState, MatchPlan, MatchProposal
from samspil.engagements.selectors import engagement_list_for
from samspil.volunteers.models import Volunteer

MATCHING_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)
# Engagements a volunteer can be matched with (engagement_match puts a referral on the waiting
# list first). Plan-all takes the waiting ones.
MATCHABLE_STATES = (EngagementState.REFERRED, EngagementState.WAITING)
SUGGESTIONS = 10
# Suggestions read the volunteers living within these distances first (see suggestions_for).
RADII_KM = (40.0, 120.0)


def _may_match(user: User) -> bool:
    return user.is_authenticated and user.has_role(*MATCHING_ROLES)


def matchable_list_for(*, user: User) -> QuerySet[Engagement]:
    """Referred and waiting engagements the user may match, the longest-waiting first."""
    if not _may_match(user):
        return Engagement.objects.none()
    return (engagement_list_for(user=user).filter(state__in=MATCHABLE_STATES)
            .order_by("referred_on", "pk"))


def engagement_get_for(*, user: User, pk: int) -> Engagement | None:
    """The engagement (any state), if the user may match for it; None otherwise (404)."""
    if not _may_match(user):
        return None
    return engagement_list_for(user=user).filter(pk=pk).first()


def waiting_for_plan(*, organisation_id: int, branch_id: int | None) -> QuerySet[Engagement]:
    """What plan-all plans: the waiting engagements of a branch or of the organisation."""
    qs = Engagement.objects.filter(organisation_id=organisation_id,
                                   state=EngagementState.WAITING)
    return qs.filter(branch_id=branch_id) if branch_id else qs


def plan_list_for(*, user: User) -> QuerySet[MatchPlan]:
    if not _may_match(user):
        return MatchPlan.objects.none()
    qs = MatchPlan.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    return qs.select_related("branch", "created_by").annotate(
        proposal_count=Count("proposals"),
        matched_count=Count("proposals", filter=Q(proposals__volunteer__isnull=False)),
    )


def plan_get_for(*, user: User, pk: int) -> MatchPlan | None:
    return plan_list_for(user=user).filter(pk=pk).first()


def proposal_list(*, plan: MatchPlan, unmatched: bool) -> QuerySet[MatchProposal]:
    return (plan.proposals.filter(volunteer__isnull=unmatched)
            .select_related("engagement__household", "engagement__parent", "volunteer__branch",
                            "volunteer__postcode")
            .order_by("engagement__referred_on", "engagement_id"))


def plan_loads(*, plan: MatchPlan, exclude_proposal: MatchProposal | None = None
               ) -> dict[int, int]:
    """Places each volunteer has in the plan (besides one proposal being changed)."""
    qs = plan.proposals.filter(volunteer__isnull=False)
    if exclude_proposal is not None:
        qs = qs.exclude(pk=exclude_proposal.pk)
    return dict(Counter(qs.values_list("volunteer_id", flat=True)))


@dataclass
class Suggestion:
    volunteer: Volunteer
    factors: Factors
    cost: float
    free: int  # places left (in the plan, when editing one)


@dataclass
class Suggestions:
    engagement: Engagement
    rows: list[Suggestion]
    # Volunteers farther away than this cannot be among the best (None: all were read).
    searched_km: float | None
    needs: list[tuple[str, str, int]]  # (skill, level label, level) the family needs
    needs_certificate: bool
    language: str  # the family's preferred language when it is not Danish


def suggestions_for(*, engagement: Engagement, today: datetime.date, limit: int = SUGGESTIONS,
                    extra_load: dict[int, int] | None = None,
                    radii: tuple[float, ...] = RADII_KM) -> Suggestions:
    """The `limit` cheapest volunteers the hard rules allow, with their factors.

    Only volunteers who take the engagement's role are read, and first only those living
    within radii[0] km. That is exact: every point of cost is at least 0, and distance costs
    Weights.per_km a kilometre, so when the limit-th cheapest found costs at most that of the
    radius, nobody farther away can be cheaper. Otherwise the next radius is read, and at last
    all. Seven queries for one pass: the engagement's row, children and needs
    (tables.load_engagements), the volunteers (with their family time), their certificates
    (only when a certificate is needed) and load (tables.load_volunteers), and the chosen
    volunteers' names.
    """
    eng = tables.load_engagements(Engagement.objects.filter(pk=engagement.pk), today=today)
    weights = costs.WEIGHTS
    passes = [*radii, None] if weights.per_km > 0 else [None]
    for radius in passes:
        vol = tables.load_volunteers(
            organisation_id=engagement.organisation_id, today=today, role=engagement.type,
            certificates=bool(eng.needs_certificate.any()),
            postcodes=None if radius is None else tables.postcodes_within(eng.xyz[0], radius))
        vol.add_load(extra_load or {})
        scores = costs.cost_matrix(eng, vol, np.array([0]))
        keys = planner.sort_keys(scores.cents, scores.allowed, len(vol))
        chosen, chosen_keys = planner.cheapest(keys, limit)
        found = chosen_keys[0] != planner.NOT_ALLOWED
        chosen = chosen[0][found]
        if radius is None or (len(chosen) == limit and scores.cents[0, chosen[-1]]
                              < radius * weights.per_km * costs.CENTS - 1):
            break
    pair_factors = costs.factors(eng, vol, np.zeros(len(chosen), dtype=np.int64), chosen,
                                 cents=scores.cents[0, chosen])
    ids = [int(i) for i in vol.ids[chosen]]
    by_id = Volunteer.objects.select_related("branch", "postcode").in_bulk(ids)
    free = vol.free()
    rows = [Suggestion(volunteer=by_id[vid], factors=Factors(f), cost=f["total"],
                       free=int(free[v]))
            for vid, f, v in zip(ids, pair_factors, chosen, strict=True) if vid in by_id]
    return Suggestions(
        engagement=engagement, rows=rows, searched_km=radius,
        needs=needs_list(eng.needs[0], int(eng.needed_skills[0])) if len(eng) else [],
        needs_certificate=bool(eng.needs_certificate[0]) if len(eng) else False,
        language=eng.language_code(0) if len(eng) else "",
    )
