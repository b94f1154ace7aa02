"""Reads for volunteers, always scoped to the user asking.

This module is the only place that decides who may see a volunteer: an organisation
administrator sees the whole organisation, a coordinator her branches, a volunteer only herself,
everybody else nobody. Views, the certificate overview and the matching pages all go through it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation

from samspil.core.models import Role, User
from samspil.engagements.matching.eligibility import LOAD_STATES
from samspil.engagements.models import Engagement
from samspil.volunteers.models import (
    AvailabilitySlot,
    ChildCertificate,
    Skill,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from samspil.volunteers.screening import CertificateState, CertificateStatus, certificate_status

# Roles that manage volunteers; a volunteer may only read her own profile.
STAFF_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)
PROFILE_ROLES = (*STAFF_ROLES, Role.VOLUNTEER)
Result = ChildCertificate.Result


def _scoped(user: User) -> QuerySet[Volunteer]:
    if not user.is_authenticated or not user.has_role(*PROFILE_ROLES):
        return Volunteer.objects.none()
    qs = Volunteer.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    elif user.role == Role.VOLUNTEER:
        qs = qs.filter(user=user)
    return qs


def _json_list_has(field: str, value: str) -> Q:
    """A JSON list of choice values contains value. (JSON `contains` is not available on
    SQLite; the values are plain ASCII words, so their quoted form in the JSON text is exact.)"""
    return Q(**{f"{field}__icontains": f'"{value}"'})


def skills_matching(term: str) -> list[str]:
    """Skill values whose name, in any of the site's languages, contains the term."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found += [value for value, label in Skill.choices if term in str(label).lower()]
    return sorted(set(found))


def with_load(qs: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Annotate `load`: the matched and active engagements (as eligibility.volunteer_load)."""
    load = (
        Engagement.objects.filter(volunteer=OuterRef("pk"), state__in=LOAD_STATES)
        .order_by().values("volunteer").annotate(n=Count("pk")).values("n")
    )
    return qs.annotate(load=Coalesce(Subquery(load), 0))


def volunteer_list_for(
    *, user: User, query: str = "", status: str = "", role: str = ""
) -> QuerySet[Volunteer]:
    """Volunteers the user may see, searched by name, e-mail, phone, postcode, town, skill or
    tag (every word must match), filtered by status and role."""
    qs = _scoped(user)
    if status in VolunteerStatus.values:
        qs = qs.filter(status=status)
    if role in VolunteerRole.values:
        qs = qs.filter(_json_list_has("roles", role))
    for term in query.lower().split():
        condition = Q(search_text__contains=term)
        for skill in skills_matching(term):
            condition |= _json_list_has("skills", skill)
        qs = qs.filter(condition)
    return qs.select_related("branch", "postcode")


def volunteer_get_for(*, user: User, pk: int) -> Volunteer | None:
    """The volunteer, if the user may see her; None otherwise (the caller answers 404)."""
    return (volunteer_list_for(user=user).filter(pk=pk)
            .select_related("user", "postcode__municipality").first())


def slot_list(*, volunteer: Volunteer) -> list[AvailabilitySlot]:
    return list(volunteer.availability.all())


def certificate_list(*, volunteer: Volunteer) -> list[ChildCertificate]:
    return list(volunteer.certificates.select_related("assessed_by"))


def volunteer_user_choices_for(*, user: User, volunteer: Volunteer | None = None
                               ) -> QuerySet[User]:
    """Logins that may be linked to a volunteer profile: active users with the volunteer role
    in the organisation (in the coordinator's branches), not yet linked to another profile."""
    if not user.has_role(*STAFF_ROLES):
        return User.objects.none()
    qs = User.objects.filter(organisation_id=user.organisation_id, role=Role.VOLUNTEER,
                             is_active=True)
    free = Q(volunteer__isnull=True)
    if volunteer is not None and volunteer.user_id:
        free |= Q(pk=volunteer.user_id)
    qs = qs.filter(free)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(pk__in=User.objects.filter(branches__in=user.branches.all()).values("pk"))
    return qs.order_by("first_name", "last_name", "username")


# --- the certificate overview -----------------------------------------------------------------

@dataclass(frozen=True)
class CertificateRow:
    volunteer: Volunteer
    status: CertificateStatus


# The most urgent first: nothing may be matched on these.
URGENCY = {
    CertificateState.EXPIRED: 0,
    CertificateState.REJECTED: 1,
    CertificateState.MISSING: 2,
    CertificateState.PENDING: 3,
    CertificateState.EXPIRING: 4,
}
OVERVIEW_STATES = tuple(URGENCY)


def certificate_overview_for(
    *, user: User, today: datetime.date, state: str = ""
) -> list[CertificateRow]:
    """Volunteers whose role needs a child-safety certificate (settings.CHILD_CERTIFICATE_ROLES)
    and whose certificate is missing, awaited, expiring, expired or not approved.

    Stopped volunteers are left out. The database drops those whose latest decided certificate
    is approved beyond the warning period; screening.certificate_status decides the rest.
    """
    if not user.has_role(*STAFF_ROLES) or not settings.CHILD_CERTIFICATE_ROLES:
        return []
    needs = Q()
    for role in settings.CHILD_CERTIFICATE_ROLES:
        needs |= _json_list_has("roles", role)
    decided = (
        ChildCertificate.objects.filter(volunteer=OuterRef("pk")).exclude(result=Result.PENDING)
        .order_by("-received_on", "-pk")
    )
    warn_until = today + datetime.timedelta(days=settings.CHILD_CERTIFICATE_WARN_DAYS)
    candidates = (
        _scoped(user).exclude(status=VolunteerStatus.STOPPED).filter(needs)
        .annotate(latest_result=Subquery(decided.values("result")[:1]),
                  latest_until=Subquery(decided.values("valid_until")[:1]))
        .filter(Q(latest_result__isnull=True) | Q(latest_result=Result.REMARKS)
                | Q(latest_until__isnull=True) | Q(latest_until__lte=warn_until))
        .select_related("branch")
        .prefetch_related(Prefetch("certificates", queryset=ChildCertificate.objects.all()))
    )
    rows = []
    for volunteer in candidates:
        status = certificate_status(list(volunteer.certificates.all()), today=today)
        if status.state in URGENCY and (not state or status.state == state):
            rows.append(CertificateRow(volunteer, status))
    rows.sort(key=lambda r: (URGENCY[r.status.state], r.status.valid_until or datetime.date.max,
                             r.volunteer.first_name, r.volunteer.last_name, r.volunteer.pk))
    return rows
