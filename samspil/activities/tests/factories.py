"""Activities, sessions, networks and sign-ups for the tests, made directly with known dates."""

from __future__ import annotations

import datetime

from samspil.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    Network,
    NetworkMembership,
    Participant,
    Session,
    SignUp,
)
from samspil.core.models import Branch
from samspil.households.models import Household

TODAY = datetime.date(2026, 6, 15)
D = datetime.date
NETWORK_START = D(2025, 1, 15)


def kind(code: str = "cafe_meeting") -> ActivityKind:
    return ActivityKind.objects.get(organisation=None, code=code)


def make_activity(branch: Branch, *, title: str = "Familiecafé", code: str = "cafe_meeting",
                  capacity: int = 10, sessions: tuple[datetime.date, ...] = (), **extra
                  ) -> Activity:
    activity = Activity.objects.create(
        organisation_id=branch.organisation_id, branch=branch, kind=kind(code), title=title,
        capacity=capacity, **extra,
    )
    for day in sessions:
        Session.objects.create(activity=activity, date=day, start=datetime.time(17),
                               end=datetime.time(19))
    return activity


def make_network(branch: Branch, *, name: str = "Familienetværk Rødovre",
                 started: datetime.date = NETWORK_START, ended: datetime.date | None = None
                 ) -> Network:
    return Network.objects.create(
        organisation_id=branch.organisation_id, branch=branch, name=name,
        municipality_id=branch.municipality_id, started_on=started, ended_on=ended,
    )


def join(network: Network, household: Household, joined: datetime.date,
         left: datetime.date | None = None) -> NetworkMembership:
    return NetworkMembership.objects.create(network=network, household=household,
                                            joined_on=joined, left_on=left)


def signed_up(activity: Activity, household: Household, *, status: str = "confirmed"
              ) -> SignUp:
    """A sign-up made directly (not through the service) with all members of the household."""
    members = list(household.members.all())
    signup = SignUp.objects.create(
        activity=activity, household=household, status=status,
        places=1 if activity.capacity_unit == "households" else len(members),
        signed_up_at=datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC),
    )
    for person in members:
        Participant.objects.create(signup=signup, person=person, first_name=person.first_name,
                                   is_child=person.role == "child")
    return signup


def mark(session: Session, participant: Participant, present: bool = True) -> Attendance:
    return Attendance.objects.create(session=session, participant=participant, present=present)
