"""Reads for outcomes, always scoped to the user asking."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from samspil.core.models import Role, User
from samspil.engagements.selectors import engagement_list_for
from samspil.outcomes.models import Export, Programme, Questionnaire
from samspil.outcomes.schedule import DUE_AHEAD_DAYS, OVERDUE_DAYS

# Who sees a programme's dashboard (with the figures policy of outcomes.figures.policy_for).
DASHBOARD_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.EVALUATOR)
# Who sees and answers due questionnaires: for the engagements they may see.
QUESTIONNAIRE_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.VOLUNTEER)


def programme_list_for(*, user: User) -> QuerySet[Programme]:
    if not user.is_authenticated or not user.has_role(*DASHBOARD_ROLES):
        return Programme.objects.none()
    return Programme.objects.filter(organisation_id=user.organisation_id)


def programme_get_for(*, user: User, pk: int) -> Programme | None:
    return programme_list_for(user=user).filter(pk=pk).first()


def questionnaire_list_for(*, user: User) -> QuerySet[Questionnaire]:
    """Questionnaires of the engagements the user may see (engagements.selectors decides)."""
    if not user.is_authenticated or not user.has_role(*QUESTIONNAIRE_ROLES):
        return Questionnaire.objects.none()
    return Questionnaire.objects.filter(
        engagement__in=engagement_list_for(user=user).values("pk")
    ).select_related("engagement__household", "engagement__branch", "person", "instrument")


def due_list_for(*, user: User, today: datetime.date, overdue: bool = False
                 ) -> QuerySet[Questionnaire]:
    """Unanswered questionnaires due by DUE_AHEAD_DAYS from today (overdue: due more than
    OVERDUE_DAYS ago), the oldest first."""
    qs = questionnaire_list_for(user=user).filter(answered_at__isnull=True)
    if overdue:
        qs = qs.filter(due_on__lt=today - datetime.timedelta(days=OVERDUE_DAYS))
    else:
        qs = qs.filter(due_on__lte=today + datetime.timedelta(days=DUE_AHEAD_DAYS),
                       due_on__gte=today - datetime.timedelta(days=OVERDUE_DAYS))
    return qs.order_by("due_on", "id")


def questionnaire_get_for(*, user: User, pk: int) -> Questionnaire | None:
    return questionnaire_list_for(user=user).filter(pk=pk).first()


def export_list_for(*, user: User) -> QuerySet[Export]:
    """An evaluator's own exports; nobody else's."""
    if not user.is_authenticated or not user.has_role(Role.EVALUATOR):
        return Export.objects.none()
    return Export.objects.filter(requested_by=user,
                                 programme__organisation_id=user.organisation_id
                                 ).select_related("programme")


def export_get_for(*, user: User, pk: int) -> Export | None:
    return export_list_for(user=user).filter(pk=pk).first()


def household_questionnaires_for(*, user: User, household) -> QuerySet[Questionnaire]:
    """The questionnaires of one household's engagements that the user may see (the household
    page's Outcomes tab), the latest due first."""
    return (questionnaire_list_for(user=user).filter(engagement__household=household)
            .order_by("-due_on", "-id"))
