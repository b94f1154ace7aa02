"""Writes for matching: make a plan, change it, confirm it (creating the matches) or discard it.

Every match, whether from the suggestions or from a confirmed plan, is made by
engagements.services.engagement_match, which locks the rows and checks the hard rules again.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspil.core.models import AuditEvent, Branch, Role, User
from samspil.core.services import audit_record
from samspil.engagements.matching import costs, planner, tables
from samspil.engagements.matching.eligibility import (
    LOAD_STATES,
    exclusion_reasons,
    volunteer_load,
)
from samspil.engagements.matching.selectors import waiting_for_plan
from samspil.engagements.models import Engagement, EngagementState, MatchPlan, MatchProposal
from samspil.engagements.services import engagement_match
from samspil.volunteers.models import Volunteer

Action = AuditEvent.Action
Status = MatchPlan.Status
# Names listed in a "plan again" message; more are counted.
NAMES_SHOWN = 5


class StalePlan(ValidationError):
    """The plan no longer fits the data (a volunteer or an engagement changed): plan again."""


def _audit(actor: User, plan: MatchPlan, action: str, fields=(), summary: str = "") -> None:
    audit_record(actor=actor, action=action, object_type="engagements.matchplan",
                 object_id=plan.pk, object_label=str(plan.branch or _("The whole organisation")),
                 fields=list(fields), summary=summary)


def check_may_plan(actor: User, branch: Branch | None) -> None:
    """A coordinator plans for her own branches; the whole organisation is for administrators."""
    if not actor.has_role(Role.ORG_ADMIN, Role.COORDINATOR):
        raise PermissionDenied
    if branch is None:
        if actor.role != Role.ORG_ADMIN:
            raise PermissionDenied
    elif branch.organisation_id != actor.organisation_id or (
        actor.role == Role.COORDINATOR and not actor.branches.filter(pk=branch.pk).exists()
    ):
        raise PermissionDenied


def match_plan_create(*, actor: User, branch: Branch | None,
                      today: datetime.date | None = None, k: int = planner.CANDIDATES,
                      details: dict | None = None) -> MatchPlan:
    """Plan all waiting engagements of the branch (None: the organisation) and store the plan.

    An open plan for the same branch (or for the whole organisation) is discarded: the new one
    replaces it. A branch's plan gives its families the branch's own volunteers (so that two
    branches planning at once do not count on the same people); the organisation's plan may
    match across branches. `details`, if given, is
    filled with the seconds of each step, the tables and the solver's outcome (for the
    benchmark's checks).
    """
    check_may_plan(actor, branch)
    started = clock = time.perf_counter()
    details = {} if details is None else details
    today = today or timezone.localdate()
    organisation_id = actor.organisation_id
    eng = tables.load_engagements(
        waiting_for_plan(organisation_id=organisation_id, branch_id=branch.pk if branch else None),
        today=today)
    vol = tables.load_volunteers(organisation_id=organisation_id, today=today,
                                 branch_id=branch.pk if branch else None)
    details["load"] = time.perf_counter() - clock
    outcome = planner.plan(eng, vol, k=k)
    details.update(outcome.seconds)
    details.update(engagements=len(eng), volunteers=len(vol), arcs=outcome.arcs,
                   rounds=outcome.rounds, outcome=outcome, tables=(eng, vol))
    clock = time.perf_counter()

    matched = np.nonzero(outcome.volunteer >= 0)[0]
    pair_factors = costs.factors(eng, vol, matched, outcome.volunteer[matched],
                                 cents=outcome.cents[matched])
    factors_of = dict(zip(matched.tolist(), pair_factors, strict=True))
    used = np.unique(outcome.volunteer[matched])
    versions = {str(int(vol.ids[v])): int(vol.version[v]) for v in used}
    with transaction.atomic():
        MatchPlan.objects.filter(organisation_id=organisation_id, branch=branch,
                                 status=Status.PROPOSED).update(status=Status.DISCARDED)
        plan = MatchPlan.objects.create(
            organisation_id=organisation_id, branch=branch, created_by=actor,
            total_cost=outcome.total_cents / costs.CENTS,
            greedy_cost=outcome.greedy_total_cents / costs.CENTS,
            greedy_matched=int((outcome.greedy_volunteer >= 0).sum()),
            volunteer_versions=versions,
        )
        proposals = []
        for e in range(len(eng)):
            v = int(outcome.volunteer[e])
            if v >= 0:
                f = factors_of[e]
                proposals.append(MatchProposal(
                    plan=plan, engagement_id=int(eng.ids[e]), volunteer_id=int(vol.ids[v]),
                    cost=f["total"], factors=f))
            else:
                proposals.append(MatchProposal(
                    plan=plan, engagement_id=int(eng.ids[e]), reason=outcome.reasons[e],
                    factors={"allowed": int(outcome.allowed[e])}))
        MatchProposal.objects.bulk_create(proposals, batch_size=1000)
        plan.seconds = round(time.perf_counter() - started, 2)
        plan.save(update_fields=["seconds"])
        _audit(actor, plan, Action.CREATE,
               summary=f"{len(matched)}/{len(eng)} matched, {len(vol)} volunteers, "
                       f"K={k}, {outcome.arcs} arcs")
    details["store"] = time.perf_counter() - clock
    return plan


def _open(plan: MatchPlan) -> MatchPlan:
    """The plan, locked, if it can still be changed."""
    plan = MatchPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Status.PROPOSED:
        raise ValidationError(_("This plan has already been confirmed or discarded."))
    return plan


def _refresh_total(plan: MatchPlan) -> None:
    plan.total_cost = plan.proposals.aggregate(total=Sum("cost"))["total"] or 0
    # Removed and unmatched proposals have no cost.


@transaction.atomic
def match_proposal_change(*, actor: User, proposal: MatchProposal, volunteer: Volunteer,
                          today: datetime.date | None = None) -> MatchProposal:
    """Propose another volunteer for one engagement of a plan.

    The hard rules apply as for a match, counting the volunteer's other places in this plan
    as taken.
    """
    today = today or timezone.localdate()
    plan = _open(proposal.plan)
    proposal = MatchProposal.objects.select_related("engagement").get(pk=proposal.pk)
    engagement = proposal.engagement
    volunteer = Volunteer.objects.filter(pk=volunteer.pk).first()
    if volunteer is None or volunteer.organisation_id != plan.organisation_id:
        raise ValidationError({"volunteer": _("Choose a volunteer of the organisation.")})
    if engagement.state != EngagementState.WAITING:
        raise ValidationError(_("This family is no longer waiting; plan again."))
    known = plan.volunteer_versions.get(str(volunteer.pk))
    if known is not None and known != volunteer.version:
        raise ValidationError({"volunteer": _(
            "The volunteer's capacity or status has changed since the plan was made; "
            "plan again.")})
    in_plan = plan.proposals.filter(volunteer=volunteer).exclude(pk=proposal.pk).count()
    reasons = exclusion_reasons(volunteer=volunteer, engagement=engagement, today=today,
                                load=volunteer_load(volunteer) + in_plan)
    if reasons:
        raise ValidationError({"volunteer": reasons})
    eng = tables.load_engagements(Engagement.objects.filter(pk=engagement.pk), today=today)
    vol = tables.load_volunteers(organisation_id=plan.organisation_id, today=today,
                                 active_only=False, ids=[volunteer.pk])
    factors = costs.factors(eng, vol, np.array([0]), np.array([0]))[0]
    proposal.volunteer = volunteer
    proposal.cost = factors["total"]
    proposal.factors = factors
    proposal.reason = ""
    proposal.save(update_fields=["volunteer", "cost", "factors", "reason"])
    plan.volunteer_versions[str(volunteer.pk)] = volunteer.version
    _refresh_total(plan)
    plan.save(update_fields=["volunteer_versions", "total_cost"])
    _audit(actor, plan, Action.CHANGE, ["volunteer"],
           summary=f"engagement {engagement.pk}: volunteer {volunteer.pk}")
    return proposal


@transaction.atomic
def match_proposal_remove(*, actor: User, proposal: MatchProposal) -> MatchProposal:
    """Leave one engagement unmatched in the plan (it stays on the waiting list)."""
    plan = _open(proposal.plan)
    proposal = MatchProposal.objects.get(pk=proposal.pk)
    if proposal.volunteer_id is None:
        return proposal
    proposal.volunteer = None
    proposal.cost = None
    proposal.factors = {}
    proposal.reason = "removed"
    proposal.save(update_fields=["volunteer", "cost", "factors", "reason"])
    _refresh_total(plan)
    plan.save(update_fields=["total_cost"])
    _audit(actor, plan, Action.CHANGE, ["volunteer"],
           summary=f"engagement {proposal.engagement_id}: removed")
    return proposal


def _names(people) -> str:
    names = sorted(str(p) for p in people)
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += " " + _("and %(count)s more") % {"count": len(names) - NAMES_SHOWN}
    return shown


def _stale(message: str) -> StalePlan:
    return StalePlan(message + " " + _("Nothing has been saved. Make a new plan."),
                     code="stale")


@transaction.atomic
def match_plan_confirm(*, actor: User, plan: MatchPlan, today: datetime.date | None = None
                       ) -> int:
    """Create the plan's matches, all or none, and return how many.

    Refused (StalePlan, nothing saved) when anything the plan relied on has changed: a proposed
    volunteer's capacity or status (her version), her free places (someone matched her in the
    meantime), an engagement that is no longer waiting, or a hard rule that no longer holds.
    Rows are locked in one order, engagements before volunteers, as engagement_match does.
    """
    today = today or timezone.localdate()
    plan = _open(plan)
    proposals = list(plan.proposals.filter(volunteer__isnull=False).order_by("engagement_id"))
    if not proposals:
        raise ValidationError(_("The plan proposes no matches."))
    engagements = {e.pk: e for e in (
        Engagement.objects.select_for_update(of=("self",))
        .filter(pk__in=plan.proposals.filter(volunteer__isnull=False).values("engagement_id"))
        .select_related("household", "parent").order_by("pk")
    )}
    moved = [e for e in engagements.values() if e.state != EngagementState.WAITING]
    if moved or len(engagements) != len(proposals):
        count = len(moved) + len(proposals) - len(engagements)
        raise _stale(ngettext(
            "Since the plan was made, %(count)s family or parent in it has been matched or "
            "has left the waiting list.",
            "Since the plan was made, %(count)s families or parents in it have been matched or "
            "have left the waiting list.", count) % {"count": count})
    planned = Counter(p.volunteer_id for p in proposals)
    volunteers = {v.pk: v for v in Volunteer.objects.select_for_update()
                  .filter(pk__in=plan.proposals.filter(volunteer__isnull=False)
                          .values("volunteer_id")).order_by("pk")}
    changed = [volunteers[vid] for vid in planned
               if plan.volunteer_versions.get(str(vid)) != volunteers[vid].version]
    if changed:
        raise _stale(ngettext(
            "Since the plan was made, the capacity or status of %(count)s volunteer has "
            "changed: %(names)s.",
            "Since the plan was made, the capacity or status of %(count)s volunteers has "
            "changed: %(names)s.", len(changed)) % {"count": len(changed),
                                                   "names": _names(changed)})
    loads = dict(
        Engagement.objects.filter(volunteer_id__in=list(planned), state__in=LOAD_STATES)
        .order_by().values_list("volunteer_id").annotate(n=Count("pk"))
        .values_list("volunteer_id", "n")
    )
    over = [volunteers[vid] for vid, n in planned.items()
            if loads.get(vid, 0) + n > volunteers[vid].capacity]
    if over:
        raise _stale(ngettext(
            "%(count)s volunteer would get more families or parents than her capacity "
            "allows, because she has been matched since the plan was made: %(names)s.",
            "%(count)s volunteers would get more families or parents than their capacity "
            "allows, because they have been matched since the plan was made: %(names)s.",
            len(over)) % {"count": len(over), "names": _names(over)})
    for proposal in proposals:
        engagement = engagements[proposal.engagement_id]
        try:
            engagement_match(actor=actor, engagement=engagement,
                             volunteer=volunteers[proposal.volunteer_id], on=today)
        except ValidationError as exc:
            reasons = "; ".join(exc.messages)
            raise _stale(_("%(who)s can no longer be matched with %(volunteer)s: %(reasons)s")
                         % {"who": engagement, "volunteer": volunteers[proposal.volunteer_id],
                            "reasons": reasons}) from exc
    plan.status = Status.CONFIRMED
    plan.save(update_fields=["status"])
    _audit(actor, plan, Action.CHANGE, ["status"], summary=f"confirmed: {len(proposals)} matches")
    return len(proposals)


@transaction.atomic
def match_plan_discard(*, actor: User, plan: MatchPlan) -> MatchPlan:
    plan = _open(plan)
    plan.status = Status.DISCARDED
    plan.save(update_fields=["status"])
    _audit(actor, plan, Action.CHANGE, ["status"], summary="discarded")
    return plan
