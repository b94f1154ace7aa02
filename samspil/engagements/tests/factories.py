"""Volunteers and engagements in any state, for the tests.

Engagements are walked to their state through the services (so history and audit rows are
real); the figures tests make rows directly, with exactly the dates they need.
"""

from __future__ import annotations

import datetime

from samspil.engagements import services
from samspil.engagements.models import Engagement, EngagementState, EngagementType
from samspil.households.models import MemberRole
from samspil.volunteers.models import ChildCertificate, Volunteer

State = EngagementState
TODAY = datetime.date(2026, 6, 15)
ALL_ROLES = list(EngagementType.values)

# The dates an engagement reaches each state on its way (walk_to).
REFERRED_ON = datetime.date(2026, 1, 5)
WAITING_ON = datetime.date(2026, 1, 12)
MATCHED_ON = datetime.date(2026, 2, 2)
STARTED_ON = datetime.date(2026, 2, 16)
ENDED_ON = datetime.date(2026, 5, 4)
PATH = [State.REFERRED, State.WAITING, State.MATCHED, State.ACTIVE, State.ENDED]


def make_volunteer(branch, *, user=None, first="Vera", last="Frivillig", roles=None,
                   capacity: int = 5, certificate: bool = True) -> Volunteer:
    """An active volunteer who takes every role, with a valid child-safety certificate."""
    volunteer = Volunteer.objects.create(
        organisation_id=branch.organisation_id, branch=branch, user=user, first_name=first,
        last_name=last, postcode_id="2610", roles=ALL_ROLES if roles is None else roles,
        capacity=capacity, status="active",
    )
    if certificate:
        ChildCertificate.objects.create(
            volunteer=volunteer, requested_on=TODAY - datetime.timedelta(days=200),
            received_on=TODAY - datetime.timedelta(days=190), result="clear",
        )
    return volunteer


def refer(actor, household, *, type: str = EngagementType.FAMILY_FRIEND,
          referred_on: datetime.date = REFERRED_ON, **extra) -> Engagement:
    parent = None
    if type != EngagementType.FAMILY_FRIEND:
        parent = household.members.filter(role=MemberRole.PARENT).first()
    return services.engagement_refer(actor=actor, household=household, type=type,
                                     parent=parent, referred_on=referred_on, **extra)


def walk_to(state: str, *, actor, household, volunteer: Volunteer | None = None,
            type: str = EngagementType.FAMILY_FRIEND) -> Engagement:
    """An engagement brought to `state` by the shortest legal path, dated as above."""
    engagement = refer(actor, household, type=type)
    steps = {
        State.WAITING: {"on": WAITING_ON},
        State.MATCHED: {"on": MATCHED_ON, "volunteer": volunteer},
        State.ACTIVE: {"on": STARTED_ON},
        State.ENDED: {"on": ENDED_ON, "end_reason": "goals_reached"},
    }
    for step in PATH[1:PATH.index(state) + 1]:
        engagement = services.engagement_transition(
            actor=actor, engagement=engagement, to_state=step, **steps[step]
        )
    return engagement


def row(household, volunteer=None, *, type: str = EngagementType.FAMILY_FRIEND,
        started: datetime.date | None = None, ended: datetime.date | None = None,
        referred: datetime.date = datetime.date(2025, 1, 2)) -> Engagement:
    """An engagement with exactly these dates, written directly (no services, no history):
    active once started, ended once ended, waiting before."""
    state = State.ENDED if ended else State.ACTIVE if started else State.WAITING
    parent = None
    if type != EngagementType.FAMILY_FRIEND:
        parent = household.members.filter(role=MemberRole.PARENT).first()
    return Engagement.objects.create(
        organisation_id=household.organisation_id, branch_id=household.branch_id, type=type,
        household=household, parent=parent, volunteer=volunteer if started else None,
        state=state, referred_on=referred, matched_on=started, started_on=started,
        ended_on=ended, end_reason="goals_reached" if ended else "",
    )
