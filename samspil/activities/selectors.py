"""Reads for networks and activities, always scoped to the user asking.

Organisation administrators see the whole organisation, coordinators their branches, volunteers
only the activities they are in charge of (and of those only first names and children's ages).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from samspil.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    Network,
    NetworkMembership,
    Participant,
    Session,
    SignUp,
    SignUpStatus,
)
from samspil.activities.services import age_on
from samspil.core.models import Branch, Role, User
from samspil.engagements.models import Engagement
from samspil.households.models import Household

Status = SignUpStatus
ACTIVITY_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)


def _branch_scoped(qs: QuerySet, user: User) -> QuerySet:
    qs = qs.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    return qs


# --- networks ----------------------------------------------------------------------------------

def network_list_for(*, user: User) -> QuerySet[Network]:
    if not user.is_authenticated or not user.has_role(*ACTIVITY_ROLES):
        return Network.objects.none()
    return _branch_scoped(Network.objects.all(), user).select_related(
        "branch", "municipality").annotate(
        members=Count("memberships", filter=Q(memberships__left_on__isnull=True)))


def network_get_for(*, user: User, pk: int) -> Network | None:
    return network_list_for(user=user).filter(pk=pk).first()


def membership_list(*, network: Network) -> list[NetworkMembership]:
    return list(network.memberships.select_related("household").order_by(
        "left_on", "household__display_name", "id"))


# --- activities --------------------------------------------------------------------------------

def kind_list_for(*, user: User) -> QuerySet[ActivityKind]:
    return ActivityKind.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id))


def activity_list_for(*, user: User, branch: Branch | None = None) -> QuerySet[Activity]:
    if not user.is_authenticated:
        return Activity.objects.none()
    if user.has_role(*ACTIVITY_ROLES):
        qs = _branch_scoped(Activity.objects.all(), user)
    elif user.has_role(Role.VOLUNTEER):
        qs = Activity.objects.filter(organisation_id=user.organisation_id,
                                     volunteers__user=user)
    else:
        return Activity.objects.none()
    if branch is not None:
        qs = qs.filter(branch=branch)
    # Each figure is its own subquery: summing sign-ups in a query that also joins the sessions
    # counted every place once per session ("60 of 10 places taken").
    signups = SignUp.objects.filter(activity=OuterRef("pk")).order_by().values("activity")
    sessions = Session.objects.filter(activity=OuterRef("pk")).order_by().values("activity")
    return qs.select_related("branch", "kind", "network").annotate(
        taken=Subquery(signups.filter(status=Status.CONFIRMED)
                       .annotate(n=Sum("places")).values("n")),
        waiting=Coalesce(Subquery(signups.filter(status=Status.WAITING)
                                  .annotate(n=Count("pk")).values("n")), 0),
        first_date=Subquery(sessions.annotate(d=Min("date")).values("d")),
        last_date=Subquery(sessions.annotate(d=Max("date")).values("d")),
    )


def activity_get_for(*, user: User, pk: int) -> Activity | None:
    return activity_list_for(user=user).filter(pk=pk).first()


def activity_public(*, key) -> Activity | None:
    """An activity by its public link's key, if it is open for sign-up through the link."""
    return (Activity.objects.filter(public_key=key, public_signup=True)
            .select_related("branch", "kind").first())


def session_list(*, activity: Activity) -> list[Session]:
    return list(activity.sessions.annotate(
        present=Count("attendance", filter=Q(attendance__present=True)),
        recorded=Count("attendance")))


def signup_list(*, activity: Activity) -> dict[str, list[SignUp]]:
    """The activity's sign-ups by status, in the order they signed up, with participants."""
    signups = (activity.signups.select_related("household")
               .prefetch_related(Prefetch("participants", queryset=Participant.objects
                                          .select_related("person")))
               .order_by("signed_up_at", "id"))
    out: dict[str, list[SignUp]] = {s: [] for s in Status.values}
    for signup in signups:
        out[signup.status].append(signup)
    for position, signup in enumerate(out[Status.WAITING], start=1):
        signup.position = position
    return out


def attendance_rate(*, activity: Activity) -> int | None:
    """Per cent of the recorded ticks that were "present" (None before any is recorded)."""
    counts = Attendance.objects.filter(session__activity=activity).aggregate(
        all=Count("id"), present=Count("id", filter=Q(present=True)))
    if not counts["all"]:
        return None
    return round(100 * counts["present"] / counts["all"])


# --- the volunteer's phone pages ---------------------------------------------------------------

def session_get_for(*, user: User, activity: Activity, pk: int) -> Session | None:
    return activity.sessions.filter(pk=pk).first()


@dataclass(frozen=True)
class AttendanceLine:
    participant_id: int
    first_name: str
    child_age: int | None  # only children's ages are shown
    present: bool | None  # None: not recorded yet


def attendance_sheet(*, session: Session) -> list[tuple[str, list[AttendanceLine]]]:
    """Per family with a place: a label (the contact's first name) and its people, first names
    and children's ages only, with what has been ticked so far."""
    ticks = dict(session.attendance.values_list("participant_id", "present"))
    signups = (session.activity.signups.filter(status=Status.CONFIRMED)
               .prefetch_related(Prefetch("participants", queryset=Participant.objects
                                          .select_related("person")))
               .order_by("signed_up_at", "id"))
    sheet = []
    for signup in signups:
        lines = []
        for p in signup.participants.all():
            age = None
            if p.is_child:
                age = age_on(p.person.birth_date, session.date) if p.person else p.age
            lines.append(AttendanceLine(p.pk, p.first_name, age, ticks.get(p.pk)))
        if lines:
            sheet.append((lines[0].first_name, lines))
    return sheet


# --- the household's participation -------------------------------------------------------------

@dataclass
class Participation:
    memberships: list[NetworkMembership]
    signups: list[SignUp]
    sessions_attended: dict[int, int]  # sign-up id -> sessions someone of it came to
    engagements: int


def participation_for(*, household: Household) -> Participation:
    """Networks, activities and sessions attended of a household the caller may already see
    (households.selectors.household_get_for decides that)."""
    memberships = list(household.network_memberships.select_related("network__branch"))
    signups = list(household.signups.select_related("activity__kind", "activity__branch")
                   .annotate(first_date=Min("activity__sessions__date"))
                   .order_by("-signed_up_at"))
    attended = dict(
        Attendance.objects.filter(participant__signup__household=household, present=True)
        .values("participant__signup_id").annotate(n=Count("session_id", distinct=True))
        .values_list("participant__signup_id", "n"))
    for signup in signups:
        signup.attended = attended.get(signup.pk, 0)
    return Participation(memberships, signups, attended,
                         household.engagements.count())


# --- the national office's figures -------------------------------------------------------------

def month_ends(year: int, today: datetime.date) -> list[datetime.date]:
    ends = []
    for month in range(1, 13):
        first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
        end = first_next - datetime.timedelta(days=1)
        if datetime.date(year, month, 1) > today:
            break
        ends.append(min(end, today))
    return ends


def networks_over_time(*, user: User, days: list[datetime.date]) -> list[int]:
    """How many of the user's networks were running on each day."""
    periods = list(network_list_for(user=user).values_list("started_on", "ended_on"))
    return [sum(1 for s, e in periods if s <= day and (e is None or e >= day)) for day in days]


@dataclass
class NetworkReach:
    network: Network
    members: int  # households members at some time in the period
    in_activities: int  # households with a place in one of the network's activities
    reached: int  # either of the two


def network_reach(*, user: User, start: datetime.date, end: datetime.date
                  ) -> list[NetworkReach]:
    networks = list(network_list_for(user=user).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start), started_on__lte=end))
    members: dict[int, set[int]] = defaultdict(set)
    for net, household in NetworkMembership.objects.filter(
            network__in=networks, joined_on__lte=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start)).values_list(
            "network_id", "household_id"):
        members[net].add(household)
    active: dict[int, set[int]] = defaultdict(set)
    for net, household in SignUp.objects.filter(
            activity__network__in=networks, status=Status.CONFIRMED, household__isnull=False,
            activity__sessions__date__gte=start, activity__sessions__date__lte=end,
    ).values_list("activity__network_id", "household_id").distinct():
        active[net].add(household)
    return [NetworkReach(n, len(members[n.pk]), len(active[n.pk]),
                         len(members[n.pk] | active[n.pk])) for n in networks]


@dataclass
class OfferRow:
    branch: Branch
    one_or_more: int
    more_than_one: int


def households_in_several_offers(*, user: User, start: datetime.date, end: datetime.date
                                 ) -> list[OfferRow]:
    """Per branch (the household's): households taking part in at least one and in more than
    one offer in the period. Each activity with a place and a session in the period, each
    network membership overlapping it and each engagement running in it is one offer."""
    if not user.has_role(*ACTIVITY_ROLES):
        return []
    org = user.organisation_id
    offers: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for household, activity in SignUp.objects.filter(
            activity__organisation_id=org, status=Status.CONFIRMED, household__isnull=False,
            activity__sessions__date__gte=start, activity__sessions__date__lte=end,
    ).values_list("household_id", "activity_id").distinct():
        offers[household].add(("a", activity))
    for household, network in NetworkMembership.objects.filter(
            network__organisation_id=org, joined_on__lte=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start)).values_list(
            "household_id", "network_id"):
        offers[household].add(("n", network))
    for household, engagement in Engagement.objects.filter(
            organisation_id=org, referred_on__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=start)).values_list(
            "household_id", "id"):
        offers[household].add(("e", engagement))
    branch_of = dict(Household.objects.filter(pk__in=offers.keys()).values_list("pk",
                                                                                 "branch_id"))
    branches = list(Branch.objects.filter(organisation_id=org))
    if user.role == Role.COORDINATOR:
        mine = set(user.branches.values_list("pk", flat=True))
        branches = [b for b in branches if b.pk in mine]
    rows = []
    for branch in branches:
        counts = [len(o) for h, o in offers.items() if branch_of.get(h) == branch.pk]
        rows.append(OfferRow(branch, len(counts), sum(1 for c in counts if c > 1)))
    return rows
