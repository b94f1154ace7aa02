"""Thin views for the registry: validate with forms, read with selectors, write with services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from samspil.core.access import role_required
from samspil.core.models import AuditEvent, Postcode, Role
from samspil.core.selectors import audit_event_list_for_household, branch_list_for
from samspil.core.services import audit_record, mask_cpr_like
from samspil.households import selectors, services
from samspil.households.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    HouseholdForm,
    NeedsAssessmentForm,
    member_formset,
)
from samspil.households.models import Household
from samspil.households.selectors import REGISTRY_ROLES

# An evaluator gets 404 on household pages: they are not there for her (issue 5).
registry_access = role_required(*REGISTRY_ROLES, not_found_for=(Role.EVALUATOR,))
Action = AuditEvent.Action
# CPR numbers are typed into the member forms; keep them out of error reports.
hide_cpr = sensitive_post_parameters(*[f"members-{i}-cpr" for i in range(30)])


def household_or_404(request, pk: int, *, log_view: bool = True) -> Household:
    """The gatekeeper: the only way a view loads a household from an id in the URL."""
    household = selectors.household_get_for(user=request.user, pk=pk)
    if household is None:
        audit_record(
            actor=request.user, action=Action.DENIED, object_type="households.household",
            object_id=pk, household_id=pk,
        )
        raise Http404
    if log_view and request.method == "GET":
        audit_record(
            actor=request.user, action=Action.VIEW, object_type="households.household",
            object_id=pk, household_id=pk, object_label=household.display_name,
        )
    return household


@registry_access
def household_list(request):
    # A CPR number typed into the search box is never written back into the page (nor the log).
    query = mask_cpr_like(request.GET.get("q", "").strip()[:100])
    households = selectors.household_list_for(user=request.user, query=query)
    page = Paginator(households, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list.prefetch_related("members"))
    if query:
        audit_record(
            actor=request.user, action=Action.SEARCH, object_type="households.household",
            summary=query,
        )
    context = {"page": page, "query": query}
    if request.htmx and request.htmx.target == "household-results":
        return render(request, "households/_results.html", context)
    return render(request, "households/list.html", context)


@registry_access
@hide_cpr
def household_create(request):
    branches = branch_list_for(user=request.user)
    if not branches.exists():
        messages.error(request, _("You are not attached to a branch, so you cannot register."))
        return redirect("households:list")
    form = HouseholdForm(request.POST or None, branches=branches)
    formset = member_formset(data=request.POST or None, extra=1)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        household = services.household_create(
            actor=request.user, values=form.values(),
            members=formset.changes().created,
        )
        messages.success(request, _("The household has been registered."))
        return redirect("households:detail", pk=household.pk)
    return render(request, "households/create.html", {"form": form, "formset": formset})


@registry_access
def member_row(request):
    """An empty member form for the create and members pages (htmx 'Add member')."""
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 29))
    except ValueError:
        index = 0
    formset = member_formset(extra=1)
    form = formset.empty_form
    form.prefix = f"members-{index}"
    return render(request, "households/_member_form.html", {"form": form, "index": index})


@registry_access
def postcode_town(request):
    """The town and main municipality for a postcode as it is typed (htmx hint)."""
    code = request.GET.get("postcode", "").strip()
    postcode = None
    if code.isdigit() and len(code) == 4:
        postcode = Postcode.objects.select_related("municipality").filter(code=code).first()
    return render(request, "households/_postcode_town.html", {"postcode": postcode, "code": code})


@registry_access
def household_detail(request, pk: int):
    household = household_or_404(request, pk)
    assessments = selectors.assessment_history(household=household, limit=1)
    return render(request, "households/detail.html", {
        "household": household,
        "members": selectors.member_list(household=household),
        "consents": [c for c in selectors.consent_list(household=household) if c.is_active],
        "latest": assessments[-1] if assessments else None,
    })


@registry_access
def household_edit(request, pk: int):
    household = household_or_404(request, pk)
    branches = branch_list_for(user=request.user)
    form = HouseholdForm(request.POST or None, instance=household, branches=branches)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        household.refresh_from_db()  # the form wrote onto the instance; compare with stored
        services.household_update(actor=request.user, household=household, values=values)
        messages.success(request, _("The household has been saved."))
        return redirect("households:detail", pk=household.pk)
    return render(request, "households/edit.html", {"form": form, "household": household})


@registry_access
@hide_cpr
def household_members(request, pk: int):
    household = household_or_404(request, pk)
    formset = member_formset(
        data=request.POST or None, queryset=household.members.all(), extra=0
    )
    if request.method == "POST" and formset.is_valid():
        services.household_members_save(
            actor=request.user, household=household, changes=formset.changes()
        )
        messages.success(request, _("The members have been saved."))
        return redirect("households:detail", pk=household.pk)
    return render(request, "households/members.html", {
        "household": household, "formset": formset,
    })


@registry_access
def household_consents(request, pk: int):
    household = household_or_404(request, pk)
    form = ConsentForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        services.consent_record(actor=request.user, household=household, **form.cleaned_data)
        messages.success(request, _("The consent has been recorded."))
        return redirect("households:consents", pk=household.pk)
    return render(request, "households/consents.html", {
        "household": household, "form": form,
        "consents": selectors.consent_list(household=household),
    })


@registry_access
@require_POST
def consent_withdraw(request, pk: int, consent_pk: int):
    household = household_or_404(request, pk)
    consent = get_object_or_404(household.consents, pk=consent_pk, withdrawn_on__isnull=True)
    form = ConsentWithdrawForm(request.POST, consent=consent)
    if form.is_valid():
        services.consent_withdraw(
            actor=request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
        )
        messages.success(request, _("The consent has been withdrawn."))
    else:
        for error in form.errors.get("withdrawn_on", []):
            messages.error(request, error)
    return redirect("households:consents", pk=household.pk)


@registry_access
def household_needs(request, pk: int):
    household = household_or_404(request, pk)
    form = NeedsAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.needs_assessment_record(
            actor=request.user, household=household,
            assessed_on=form.cleaned_data["assessed_on"], ratings=form.ratings(),
        )
        messages.success(request, _("The needs assessment has been recorded."))
        return redirect("households:needs", pk=household.pk)
    assessments = selectors.assessment_history(household=household)
    return render(request, "households/needs.html", {
        "household": household, "form": form, "assessments": assessments,
        "rows": selectors.needs_table(assessments=assessments),
    })


@registry_access
def household_audit(request, pk: int):
    household = household_or_404(request, pk, log_view=False)
    events = audit_event_list_for_household(household_id=household.pk)
    action = request.GET.get("action", "")
    if action in Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "households/audit.html", {
        "household": household, "page": page, "action": action, "actions": Action.choices,
    })
