"""Thin views of the privacy area: the household's rights page, exports, break the glass."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core.access import role_required
from samspil.core.models import AuditEvent, Role
from samspil.core.service_errors import add_service_errors
from samspil.core.services import audit_record
from samspil.privacy import selectors, services
from samspil.privacy.forms import BreakGlassForm, ErasureForm, RestrictionForm

privacy_access = role_required(*selectors.PRIVACY_ROLES, not_found_for=(Role.EVALUATOR,))


def _household_or_404(request, pk: int):
    household = selectors.household_for_privacy(user=request.user, pk=pk)
    if household is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="households.household", object_id=pk, household_id=pk)
        raise Http404
    return household


@privacy_access
def household(request, pk: int):
    item = _household_or_404(request, pk)
    return render(request, "privacy/household.html", {
        "household": item,
        "restriction": selectors.restriction_for(item),
        "erasure": selectors.erasure_for(item),
        "restriction_form": RestrictionForm(),
        "followup_consents": selectors.followup_consents(item),
        "is_admin": request.user.has_role(Role.ORG_ADMIN),
    })


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@privacy_access
def export_json(request, pk: int):
    item = _household_or_404(request, pk)
    content = services.access_export_json(actor=request.user, household=item)
    return _attachment(content, "application/json", f"samspil-household-{item.pk}.json")


@privacy_access
def export_pdf(request, pk: int):
    item = _household_or_404(request, pk)
    content = services.access_export_pdf(actor=request.user, household=item)
    return _attachment(content, "application/pdf", f"samspil-household-{item.pk}.pdf")


@privacy_access
@require_POST
def restrict(request, pk: int):
    item = _household_or_404(request, pk)
    form = RestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.restriction_set(actor=request.user, household=item,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Processing of the household is now restricted."))
    else:
        messages.error(request, _("Write why processing is restricted."))
    return redirect("privacy:household", pk=item.pk)


@role_required(Role.ORG_ADMIN, not_found_for=(Role.EVALUATOR,))
@require_POST
def lift(request, pk: int):
    item = _household_or_404(request, pk)
    try:
        services.restriction_lift(actor=request.user, household=item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The restriction has been lifted."))
    return redirect("privacy:household", pk=item.pk)


@role_required(Role.ORG_ADMIN, not_found_for=(Role.EVALUATOR,))
def erase(request, pk: int):
    item = _household_or_404(request, pk)
    form = ErasureForm(request.POST or None, household_id=item.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_erase(actor=request.user, household=item)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The household's personal data have been erased."))
            return redirect("privacy:household", pk=item.pk)
    return render(request, "privacy/erase.html", {"household": item, "form": form})


@role_required(Role.COORDINATOR)
def break_glass(request):
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass(actor=request.user,
                                         household_id=form.cleaned_data["household"],
                                         reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("You have access to the household until %(time)s.")
                             % {"time": timezone.localtime(grant.expires_at).strftime("%H:%M")})
            return redirect("households:detail", pk=grant.household_id)
    return render(request, "privacy/break_glass.html", {
        "form": form, "grants": selectors.break_glass_list_for(user=request.user)[:20],
    })


@role_required(Role.ORG_ADMIN)
def overview(request):
    return render(request, "privacy/overview.html", {
        "grants": selectors.break_glass_list_for(user=request.user)[:100],
        "restrictions": selectors.restriction_list_for(user=request.user)[:100],
        "erasures": selectors.erasure_list_for(user=request.user)[:100],
    })


@privacy_access
@require_POST
def followup_withdraw(request, pk: int):
    """The family no longer wants to be contacted about follow-up help after Christmas aid."""
    item = _household_or_404(request, pk)
    from samspil.christmas import services as christmas_services

    for application in selectors.followup_consents(item):
        christmas_services.followup_consent_withdraw(actor=request.user, application=application)
    messages.success(request, _("The family will not be contacted about follow-up help."))
    return redirect("privacy:household", pk=item.pk)
