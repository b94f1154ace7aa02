"""Seed the matching benchmark: 10,000 volunteers and 10,000 waiting engagements.

An organisation of its own ("Familiehjælpen (matching benchmark)"), so the registry benchmark's
households are not touched: five branches in the registry benchmark's municipalities, a
household with members and a needs assessment for every engagement, and volunteers with the
roles, languages, skills, availability, capacities (1–2), wishes and child-safety certificates
the matching looks at. 1,000 volunteers already have an active family (their load). Rows are
written with bulk_create as the services would leave them (state history included); no audit
rows (the registry benchmark measures those). Seeding is skipped when the organisation already
has exactly these numbers; a different or half-finished seed is removed first.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from bench import seed
from samspil.core.models import Branch, Organisation, Postcode, Role, User
from samspil.engagements.models import (
    Engagement,
    EngagementState,
    EngagementType,
    MatchPlan,
    MatchProposal,
    StateChange,
)
from samspil.households.models import (
    Household,
    LifeArea,
    MemberRole,
    NeedRating,
    NeedsAssessment,
    Person,
)
from samspil.volunteers.models import (
    AvailabilitySlot,
    ChildCertificate,
    Skill,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from samspil.volunteers.services import search_text_for

ORGANISATION = "Familiehjælpen (matching benchmark)"
ENGAGEMENTS = 10_000
VOLUNTEERS = 10_000
BATCH = 2_000
RANDOM_SEED = 2027
ADMIN = "bench.matching.admin"
# The branch whose coordinator opens the suggestions (the registry benchmark's first branch).
MEASURED_BRANCH = seed.BRANCHES[0][0]

State = EngagementState
ROLE_MIX = seed._weighted([
    ((VolunteerRole.FAMILY_FRIEND,), 55), ((VolunteerRole.JOB_MENTOR,), 20),
    ((VolunteerRole.FAMILY_FRIEND, VolunteerRole.JOB_MENTOR), 20),
    ((VolunteerRole.JOB_MENTOR, VolunteerRole.WORKPLACE_MENTOR), 5),
])
TYPE_MIX = seed._weighted([(EngagementType.FAMILY_FRIEND, 70), (EngagementType.JOB_MENTOR, 27),
                           (EngagementType.WORKPLACE_MENTOR, 3)])
STATUS_MIX = seed._weighted([(VolunteerStatus.ACTIVE, 90), (VolunteerStatus.PAUSED, 4),
                             (VolunteerStatus.APPLICANT, 4), (VolunteerStatus.STOPPED, 2)])
SECOND_LANGUAGE = seed._weighted([("en", 40), ("ar", 15), ("uk", 10), ("so", 8), ("tr", 8),
                                  ("fa", 6), ("pl", 6), ("ur", 4), ("ti", 3)])
CERTIFICATE_MIX = seed._weighted([("valid", 75), ("old", 5), ("expired", 5), ("pending", 5),
                                  ("none", 10)])


@dataclass
class Size:
    engagements: int = ENGAGEMENTS
    volunteers: int = VOLUNTEERS

    @property
    def already_matched(self) -> int:
        return self.volunteers // 10


@dataclass
class Seeded:
    organisation: Organisation
    admin: User
    coordinator: User
    branch: Branch
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


def _organisation() -> tuple[Organisation, list[Branch], User, dict[int, User]]:
    org, _ = Organisation.objects.get_or_create(
        name=ORGANISATION, defaults={"kind": Organisation.Kind.CHARITY})
    branches, coordinators = [], {}
    for name, code, _share in seed.BRANCHES:
        branch, _ = Branch.objects.get_or_create(organisation=org, name=name,
                                                 defaults={"municipality_id": code})
        user, _ = User.objects.get_or_create(
            username=f"bench.matching.{name.lower().translate(seed.ASCII)}",
            defaults={"organisation": org, "role": Role.COORDINATOR,
                      "first_name": "Koordinator", "last_name": name})
        user.set_unusable_password()
        user.save()
        user.branches.set([branch])
        branches.append(branch)
        coordinators[branch.pk] = user
    admin, _ = User.objects.get_or_create(
        username=ADMIN, defaults={"organisation": org, "role": Role.ORG_ADMIN,
                                  "first_name": "Administrator", "last_name": "Matching"})
    admin.set_unusable_password()
    admin.save()
    return org, branches, admin, coordinators


def counts(org: Organisation) -> dict[str, int]:
    engagements = Engagement.objects.filter(organisation=org)
    return {
        "volunteers": Volunteer.objects.filter(organisation=org).count(),
        "active_volunteers": Volunteer.objects.filter(organisation=org,
                                                      status=VolunteerStatus.ACTIVE).count(),
        "availability_slots": AvailabilitySlot.objects.filter(volunteer__organisation=org).count(),
        "certificates": ChildCertificate.objects.filter(volunteer__organisation=org).count(),
        "waiting": engagements.filter(state=State.WAITING).count(),
        "active_engagements": engagements.filter(state=State.ACTIVE).count(),
        "households": Household.objects.filter(organisation=org).count(),
        "persons": Person.objects.filter(household__organisation=org).count(),
        "need_ratings": NeedRating.objects.filter(assessment__household__organisation=org).count(),
    }


def _wipe(org: Organisation) -> None:
    """Remove the benchmark organisation's data (raw SQL: fast)."""
    from samspil.engagements.models import Goal, Meeting

    def table(model) -> str:
        return model._meta.db_table

    def of_org(model) -> str:
        return f"SELECT id FROM {table(model)} WHERE organisation_id = %s"  # noqa: S608

    assessments = (f"SELECT id FROM {table(NeedsAssessment)} "  # noqa: S608
                   f"WHERE household_id IN ({of_org(Household)})")
    # (table, column, ids it must be in), children first.
    steps = [
        (MatchProposal, "plan_id", of_org(MatchPlan)),
        (MatchPlan, "organisation_id", "%s"),
        *((child, "engagement_id", of_org(Engagement)) for child in (StateChange, Goal, Meeting)),
        (Engagement, "organisation_id", "%s"),
        *((child, "volunteer_id", of_org(Volunteer))
          for child in (AvailabilitySlot, ChildCertificate)),
        (Volunteer, "organisation_id", "%s"),
        (NeedRating, "assessment_id", assessments),
        *((child, "household_id", of_org(Household)) for child in (NeedsAssessment, Person)),
        (Household, "organisation_id", "%s"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for model, column, ids in steps:
            cursor.execute(f"DELETE FROM {table(model)} WHERE {column} IN ({ids})",  # noqa: S608
                           [org.pk])


def _volunteer(rng: random.Random, branch: Branch, postcodes: list[Postcode], i: int,
               today: datetime.date) -> tuple[Volunteer, list, list]:
    female = rng.random() < 0.65
    first = seed.FEMALE(rng) if female else seed.MALE(rng)
    last = seed.LAST(rng)
    postcode = rng.choice(postcodes)
    languages = ["da"] + ([SECOND_LANGUAGE(rng)] if rng.random() < 0.25 else [])
    gender_wish = rng.choice(["female", "male"]) if rng.random() < 0.15 else ""
    age_wish = rng.choice(["0-5", "6-12", "13-17"]) if rng.random() < 0.2 else ""
    volunteer = Volunteer(
        organisation_id=branch.organisation_id, branch=branch, first_name=first, last_name=last,
        email=f"{first}.{last}{i}".lower().translate(seed.ASCII) + "@example.org",
        phone=f"+45{rng.randint(2, 9)}{rng.randrange(10**7):07d}",
        gender="female" if female else "male", birth_year=rng.randint(1950, 2004),
        postcode=postcode, languages=languages,
        skills=sorted(rng.sample(Skill.values, rng.randint(1, 4))),
        roles=list(ROLE_MIX(rng)), capacity=1 if rng.random() < 0.7 else 2,
        preferred_gender=gender_wish, preferred_gender_required=bool(gender_wish)
        and rng.random() < 0.33,
        preferred_child_age=age_wish, preferred_child_age_required=bool(age_wish)
        and rng.random() < 0.33,
        status=STATUS_MIX(rng),
        confidentiality_signed_on=today - datetime.timedelta(days=rng.randint(30, 900)),
        training_completed_on=today - datetime.timedelta(days=rng.randint(20, 800)),
    )
    volunteer.search_text = search_text_for(volunteer)
    slots = []
    for day in rng.sample(range(7), rng.randint(1, 4)):
        start = rng.choice([9, 10, 13, 15, 16, 17, 18])
        slots.append((day, datetime.time(start), datetime.time(min(22, start + rng.randint(1,
                                                                                         4)))))
    kind = CERTIFICATE_MIX(rng)
    certificates = []
    if kind != "none":
        received = today - datetime.timedelta(days={"valid": rng.randint(10, 600),
                                                    "old": rng.randint(600, 700),
                                                    "expired": rng.randint(760, 900),
                                                    "pending": 0}[kind])
        if kind == "pending":
            certificates.append(dict(requested_on=today - datetime.timedelta(days=5)))
        else:
            certificates.append(dict(
                requested_on=received - datetime.timedelta(days=14), received_on=received,
                result=ChildCertificate.Result.CLEAR,
                valid_until=None if kind == "old" else received + datetime.timedelta(days=730)))
    return volunteer, slots, certificates


def _seed_volunteers(rng, branches, postcodes, shares, size, today, out) -> list[Volunteer]:
    volunteers: list[Volunteer] = []
    owners = rng.choices(branches, weights=shares, k=size.volunteers)
    for start in range(0, size.volunteers, BATCH):
        with transaction.atomic():
            batch = [_volunteer(rng, b, postcodes[b.pk], start + i, today)
                     for i, b in enumerate(owners[start:start + BATCH])]
            Volunteer.objects.bulk_create([v for v, _s, _c in batch])
            AvailabilitySlot.objects.bulk_create(
                AvailabilitySlot(volunteer=v, weekday=d, start=a, end=b)
                for v, slots, _c in batch for d, a, b in slots)
            ChildCertificate.objects.bulk_create(
                ChildCertificate(volunteer=v, **c) for v, _s, certs in batch for c in certs)
        volunteers += [v for v, _s, _c in batch]
        out(f"  {len(volunteers):>7,} volunteers")
    return volunteers


def _families(rng, branches, postcodes, shares, count, today, coordinators, admin,
              state: str, volunteers: list[Volunteer] | None, out) -> int:
    """count households, each with one engagement in `state` (active ones with a volunteer)."""
    owners = rng.choices(branches, weights=shares, k=count)
    done = 0
    for start in range(0, count, BATCH):
        with transaction.atomic():
            families = []
            for branch in owners[start:start + BATCH]:
                members = seed._members(rng, today, 1 if rng.random() < 0.5 else 2,
                                        rng.choice([0, 1, 1, 2, 2, 3, 4]), "")
                families.append((seed._household(rng, branch, postcodes[branch.pk], members),
                                 members))
            Household.objects.bulk_create([h for h, _m in families])
            for household, members in families:
                for person in members:
                    person.household = household
            Person.objects.bulk_create([p for _h, members in families for p in members])
            assessments = [NeedsAssessment(household=h, assessed_by=admin,
                                           assessed_on=today - datetime.timedelta(
                                               days=rng.randint(0, 300)))
                           for h, _m in families]
            NeedsAssessment.objects.bulk_create(assessments)
            NeedRating.objects.bulk_create(
                NeedRating(assessment=a, area=area, level=rng.randint(1, 3))
                for a in assessments for area in rng.sample(LifeArea.values, rng.randint(2, 6)))
            engagements, history = [], []
            for n, (household, members) in enumerate(families):
                kind = TYPE_MIX(rng) if state == State.WAITING else EngagementType.FAMILY_FRIEND
                parents = [m for m in members if m.role == MemberRole.PARENT]
                referred = today - datetime.timedelta(days=rng.randint(1, 700))
                engagement = Engagement(
                    organisation_id=household.organisation_id, branch_id=household.branch_id,
                    type=kind, household=household,
                    parent=None if kind == EngagementType.FAMILY_FRIEND else rng.choice(parents),
                    state=state, referred_on=referred)
                if state == State.ACTIVE:
                    engagement.volunteer = volunteers[start + n]
                    engagement.matched_on = referred + datetime.timedelta(days=30)
                    engagement.started_on = referred + datetime.timedelta(days=40)
                engagements.append(engagement)
            Engagement.objects.bulk_create(engagements)
            for e in engagements:
                by = coordinators[e.branch_id]
                steps = [("", State.REFERRED, e.referred_on), (State.REFERRED, State.WAITING,
                                                                e.referred_on)]
                if state == State.ACTIVE:
                    steps += [(State.WAITING, State.MATCHED, e.matched_on),
                              (State.MATCHED, State.ACTIVE, e.started_on)]
                history += [StateChange(engagement=e, from_state=a, to_state=b, on=on, by=by)
                            for a, b, on in steps]
            StateChange.objects.bulk_create(history)
        done += len(families)
        out(f"  {done:>7,} households with a {state} engagement")
    return done


def ensure_seeded(size: Size, out=print) -> Seeded:
    org, branches, admin, coordinators = _organisation()
    measured = next(b for b in branches if b.name == MEASURED_BRANCH)
    found = counts(org)
    if (found["volunteers"] == size.volunteers and found["waiting"] == size.engagements
            and found["active_engagements"] == size.already_matched):
        out(f"Matching data already seeded: {found['volunteers']:,} volunteers, "
            f"{found['waiting']:,} waiting engagements.")
        return Seeded(org, admin, coordinators[measured.pk], measured, 0.0, found)
    if found["volunteers"] or found["households"]:
        out("Removing a matching seed of another size ...")
        _wipe(org)
    started = time.perf_counter()
    rng = random.Random(RANDOM_SEED)
    today = timezone.localdate()
    postcodes = {b.pk: list(Postcode.objects.filter(municipality_id=b.municipality_id))
                 for b in branches}
    shares = [share for _n, _c, share in seed.BRANCHES]
    out(f"Seeding {size.volunteers:,} volunteers and {size.engagements:,} waiting engagements "
        f"({connection.vendor}) ...")
    volunteers = _seed_volunteers(rng, branches, postcodes, shares, size, today, out)
    busy = [v for v in volunteers if v.status == VolunteerStatus.ACTIVE
            and VolunteerRole.FAMILY_FRIEND in v.roles]
    busy = rng.sample(busy, min(size.already_matched, len(busy)))
    # The active families live in their volunteer's branch.
    busy.sort(key=lambda v: v.pk)
    for branch in branches:
        mine = [v for v in busy if v.branch_id == branch.pk]
        _families(rng, [branch], postcodes, [1], len(mine), today, coordinators, admin,
                  State.ACTIVE, mine, lambda _m: None)
    _families(rng, branches, postcodes, shares, size.engagements, today, coordinators, admin,
              State.WAITING, None, out)
    if connection.vendor == "postgresql":
        out("VACUUM ANALYZE ...")
        with connection.cursor() as cursor:
            for model in (Volunteer, AvailabilitySlot, ChildCertificate, Engagement, Household,
                          Person, NeedsAssessment, NeedRating, StateChange):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    seconds = time.perf_counter() - started
    out(f"Seeded in {seconds:.0f} s.")
    return Seeded(org, admin, coordinators[measured.pk], measured, seconds, counts(org))
