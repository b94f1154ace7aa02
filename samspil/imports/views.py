"""Import pages (upload, map, dry run, import with a progress bar) and the list exports.
Thin: the rules are in services, reads in selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from samspil.core.access import role_required
from samspil.core.selectors import branch_list_for
from samspil.imports import exports, selectors, services, tasks
from samspil.imports.forms import MappingForm, UploadForm
from samspil.imports.models import ImportJob

import_access = role_required(*selectors.IMPORT_ROLES, not_found_for=())


@import_access
def job_list(request):
    form = UploadForm(request.POST or None, request.FILES or None,
                      branches=branch_list_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.job_create(actor=request.user, branch=form.cleaned_data["branch"],
                                      kind=form.cleaned_data["kind"], filename=upload.name,
                                      content=upload.read())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:job_detail", pk=job.pk)
    return render(request, "imports/jobs.html", {
        "form": form, "jobs": selectors.job_list_for(user=request.user)[:20]})


def job_or_404(request, pk: int) -> ImportJob:
    job = selectors.job_get_for(user=request.user, pk=pk)
    if job is None:
        raise Http404
    return job


@import_access
def job_detail(request, pk: int):
    job = job_or_404(request, pk)
    form = None
    if job.status == ImportJob.Status.UPLOADED or (
            request.method == "POST" and job.status in (ImportJob.Status.INVALID,
                                                        ImportJob.Status.VALID)):
        form = MappingForm(request.POST or None, job=job)
        if request.method == "POST" and form.is_valid():
            try:
                services.job_map(actor=request.user, job=job, mapping=form.mapping())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                tasks.check_import.enqueue(job_id=job.pk)
                return redirect("imports:job_detail", pk=job.pk)
    template = "imports/_status.html" if request.htmx else "imports/job.html"
    return render(request, template, {"job": job, "form": form,
                                      "remap": MappingForm(job=job)
                                      if job.status == ImportJob.Status.INVALID else None})


@require_POST
@import_access
def job_confirm(request, pk: int):
    job = job_or_404(request, pk)
    try:
        services.job_confirm(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        tasks.run_import.enqueue(job_id=job.pk)
    return redirect("imports:job_detail", pk=job.pk)


@import_access
def example(request, kind: str):
    """An example file of each kind, with the usual column names."""
    return exports.example_response(kind)


@role_required(*selectors.IMPORT_ROLES)
def list_export(request, list_name: str, format: str):
    if list_name not in exports.LISTS or format not in ("xlsx", "csv"):
        raise Http404
    return exports.export_response(request, list_name, format)

