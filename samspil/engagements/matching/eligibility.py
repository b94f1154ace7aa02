"""Hard rules: may this volunteer be matched with this engagement at all?

The single statement of the rules. The manual match (engagements.services.engagement_match),
the suggestions and the plan-all solver all obey it; the solver's vectorised version is tested
against this one.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from samspil.engagements.models import Engagement, EngagementState
from samspil.households.models import MemberRole
from samspil.volunteers.models import Volunteer, VolunteerStatus
from samspil.volunteers.screening import role_needs_certificate, volunteer_certificate_status

# Engagements that take up a place of the volunteer's capacity.
LOAD_STATES = (EngagementState.MATCHED, EngagementState.ACTIVE)


def volunteer_load(volunteer: Volunteer) -> int:
    return volunteer.engagements.filter(state__in=LOAD_STATES).count()


def youngest_child_age(engagement: Engagement, *, today: datetime.date) -> int | None:
    ages = [
        (today - m.birth_date).days // 365
        for m in engagement.household.members.all()
        if m.role == MemberRole.CHILD
    ]
    return min(ages) if ages else None


def exclusion_reasons(
    *, volunteer: Volunteer, engagement: Engagement, today: datetime.date,
    load: int | None = None,
) -> list[str]:
    """Why the pair is not allowed; an empty list means allowed."""
    reasons = []
    if volunteer.organisation_id != engagement.organisation_id:
        reasons.append(_("The volunteer belongs to another organisation."))
    if volunteer.status != VolunteerStatus.ACTIVE:
        reasons.append(_("The volunteer is not active."))
    if engagement.type not in volunteer.roles:
        reasons.append(_("The volunteer does not take this role."))
    current = volunteer_load(volunteer) if load is None else load
    if current >= volunteer.capacity:
        reasons.append(_("The volunteer has no free capacity."))
    youngest = youngest_child_age(engagement, today=today)
    limit = settings.CHILD_CERTIFICATE_AGE_LIMIT
    if role_needs_certificate(engagement.type) and youngest is not None and youngest < limit:
        if not volunteer_certificate_status(volunteer, today=today).allows_children:
            reasons.append(
                _("The household has a child under %(age)s and the volunteer has no valid "
                  "child-safety certificate.") % {"age": limit}
            )
    if volunteer.preferred_gender and volunteer.preferred_gender_required:
        person = engagement.parent
        if person is not None and person.gender and person.gender != volunteer.preferred_gender:
            reasons.append(_("The volunteer only supports parents of another gender."))
    if volunteer.preferred_child_age and volunteer.preferred_child_age_required:
        low, high = (int(x) for x in volunteer.preferred_child_age.split("-"))
        ages = [
            (today - m.birth_date).days // 365
            for m in engagement.household.members.all() if m.role == MemberRole.CHILD
        ]
        if not any(low <= a <= high for a in ages):
            reasons.append(
                _("The volunteer only supports families with children of another age.")
            )
    return reasons
