"""Reads for the household registry, always scoped to the user asking.

This module is the only place that decides who may see a household: views, exports and reports
all go through household_list_for and household_get_for.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from samspil.core.models import Role, User
from samspil.households.models import (
    Consent,
    Household,
    LifeArea,
    NeedRating,
    NeedsAssessment,
    Person,
)

# Roles that work with the registry. Volunteers, caseworkers and evaluators get their own,
# narrower views in later areas (engagements, partners, outcomes).
REGISTRY_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)


def household_list_for(*, user: User, query: str = "") -> QuerySet[Household]:
    if not user.is_authenticated or not user.has_role(*REGISTRY_ROLES):
        return Household.objects.none()
    qs = Household.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    for term in query.lower().split():
        qs = qs.filter(search_text__contains=term)
    return qs.select_related("postcode", "branch")


def household_get_for(*, user: User, pk: int) -> Household | None:
    """The household, if the user may see it; None otherwise (the caller answers 404).

    A coordinator also gets a household of her organisation outside her branches while she
    holds break-the-glass access to it (samspil/privacy, time-limited and logged)."""
    # The restriction of processing (privacy) is shown on every tab: joined, not queried again.
    household = household_list_for(user=user).select_related("restriction").filter(pk=pk).first()
    if household is None and user.is_authenticated and user.has_role(Role.COORDINATOR):
        from samspil.privacy.selectors import active_break_glass_household_ids

        household = (Household.objects.filter(organisation_id=user.organisation_id, pk=pk)
                     .filter(pk__in=active_break_glass_household_ids(user=user))
                     .select_related("postcode", "branch", "restriction").first())
    return household


def member_list(*, household: Household) -> list[Person]:
    return list(household.members.all())


def consent_list(*, household: Household) -> list[Consent]:
    return list(household.consents.select_related("person"))


def assessment_history(*, household: Household, limit: int = 6) -> list[NeedsAssessment]:
    """The newest assessments, oldest first, each with its ratings keyed by area."""
    assessments = list(
        household.assessments.select_related("assessed_by")
        .prefetch_related(Prefetch("ratings", queryset=NeedRating.objects.all()))[:limit]
    )
    assessments.reverse()
    for assessment in assessments:
        assessment.by_area = {r.area: r for r in assessment.ratings.all()}
    return assessments


def needs_table(*, assessments: list[NeedsAssessment]) -> list[dict]:
    """One row per life area with the level at each assessment, to see change over time."""
    rows = []
    for value, label in LifeArea.choices:
        cells = [a.by_area.get(value) for a in assessments]
        rows.append({"area": label, "cells": cells})
    return rows
