"""The dry run and the import in the background (django-tasks; `manage.py db_worker` runs
them). views.job_detail polls the ImportJob's progress while they run."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from samspil.imports import services
from samspil.imports.models import ImportJob

log = logging.getLogger(__name__)


def _progress(job_id: int):
    def progress(percent: int, step: str) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=min(percent, 99), step=step[:100])
    return progress


def _run(job_id: int, step) -> dict:
    job = ImportJob.objects.select_related("created_by", "branch").get(pk=job_id)
    try:
        job = step(job, _progress(job_id))
    except Exception:
        log.exception("Import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED,
                                                   finished_at=timezone.now())
        raise
    return {"status": job.status, "problems": job.problem_count, **job.created}


@task()
def check_import(*, job_id: int) -> dict:
    return _run(job_id, services.check)


@task()
def run_import(*, job_id: int) -> dict:
    return _run(job_id, services.run)
