"""Reads for engagements, always scoped to the user asking.

This module is the only place that decides who may see an engagement: the coordinators' pages,
the volunteers' phone pages and the figures all start from engagement_list_for.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum, prefetch_related_objects

from samspil.core.models import Branch, Role, User
from samspil.engagements.matching.eligibility import LOAD_STATES, exclusion_reasons
from samspil.engagements.models import (
    Engagement,
    EngagementState,
    EngagementType,
    Goal,
    Meeting,
    StateChange,
)
from samspil.households.models import LifeArea, MemberRole, Person
from samspil.volunteers.models import Volunteer, VolunteerStatus

State = EngagementState

# Roles that follow engagements from referral to end. Volunteers see their own through the
# same selector; caseworkers and evaluators see none for now (partners and outcomes areas).
ENGAGEMENT_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)
# What a volunteer sees of their own engagements: from the match on. Before that the
# engagement has no volunteer; after being put back on the waiting list it has another.
VOLUNTEER_STATES = (State.MATCHED, State.ACTIVE, State.ENDED)
WAITING_STATES = (State.REFERRED, State.WAITING)


def engagement_list_for(
    *, user: User, state: str = "", type: str = "", branch: Branch | int | None = None,
    household: int | None = None,
) -> QuerySet[Engagement]:
    """The engagements the user may see, optionally narrowed; unknown filter values are
    ignored (the forms have already rejected them)."""
    if not user.is_authenticated or not user.has_role(*ENGAGEMENT_ROLES, Role.VOLUNTEER):
        return Engagement.objects.none()
    qs = Engagement.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    elif user.role == Role.VOLUNTEER:
        qs = qs.filter(volunteer__user=user, state__in=VOLUNTEER_STATES)
    if state in State.values:
        qs = qs.filter(state=state)
    if type in EngagementType.values:
        qs = qs.filter(type=type)
    if branch is not None:
        qs = qs.filter(branch=branch)
    if household is not None:
        qs = qs.filter(household_id=household)
    return qs.select_related("household__postcode", "parent", "volunteer", "branch")


def engagement_get_for(*, user: User, pk: int) -> Engagement | None:
    """The engagement, if the user may see it; None otherwise (the caller answers 404)."""
    return engagement_list_for(user=user).filter(pk=pk).first()


def waiting_list_for(
    *, user: User, type: str = "", branch: Branch | int | None = None
) -> QuerySet[Engagement]:
    """Referred and waiting engagements, the longest-waiting first."""
    return (
        engagement_list_for(user=user, type=type, branch=branch)
        .filter(state__in=WAITING_STATES)
        .order_by("referred_on", "id")
    )


# --- one engagement --------------------------------------------------------------------------

def history(*, engagement: Engagement) -> list[StateChange]:
    return list(engagement.history.select_related("by"))


def goal_list(*, engagement: Engagement) -> list[Goal]:
    return list(engagement.goals.all())


def meeting_list(*, engagement: Engagement, limit: int) -> list[Meeting]:
    """The newest meetings, each with area_labels: the names of the life areas touched."""
    meetings = list(engagement.meetings.select_related("logged_by")[:limit])
    labels = dict(LifeArea.choices)
    for meeting in meetings:
        meeting.area_labels = [labels[a] for a in meeting.areas if a in labels]
    return meetings


@dataclass(frozen=True)
class MeetingTotals:
    count: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def meeting_totals(*, engagement: Engagement) -> MeetingTotals:
    totals = engagement.meetings.aggregate(count=Count("id"), minutes=Sum("minutes"))
    return MeetingTotals(totals["count"], totals["minutes"] or 0)


def weeks(start: datetime.date | None, end: datetime.date) -> int | None:
    """Whole weeks from start to end (None without a start)."""
    return None if start is None else max(0, (end - start).days // 7)


def weeks_running(engagement: Engagement, *, today: datetime.date) -> int | None:
    """Whole weeks since the engagement started, up to its end or today."""
    return weeks(engagement.started_on, engagement.ended_on or today)


def weeks_waiting(engagement: Engagement, *, today: datetime.date) -> int:
    """Whole weeks from the referral to the match, or to today while unmatched."""
    return weeks(engagement.referred_on, engagement.matched_on or today)


@dataclass(frozen=True)
class Child:
    first_name: str
    age: int


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def family_essentials(*, engagement: Engagement, today: datetime.date) -> dict:
    """What a volunteer needs on the doorstep: the parents' names, the children's first names
    and ages. The address and phone come with the household."""
    members: list[Person] = list(engagement.household.members.all())
    return {
        "parents": [m for m in members if m.role == MemberRole.PARENT],
        "children": [Child(m.first_name, age_on(m.birth_date, today))
                     for m in members if m.role == MemberRole.CHILD],
    }


def eligible_volunteers(*, engagement: Engagement, today: datetime.date) -> list[Volunteer]:
    """Active volunteers of the engagement's branch who pass every hard rule, in a fixed
    number of queries (load counted and certificates fetched for all at once)."""
    prefetch_related_objects([engagement], "household__members")
    candidates = (
        Volunteer.objects.filter(
            organisation_id=engagement.organisation_id, branch_id=engagement.branch_id,
            status=VolunteerStatus.ACTIVE,
        )
        .annotate(load=Count("engagements", filter=Q(engagements__state__in=LOAD_STATES)))
        .prefetch_related("certificates")
    )
    return [
        v for v in candidates
        if not exclusion_reasons(volunteer=v, engagement=engagement, today=today, load=v.load)
    ]
