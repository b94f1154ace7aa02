"""Writes for engagements. Every state change goes through engagement_transition."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samspil.core.models import AuditEvent, User
from samspil.core.services import audit_record
from samspil.engagements.matching.eligibility import exclusion_reasons
from samspil.engagements.models import (
    TRANSITIONS,
    Engagement,
    EngagementState,
    EngagementType,
    Goal,
    Meeting,
    StateChange,
)
from samspil.households.models import Household, LifeArea, MemberRole, Person
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


def _check_not_before_last_move(engagement: Engagement, to_state: str,
                                on: datetime.date) -> None:
    """The history reads in date order: no move is dated before the one it follows."""
    if to_state == State.ACTIVE and engagement.matched_on and on < engagement.matched_on:
        return  # engagement_transition says it in its own words below
    if to_state == State.ENDED and engagement.started_on and on < engagement.started_on:
        return
    last = engagement.history.order_by("-on").values_list("on", flat=True).first()
    last = max(filter(None, [last, engagement.referred_on]))
    if on < last:
        raise ValidationError({"on": _(
            "The date cannot be before the engagement's previous step (%(date)s)."
        ) % {"date": date_format(last, "SHORT_DATE_FORMAT")}})


def _check_not_already_open(household: Household, type_: str, parent: Person | None) -> None:
    """A second open engagement of the same kind for the same family or parent is almost always
    a double registration. The household row is locked, so two referrals at once cannot both
    pass (whether from the referral form or from an accepted partner referral)."""
    Household.objects.select_for_update().filter(pk=household.pk).first()
    open_ = Engagement.objects.filter(household=household, type=type_).exclude(
        state=State.ENDED)
    if parent is not None:
        open_ = open_.filter(parent=parent)
    if open_.exists():
        raise ValidationError(_(
            "There is already an open engagement of this type for this family or parent. "
            "End it before referring again."
        ))


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
    if referred_on and referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("The date cannot be in the future.")})
    _check_not_already_open(household, type, parent)
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
    _check_not_before_last_move(engagement, to_state, on)
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


# --- goals: small steps ---------------------------------------------------------------------

def _audit_child(actor: User, engagement: Engagement, obj, action: str, fields=(),
                 label: str = "") -> None:
    audit_record(
        actor=actor, action=action, object_type=obj._meta.label_lower, object_id=obj.pk,
        household_id=engagement.household_id, object_label=label, fields=list(fields),
    )


def _check_reached_on(engagement: Engagement, status: str,
                      reached_on: datetime.date | None) -> datetime.date | None:
    if status != Goal.Status.REACHED:
        return None
    reached_on = reached_on or timezone.localdate()
    if reached_on > timezone.localdate():
        raise ValidationError({"reached_on": _("The date cannot be in the future.")})
    if reached_on < engagement.referred_on:
        raise ValidationError({"reached_on": _(
            "A goal cannot be reached before the engagement was referred (%(date)s)."
        ) % {"date": date_format(engagement.referred_on, "SHORT_DATE_FORMAT")}})
    return reached_on


@transaction.atomic
def goal_add(
    *, actor: User, engagement: Engagement, area: str, text: str,
    status: str = Goal.Status.OPEN, reached_on: datetime.date | None = None,
) -> Goal:
    """Add a small step to work towards, in one life area."""
    goal = Goal(engagement=engagement, area=area, text=text.strip(), status=status,
                reached_on=_check_reached_on(engagement, status, reached_on))
    goal.full_clean()
    goal.save()
    _audit_child(actor, engagement, goal, Action.CREATE, label=str(goal.get_area_display()))
    return goal


@transaction.atomic
def goal_update(
    *, actor: User, goal: Goal, status: str, reached_on: datetime.date | None = None,
) -> Goal:
    """Change a goal's status; a reached goal carries the date it was reached (today unless
    given), any other status none."""
    engagement = goal.engagement
    reached_on = _check_reached_on(engagement, status, reached_on)
    changed = [name for name, value in (("status", status), ("reached_on", reached_on))
               if getattr(goal, name) != value]
    if not changed:
        return goal
    goal.status, goal.reached_on = status, reached_on
    goal.full_clean()
    goal.save(update_fields=changed)
    _audit_child(actor, engagement, goal, Action.CHANGE, changed,
                 label=str(goal.get_area_display()))
    return goal


# --- meetings -------------------------------------------------------------------------------

MEETING_STATES = (State.MATCHED, State.ACTIVE)
MAX_MEETING_MINUTES = 24 * 60


@transaction.atomic
def meeting_log(
    *, actor: User, engagement: Engagement, date: datetime.date, minutes: int, kind: str,
    areas: list[str] | tuple[str, ...] = (), note: str = "",
) -> Meeting:
    """Log one meeting of the volunteer with the family or parent.

    Only while the engagement has its volunteer (matched or active), dated from the day it
    started (or was matched, before it starts) up to today. The row is locked, so a meeting
    cannot slip in while a coordinator ends the engagement.
    """
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.state == State.ENDED:
        raise ValidationError(
            _("The engagement has ended, so no more meetings can be logged."), code="ended"
        )
    if engagement.state not in MEETING_STATES:
        raise ValidationError(
            _("The engagement has no volunteer yet, so no meetings can be logged."),
            code="not_matched",
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("A meeting cannot be in the future.")})
    if engagement.started_on and date < engagement.started_on:
        raise ValidationError({"date": _(
            "A meeting cannot be before the engagement started (%(date)s)."
        ) % {"date": date_format(engagement.started_on, "SHORT_DATE_FORMAT")}})
    if not engagement.started_on and engagement.matched_on and date < engagement.matched_on:
        raise ValidationError({"date": _(
            "A meeting cannot be before the volunteer was matched (%(date)s)."
        ) % {"date": date_format(engagement.matched_on, "SHORT_DATE_FORMAT")}})
    if not 1 <= minutes <= MAX_MEETING_MINUTES:
        raise ValidationError({"minutes": _(
            "Enter the length of the meeting in minutes, from 1 to %(most)s."
        ) % {"most": MAX_MEETING_MINUTES}})
    unknown = set(areas) - set(LifeArea.values)
    if unknown:
        raise ValidationError({"areas": _("Choose life areas from the list.")})
    meeting = Meeting(
        engagement=engagement, date=date, minutes=minutes, kind=kind,
        areas=[a for a in LifeArea.values if a in areas], note=note.strip(), logged_by=actor,
    )
    meeting.full_clean(exclude=["engagement", "logged_by"])  # both in hand, no need to look up
    meeting.save()
    _audit_child(actor, engagement, meeting, Action.CREATE,
                 label=date.isoformat())
    return meeting
