"""A synthetic, seeded demo: the same organisations, users and households every time.

No real person's data: names are drawn from common Danish first and last names, addresses from
invented street names, and no CPR numbers are generated (any well-formed CPR number might
belong to a real person).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from samspil.activities import demo as activities_demo
from samspil.core.models import Branch, Municipality, Organisation, Role, User

DEMO_PASSWORD = "samspil-demo-2026"
DEMO_ORG = "Familiehjælpen (demo)"
OTHER_ORG = "Naboforeningen (demo)"
MUNICIPALITY_ORG = "Rødovre Kommune (demo)"

BRANCHES = [  # name, municipality code, postcodes to draw addresses from
    ("Rødovre", "0175", ["2610"]),
    ("Aarhus", "0751", ["8000", "8200", "8210", "8220"]),
    ("Odense", "0461", ["5000", "5200", "5210", "5220"]),
    ("Aalborg", "0851", ["9000", "9200", "9210", "9220"]),
]

FEMALE = ["Anna", "Maria", "Sofie", "Emma", "Ida", "Laura", "Mette", "Camilla", "Fatima",
          "Amina", "Louise", "Julie", "Sara", "Hanne", "Nadia", "Olena", "Zainab", "Line"]
MALE = ["Peter", "Lars", "Mads", "Jens", "Ahmed", "Ali", "Mikkel", "Rasmus", "Thomas",
        "Omar", "Søren", "Kasper", "Yusuf", "Jonas", "Henrik", "Andrij", "Hassan", "Martin"]
CHILD_F = ["Alma", "Freja", "Ella", "Agnes", "Clara", "Karla", "Leah", "Maja", "Aya", "Noor"]
CHILD_M = ["William", "Noah", "Oscar", "Lucas", "Carl", "Malthe", "Elias", "Adam", "Zakaria",
           "Emil"]
LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
        "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
        "Hussein", "Ali", "Yilmaz", "Kovalenko", "Mohamed", "Thomsen", "Poulsen", "Johansen"]
STREETS = ["Egevej", "Birkealle", "Lærkevej", "Solsikkevej", "Skolegade", "Mosevej",
           "Kirkevænget", "Ahornvej", "Byparken", "Engtoften", "Stationsvej", "Havevej"]

USERS = [  # username, first name, last name, organisation, role, branch names, superuser
    ("admin", "Platform", "Administrator", None, "", [], True),
    ("orgadmin", "Ole", "Administrator", DEMO_ORG, Role.ORG_ADMIN, [], False),
    ("koordinator", "Karen", "Koordinator", DEMO_ORG, Role.COORDINATOR, ["Rødovre"], False),
    ("koordinator.aarhus", "Kim", "Koordinator", DEMO_ORG, Role.COORDINATOR, ["Aarhus"], False),
    ("frivillig", "Frida", "Frivillig", DEMO_ORG, Role.VOLUNTEER, ["Rødovre"], False),
    ("sagsbehandler", "Sanne", "Sagsbehandler", MUNICIPALITY_ORG, Role.CASEWORKER, [], False),
    ("evaluator", "Eva", "Evaluator", DEMO_ORG, Role.EVALUATOR, [], False),
    ("anden.koordinator", "Anders", "Andersen", OTHER_ORG, Role.COORDINATOR, ["København"],
     False),
]


def _organisations() -> dict[str, Organisation]:
    orgs = {}
    for name, kind, municipality in [
        (DEMO_ORG, Organisation.Kind.CHARITY, None),
        (OTHER_ORG, Organisation.Kind.CHARITY, None),
        (MUNICIPALITY_ORG, Organisation.Kind.MUNICIPALITY, "0175"),
    ]:
        orgs[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "municipality_id": municipality}
        )
    for name, code, _postcodes in BRANCHES:
        Branch.objects.get_or_create(
            organisation=orgs[DEMO_ORG], name=name, defaults={"municipality_id": code}
        )
    Branch.objects.get_or_create(
        organisation=orgs[OTHER_ORG], name="København", defaults={"municipality_id": "0101"}
    )
    return orgs


def _users(orgs: dict[str, Organisation]) -> list[User]:
    users = []
    for username, first, last, org, role, branches, superuser in USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.organisation = orgs[org] if org else None
        user.role = role
        user.is_superuser = user.is_staff = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.branches.set(Branch.objects.filter(organisation=user.organisation, name__in=branches))
        users.append(user)
    return users


def _birth(rng: random.Random, today: datetime.date, min_age: int, max_age: int):
    return today - datetime.timedelta(days=rng.randint(min_age * 365 + 1, max_age * 365))


def _grade_for(age: int) -> str:
    if age < 6:
        return "none"
    if age > 16:
        return "youth"
    return str(min(age - 6, 10))


def _households(rng: random.Random, org: Organisation, count: int, today: datetime.date) -> int:
    from samspil.households import services
    from samspil.households.models import (
        ConsentPurpose,
        LifeArea,
        MemberRole,
        WorkStatus,
    )

    branches = {b.name: b for b in Branch.objects.filter(organisation=org)}
    coordinators = {b: User.objects.filter(branches=branches[b], role=Role.COORDINATOR).first()
                    for b in branches}
    admin = User.objects.get(username="orgadmin")
    postcodes_by_branch = {name: codes for name, _code, codes in BRANCHES}
    from samspil.core.models import Postcode

    for i in range(count):
        branch_name = rng.choices(list(postcodes_by_branch), weights=[4, 3, 2, 2])[0]
        branch = branches[branch_name]
        actor = coordinators[branch_name] or admin
        last = rng.choice(LAST)
        single = rng.random() < 0.45
        members = []
        parent_births = []
        mother_birth = _birth(rng, today, 24, 52)
        parent_births.append(mother_birth)
        members.append((MemberRole.PARENT, rng.choice(FEMALE), last, mother_birth, "female"))
        if not single:
            birth = _birth(rng, today, 24, 56)
            parent_births.append(birth)
            members.append((MemberRole.PARENT, rng.choice(MALE), last, birth, "male"))
        youngest_parent_age = min((today - b).days // 365 for b in parent_births)
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            max_age = max(1, min(17, youngest_parent_age - 18))
            birth = _birth(rng, today, 0, max_age)
            female = rng.random() < 0.5
            members.append((MemberRole.CHILD, rng.choice(CHILD_F if female else CHILD_M), last,
                            birth, "female" if female else "male"))
        member_data = []
        for role, first, last_name, birth, gender in members:
            age = (today - birth).days // 365
            values = {
                "role": role, "first_name": first, "last_name": last_name, "birth_date": birth,
                "gender": gender,
                "school_grade": _grade_for(age) if role == MemberRole.CHILD else "",
                "work_status": rng.choice(WorkStatus.values) if role == MemberRole.PARENT else "",
            }
            member_data.append(services.MemberData(values=values))
        code = rng.choice(postcodes_by_branch[branch_name])
        postcode = Postcode.objects.get(code=code)
        household = services.household_create(
            actor=actor,
            values={
                "branch": branch, "address": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                "postcode": postcode, "municipality": postcode.municipality,
                "phone": f"+45{rng.randint(20, 99)}{rng.randint(100000, 999999)}",
                "email": f"familie{i + 1}@example.org" if rng.random() < 0.7 else "",
                "preferred_language": rng.choice(["da"] * 6 + ["en", "ar", "uk", "so"]),
                "notes": "",
            },
            members=member_data,
        )
        given = today - datetime.timedelta(days=rng.randint(10, 400))
        services.consent_record(
            actor=actor, household=household, person=None,
            purpose=ConsentPurpose.REGISTRATION, given_by=members[0][1] + " " + last,
            given_on=given,
        )
        if rng.random() < 0.6:
            services.consent_record(
                actor=actor, household=household, person=None,
                purpose=ConsentPurpose.EVALUATION, given_by=members[0][1] + " " + last,
                given_on=given,
            )
        for n in range(rng.choice([1, 1, 2, 3])):
            areas = rng.sample(LifeArea.values, rng.randint(3, 7))
            services.needs_assessment_record(
                actor=actor, household=household,
                assessed_on=given + datetime.timedelta(days=120 * n),
                ratings=[(a, max(0, rng.randint(0, 3) - n), "") for a in areas],
            )
    return count


@transaction.atomic
def seed(households: int = 200, seed_value: int = 2026) -> tuple[list[User], int]:
    """Create the demo. Users and passwords are reset each time; households only once."""
    orgs = _organisations()
    users = _users(orgs)
    from samspil.core.demo_engagements import seed_volunteers_and_engagements
    from samspil.households.models import Household
    from samspil.outcomes import demo as outcomes_demo
    from samspil.volunteers.models import Volunteer

    created = 0
    today = timezone.localdate()
    if not Household.objects.filter(organisation=orgs[DEMO_ORG]).exists():
        rng = random.Random(seed_value)
        created = _households(rng, orgs[DEMO_ORG], households, today)
    if not Volunteer.objects.filter(organisation=orgs[DEMO_ORG]).exists():
        seed_volunteers_and_engagements(random.Random(seed_value + 1), orgs[DEMO_ORG], today)
    activities_demo.seed(random.Random(seed_value + 2), orgs[DEMO_ORG], today)
    outcomes_demo.seed(orgs[DEMO_ORG], today)
    from samspil.partners.demo import seed_partners  # partners, referrals, plans, the team
    users += seed_partners(orgs, today)
    from samspil.christmas.demo import seed as seed_christmas  # a round in progress

    seed_christmas(orgs[DEMO_ORG])
    return users, created


def municipality_name(code: str) -> str:
    return Municipality.objects.get(code=code).name
