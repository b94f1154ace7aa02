"""Demo data for Christmas aid: one round in progress with applications in every state.

Synthetic people only, no CPR numbers (as in the rest of the demo). Some households apply
twice (a typo, swapped first and last name, the other adult applying), so the duplicates page
has something to show. Idempotent: nothing is added once the demo round exists.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone

from samspil.activities.models import Activity, Network
from samspil.activities.services import network_member_add
from samspil.christmas import services
from samspil.christmas.models import Round
from samspil.core.models import Organisation, Postcode, Role, User

ROUND_NAME = "Julehjælp (demo)"
FIRST = ["Mette", "Fatima", "Anna", "Olena", "Sara", "Louise", "Amina", "Hanne", "Camilla",
         "Nadia", "Peter", "Ahmed", "Lars", "Omar", "Jonas", "Henrik"]
LAST = ["Jensen", "Hansen", "Hussein", "Kovalenko", "Nielsen", "Yilmaz", "Madsen", "Olsen",
        "Ali", "Pedersen", "Poulsen", "Larsen"]
STREETS = ["Egevej", "Birkealle", "Lærkevej", "Skolegade", "Mosevej", "Byparken"]
POSTCODES = ["2610", "2610", "2610", "8000", "8200", "5000", "9000", "4000"]
INCOMES = ["cash_benefit", "cash_benefit", "unemployment", "student_grant", "pension",
           "low_wage", "other"]


def _values(rng: random.Random, year: int) -> dict:
    values = {
        "first_name": rng.choice(FIRST), "last_name": rng.choice(LAST),
        "birth_date": datetime.date(rng.randrange(1975, 2001), rng.randrange(1, 13),
                                    rng.randrange(1, 29)),
        "address": f"{rng.choice(STREETS)} {rng.randrange(1, 90)}",
        "postcode": Postcode.objects.get(code=rng.choice(POSTCODES)),
        "phone": f"+452{rng.randrange(10**6, 10**7)}", "email": "",
        "other_first_name": "", "other_last_name": "", "other_birth_date": None,
        "children_birth_years": sorted(rng.randrange(year - 17, year + 1)
                                       for _ in range(rng.choice([1, 2, 2, 3]))),
        "income": rng.choice(INCOMES), "description": "", "language": "da",
        "consent_followup": rng.random() < 0.8,
    }
    if rng.random() < 0.4:
        values.update(other_first_name=rng.choice(FIRST), other_last_name=values["last_name"],
                      other_birth_date=datetime.date(rng.randrange(1975, 2001),
                                                     rng.randrange(1, 13), rng.randrange(1, 29)))
    return values


def seed(organisation: Organisation, *, seed_value: int = 2028, count: int = 48) -> Round | None:
    if Round.objects.filter(organisation=organisation, name=ROUND_NAME).exists():
        return None
    rng = random.Random(seed_value)
    now = timezone.now()
    admin = User.objects.filter(organisation=organisation, role=Role.ORG_ADMIN).first()
    round = services.round_save(actor=admin, round=None, values={
        "name": ROUND_NAME, "year": now.year, "opens_at": now - datetime.timedelta(days=12),
        "closes_at": now + datetime.timedelta(days=14), "budget": 60000,
        "amount_per_household": 1000, "amount_per_child": 300, "require_children": True,
        "income_categories": ["cash_benefit", "unemployment", "student_grant", "pension",
                              "low_wage"],
        "weight_single_provider": 3, "weight_per_child": 1, "weight_no_aid_last_year": 2,
        "followup_kinds": ["network", "camp", "mentor", "counselling", "debt_advice"],
    })
    applications = []
    for i in range(count):
        values = _values(rng, round.year)
        applications.append(services.application_submit(
            round=round, values=values, cpr_number="", token=uuid.uuid4(),
            now=now - datetime.timedelta(days=11, hours=-i * 5)))
    # Households applying twice: a typo, swapped names, and the other adult applying.
    couples = [a for a in applications if a.other_first_name][:1]
    again = [
        (applications[0], {"first_name": applications[0].first_name[:-1] + "e"}),
        (applications[1], {"first_name": applications[1].last_name,
                           "last_name": applications[1].first_name}),
    ] + [(c, {"first_name": c.other_first_name, "last_name": c.other_last_name,
              "birth_date": c.other_birth_date, "other_first_name": c.first_name,
              "other_last_name": c.last_name, "other_birth_date": c.birth_date})
         for c in couples]
    for original, changes in again:
        values = {f: getattr(original, f) for f in (
            "first_name", "last_name", "birth_date", "address", "postcode", "phone", "email",
            "other_first_name", "other_last_name", "other_birth_date", "children_birth_years",
            "income", "description", "language", "consent_followup")}
        values.update(changes)
        services.application_submit(round=round, values=values, cpr_number="",
                                    token=uuid.uuid4(), now=now - datetime.timedelta(days=2))
    from samspil.christmas.linkage.duplicates import detect_for_round

    detect_for_round(actor=admin, round=round)
    # Decisions: the first eligible ones granted (some delivered, some offered follow-up),
    # a few rejected, the rest waiting in the queue.
    eligible = [a for a in applications[2:] if a.eligible and a.branch_id]
    kinds = round.followup_kinds
    for n, application in enumerate(eligible[:14]):
        services.application_grant(actor=admin, application=application)
        if n < 10:
            services.delivery_register(actor=admin, application=application,
                                       delivery=["handed_out", "sent", "not_collected"][n % 3])
        if n < 8 and application.consent_followup:
            kind = kinds[n % len(kinds)]
            response = ["accepted", "accepted", "declined", "pending"][n % 4]
            link = _demo_link(organisation, application, kind)
            offer = services.followup_offer(actor=admin, application=application, kind=kind,
                                            offered_on=now.date(), **link)
            services.followup_update(actor=admin, offer=offer, response=response,
                                     took_part=True if response == "accepted" and n % 2 == 0
                                     else None)
            if response == "accepted" and "network" in link:
                # Joined the network: the report counts it as taking part.
                try:
                    network_member_add(actor=admin, network=link["network"],
                                       household=application.household,
                                       joined_on=now.date())
                except ValidationError:
                    pass
    for application in [a for a in applications[2:] if not a.eligible][:3]:
        services.application_reject(actor=admin, application=application,
                                    reason="Opfylder ikke rundens betingelser")
    return round


def _demo_link(organisation: Organisation, application, kind: str) -> dict:
    """A network of the family's branch for a network offer, a family camp (of the branch if
    it has one) for a camp offer, when the activities demo made them."""
    if kind == "network":
        network = Network.objects.filter(organisation=organisation,
                                         branch_id=application.branch_id,
                                         ended_on__isnull=True).order_by("id").first()
        return {"network": network} if network else {}
    if kind == "camp":
        camps = Activity.objects.filter(organisation=organisation, kind__code="family_camp")
        activity = (camps.filter(branch_id=application.branch_id).order_by("id").first()
                    or camps.order_by("id").first())
        return {"activity": activity} if activity else {}
    return {}
