"""Volunteers, households and engagements for the matching tests, plain or at random."""

from __future__ import annotations

import datetime
import random

from samspil.core.models import Branch, Postcode, User
from samspil.engagements.models import Engagement, EngagementState, EngagementType
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

TODAY = datetime.date(2026, 6, 15)
POSTCODES = ["2610", "2650", "2600", "2700", "8000", "8200", "5000"]


def volunteer(branch: Branch, *, first="Vera", last="Frivillig", postcode="2610",
              roles=(VolunteerRole.FAMILY_FRIEND,), capacity=1, status=VolunteerStatus.ACTIVE,
              languages=("da",), skills=(), certificate: bool | None = True, slots=(),
              **extra) -> Volunteer:
    """A volunteer; certificate True: a valid one, False: one with remarks, None: none."""
    v = Volunteer.objects.create(
        organisation_id=branch.organisation_id, branch=branch, first_name=first, last_name=last,
        postcode_id=postcode, roles=list(roles), capacity=capacity, status=status,
        languages=list(languages), skills=list(skills), **extra,
    )
    if certificate is not None:
        Result = ChildCertificate.Result
        ChildCertificate.objects.create(
            volunteer=v, requested_on=TODAY - datetime.timedelta(days=60),
            received_on=TODAY - datetime.timedelta(days=40),
            result=Result.CLEAR if certificate else Result.REMARKS,
            valid_until=TODAY + datetime.timedelta(days=700) if certificate else None,
        )
    for weekday, start, end in slots:
        AvailabilitySlot.objects.create(volunteer=v, weekday=weekday, start=start, end=end)
    return v


def household(branch: Branch, *, name="Jensen", postcode="2610", language="da",
              children_born=(datetime.date(2016, 5, 1),), parent_gender="female",
              needs: dict[str, int] | None = None, assessor: User | None = None) -> Household:
    pc = Postcode.objects.get(code=postcode)
    h = Household.objects.create(
        organisation_id=branch.organisation_id, branch=branch, address="Testvej 1",
        postcode=pc, municipality_id=pc.municipality_id, preferred_language=language,
        display_name=f"Anna {name}",
    )
    Person.objects.create(household=h, role=MemberRole.PARENT, first_name="Anna",
                          last_name=name, birth_date=datetime.date(1985, 1, 1),
                          gender=parent_gender)
    for i, born in enumerate(children_born):
        Person.objects.create(household=h, role=MemberRole.CHILD, first_name=f"Barn{i}",
                              last_name=name, birth_date=born)
    if needs:
        assessor = assessor or User.objects.filter(organisation_id=branch.organisation_id).first()
        a = NeedsAssessment.objects.create(household=h, assessed_on=TODAY, assessed_by=assessor)
        for area, level in needs.items():
            NeedRating.objects.create(assessment=a, area=area, level=level)
    return h


def engagement(h: Household, *, type=EngagementType.FAMILY_FRIEND,
               state=EngagementState.WAITING, referred_on=None, volunteer=None) -> Engagement:
    parent = None
    if type != EngagementType.FAMILY_FRIEND:
        parent = h.members.filter(role=MemberRole.PARENT).first()
    return Engagement.objects.create(
        organisation_id=h.organisation_id, branch=h.branch, type=type, household=h,
        parent=parent, state=state, referred_on=referred_on or TODAY - datetime.timedelta(30),
        volunteer=volunteer, matched_on=TODAY if volunteer else None,
    )


def random_world(rng: random.Random, branch: Branch, assessor: User, *, volunteers: int,
                 engagements: int, today: datetime.date = TODAY) -> None:
    """Volunteers and waiting engagements with every rule and factor varied at random."""
    vols = []
    for i in range(volunteers):
        cert = rng.choice([True, True, False, None, "expired", "pending", "old"])
        v = volunteer(
            branch, first=f"V{i}", postcode=rng.choice(POSTCODES),
            roles=rng.sample(VolunteerRole.values, rng.randint(0, 2)),
            capacity=rng.choice([0, 1, 1, 2, 3]),
            status=rng.choice([VolunteerStatus.ACTIVE] * 4 + [VolunteerStatus.PAUSED,
                                                              VolunteerStatus.APPLICANT]),
            languages=rng.sample(["da", "ar", "en", "uk", "so"], rng.randint(0, 3)),
            skills=rng.sample(Skill.values, rng.randint(0, 4)),
            certificate=cert if isinstance(cert, bool) or cert is None else None,
            slots=[(d, datetime.time(h), datetime.time(h + rng.randint(1, 4)))
                   for d, h in {(rng.randint(0, 6), rng.randint(8, 19))
                                for _ in range(rng.randint(0, 3))}],
            preferred_gender=rng.choice(["", "", "female", "male"]),
            preferred_gender_required=rng.random() < 0.5,
            preferred_child_age=rng.choice(["", "", "0-5", "6-12", "13-17"]),
            preferred_child_age_required=rng.random() < 0.5,
        )
        if cert == "expired":
            ChildCertificate.objects.create(
                volunteer=v, requested_on=today - datetime.timedelta(900),
                received_on=today - datetime.timedelta(880), result="clear",
                valid_until=today - datetime.timedelta(days=rng.randint(1, 5)))
        elif cert == "pending":
            ChildCertificate.objects.create(volunteer=v, requested_on=today)
        elif cert == "old":  # no valid_until: counted from the date it was checked
            ChildCertificate.objects.create(
                volunteer=v, requested_on=today - datetime.timedelta(800),
                received_on=today - datetime.timedelta(days=rng.choice([700, 729, 731, 760])),
                result="clear")
        vols.append(v)
    households = []
    for i in range(engagements):
        born = [today - datetime.timedelta(days=rng.randint(0, 18 * 365))
                for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        needs = {a: rng.randint(0, 3) for a in rng.sample(LifeArea.values, rng.randint(0, 5))}
        h = household(branch, name=f"F{i}", postcode=rng.choice(POSTCODES),
                      language=rng.choice(["da", "da", "ar", "uk", "other"]),
                      children_born=born, parent_gender=rng.choice(["", "female", "male"]),
                      needs=needs, assessor=assessor)
        households.append(h)
        engagement(h, type=rng.choice(EngagementType.values),
                   referred_on=today - datetime.timedelta(days=rng.randint(0, 200)))
    # Some load: a few volunteers already have a family.
    for v in rng.sample(vols, max(1, volunteers // 5)):
        if v.capacity and v.status == VolunteerStatus.ACTIVE and v.roles:
            h = household(branch, name=f"Matched{v.pk}", needs=None)
            engagement(h, type=EngagementType.FAMILY_FRIEND, state=EngagementState.ACTIVE,
                       volunteer=v)
