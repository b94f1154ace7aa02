"""Referrals and plans made through the services, so history and audit rows are real."""

from __future__ import annotations

import datetime

from samspil.households.models import MemberRole
from samspil.partners import services

SENT_ON = datetime.date(2026, 6, 1)


def refer(actor, household, partner, *, direction="in", help_kind="job_mentor", **extra):
    parent = extra.pop("parent", None)
    if parent is None and help_kind in ("job_mentor", "workplace_mentor"):
        parent = household.members.filter(role=MemberRole.PARENT).first()
    values = {
        "consent_given_by": "Anna", "consent_given_on": SENT_ON,
        "shared_fields": ["names", "contact"], "sent_on": SENT_ON, "message": "Kort besked",
    }
    values.update(extra)
    return services.referral_create(actor=actor, household=household, partner=partner,
                                    direction=direction, help_kind=help_kind, parent=parent,
                                    **values)
