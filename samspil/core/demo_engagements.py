"""Demo volunteers, screenings and engagements in every state, with goals and meetings.

Part of the seeded demo (core/demo.py): synthetic people only, the same every time.
"""

from __future__ import annotations

import datetime
import random

from samspil.core.models import Branch, Organisation, Postcode, User
from samspil.engagements import services as engagement_services
from samspil.engagements.models import (
    EndReason,
    Engagement,
    EngagementState,
    EngagementType,
    Focus,
    Goal,
    Meeting,
)
from samspil.households.models import Household, LifeArea, MemberRole
from samspil.volunteers.models import (
    AvailabilitySlot,
    ChildCertificate,
    Skill,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from samspil.volunteers.services import search_text_for

V_FIRST = ["Birgit", "Jørgen", "Lone", "Poul", "Kirsten", "Niels", "Marianne", "Erik", "Pia",
           "Bent", "Susanne", "Ole", "Helle", "Finn", "Tove", "Karim", "Leila", "Sofia",
           "Jakob", "Rikke", "Mona", "Torben", "Aisha", "Viggo"]
V_LAST = ["Holm", "Lund", "Dahl", "Berg", "Krogh", "Skov", "Bach", "Winther", "Friis", "Juhl",
          "Mikkelsen", "Vestergaard", "Karimi", "Nørgaard"]
GOALS = {
    LifeArea.ECONOMY: ["Lave et månedsbudget", "Få overblik over regninger i e-Boks"],
    LifeArea.WORK: ["Skrive et CV", "Søge to stillinger om ugen", "Øve jobsamtale"],
    LifeArea.SCHOOL: ["Lektiehjælp hver tirsdag", "Tale med klasselæreren på Aula"],
    LifeArea.NETWORK: ["Deltage i familienetværkets café", "Melde børnene til fodbold"],
    LifeArea.EDUCATION: ["Undersøge voksenuddannelse", "Tilmelde sig danskundervisning"],
    LifeArea.PARENTING: ["Faste sengetider for børnene"],
}
NOTES = ["Gennemgik post i e-Boks sammen.", "Lektiehjælp med matematik.",
         "Fulgtes til møde på jobcentret.", "Gåtur og snak om ugen.", "Øvede jobsamtale.", ""]


def _volunteers(rng: random.Random, org: Organisation, today: datetime.date,
                frivillig: User | None) -> list[Volunteer]:
    volunteers = []
    branch_postcodes = {"Rødovre": ["2610", "2650", "2600"], "Aarhus": ["8000", "8200", "8210"],
                        "Odense": ["5000", "5200", "5210"], "Aalborg": ["9000", "9200", "9210"]}
    branches = {b.name: b for b in Branch.objects.filter(organisation=org)}
    postcodes = {p.code: p for p in Postcode.objects.filter(
        code__in=[c for codes in branch_postcodes.values() for c in codes])}
    i = 0
    for name, per_branch in [("Rødovre", 14), ("Aarhus", 10), ("Odense", 6), ("Aalborg", 6)]:
        for _ in range(per_branch):
            i += 1
            first = rng.choice(V_FIRST)
            roles = rng.choice([[VolunteerRole.FAMILY_FRIEND]] * 3 + [[VolunteerRole.JOB_MENTOR]]
                               + [[VolunteerRole.FAMILY_FRIEND, VolunteerRole.JOB_MENTOR]]
                               + [[VolunteerRole.JOB_MENTOR, VolunteerRole.WORKPLACE_MENTOR]])
            status = rng.choices([VolunteerStatus.ACTIVE, VolunteerStatus.APPLICANT,
                                  VolunteerStatus.PAUSED, VolunteerStatus.STOPPED],
                                 weights=[14, 3, 1, 1])[0]
            volunteer = Volunteer.objects.create(
                organisation=org, branch=branches[name], first_name=first,
                last_name=rng.choice(V_LAST), email=f"frivillig{i}@example.org",
                phone=f"+45{rng.randint(20, 99)}{rng.randint(100000, 999999)}",
                gender=rng.choice(["female", "male", ""]), birth_year=rng.randint(1950, 2002),
                postcode=postcodes[rng.choice(branch_postcodes[name])],
                languages=["da"] + rng.sample(["en", "ar", "uk", "so", "tr"], rng.randint(0, 2)),
                skills=rng.sample(Skill.values, rng.randint(2, 4)),
                tags=rng.sample(["cykling", "madlavning", "musik", "IT"], rng.randint(0, 2)),
                roles=roles, capacity=rng.choice([1, 1, 2]), status=status,
                confidentiality_signed_on=today - datetime.timedelta(days=rng.randint(60, 700))
                if status != VolunteerStatus.APPLICANT else None,
                training_completed_on=today - datetime.timedelta(days=rng.randint(30, 600))
                if status != VolunteerStatus.APPLICANT else None,
            )
            for weekday in rng.sample(range(7), rng.randint(1, 3)):
                start = rng.choice([9, 14, 16, 17])
                AvailabilitySlot.objects.create(
                    volunteer=volunteer, weekday=weekday, start=datetime.time(start),
                    end=datetime.time(start + rng.choice([2, 3])))
            # Certificates: most valid, some ageing, some missing, one pending.
            kind = rng.choices(["valid", "ageing", "missing", "pending"], weights=[12, 2, 2, 1])[0]
            if VolunteerRole.FAMILY_FRIEND in roles and status == VolunteerStatus.ACTIVE:
                kind = "valid" if kind in ("missing", "pending") else kind
            if kind in ("valid", "ageing"):
                days = rng.randint(40, 300) if kind == "valid" else rng.randint(690, 720)
                received = today - datetime.timedelta(days=days)
                ChildCertificate.objects.create(
                    volunteer=volunteer, requested_on=received - datetime.timedelta(days=12),
                    consent_deadline=received + datetime.timedelta(days=2), received_on=received,
                    result=ChildCertificate.Result.CLEAR,
                    valid_until=received + datetime.timedelta(days=730),
                )
            elif kind == "pending":
                ChildCertificate.objects.create(
                    volunteer=volunteer, requested_on=today - datetime.timedelta(days=5),
                    consent_deadline=today + datetime.timedelta(days=9))
            volunteer.search_text = search_text_for(volunteer)
            volunteer.save(update_fields=["search_text"])
            volunteers.append(volunteer)
    if frivillig is not None:
        # The demo volunteer login is an active family friend in Rødovre.
        mine = next(
            v for v in volunteers
            if v.branch.name == "Rødovre" and v.status == VolunteerStatus.ACTIVE
            and VolunteerRole.FAMILY_FRIEND in v.roles
        )
        mine.user, mine.first_name, mine.last_name = frivillig, "Frida", "Frivillig"
        mine.capacity = 3
        mine.search_text = search_text_for(mine)
        mine.save()
    return volunteers


def _engagements(rng: random.Random, org: Organisation, today: datetime.date,
                 volunteers: list[Volunteer]) -> int:
    coordinators = {u.branches.first().pk: u for u in User.objects.filter(
        organisation=org, role="coordinator") if u.branches.exists()}
    admin = User.objects.get(username="orgadmin")
    households = list(Household.objects.filter(organisation=org).prefetch_related("members")
                      .order_by("id"))
    rng.shuffle(households)
    mine = Volunteer.objects.filter(user__username="frivillig").first()
    count = 0
    order = ["ended", "active", "matched", "waiting", "referred"]
    plan = [(rng.choices(order, weights=[8, 5, 2, 3, 2])[0], h) for h in households[:90]]
    # Ended engagements first: they free their volunteer again, so the others can be matched.
    plan.sort(key=lambda item: order.index(item[0]))
    for target, household in plan:
        actor = coordinators.get(household.branch_id, admin)
        parents = [m for m in household.members.all() if m.role == MemberRole.PARENT]
        kind = rng.choices([EngagementType.FAMILY_FRIEND, EngagementType.JOB_MENTOR,
                            EngagementType.WORKPLACE_MENTOR], weights=[6, 3, 1])[0]
        earliest = 200 if target == "ended" else 30
        referred = today - datetime.timedelta(days=rng.randint(earliest, 620))
        engagement = engagement_services.engagement_refer(
            actor=actor, household=household, type=kind,
            parent=rng.choice(parents) if kind != EngagementType.FAMILY_FRIEND else None,
            referred_on=referred,
            company=rng.choice(["Netto", "Danfoss", "Kommunens vejafdeling"])
            if kind == EngagementType.WORKPLACE_MENTOR else "",
            job_centre="Jobcenter" if kind == EngagementType.WORKPLACE_MENTOR else "",
            focus=rng.choice([Focus.TASK, Focus.LIFE]) if kind != EngagementType.FAMILY_FRIEND
            else "",
        )
        count += 1
        if target == "referred":
            continue
        waiting_on = referred + datetime.timedelta(days=rng.randint(1, 10))
        engagement = engagement_services.engagement_transition(
            actor=actor, engagement=engagement, to_state=EngagementState.WAITING, on=waiting_on)
        if target == "waiting":
            continue
        matched_on = min(today, waiting_on + datetime.timedelta(days=rng.randint(5, 40)))
        candidates = [mine] if (mine and kind == EngagementType.FAMILY_FRIEND and target != "ended"
                                and household.branch_id == mine.branch_id) else []
        candidates += [v for v in volunteers if v.branch_id == household.branch_id]
        matched = False
        for volunteer in candidates:
            try:
                engagement = engagement_services.engagement_transition(
                    actor=actor, engagement=engagement, to_state=EngagementState.MATCHED,
                    on=matched_on, volunteer=volunteer)
                matched = True
                break
            except Exception:  # the hard rules said no; try the next volunteer
                continue
        if not matched or target == "matched":
            continue
        started = min(today, matched_on + datetime.timedelta(days=rng.randint(3, 20)))
        engagement = engagement_services.engagement_transition(
            actor=actor, engagement=engagement, to_state=EngagementState.ACTIVE, on=started)
        weeks = rng.choice([8, 15, 22, 26, 30, 34, 40, 52])
        ended = started + datetime.timedelta(weeks=weeks)
        last = min(today, ended) if target == "ended" and ended <= today else today
        _goals_and_meetings(rng, engagement, started, last, engagement.volunteer)
        if target == "ended" and ended <= today:
            engagement_services.engagement_transition(
                actor=actor, engagement=engagement, to_state=EngagementState.ENDED, on=ended,
                end_reason=rng.choice(EndReason.values))
    return count


def _goals_and_meetings(rng, engagement: Engagement, start: datetime.date, last: datetime.date,
                        volunteer: Volunteer) -> None:
    logger = volunteer.user or User.objects.get(username="orgadmin")
    for area in rng.sample(list(GOALS), rng.randint(1, 3)):
        reached = rng.random() < 0.4
        Goal.objects.create(
            engagement=engagement, area=area, text=rng.choice(GOALS[area]),
            status=Goal.Status.REACHED if reached else rng.choice(
                [Goal.Status.OPEN, Goal.Status.IN_PROGRESS]),
            reached_on=min(last, start + datetime.timedelta(days=rng.randint(14, 90)))
            if reached else None,
        )
    day = start
    while day <= last:
        Meeting.objects.create(
            engagement=engagement, date=day, minutes=rng.choice([30, 60, 90, 120]),
            kind=rng.choice(Meeting.Kind.values),
            areas=rng.sample(LifeArea.values, rng.randint(1, 2)), note=rng.choice(NOTES),
            logged_by=logger,
        )
        day += datetime.timedelta(days=rng.randint(6, 16))


def seed_volunteers_and_engagements(rng: random.Random, org: Organisation,
                                    today: datetime.date) -> tuple[int, int]:
    frivillig = User.objects.filter(username="frivillig").first()
    volunteers = _volunteers(rng, org, today, frivillig)
    return len(volunteers), _engagements(rng, org, today, volunteers)
