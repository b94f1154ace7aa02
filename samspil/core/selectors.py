"""Reads for organisations, branches and the audit log, always scoped to the user asking."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from samspil.core.models import AuditEvent, Branch, Role, User


def branch_list_for(*, user: User) -> QuerySet[Branch]:
    """Branches the user may register households in."""
    if not user.is_authenticated or user.organisation_id is None:
        return Branch.objects.none()
    qs = Branch.objects.filter(organisation_id=user.organisation_id).select_related(
        "municipality"
    )
    if user.role == Role.ORG_ADMIN:
        return qs
    if user.role == Role.COORDINATOR:
        return qs.filter(pk__in=user.branches.values("pk"))
    return qs.none()


def audit_event_list_for_organisation(*, user: User) -> QuerySet[AuditEvent]:
    """The organisation's whole log: organisation administrators only."""
    if not user.has_role(Role.ORG_ADMIN):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organisation_id=user.organisation_id).select_related("actor")


def audit_event_list_for_household(*, household_id: int) -> QuerySet[AuditEvent]:
    """The log of one household. The caller must already have been given the household by
    households.selectors.household_get_for, which is where access is decided."""
    return AuditEvent.objects.filter(household_id=household_id).select_related("actor")


def audit_event_search(events: QuerySet[AuditEvent], *, text: str = "", household=None,
                       since=None, until=None, **_ignored) -> QuerySet[AuditEvent]:
    """Narrow a log already scoped to the user: words in what/whom it concerns or the search
    term, one household's number, a date range."""
    for word in (text or "").split()[:5]:
        events = events.filter(Q(object_label__icontains=word) | Q(summary__icontains=word)
                               | Q(purpose__icontains=word))
    if household:
        events = events.filter(household_id=household)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events
