"""Thin views for partners, referrals, the shared plan and the caseworkers' pages.

Coordinators and organisation administrators keep the partner register and the referrals.
Caseworkers get their own pages here, and reach a household only through
caseworker_household_or_404 (the plan pages through plan_household_or_404), which ask the
partners selector on every request and audit every refusal.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samspil.core.access import role_required
from samspil.core.models import AuditEvent, Role
from samspil.core.service_errors import add_service_errors
from samspil.core.services import audit_record
from samspil.households.models import Household
from samspil.households.views import household_or_404
from samspil.partners import selectors, services
from samspil.partners.forms import (
    MOVES,
    ActionStatusForm,
    AgreementForm,
    ContactForm,
    PartnerForm,
    PlanActionForm,
    PlanGoalForm,
    PlanReviewForm,
    ReferralFilterForm,
    ReferralForm,
    ReferralMoveForm,
)
from samspil.partners.models import (
    ENGAGEMENT_HELP,
    REFERRAL_TRANSITIONS,
    Direction,
    Partner,
    PlanGoal,
    Referral,
    SharedField,
)
from samspil.partners.selectors import PARTNER_ROLES, PLAN_ROLES

Action = AuditEvent.Action
partner_access = role_required(*PARTNER_ROLES)
plan_access = role_required(*PLAN_ROLES)
caseworker_access = role_required(Role.CASEWORKER)


def _deny(request, object_type: str, pk, household_id=None, summary: str = "") -> None:
    audit_record(actor=request.user, action=Action.DENIED, object_type=object_type,
                 object_id=pk, household_id=household_id, summary=summary)


def _codes(error: ValidationError) -> list[str]:
    errors = ([e for es in error.error_dict.values() for e in es]
              if hasattr(error, "error_dict") else error.error_list)
    return sorted({e.code or "invalid" for e in errors})


def caseworker_household_or_404(request, pk: int) -> Household:
    """The gatekeeper for caseworkers: consent and municipality are checked on every request."""
    household = selectors.caseworker_household_get_for(user=request.user, pk=pk)
    if household is None:
        _deny(request, "households.household", pk, household_id=pk)
        raise Http404
    return household


def plan_household_or_404(request, pk: int) -> Household:
    """The household of a plan page: the registry's gatekeeper for the organisation's people,
    the caseworkers' for caseworkers."""
    if request.user.role == Role.CASEWORKER:
        household = caseworker_household_or_404(request, pk)
    else:
        household = household_or_404(request, pk, log_view=False)
    if request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW, object_type="partners.familyplan",
                     object_id=pk, household_id=household.pk,
                     object_label=household.display_name)
    return household


def partner_or_404(request, pk: int) -> Partner:
    partner = selectors.partner_get_for(user=request.user, pk=pk)
    if partner is None:
        _deny(request, "partners.partner", pk)
        raise Http404
    return partner


def referral_or_404(request, pk: int) -> Referral:
    referral = selectors.referral_get_for(user=request.user, pk=pk)
    if referral is None:
        household_id = Referral.objects.filter(pk=pk).values_list("household_id",
                                                                  flat=True).first()
        _deny(request, "partners.referral", pk, household_id=household_id)
        raise Http404
    return referral


# --- partners --------------------------------------------------------------------------------

@partner_access
def partner_list(request):
    partners = selectors.partner_list_for(user=request.user)
    return render(request, "partners/list.html", {"partners": partners, "tab": "partners"})


@partner_access
def partner_create(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(actor=request.user, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partner has been saved."))
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/edit.html", {"form": form, "partner": None})


@partner_access
def partner_edit(request, pk: int):
    partner = partner_or_404(request, pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        partner.refresh_from_db()
        try:
            services.partner_update(actor=request.user, partner=partner, values=values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partner has been saved."))
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/edit.html", {"form": form, "partner": partner})


def _render_partner(request, partner: Partner, *, contact_form=None, agreement_form=None):
    return render(request, "partners/detail.html", {
        "partner": partner,
        "contacts": list(partner.contacts.all()),
        "agreements": list(partner.agreements.all()),
        "today": timezone.localdate(),
        "contact_form": contact_form or ContactForm(prefix="contact"),
        "agreement_form": agreement_form or AgreementForm(prefix="agreement"),
        "referral_count": partner.referrals.count(),
    })


@partner_access
def partner_detail(request, pk: int):
    return _render_partner(request, partner_or_404(request, pk))


@partner_access
@require_POST
def contact_add(request, pk: int):
    partner = partner_or_404(request, pk)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        services.contact_add(actor=request.user, partner=partner, **form.cleaned_data)
        messages.success(request, _("The contact person has been added."))
        return redirect("partners:detail", pk=partner.pk)
    return _render_partner(request, partner, contact_form=form)


@partner_access
@require_POST
def agreement_add(request, pk: int):
    partner = partner_or_404(request, pk)
    form = AgreementForm(request.POST, prefix="agreement")
    if form.is_valid():
        try:
            services.agreement_add(actor=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement has been added."))
            return redirect("partners:detail", pk=partner.pk)
    return _render_partner(request, partner, agreement_form=form)


# --- referrals -------------------------------------------------------------------------------

@partner_access
def referral_list(request):
    form = ReferralFilterForm(request.GET or None)
    referrals = selectors.referral_list_for(user=request.user, **form.filters())
    page = Paginator(referrals, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/referrals.html", {
        "form": form, "page": page, "tab": "referrals",
    })


@partner_access
def household_partners(request, household_pk: int):
    """The household's tab: its referrals both ways and the way to its shared plan."""
    household = household_or_404(request, household_pk)
    return render(request, "partners/household.html", {
        "household": household, "tab": "partners",
        "referrals": list(selectors.referral_list_for(user=request.user,
                                                      household=household.pk)),
        "plan": selectors.plan_for(household=household),
        "has_consent": selectors.active_municipality_consent(household.pk).exists(),
    })


def _audit_foreign_partner(request, form: ReferralForm, household: Household) -> None:
    """A partner id of another organisation (the form refuses it): audit the attempt."""
    raw = request.POST.get("partner", "")
    if "partner" in form.errors and raw.isdigit() and len(raw) < 19 and Partner.objects.filter(
            pk=int(raw)).exclude(organisation_id=request.user.organisation_id).exists():
        _deny(request, "partners.partner", raw, household_id=household.pk,
              summary="referral to a partner of another organisation")


@partner_access
def referral_create(request, household_pk: int, direction: str):
    household = household_or_404(request, household_pk, log_view=False)
    partners = selectors.partner_list_for(user=request.user, active_only=True)
    form = ReferralForm(request.POST or None, household=household, direction=direction,
                        partners=partners)
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_create(
                    actor=request.user, household=household, direction=direction,
                    **form.values())
            except ValidationError as error:
                add_service_errors(form, error)
                _deny(request, "partners.referral", "", household_id=household.pk,
                      summary="referral refused: " + ", ".join(_codes(error)))
            else:
                messages.success(request, _("The referral has been sent.")
                                 if direction == Direction.OUT
                                 else _("The referral has been registered."))
                return redirect("partners:referral_detail", pk=referral.pk)
        else:
            _audit_foreign_partner(request, form, household)
            if "consent" in form.errors:
                _deny(request, "partners.referral", "", household_id=household.pk,
                      summary="referral without the family's consent")
    return render(request, "partners/refer.html", {
        "household": household, "form": form, "direction": direction,
        "has_consent": selectors.active_municipality_consent(household.pk).exists(),
    })


MOVE_TITLES = {
    "receive": gettext_lazy("Mark as received"),
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "complete": gettext_lazy("Complete with an outcome"),
}


def _move_forms(referral: Referral, bound: ReferralMoveForm | None) -> list[dict]:
    allowed = REFERRAL_TRANSITIONS[referral.status]
    moves = []
    for name, status in MOVES.items():
        if status not in allowed:
            continue
        form = bound if bound is not None and bound.data.get("move") == name else \
            ReferralMoveForm(move=name)
        moves.append({"name": name, "form": form, "title": MOVE_TITLES[name]})
    return moves


def _render_referral(request, referral: Referral, bound: ReferralMoveForm | None = None):
    return render(request, "partners/referral_detail.html", {
        "referral": referral, "household": referral.household,
        "shared": [SharedField(f).label for f in referral.shared_fields if f in
                   SharedField.values],
        "history": list(referral.history.select_related("by")),
        "moves": _move_forms(referral, bound),
        "starts_engagement": referral.direction == Direction.IN
        and referral.help_kind in ENGAGEMENT_HELP,
    })


@partner_access
def referral_detail(request, pk: int):
    referral = referral_or_404(request, pk)
    audit_record(actor=request.user, action=Action.VIEW, object_type="partners.referral",
                 object_id=pk, household_id=referral.household_id,
                 object_label=referral.partner.name)
    return _render_referral(request, referral)


@partner_access
@require_POST
def referral_move(request, pk: int):
    referral = referral_or_404(request, pk)
    move = request.POST.get("move", "")
    form = ReferralMoveForm(request.POST, move=move if move in MOVES else "")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_transition(
                actor=request.user, referral=referral, to_status=form.to_status,
                on=data["on"], reason=data.get("reason", ""), outcome=data.get("outcome", ""),
                note=data.get("note", ""))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The referral has been updated."))
            return redirect("partners:referral_detail", pk=referral.pk)
    if not form.is_bound or "move" in form.errors:
        messages.error(request, _("Choose one of the moves on the page."))
        return redirect("partners:referral_detail", pk=referral.pk)
    return _render_referral(request, referral, bound=form)


# --- the shared plan -------------------------------------------------------------------------

def _render_plan(request, household: Household, *, goal_form=None, action_form=None,
                 review_form=None, status=200):
    plan = selectors.plan_for(household=household)
    contents = selectors.plan_contents(plan=plan) if plan else {
        "goals": [], "reviews": [], "changes": []}
    goals_qs = plan.goals.all() if plan else None
    owners = selectors.plan_people(household=household)
    return render(request, "partners/plan.html", {
        "household": household, "plan": plan, **contents,
        "is_caseworker": request.user.role == Role.CASEWORKER,
        "tab": "partners",
        "goal_form": goal_form or PlanGoalForm(prefix="goal"),
        "action_form": action_form or PlanActionForm(
            prefix="action", goals=goals_qs if goals_qs is not None else PlanGoal.objects.none(),
            owners=owners),
        "review_form": review_form or PlanReviewForm(prefix="review"),
        "status_form": ActionStatusForm(),
        "owners": owners,
    }, status=status)


@plan_access
def plan_detail(request, household_pk: int):
    return _render_plan(request, plan_household_or_404(request, household_pk))


@plan_access
@require_POST
def plan_goal_add(request, household_pk: int):
    household = plan_household_or_404(request, household_pk)
    form = PlanGoalForm(request.POST, prefix="goal")
    if form.is_valid():
        services.plan_goal_add(actor=request.user, household=household, **form.cleaned_data)
        messages.success(request, _("The goal has been added to the plan."))
        return redirect("partners:plan", household_pk=household.pk)
    return _render_plan(request, household, goal_form=form)


@plan_access
@require_POST
def plan_action_add(request, household_pk: int):
    household = plan_household_or_404(request, household_pk)
    plan = selectors.plan_for(household=household)
    goals = plan.goals.all() if plan else PlanGoal.objects.none()
    owners = selectors.plan_people(household=household)
    form = PlanActionForm(request.POST, prefix="action", goals=goals, owners=owners)
    if form.is_valid():
        try:
            services.plan_action_add(actor=request.user, household=household,
                                     **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action has been added to the plan."))
            return redirect("partners:plan", household_pk=household.pk)
    if "owner" in form.errors and request.POST.get("action-owner"):
        # Someone outside the plan (the form offers only those in it): audit the attempt.
        _deny(request, "partners.planaction", "", household_id=household.pk,
              summary="action owner outside the plan")
    return _render_plan(request, household, action_form=form)


@plan_access
@require_POST
def plan_action_update(request, household_pk: int, action_pk: int):
    household = plan_household_or_404(request, household_pk)
    plan = selectors.plan_for(household=household)
    if plan is None:
        raise Http404
    action = get_object_or_404(plan.actions.select_related("plan"), pk=action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.plan_action_update(actor=request.user, action=action,
                                    status=form.cleaned_data["status"])
        messages.success(request, _("The action has been saved."))
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect("partners:plan", household_pk=household.pk)


@plan_access
@require_POST
def plan_review_add(request, household_pk: int):
    household = plan_household_or_404(request, household_pk)
    form = PlanReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            services.plan_review_record(actor=request.user, household=household,
                                        **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("partners:plan", household_pk=household.pk)
    return _render_plan(request, household, review_form=form)


@plan_access
def plan_pdf(request, household_pk: int):
    """The plan as a PDF for the family, who have no login: this is how they get it."""
    import weasyprint

    household = plan_household_or_404(request, household_pk)
    plan = selectors.plan_for(household=household)
    if plan is None:
        raise Http404
    html = render_to_string("partners/plan_pdf.html", {
        "household": household, "plan": plan, **selectors.plan_contents(plan=plan),
        "today": timezone.localdate(),
    }, request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record(actor=request.user, action=Action.EXPORT, object_type="partners.familyplan",
                 object_id=plan.pk, household_id=household.pk,
                 object_label=household.display_name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{household.pk}.pdf"'
    return response


# --- the caseworker's pages ------------------------------------------------------------------

@caseworker_access
def caseworker_households(request):
    households = selectors.caseworker_household_list_for(user=request.user).order_by(
        "display_name", "id")
    page = Paginator(households, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action=Action.SEARCH, object_type="households.household",
                 summary="caseworker's households")
    return render(request, "partners/caseworker_list.html", {"page": page})


@caseworker_access
def caseworker_household(request, household_pk: int):
    household = caseworker_household_or_404(request, household_pk)
    audit_record(actor=request.user, action=Action.VIEW, object_type="households.household",
                 object_id=household.pk, household_id=household.pk,
                 object_label=household.display_name, purpose="caseworker")
    return render(request, "partners/caseworker_household.html", {
        "household": household,
        "referrals": selectors.caseworker_referrals(user=request.user, household=household),
        "engagements": selectors.engagement_summaries(household=household),
        "plan": selectors.plan_for(household=household),
    })

