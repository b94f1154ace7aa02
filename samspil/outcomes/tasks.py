"""The evaluator's export in the background (django-tasks; `manage.py db_worker` runs it).
views.export_detail polls the Export row's progress while it runs."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from samspil.outcomes import export as export_module
from samspil.outcomes.models import Export

log = logging.getLogger(__name__)


@task()
def build_export(*, export_id: int) -> dict:
    export = Export.objects.select_related("programme").get(pk=export_id)
    export.status = Export.Status.RUNNING
    export.save(update_fields=["status"])

    def progress(percent: int, step: str):
        Export.objects.filter(pk=export_id).update(progress=percent, step=step)

    try:
        counts = export_module.build(export, progress)
    except Exception:
        log.exception("Export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(status=Export.Status.FAILED)
        raise
    seconds = counts.pop("seconds")
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.DONE, progress=100, step="", row_counts=counts, seconds=seconds,
        finished_at=timezone.now())
    return counts


@task()
def refresh_figures(*, programme_id: int) -> dict:
    """Recompute a programme's stored figures (queued by services.figures_refresh_request
    when data change, when the day changes, or from the dashboard's Refresh button)."""
    from samspil.outcomes import services
    from samspil.outcomes.models import Programme

    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        return {}
    snapshot = services.figures_refresh(programme=programme)
    return {"programme": programme_id, "seconds": snapshot.seconds}
