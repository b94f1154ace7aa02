"""Retention of Christmas-aid applications.

An application that never became a household (rejected, or never decided) is deleted
``settings.CHRISTMAS_RETENTION_MONTHS`` months after its round closed, with its duplicate links,
overlaps and offers. Granted applications stay as the documentation of the grant; the family's
data live on in the registry under the registry's own rules. The privacy area calls
``prune_applications``; ``manage.py christmas_prune_applications`` runs it from cron.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samspil.christmas.models import Application
from samspil.core.services import audit_record


def cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now - relativedelta(months=settings.CHRISTMAS_RETENTION_MONTHS)


@transaction.atomic
def prune_applications(*, now: datetime.datetime | None = None) -> int:
    """Delete applications without a household whose round closed before the cut-off."""
    doomed = Application.objects.filter(household__isnull=True,
                                        round__closes_at__lt=cutoff(now))
    count = doomed.count()
    if count:
        doomed.delete()
        audit_record(actor=None, action="delete", object_type="christmas.application",
                     summary=f"retention: {count} applications deleted")
    return count
