"""Writes for engagements. Every state change goes through engagement_transition."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core.models import AuditEvent, User
from samspil.core.services import audit_record
from samspil.engagements.matching.eligibility import exclusion_reasons
from samspil.engagements.models import (
    TRANSITIONS,
    Engagement,
    EngagementState,
    EngagementType,
    StateChange,
)
from samspil.households.models import Household, MemberRole, Person
from samspil.volunteers.models import Volunteer

State = EngagementState
Action = AuditEvent.Action


class TransitionError(ValidationError):
    """An engagement was asked to make a move it may not make."""


def _audit(actor: User, engagement: Engagement, action: str, fields=(), label: str = ""):
    audit_record(
        actor=actor, action=action, object_type="engagements.engagement",
        object_id=engagement.pk, household_id=engagement.household_id,
        object_label=label or str(engagement.get_type_display()), fields=list(fields),
    )


@transaction.atomic
def engagement_refer(
    *, actor: User, household: Household, type: str, parent: Person | None = None,
    referred_on: datetime.date | None = None, company: str = "", job_centre: str = "",
    focus: str = "", note: str = "",
) -> Engagement:
    """Register a referral: a household (family friend) or a parent (mentor) needing a volunteer."""
    if type == EngagementType.FAMILY_FRIEND:
        parent = None
    elif parent is None or parent.household_id != household.pk or parent.role != MemberRole.PARENT:
        raise ValidationError({"parent": _("Choose a parent of this household.")})
    engagement = Engagement(
        organisation_id=household.organisation_id, branch_id=household.branch_id, type=type,
        household=household, parent=parent, referred_on=referred_on or timezone.localdate(),
        company=company, job_centre=job_centre, focus=focus, note=note,
    )
    engagement.full_clean()
    engagement.save()
    StateChange.objects.create(engagement=engagement, from_state="", to_state=State.REFERRED,
                               on=engagement.referred_on, by=actor)
    _audit(actor, engagement, Action.CREATE)
    return engagement


@transaction.atomic
def engagement_transition(
    *, actor: User, engagement: Engagement, to_state: str, on: datetime.date | None = None,
    volunteer: Volunteer | None = None, end_reason: str = "", note: str = "",
) -> Engagement:
    """Move an engagement to another state, if TRANSITIONS allows it; dated and audited.

    Matching needs a volunteer who passes the hard rules; ending needs a reason. The row is
    locked so two coordinators cannot move the same engagement at once.
    """
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    on = on or timezone.localdate()
    current = engagement.state
    if to_state not in TRANSITIONS[current]:
        raise TransitionError(
            _("An engagement cannot go from %(from)s to %(to)s.")
            % {"from": State(current).label, "to": State(to_state).label},
            code="illegal_transition",
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    changed = ["state"]
    if to_state == State.MATCHED:
        if volunteer is None:
            raise ValidationError({"volunteer": _("Choose a volunteer.")})
        # Lock the volunteer too: the capacity check and the match happen as one step.
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        reasons = exclusion_reasons(volunteer=volunteer, engagement=engagement, today=on)
        if reasons:
            raise ValidationError({"volunteer": reasons})
        engagement.volunteer = volunteer
        engagement.matched_on = on
        changed += ["volunteer", "matched_on"]
    elif to_state == State.WAITING and current == State.MATCHED:
        engagement.volunteer = None  # the match fell through; back in the queue
        engagement.matched_on = None
        changed += ["volunteer", "matched_on"]
    elif to_state == State.ACTIVE:
        if engagement.matched_on and on < engagement.matched_on:
            raise ValidationError({"on": _("An engagement cannot start before it was matched.")})
        engagement.started_on = on
        changed.append("started_on")
    elif to_state == State.ENDED:
        if not end_reason:
            raise ValidationError({"end_reason": _("Choose why the engagement ends.")})
        if engagement.started_on and on < engagement.started_on:
            raise ValidationError({"on": _("An engagement cannot end before it started.")})
        engagement.ended_on = on
        engagement.end_reason = end_reason
        changed += ["ended_on", "end_reason"]
    engagement.state = to_state
    engagement.full_clean()
    engagement.save()
    StateChange.objects.create(engagement=engagement, from_state=current, to_state=to_state,
                               on=on, by=actor, note=note)
    _audit(actor, engagement, Action.CHANGE, changed)
    return engagement


def engagement_match(
    *, actor: User, engagement: Engagement, volunteer: Volunteer,
    on: datetime.date | None = None,
) -> Engagement:
    """Match a waiting engagement with a volunteer (a referral is put on the waiting list
    first, so that the history shows both steps)."""
    with transaction.atomic():
        if engagement.state == State.REFERRED:
            engagement = engagement_transition(actor=actor, engagement=engagement,
                                               to_state=State.WAITING, on=on)
        return engagement_transition(actor=actor, engagement=engagement,
                                     to_state=State.MATCHED, on=on, volunteer=volunteer)
