"""Demo networks and activities: four family networks with member households, a summer family
camp with attendance, a weekly café series with sign-ups, a waiting list, a cancellation with
promotion, public sign-ups and attendance, a budget workshop and a homework café.

Part of the seeded demo (core/demo.py): synthetic people only, dates relative to today, made
once (running the demo again changes nothing). Rows are made directly, as the sessions of the
past are past: the services would (rightly) refuse to sign up for them today.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.utils import timezone

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
from samspil.core.models import Branch, Organisation, User
from samspil.households.models import Household, MemberRole
from samspil.volunteers.models import Volunteer

DAYS = datetime.timedelta
T = datetime.time

NETWORKS = [  # branch, name, started (days ago), ended (days ago) or None, members
    ("Rødovre", "Familienetværk Rødovre", 700, None, 12),
    ("Aarhus", "FamilieNET Aarhus Vest", 300, None, 15),
    ("Odense", "Familienetværk Vollsmose", 500, None, 9),
    ("Aalborg", "Familienetværk Aalborg Øst", 800, 120, 7),
]


def _kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(organisation=None, code=code)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, T(hour)))


def _sign_up(activity: Activity, household: Household, status: str, when: datetime.date,
             user: User | None) -> SignUp:
    members = list(household.members.all())
    places = len(members) if activity.capacity_unit == "persons" else 1
    signup = SignUp.objects.create(
        activity=activity, household=household, status=status, places=places,
        signed_up_at=_at(when), confirmed_at=_at(when) if status == "confirmed" else None,
        cancelled_at=_at(when + DAYS(3)) if status == "cancelled" else None, created_by=user)
    Participant.objects.bulk_create([
        Participant(signup=signup, person=m, first_name=m.first_name,
                    is_child=m.role == MemberRole.CHILD) for m in members])
    return signup


def _public(activity: Activity, name: str, adults: int, kids: list[tuple[str, int]],
            status: str, when: datetime.date, email: str) -> SignUp:
    """A sign-up through the public link. (The link names the children "Child 1", … in the
    family's language; the demo gives them first names, as a coordinator would after a call.)"""
    places = adults + len(kids) if activity.capacity_unit == "persons" else 1
    signup = SignUp.objects.create(
        activity=activity, status=status, places=places, contact_name=name, email=email,
        phone="+4531" + str(abs(hash(name)) % 1000000).zfill(6), language="da",
        submission_token=uuid.uuid4(), signed_up_at=_at(when),
        confirmed_at=_at(when) if status == "confirmed" else None)
    people = [Participant(signup=signup, first_name=name.split()[0])]
    people += [Participant(signup=signup, first_name=kid, is_child=True, age=age)
               for kid, age in kids]
    Participant.objects.bulk_create(people)
    return signup


def _tick(rng: random.Random, sessions: list[Session], signups: list[SignUp],
          user: User | None, rate: float) -> None:
    rows = []
    for session in sessions:
        for signup in signups:
            came = rng.random() < rate  # a family comes or does not, mostly together
            for p in signup.participants.all():
                rows.append(Attendance(session=session, participant=p, recorded_by=user,
                                       present=came and rng.random() < 0.95))
    Attendance.objects.bulk_create(rows)


def _activity(org, branch, *, kind, title, sessions, **extra) -> tuple[Activity, list[Session]]:
    activity = Activity.objects.create(organisation=org, branch=branch, kind=_kind(kind),
                                       title=title, **extra)
    made = [Session.objects.create(activity=activity, date=d, start=s, end=e)
            for d, s, e in sessions]
    return activity, made


def seed(rng: random.Random, org: Organisation, today: datetime.date) -> int:
    """Make the demo's networks and activities once; returns how many activities were made."""
    if Network.objects.filter(organisation=org).exists():
        return 0
    branches = {b.name: b for b in Branch.objects.filter(organisation=org)}
    karen = User.objects.filter(username="koordinator").first()
    frida = Volunteer.objects.filter(user__username="frivillig").first()
    volunteers = {name: list(Volunteer.objects.filter(branch=b, status="active")
                             .exclude(pk=getattr(frida, "pk", None))[:3])
                  for name, b in branches.items()}
    households = {name: list(Household.objects.filter(branch=b).order_by("id")[:40])
                  for name, b in branches.items()}

    networks = {}
    for branch_name, name, started, ended, members in NETWORKS:
        branch = branches[branch_name]
        network = Network.objects.create(
            organisation=org, branch=branch, name=name, municipality_id=branch.municipality_id,
            started_on=today - DAYS(started),
            ended_on=today - DAYS(ended) if ended is not None else None,
            description="Familier mødes hver anden uge: fællesspisning, udflugter og en snak.")
        contacts = volunteers[branch_name][:2]
        if branch_name == "Rødovre" and frida:
            contacts = [frida, *contacts[:1]]
        network.contact_volunteers.set(contacts)
        for i, household in enumerate(households[branch_name][:members]):
            joined = network.started_on + DAYS(rng.randint(0, min(started - 1, 200)))
            left = None
            if network.ended_on:
                left = network.ended_on
            elif i % 5 == 4:
                left = min(joined + DAYS(rng.randint(60, 200)), today)
            NetworkMembership.objects.create(network=network, household=household,
                                             joined_on=joined, left_on=left)
        networks[branch_name] = network

    rodovre, aarhus = branches["Rødovre"], branches["Aarhus"]
    rodovre_families = households["Rødovre"]

    # A summer family camp, three days, six weeks ago: who came and who ran it.
    camp_start = today - DAYS(42)
    camp, camp_sessions = _activity(
        org, rodovre, kind="family_camp", title="Familiecamp ved Vesterhavet",
        description="Tre dage med leg, bål og fællesspisning for hele familien.",
        place="Lejrskolen Klitly, Vejers Strand", capacity=8, price=0,
        signup_deadline=camp_start - DAYS(14),
        sessions=[(camp_start + DAYS(i), T(10), T(20)) for i in range(3)])
    camp.volunteers.set([v for v in [frida, *volunteers["Rødovre"][:1]] if v])
    camp_signups = [_sign_up(camp, h, "confirmed", camp_start - DAYS(40 - i), karen)
                    for i, h in enumerate(rodovre_families[:8])]
    for h in rodovre_families[8:9]:
        _sign_up(camp, h, "waiting", camp_start - DAYS(20), karen)
    _tick(rng, camp_sessions, camp_signups, karen, 0.9)

    # A weekly café in the Rødovre network: three evenings past, one today, two to come.
    cafe, cafe_sessions = _activity(
        org, rodovre, kind="cafe_meeting", title="Familiecafé tirsdag",
        network=networks["Rødovre"], place="Medborgerhuset, Rødovre Parkvej 5",
        description="Kaffe, saft og lektiehjælp. Tag gerne børnene med.",
        capacity=10, public_signup=True, signup_deadline=today + DAYS(14),
        sessions=[(today + DAYS(7 * w), T(17), T(19)) for w in range(-3, 3)])
    cafe.volunteers.set([v for v in [frida] if v])
    start = today - DAYS(30)
    cafe_signups = [_sign_up(cafe, h, "confirmed", start + DAYS(i), karen)
                    for i, h in enumerate(rodovre_families[10:18])]
    # One family cancelled; the first on the waiting list moved up.
    for h in rodovre_families[18:19]:
        _sign_up(cafe, h, "cancelled", start + DAYS(1), karen)
    for h in rodovre_families[19:20]:
        cafe_signups.append(_sign_up(cafe, h, "confirmed", start + DAYS(9), karen))
    cafe_signups.append(_public(cafe, "Mona Saleh", 1, [("Yasmin", 4), ("Adam", 8)],
                                "confirmed", start + DAYS(10), "mona.saleh@example.org"))
    for i, h in enumerate(rodovre_families[20:22]):
        _sign_up(cafe, h, "waiting", start + DAYS(12 + i), karen)
    _public(cafe, "Olena Kovalenko", 1, [("Sofia", 6)], "waiting", start + DAYS(15), "")
    _tick(rng, [s for s in cafe_sessions if s.date < today], cafe_signups, karen, 0.8)

    # Next month: a budget workshop (places counted in persons) and a homework café in Aarhus.
    workshop, _sessions = _activity(
        org, aarhus, kind="workshop", title="Budgetværksted: overblik over økonomien",
        network=networks["Aarhus"], place="Beboerhuset Gellerup", capacity=12,
        capacity_unit="persons", public_signup=True, signup_deadline=today + DAYS(20),
        sessions=[(today + DAYS(21 + 7 * w), T(18), T(20)) for w in range(3)])
    workshop.volunteers.set(volunteers["Aarhus"][:1])
    for i, h in enumerate(households["Aarhus"][:3]):
        parents = [m for m in h.members.all() if m.role == MemberRole.PARENT]
        signup = SignUp.objects.create(
            activity=workshop, household=h, status="confirmed", places=len(parents),
            signed_up_at=_at(today - DAYS(5 - i)), confirmed_at=_at(today - DAYS(5 - i)))
        Participant.objects.bulk_create([Participant(signup=signup, person=p,
                                                     first_name=p.first_name)
                                         for p in parents])
    homework, _sessions = _activity(
        org, aarhus, kind="homework_cafe", title="Lektiecafé for 3.–6. klasse",
        place="Hasle Bibliotek", capacity=15, min_age=8, max_age=13,
        sessions=[(today + DAYS(2 + 7 * w), T(15), T(17)) for w in range(8)])
    homework.volunteers.set(volunteers["Aarhus"][1:3])
    return 4
