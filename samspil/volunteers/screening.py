"""The screening rules for volunteers, configured in settings (docs/volunteers.md).

Pure functions over the models, used by the volunteer pages, the certificate overview and the
matching rules alike, so the rule is written once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from samspil.volunteers.models import ChildCertificate, Volunteer


class CertificateState:
    VALID = "valid"
    EXPIRING = "expiring"  # valid, but ages out within CHILD_CERTIFICATE_WARN_DAYS
    EXPIRED = "expired"
    PENDING = "pending"  # requested, no answer yet
    REJECTED = "rejected"
    MISSING = "missing"

    LABELS = {
        VALID: _("Valid"),
        EXPIRING: _("Expires soon"),
        EXPIRED: _("Expired"),
        PENDING: _("Awaiting answer"),
        REJECTED: _("Not approved"),
        MISSING: _("Missing"),
    }


@dataclass(frozen=True)
class CertificateStatus:
    state: str
    certificate: ChildCertificate | None
    valid_until: datetime.date | None

    @property
    def label(self):
        return CertificateState.LABELS[self.state]

    @property
    def allows_children(self) -> bool:
        return self.state in (CertificateState.VALID, CertificateState.EXPIRING)


def role_needs_certificate(role: str) -> bool:
    return role in settings.CHILD_CERTIFICATE_ROLES


def certificate_valid_until(certificate: ChildCertificate) -> datetime.date | None:
    """valid_until as recorded, else the checked date plus the configured validity."""
    if certificate.valid_until:
        return certificate.valid_until
    if certificate.received_on is None:
        return None
    months = settings.CHILD_CERTIFICATE_VALID_MONTHS
    year, month = divmod(certificate.received_on.month - 1 + months, 12)
    day = min(certificate.received_on.day, 28)
    return datetime.date(certificate.received_on.year + year, month + 1, day)


def certificate_status(
    certificates: list[ChildCertificate], *, today: datetime.date
) -> CertificateStatus:
    """The status that counts, from a volunteer's certificates (newest decision wins)."""
    decided = [c for c in certificates if c.result != ChildCertificate.Result.PENDING]
    pending = [c for c in certificates if c.result == ChildCertificate.Result.PENDING]
    if decided:
        latest = max(decided, key=lambda c: (c.received_on, c.pk or 0))
        if latest.result == ChildCertificate.Result.REMARKS:
            return CertificateStatus(CertificateState.REJECTED, latest, None)
        until = certificate_valid_until(latest)
        if until is not None and until < today:
            if pending:
                return CertificateStatus(CertificateState.PENDING, pending[0], until)
            return CertificateStatus(CertificateState.EXPIRED, latest, until)
        warn = datetime.timedelta(days=settings.CHILD_CERTIFICATE_WARN_DAYS)
        if until is not None and until - today <= warn:
            return CertificateStatus(CertificateState.EXPIRING, latest, until)
        return CertificateStatus(CertificateState.VALID, latest, until)
    if pending:
        return CertificateStatus(CertificateState.PENDING, pending[0], None)
    return CertificateStatus(CertificateState.MISSING, None, None)


def volunteer_certificate_status(volunteer: Volunteer, *, today: datetime.date):
    return certificate_status(list(volunteer.certificates.all()), today=today)
