"""Reads for imports and exports, scoped to the user asking: an import is its organisation's,
and only organisation administrators and coordinators (of the import's branch) see it."""

from __future__ import annotations

from django.db.models import QuerySet

from samspil.core.models import Role, User
from samspil.imports.models import ColumnMapping, ImportJob

IMPORT_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)


def job_list_for(*, user: User) -> QuerySet[ImportJob]:
    if not user.is_authenticated or not user.has_role(*IMPORT_ROLES):
        return ImportJob.objects.none()
    qs = ImportJob.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        qs = qs.filter(branch__in=user.branches.all())
    return qs.select_related("branch", "created_by").defer("content")


def job_get_for(*, user: User, pk: int) -> ImportJob | None:
    return job_list_for(user=user).filter(pk=pk).first()


def saved_mapping(*, user: User, kind: str) -> dict[str, str]:
    found = ColumnMapping.objects.filter(organisation_id=user.organisation_id, kind=kind).first()
    return found.columns if found else {}
