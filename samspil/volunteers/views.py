"""Thin views for volunteers: validate with forms, read with selectors, write with services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core.access import role_required
from samspil.core.models import AuditEvent
from samspil.core.selectors import branch_list_for
from samspil.core.service_errors import add_service_errors
from samspil.core.services import audit_record
from samspil.engagements.matching.eligibility import volunteer_load
from samspil.volunteers import selectors, services
from samspil.volunteers.forms import (
    CertificateAssessForm,
    CertificateForm,
    ScreeningForm,
    VolunteerForm,
    slot_formset,
)
from samspil.volunteers.models import ChildCertificate, Volunteer, VolunteerRole, VolunteerStatus
from samspil.volunteers.screening import (
    CertificateState,
    certificate_status,
    role_needs_certificate,
)
from samspil.volunteers.selectors import PROFILE_ROLES, STAFF_ROLES

staff_access = role_required(*STAFF_ROLES)
profile_access = role_required(*PROFILE_ROLES)
Action = AuditEvent.Action


def volunteer_or_404(request, pk: int, *, log_view: bool = True) -> Volunteer:
    """The gatekeeper: the only way a view loads a volunteer from an id in the URL."""
    volunteer = selectors.volunteer_get_for(user=request.user, pk=pk)
    if volunteer is None:
        audit_record(actor=request.user, action=Action.DENIED,
                     object_type="volunteers.volunteer", object_id=pk)
        raise Http404
    if log_view and request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW, object_type="volunteers.volunteer",
                     object_id=pk, object_label=volunteer.full_name)
    return volunteer


def needs_certificate(volunteer: Volunteer) -> bool:
    return any(role_needs_certificate(role) for role in volunteer.roles)


@staff_access
def volunteer_list(request):
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    role = request.GET.get("role", "")
    volunteers = selectors.with_load(
        selectors.volunteer_list_for(user=request.user, query=query, status=status, role=role)
    )
    page = Paginator(volunteers, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list.prefetch_related("certificates"))
    today = timezone.localdate()
    for volunteer in page.object_list:
        volunteer.certificate = (
            certificate_status(list(volunteer.certificates.all()), today=today)
            if needs_certificate(volunteer) else None
        )
    if query:
        audit_record(actor=request.user, action=Action.SEARCH,
                     object_type="volunteers.volunteer", summary=query)
    context = {
        "page": page, "query": query, "status": status, "role": role,
        "statuses": VolunteerStatus.choices, "roles": VolunteerRole.choices,
        "filtered": bool(query or status or role),
    }
    if request.htmx and request.htmx.target == "volunteer-results":
        return render(request, "volunteers/_results.html", context)
    return render(request, "volunteers/list.html", context)


@staff_access
def volunteer_create(request):
    branches = branch_list_for(user=request.user)
    if not branches.exists():
        messages.error(request, _("You are not attached to a branch, so you cannot register."))
        return redirect("volunteers:list")
    form = VolunteerForm(request.POST or None, branches=branches,
                         users=selectors.volunteer_user_choices_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(actor=request.user, values=form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The volunteer has been registered."))
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(request, "volunteers/create.html", {"form": form})


@profile_access
def volunteer_detail(request, pk: int):
    volunteer = volunteer_or_404(request, pk)
    certificates = selectors.certificate_list(volunteer=volunteer)
    return render(request, "volunteers/detail.html", {
        "volunteer": volunteer,
        "slots": selectors.slot_list(volunteer=volunteer),
        "certificate": certificate_status(certificates, today=timezone.localdate()),
        "needs_certificate": needs_certificate(volunteer),
        "load": volunteer_load(volunteer),
        "is_staff": request.user.has_role(*STAFF_ROLES),
    })


@staff_access
def volunteer_edit(request, pk: int):
    volunteer = volunteer_or_404(request, pk)
    form = VolunteerForm(
        request.POST or None, instance=volunteer, branches=branch_list_for(user=request.user),
        users=selectors.volunteer_user_choices_for(user=request.user, volunteer=volunteer),
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        volunteer.refresh_from_db()  # the form wrote onto the instance; compare with stored
        try:
            services.volunteer_update(actor=request.user, volunteer=volunteer, values=values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The volunteer has been saved."))
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(request, "volunteers/edit.html", {"form": form, "volunteer": volunteer})


@staff_access
def volunteer_availability(request, pk: int):
    volunteer = volunteer_or_404(request, pk)
    formset = slot_formset(data=request.POST or None,
                           slots=selectors.slot_list(volunteer=volunteer))
    if request.method == "POST" and formset.is_valid():
        try:
            services.availability_set(actor=request.user, volunteer=volunteer,
                                      slots=formset.slots())
        except ValidationError as exc:
            formset.non_form_errors().extend(exc.messages)
        else:
            messages.success(request, _("The availability has been saved."))
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(request, "volunteers/availability.html", {
        "volunteer": volunteer, "formset": formset,
    })


@staff_access
def slot_row(request):
    """An empty time slot for the availability page (htmx 'Add time slot')."""
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 49))
    except ValueError:
        index = 0
    form = slot_formset().empty_form
    form.prefix = f"slots-{index}"
    form.fields["DELETE"].label = _("Remove")
    return render(request, "volunteers/_slot_form.html", {"form": form, "index": index})


def _screening_page(request, volunteer: Volunteer, *, certificate_form=None,
                    screening_form=None, status: int = 200):
    certificates = selectors.certificate_list(volunteer=volunteer)
    return render(request, "volunteers/screening.html", {
        "volunteer": volunteer,
        "certificates": certificates,
        "certificate": certificate_status(certificates, today=timezone.localdate()),
        "needs_certificate": needs_certificate(volunteer),
        "certificate_form": certificate_form or CertificateForm(),
        "screening_form": screening_form or ScreeningForm(initial={
            "confidentiality_signed_on": volunteer.confidentiality_signed_on,
            "training_completed_on": volunteer.training_completed_on,
        }),
    }, status=status)


@staff_access
def volunteer_screening(request, pk: int):
    """The certificates' history and a new certificate (GET shows, POST records one)."""
    volunteer = volunteer_or_404(request, pk)
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_record(actor=request.user, volunteer=volunteer,
                                        **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The child-safety certificate has been recorded."))
            return redirect("volunteers:screening", pk=volunteer.pk)
    return _screening_page(request, volunteer, certificate_form=form)


@staff_access
@require_POST
def screening_dates(request, pk: int):
    """The confidentiality declaration and the introduction training."""
    volunteer = volunteer_or_404(request, pk)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        try:
            services.screening_record(actor=request.user, volunteer=volunteer,
                                      **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The screening has been saved."))
            return redirect("volunteers:screening", pk=volunteer.pk)
    return _screening_page(request, volunteer, screening_form=form)


@staff_access
def certificate_assess(request, pk: int, certificate_pk: int):
    """The answer to a requested certificate: received, checked, approved or not."""
    volunteer = volunteer_or_404(request, pk)
    certificate = get_object_or_404(volunteer.certificates, pk=certificate_pk,
                                    result=ChildCertificate.Result.PENDING)
    form = CertificateAssessForm(request.POST or None, instance=certificate)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_assess(actor=request.user, certificate=certificate,
                                        **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer has been recorded."))
            return redirect("volunteers:screening", pk=volunteer.pk)
    return render(request, "volunteers/certificate_assess.html", {
        "volunteer": volunteer, "certificate": certificate, "form": form,
    })


@staff_access
def certificate_overview(request):
    """Missing and ageing child-safety certificates in the user's branches."""
    state = request.GET.get("state", "")
    if state not in selectors.OVERVIEW_STATES:
        state = ""
    rows = selectors.certificate_overview_for(user=request.user, today=timezone.localdate(),
                                              state=state)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "volunteers/certificates.html", {
        "page": page, "state": state,
        "states": [(s, CertificateState.LABELS[s]) for s in selectors.OVERVIEW_STATES],
        "roles": [VolunteerRole(r).label for r in settings.CHILD_CERTIFICATE_ROLES
                  if r in VolunteerRole.values],
        "warn_days": settings.CHILD_CERTIFICATE_WARN_DAYS,
        "age_limit": settings.CHILD_CERTIFICATE_AGE_LIMIT,
    })
