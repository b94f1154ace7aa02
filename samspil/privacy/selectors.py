"""Reads of the privacy area, scoped to the user asking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from samspil.core.models import Role, User
from samspil.households.models import Household
from samspil.households.selectors import household_get_for
from samspil.privacy.models import BreakGlass, Erasure, Restriction

PRIVACY_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)


def household_for_privacy(*, user: User, pk: int) -> Household | None:
    """The household for its privacy page: whoever may open it in the registry."""
    if not user.has_role(*PRIVACY_ROLES):
        return None
    return household_get_for(user=user, pk=pk)


def restriction_for(household: Household) -> Restriction | None:
    return Restriction.objects.filter(household=household).select_related("by").first()


def erasure_for(household: Household) -> Erasure | None:
    return Erasure.objects.filter(household_id=household.pk).first()


def active_break_glass_household_ids(*, user: User) -> QuerySet:
    return BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now(),
                                     household__organisation_id=user.organisation_id
                                     ).values("household_id")


def break_glass_list_for(*, user: User) -> QuerySet[BreakGlass]:
    """Administrators: every grant in the organisation; coordinators: their own."""
    qs = BreakGlass.objects.filter(user__organisation_id=user.organisation_id).select_related(
        "user", "household")
    if user.has_role(Role.ORG_ADMIN):
        return qs
    if user.has_role(Role.COORDINATOR):
        return qs.filter(user=user)
    return qs.none()


def restriction_list_for(*, user: User) -> QuerySet[Restriction]:
    if not user.has_role(Role.ORG_ADMIN):
        return Restriction.objects.none()
    return Restriction.objects.filter(
        household__organisation_id=user.organisation_id).select_related("household", "by")


def erasure_list_for(*, user: User) -> QuerySet[Erasure]:
    if not user.has_role(Role.ORG_ADMIN):
        return Erasure.objects.none()
    return Erasure.objects.filter(organisation_id=user.organisation_id)


def followup_consents(household: Household) -> list:
    """The household's Christmas-aid applications that allow contact about follow-up help."""
    return list(household.christmas_applications.filter(consent_followup=True)
                .select_related("round"))
