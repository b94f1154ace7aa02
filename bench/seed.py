"""Seed the benchmark registry: one organisation, five branches, 50,000 households, 150,000 people.

Rows are written with bulk_create in batches (one transaction per batch), the way the services
would have left them: display_name and search_text as households.services._refresh_search_fields
computes them, a registration consent per household, CPR consents, needs assessments with their
ratings, and the audit rows the services write for each of those. Seeding is skipped when the
organisation already has the right number of households and members; a half-finished or
different-sized seed is removed first.

The data is synthetic (names from bench/names.py, invented streets, example.org e-mail). CPR
numbers are not generated, because any well-formed number may belong to a real person; members
"with a CPR number" carry an encrypted 0000000000 (day 00: nobody's), so the detail page still
pays for decrypting and masking it.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

import phonenumbers
from django.db import connection, transaction
from django.utils import timezone

from bench import names
from samspil.core import audit_chain
from samspil.core.models import AuditEvent, Branch, Organisation, Postcode, Role, User
from samspil.households import cpr, services
from samspil.households.models import (
    Consent,
    ConsentPurpose,
    Household,
    Language,
    LifeArea,
    MemberRole,
    NeedRating,
    NeedsAssessment,
    Person,
    WorkStatus,
)

ORGANISATION = "Familiehjælpen (benchmark)"
HOUSEHOLDS = 50_000
PERSONS_PER_HOUSEHOLD = 3  # 150,000 members in all
# name, municipality code, share of the households. The first is the measured coordinator's.
BRANCHES = [
    ("Aarhus", "0751", 0.40),
    ("København", "0101", 0.24),
    ("Odense", "0461", 0.14),
    ("Aalborg", "0851", 0.12),
    ("Rødovre", "0175", 0.10),
]
BATCH = 2_000
PROGRESS_EVERY = 10_000
RANDOM_SEED = 2026
NO_ONES_CPR = "0000000000"

Action = AuditEvent.Action


@dataclass
class Plan:
    """What to seed: sizes only, so a smaller run (--households) scales everything."""

    households: int = HOUSEHOLDS

    @property
    def persons(self) -> int:
        return self.households * PERSONS_PER_HOUSEHOLD

    def branch_sizes(self) -> list[int]:
        sizes = [round(self.households * share) for _n, _c, share in BRANCHES]
        sizes[0] += self.households - sum(sizes)
        return sizes


@dataclass
class Seeded:
    organisation: Organisation
    coordinator: User
    branch: Branch
    seconds: float = 0.0  # 0 when the registry was already there
    counts: dict = field(default_factory=dict)


def _weighted(pairs):
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]
    return lambda rng: rng.choices(values, weights)[0]


LAST = _weighted(names.LAST)
FEMALE = _weighted(names.FEMALE)
MALE = _weighted(names.MALE)
CHILD_F = _weighted(names.CHILD_F)
CHILD_M = _weighted(names.CHILD_M)
LANGUAGES = _weighted([(Language.DANISH, 70), (Language.ARABIC, 7), (Language.ENGLISH, 5),
                       (Language.UKRAINIAN, 5), (Language.SOMALI, 4), (Language.TURKISH, 3),
                       (Language.PERSIAN, 2), (Language.POLISH, 2), (Language.TIGRINYA, 1),
                       (Language.URDU, 1)])
NOTES = ["", "", "", "", "", "Henvist af kommunens familieafdeling.",
         "Ønsker kontakt om eftermiddagen.", "Tolk ved første møde.",
         "Har deltaget i sommerlejr tidligere."]
ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ş": "s", "é": "e", "ü": "u"})


# --- what the services would store ---------------------------------------------------------


def search_fields(members: list[Person], household: Household, town: str) -> tuple[str, str]:
    """display_name and search_text exactly as services._refresh_search_fields computes them.

    members must be in Person.Meta.ordering (role, birth_date, id), as household.members.all()
    returns them there.
    """
    parents = [m for m in members if m.role == MemberRole.PARENT] or members
    display_name = " / ".join(m.full_name for m in parents)[:300]
    phone_digits = ""
    if household.phone:
        try:
            parsed = phonenumbers.parse(household.phone, "DK")
            phone_digits = f"{parsed.national_number} {household.phone}"
        except phonenumbers.NumberParseException:
            phone_digits = household.phone
    parts = [m.full_name for m in members] + [
        household.address, household.postcode_id, town, phone_digits, household.email,
    ]
    return display_name, " ".join(p for p in parts if p).lower()


def _audit(actor: User, action: str, object_type: str, object_id, household_id: int,
           at: datetime.datetime, label: str = "") -> AuditEvent:
    return AuditEvent(
        actor=actor, organisation_id=actor.organisation_id, action=action,
        object_type=object_type, object_id=str(object_id), household_id=household_id,
        object_label=label[:200], at=at,
    )


# --- one household -------------------------------------------------------------------------


def _birth(rng: random.Random, today: datetime.date, min_age: int, max_age: int):
    return today - datetime.timedelta(days=rng.randint(min_age * 365 + 1, max_age * 365))


def _grade_for(age: int) -> str:
    if age < 6:
        return "none"
    if age > 16:
        return "youth"
    return str(min(age - 6, 10))


def _members(rng: random.Random, today: datetime.date, parents: int, children: int,
             cpr_token: str) -> list[Person]:
    last = LAST(rng)
    people = []
    births = []
    for n in range(parents):
        female = n == 0 or rng.random() < 0.1
        birth = _birth(rng, today, 22, 55)
        births.append(birth)
        people.append(Person(
            role=MemberRole.PARENT, first_name=FEMALE(rng) if female else MALE(rng),
            last_name=last if n == 0 or rng.random() < 0.7 else LAST(rng), birth_date=birth,
            gender="female" if female else "male", work_status=rng.choice(WorkStatus.values),
        ))
    youngest_parent_age = min((today - b).days // 365 for b in births)
    for _ in range(children):
        birth = _birth(rng, today, 0, max(1, min(17, youngest_parent_age - 18)))
        female = rng.random() < 0.5
        people.append(Person(
            role=MemberRole.CHILD, first_name=CHILD_F(rng) if female else CHILD_M(rng),
            last_name=last, birth_date=birth, gender="female" if female else "male",
            school_grade=_grade_for((today - birth).days // 365),
        ))
    for person in people:
        if rng.random() < 0.5:
            person.cpr_encrypted = cpr_token
    # Insert in Person.Meta.ordering, so ids (and so search_text) follow the same order.
    people.sort(key=lambda p: (p.role, p.birth_date))
    return people


def _household(rng: random.Random, branch: Branch, postcodes: list[Postcode],
               members: list[Person]) -> Household:
    postcode = rng.choice(postcodes)
    address = f"{rng.choice(names.STREETS)} {rng.randint(1, 140)}"
    if rng.random() < 0.35:
        floor = rng.choice(["st.", "1.", "2.", "3.", "4."])
        address += f", {floor} {rng.choice(['th.', 'tv.', 'mf.'])}"
    head = members[-1] if members[-1].role == MemberRole.PARENT else members[0]
    email = ""
    if rng.random() < 0.6:
        local = f"{head.first_name}.{head.last_name}{rng.randint(1, 99)}".lower().translate(ASCII)
        email = f"{local}@example.org"
    household = Household(
        organisation_id=branch.organisation_id, branch=branch, address=address,
        postcode_id=postcode.code, municipality_id=postcode.municipality_id,
        phone="" if rng.random() < 0.05 else f"+45{rng.randint(2, 9)}{rng.randrange(10**7):07d}",
        email=email, preferred_language=LANGUAGES(rng), notes=rng.choice(NOTES),
    )
    household.display_name, household.search_text = search_fields(members, household,
                                                                    postcode.town)
    return household


def _family_sizes(rng: random.Random, plan: Plan) -> list[tuple[int, int]]:
    """(parents, children) per household, adding up to exactly plan.persons members."""
    sizes = []
    for _ in range(plan.households):
        parents = 1 if rng.random() < 0.5 else 2
        sizes.append([parents, rng.choice([0, 1, 1, 1, 2, 2, 2, 3, 3, 4])])
    total = sum(p + c for p, c in sizes)
    while total != plan.persons:
        size = sizes[rng.randrange(len(sizes))]
        if total > plan.persons and size[1] > 0:
            size[1] -= 1
            total -= 1
        elif total < plan.persons and size[1] < 5:
            size[1] += 1
            total += 1
    return [(p, c) for p, c in sizes]


# --- organisation, branches, users ---------------------------------------------------------


def _organisation() -> tuple[Organisation, list[Branch], dict[int, User]]:
    org, _ = Organisation.objects.get_or_create(
        name=ORGANISATION, defaults={"kind": Organisation.Kind.CHARITY}
    )
    branches, coordinators = [], {}
    for name, code, _share in BRANCHES:
        branch, _ = Branch.objects.get_or_create(
            organisation=org, name=name, defaults={"municipality_id": code}
        )
        user, _ = User.objects.get_or_create(
            username=f"bench.{name.lower().translate(ASCII)}",
            defaults={"organisation": org, "role": Role.COORDINATOR,
                      "first_name": "Koordinator", "last_name": name},
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save()
        user.branches.set([branch])
        branches.append(branch)
        coordinators[branch.pk] = user
    return org, branches, coordinators


def counts(org: Organisation, branch: Branch) -> dict[str, int]:
    in_org = {"household__organisation": org}
    return {
        "households": Household.objects.filter(organisation=org).count(),
        "households_in_measured_branch": Household.objects.filter(branch=branch).count(),
        "persons": Person.objects.filter(**in_org).count(),
        "consents": Consent.objects.filter(**in_org).count(),
        "needs_assessments": NeedsAssessment.objects.filter(**in_org).count(),
        "need_ratings": NeedRating.objects.filter(assessment__household__organisation=org).count(),
        "audit_events": AuditEvent.objects.count(),
    }


def _wipe(org: Organisation) -> None:
    """Remove the benchmark organisation's registry (raw SQL: fast, and the audit log's model
    refuses deletes on purpose)."""
    h, p, c, a, r = (m._meta.db_table for m in (Household, Person, Consent, NeedsAssessment,
                                                NeedRating))
    in_org = f"SELECT id FROM {h} WHERE organisation_id = %s"  # noqa: S608 (table names)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {r} WHERE assessment_id IN "  # noqa: S608 (table names)
                       f"(SELECT id FROM {a} WHERE household_id IN ({in_org}))", [org.pk])
        for table in (a, c, p):
            cursor.execute(f"DELETE FROM {table} WHERE household_id IN ({in_org})",  # noqa: S608
                           [org.pk])
        cursor.execute(f"DELETE FROM {h} WHERE organisation_id = %s", [org.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} "  # noqa: S608
                       "WHERE organisation_id = %s", [org.pk])


# --- the seed --------------------------------------------------------------------------------


def _seed_batch(rng, today, plan_rows, branches_by_pk, postcodes, coordinators,
                cpr_token) -> dict[str, int]:
    families = []
    for branch_pk, (parents, children) in plan_rows:
        members = _members(rng, today, parents, children, cpr_token)
        branch = branches_by_pk[branch_pk]
        families.append((_household(rng, branch, postcodes[branch_pk], members), members))
    Household.objects.bulk_create([h for h, _m in families])

    persons, consents, assessments, audit = [], [], [], []
    plans = []  # (assessment, areas) to add ratings once the assessments have ids
    for household, members in families:
        actor = coordinators[household.branch_id]
        registered = today - datetime.timedelta(days=rng.randint(10, 3 * 365))
        at = timezone.make_aware(datetime.datetime.combine(registered, datetime.time(10)))
        household.registered, household.registered_at = registered, at
        audit.append(_audit(actor, Action.CREATE, "households.household", household.pk,
                            household.pk, at))
        for person in members:
            person.household = household
        persons.extend(members)
        head = next(m for m in reversed(members) if m.role == MemberRole.PARENT)
        consents.append(Consent(household=household, purpose=ConsentPurpose.REGISTRATION,
                                given_by=head.full_name, given_on=registered,
                                recorded_by=actor))
        if rng.random() < 0.6:
            withdrawn = None
            if rng.random() < 0.1:
                withdrawn = min(today, registered + datetime.timedelta(days=rng.randint(1, 300)))
            consents.append(Consent(household=household, purpose=ConsentPurpose.EVALUATION,
                                    given_by=head.full_name, given_on=registered,
                                    withdrawn_on=withdrawn, recorded_by=actor))
        for n in range(rng.choice([0, 1, 1, 2, 2, 3])):
            assessed = registered + datetime.timedelta(days=120 * n + rng.randint(0, 30))
            if assessed > today:
                break
            assessment = NeedsAssessment(household=household, assessed_on=assessed,
                                         assessed_by=actor)
            assessments.append(assessment)
            plans.append((assessment, rng.sample(LifeArea.values, rng.randint(3, 7)), n))
    Person.objects.bulk_create(persons)
    NeedsAssessment.objects.bulk_create(assessments)

    ratings = []
    for assessment, areas, n in plans:
        ratings.extend(NeedRating(assessment=assessment, area=area,
                                  level=max(0, rng.randint(0, 3) - n),
                                  text="" if rng.random() < 0.7 else "Aftalt opfølgning.")
                       for area in areas)
        audit.append(_audit(coordinators[assessment.household.branch_id], Action.CREATE,
                            "households.needsassessment", assessment.pk, assessment.household_id,
                            assessment.household.registered_at, assessment.assessed_on.isoformat()))
    for person in persons:
        actor = coordinators[person.household.branch_id]
        audit.append(_audit(actor, Action.CREATE, "households.person", person.pk,
                            person.household_id, person.household.registered_at,
                            person.full_name))
        if person.cpr_encrypted:
            # The CPR number has its own consent (services._apply_member); no audit row of its own.
            consents.append(Consent(household_id=person.household_id, person=person,
                                    purpose=ConsentPurpose.CPR, given_by=person.full_name,
                                    given_on=person.household.registered, recorded_by=actor))
    NeedRating.objects.bulk_create(ratings)
    Consent.objects.bulk_create(consents)
    for consent in consents:
        if consent.person_id is None:
            audit.append(_audit(coordinators[consent.household.branch_id], Action.CREATE,
                                "households.consent", consent.pk, consent.household_id,
                                consent.household.registered_at,
                                str(ConsentPurpose(consent.purpose).label)))
    AuditEvent.objects.bulk_create(audit_chain.link_for_bulk_insert(audit))
    return {"households": len(families), "persons": len(persons), "consents": len(consents),
            "assessments": len(assessments), "ratings": len(ratings), "audit": len(audit)}


def verify_search_fields(org: Organisation, rng: random.Random, sample: int = 50) -> None:
    """Recompute display_name and search_text with the real service for a sample of seeded
    households (rolled back): the seed must store exactly what the application would."""
    ids = list(Household.objects.filter(organisation=org).values_list("pk", flat=True))
    for household in Household.objects.filter(pk__in=rng.sample(ids, min(sample, len(ids)))):
        seeded = (household.display_name, household.search_text)
        with transaction.atomic():
            services._refresh_search_fields(household)
            transaction.set_rollback(True)
        if (household.display_name, household.search_text) != seeded:
            raise SystemExit(
                f"Seeded search fields of household {household.pk} differ from the service's:\n"
                f"  seeded:  {seeded!r}\n"
                f"  service: {(household.display_name, household.search_text)!r}"
            )


def ensure_seeded(plan: Plan, out=print) -> Seeded:
    org, branches, coordinators = _organisation()
    measured = branches[0]
    found = counts(org, measured)
    if found["households"] == plan.households and found["persons"] == plan.persons:
        out(f"Registry already seeded: {found['households']:,} households, "
            f"{found['persons']:,} members.")
        return Seeded(org, coordinators[measured.pk], measured, 0.0, found)
    if found["households"]:
        out(f"Found {found['households']:,} households / {found['persons']:,} members, "
            f"not {plan.households:,} / {plan.persons:,}: removing them and seeding again.")
        _wipe(org)

    started = time.perf_counter()
    rng = random.Random(RANDOM_SEED)
    today = timezone.localdate()
    cpr_token = cpr.encrypt(NO_ONES_CPR)
    postcodes = {
        b.pk: list(Postcode.objects.filter(municipality_id=b.municipality_id)) for b in branches
    }
    branches_by_pk = {b.pk: b for b in branches}
    # Branches interleaved, as households arrive over time in every branch.
    owners = [b.pk for b, size in zip(branches, plan.branch_sizes(), strict=True)
              for _ in range(size)]
    rng.shuffle(owners)
    rows = list(zip(owners, _family_sizes(rng, plan), strict=True))
    out(f"Seeding {plan.households:,} households and {plan.persons:,} members "
        f"({connection.vendor}) ...")
    done = {"households": 0, "persons": 0, "consents": 0, "assessments": 0, "ratings": 0,
            "audit": 0}
    next_report = PROGRESS_EVERY
    for start in range(0, len(rows), BATCH):
        with transaction.atomic():
            added = _seed_batch(rng, today, rows[start:start + BATCH], branches_by_pk,
                                postcodes, coordinators, cpr_token)
        for key, value in added.items():
            done[key] += value
        if done["households"] >= next_report or done["households"] == plan.households:
            next_report += PROGRESS_EVERY
            out(f"  {done['households']:>7,} households  {done['persons']:>7,} members  "
                f"{done['consents']:>7,} consents  {done['assessments']:>7,} assessments  "
                f"{done['audit']:>7,} audit rows  ({time.perf_counter() - started:.0f} s)")
    verify_search_fields(org, rng)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load anyway: planner statistics and the
        # visibility map (index-only scans). Without it the first minutes are unrepresentative.
        out("VACUUM ANALYZE ...")
        with connection.cursor() as cursor:
            for model in (Household, Person, Consent, NeedsAssessment, NeedRating, AuditEvent):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    seconds = time.perf_counter() - started
    out(f"Seeded in {seconds:.0f} s.")
    return Seeded(org, coordinators[measured.pk], measured, seconds, counts(org, measured))
