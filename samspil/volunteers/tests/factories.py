"""Volunteers, slots, certificates and engagements for the tests, made through the services."""

from __future__ import annotations

import datetime

from samspil.core.models import Postcode
from samspil.engagements.models import Engagement, EngagementState
from samspil.volunteers import services
from samspil.volunteers.models import ChildCertificate, Volunteer


def volunteer_values(branch, **overrides) -> dict:
    values = {
        "branch": branch, "user": None, "first_name": "Vera", "last_name": "Frivillig",
        "email": "", "phone": "", "gender": "female", "birth_year": 1970,
        "postcode": Postcode.objects.get(code=overrides.pop("postcode", "2610")),
        "languages": ["da"], "skills": [], "tags": [], "roles": ["family_friend"],
        "capacity": 2, "preferred_gender": "", "preferred_gender_required": False,
        "preferred_child_age": "", "preferred_child_age_required": False,
        "status": "active", "notes": "",
    }
    values.update(overrides)
    return values


def make_volunteer(actor, branch, **overrides) -> Volunteer:
    return services.volunteer_create(actor=actor, values=volunteer_values(branch, **overrides))


def certify(actor, volunteer, *, received_on: datetime.date, result: str = "clear",
            valid_until: datetime.date | None = None) -> ChildCertificate:
    """A certificate requested two weeks before it was received and checked."""
    return services.certificate_record(
        actor=actor, volunteer=volunteer, requested_on=received_on - datetime.timedelta(14),
        received_on=received_on, result=result, valid_until=valid_until, today=received_on,
    )


def give_load(volunteer, household, count: int = 1,
              state: str = EngagementState.MATCHED) -> list[Engagement]:
    """Engagements that take up the volunteer's capacity (matched or active)."""
    return [
        Engagement.objects.create(
            organisation_id=household.organisation_id, branch_id=household.branch_id,
            type="family_friend", household=household, volunteer=volunteer, state=state,
            referred_on=datetime.date(2026, 1, 5), matched_on=datetime.date(2026, 1, 6),
        )
        for _ in range(count)
    ]
