"""Thin views for Christmas aid: the public application form and the coordinators' pages."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from samspil.activities.selectors import activity_list_for, network_list_for
from samspil.christmas import reports, rules, selectors, services
from samspil.christmas.forms import (
    ApplicationForm,
    DecisionForm,
    DeliveryForm,
    LinkageKeyForm,
    OfferForm,
    OfferUpdateForm,
    OverlapImportForm,
    QueueFilterForm,
    RoundForm,
)
from samspil.christmas.models import (
    Application,
    FollowUpOffer,
    LinkStatus,
    Round,
    Status,
)
from samspil.christmas.selectors import CHRISTMAS_ROLES, ROUND_ADMIN_ROLES
from samspil.core.access import role_required
from samspil.core.models import AuditEvent
from samspil.core.public_forms import RATE_LIMIT_MESSAGE, create_once, rate_limited
from samspil.core.selectors import branch_list_for
from samspil.core.service_errors import add_service_errors
from samspil.core.services import audit_record
from samspil.engagements.charts import bar_chart
from samspil.engagements.selectors import engagement_list_for

# The linkage modules (pandas, numpy, DuckDB) are imported inside the views that use them, so
# that a server process answering the public form never loads them.
Action = AuditEvent.Action
staff_access = role_required(*CHRISTMAS_ROLES)
admin_access = role_required(*ROUND_ADMIN_ROLES)
_RECEIPT_SALT = "samspil.christmas.receipt"
RECEIPT_MAX_AGE = 30 * 60  # the receipt page works for half an hour after submitting


# --- the public form ----------------------------------------------------------------------------

@sensitive_post_parameters("cpr")
def apply(request, slug: str):
    round = selectors.public_round(slug=slug, for_post=request.method == "POST")
    if round is None:
        raise Http404
    now = timezone.now()
    context = {"round": round}
    if not round.is_open(now):
        context["closed"] = "not_yet" if now < round.opens_at else "closed"
        return render(request, "christmas/apply.html", context)
    form = ApplicationForm(request.POST or None, round=round)
    status = 200
    if request.method == "POST":
        if rate_limited(request, scope=f"christmas:{round.pk}"):
            form.add_error(None, RATE_LIMIT_MESSAGE)
            status = 429
        elif form.is_valid():
            values, number = form.values(), form.cleaned_data["cpr"]
            values["language"] = get_language() or "da"
            # Insert first: a repeated token (a double click) is the rare case.
            application, _created = create_once(
                model=Application, token=form.cleaned_data["submission_token"],
                create=lambda: services.application_submit(
                    round=round, values=values, cpr_number=number,
                    token=form.cleaned_data["submission_token"], now=now),
                look_first=False,
            )
            ticket = signing.dumps(application.receipt, salt=_RECEIPT_SALT)
            return redirect(f"{request.path}receipt/?r={ticket}")
        elif form.honeypot_tripped:
            status = 400
    context["form"] = form
    return render(request, "christmas/apply.html", context, status=status)


def receipt(request, slug: str):
    """The receipt, reachable only through the signed, short-lived link the form redirects to:
    there is no lookup by receipt number without logging in."""
    round = get_object_or_404(Round.objects.select_related("organisation"), slug=slug)
    try:
        number = signing.loads(request.GET.get("r", ""), salt=_RECEIPT_SALT,
                               max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if not Application.objects.filter(round=round, receipt=number).exists():
        raise Http404
    return render(request, "christmas/receipt.html", {"round": round, "receipt": number})


# --- rounds -------------------------------------------------------------------------------------

def round_or_404(request, pk: int) -> Round:
    round = selectors.round_get_for(user=request.user, pk=pk)
    if round is None:
        audit_record(actor=request.user, action=Action.DENIED, object_type="christmas.round",
                     object_id=pk)
        raise Http404
    return round


def application_or_404(request, pk: int, *, log_view: bool = True) -> Application:
    """The gatekeeper: the only way a view loads an application from an id in the URL."""
    application = selectors.application_get_for(user=request.user, pk=pk)
    if application is None:
        audit_record(actor=request.user, action=Action.DENIED,
                     object_type="christmas.application", object_id=pk)
        raise Http404
    if log_view and request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW,
                     object_type="christmas.application", object_id=pk,
                     household_id=application.household_id, object_label=application.full_name)
    return application


@staff_access
def round_list(request):
    rounds = list(selectors.round_list_for(user=request.user))
    counts = {}
    for row in (selectors.application_list_for(user=request.user)
                .filter(round__in=rounds).values_list("round_id", "status")):
        counts.setdefault(row[0], {"all": 0, "new": 0})
        counts[row[0]]["all"] += 1
        counts[row[0]]["new"] += row[1] == Status.NEW
    now = timezone.now()
    for r in rounds:
        r.counts = counts.get(r.pk, {"all": 0, "new": 0})
        r.open_now = r.is_open(now)
    return render(request, "christmas/rounds.html", {"rounds": rounds})


@admin_access
def round_create(request):
    return _round_form(request, None)


@admin_access
def round_edit(request, pk: int):
    return _round_form(request, round_or_404(request, pk))


def _round_form(request, round: Round | None):
    form = RoundForm(request.POST or None, instance=round)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.round_save(actor=request.user, round=round, values=form.values(),
                                        municipalities=form.cleaned_data["municipalities"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("christmas:queue", pk=saved.pk)
    return render(request, "christmas/round_form.html", {"form": form, "round": round})


@staff_access
def round_queue(request, pk: int):
    round = round_or_404(request, pk)
    branches = branch_list_for(user=request.user)
    filters = QueueFilterForm(request.GET or None, branches=branches)
    data = filters.cleaned_data if filters.is_valid() else {}
    queue = selectors.application_queue(
        user=request.user, round=round, status=data.get("status", ""),
        eligible=data.get("eligible", ""),
        branch_id=data["branch"].pk if data.get("branch") else None,
        duplicates=bool(data.get("duplicates")), query=data.get("q", ""),
    )
    page = Paginator(queue, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    links = selectors.link_ids_by_application(applications=page.object_list)
    for application in page.object_list:
        application.link_count = links.get(application.pk, 0)
        application.reasons = rules.reason_texts(application.ineligible_reasons)
    granted = services.granted_total(round)
    if data.get("q"):
        audit_record(actor=request.user, action=Action.SEARCH,
                     object_type="christmas.application", summary=data["q"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "christmas/queue.html", {
        "round": round, "page": page, "filters": filters, "granted": granted,
        "left": round.budget - granted, "query": query.urlencode(),
        "may_admin": request.user.role in ROUND_ADMIN_ROLES,
    })


@staff_access
@require_POST
def round_allocate(request, pk: int):
    round = round_or_404(request, pk)
    result = services.round_allocate(
        actor=request.user, round=round,
        applications=selectors.application_list_for(user=request.user, round=round))
    text = _("%(n)s applications granted by priority.") % {"n": result["granted"]}
    if result["stopped_by_budget"]:
        text += " " + _("The budget cannot cover the next application.")
    if result["held"]:
        text += " " + _("%(n)s applications wait for a duplicate decision.") % {
            "n": result["held"]}
    messages.success(request, text)
    return redirect("christmas:queue", pk=round.pk)


# --- one application ----------------------------------------------------------------------------

def _offer_form(request, application: Application, data=None) -> OfferForm:
    """The form offering follow-up help, with what the offer may point to: this family's
    engagements, and the activities and networks the user can see."""
    engagements = engagement_list_for(user=request.user, household=application.household_id) \
        if application.household_id else engagement_list_for(user=request.user).none()
    return OfferForm(data, kinds=application.round.followup_kinds, engagements=engagements,
                     activities=activity_list_for(user=request.user).order_by("-created_at"),
                     networks=network_list_for(user=request.user).filter(ended_on__isnull=True)
                     .order_by("name"))


def _detail_context(request, application: Application, **forms) -> dict:
    context = {
        "application": application,
        "reasons": rules.reason_texts(application.ineligible_reasons),
        "income": rules.income_label(application.income),
        "links": selectors.application_links(application=application),
        "overlaps": selectors.application_overlaps(application=application),
        "offers": [(o, OfferUpdateForm(prefix=f"o{o.pk}", initial={
            "response": o.response,
            "took_part": {True: "yes", False: "no"}.get(o.took_part, "")}))
            for o in selectors.offer_list(application=application)],
        "decision_form": DecisionForm(branches=branch_list_for(user=request.user),
                                      initial={"branch": application.branch_id}),
        "delivery_form": DeliveryForm(initial={"delivery": application.delivery}),
        "offer_form": _offer_form(request, application),
        "grant_amount": application.round.grant_amount(len(rules.children_under_18(
            application.children_birth_years, year=application.round.year))),
    }
    context.update(forms)
    context["has_errors"] = any(f.errors for f in forms.values())
    return context


@staff_access
def application_detail(request, pk: int):
    application = application_or_404(request, pk)
    return render(request, "christmas/application.html", _detail_context(request, application))


@staff_access
@require_POST
def application_decide(request, pk: int):
    application = application_or_404(request, pk)
    form = DecisionForm(request.POST, branches=branch_list_for(user=request.user))
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "grant":
                services.application_grant(actor=request.user, application=application,
                                           reason=form.cleaned_data["reason"],
                                           branch=form.cleaned_data["branch"])
                messages.success(request, _("The application has been granted."))
            else:
                services.application_reject(actor=request.user, application=application,
                                            reason=form.cleaned_data["reason"])
                messages.success(request, _("The application has been rejected."))
            return redirect("christmas:application", pk=application.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "christmas/application.html",
                  _detail_context(request, application, decision_form=form), status=400)


@staff_access
@require_POST
def application_delivery(request, pk: int):
    application = application_or_404(request, pk)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.delivery_register(actor=request.user, application=application,
                                       delivery=form.cleaned_data["delivery"])
            messages.success(request, _("The delivery has been registered."))
            return redirect("christmas:application", pk=application.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "christmas/application.html",
                  _detail_context(request, application, delivery_form=form), status=400)


@staff_access
@require_POST
def offer_add(request, pk: int):
    application = application_or_404(request, pk)
    form = _offer_form(request, application, request.POST)
    if form.is_valid():
        try:
            services.followup_offer(actor=request.user, application=application,
                                    **form.cleaned_data)
            messages.success(request, _("The follow-up help has been offered."))
            return redirect("christmas:application", pk=application.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "christmas/application.html",
                  _detail_context(request, application, offer_form=form), status=400)


@staff_access
@require_POST
def offer_update(request, pk: int):
    offer = get_object_or_404(FollowUpOffer.objects.filter(
        application__in=selectors.application_list_for(user=request.user)), pk=pk)
    form = OfferUpdateForm(request.POST, prefix=f"o{offer.pk}")
    if form.is_valid():
        try:
            services.followup_update(actor=request.user, offer=offer,
                                     response=form.cleaned_data["response"],
                                     took_part=form.took_part_value())
            messages.success(request, _("The answer has been saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose an answer."))
    return redirect("christmas:application", pk=offer.application_id)


# --- duplicates ---------------------------------------------------------------------------------

@staff_access
def duplicates(request, pk: int):
    from samspil.christmas.linkage import duplicates as duplicate_detection

    round = round_or_404(request, pk)
    links = selectors.links_for(user=request.user, round=round)
    groups = selectors.link_groups(links)
    for link in links:
        link.evidence_texts = duplicate_detection.evidence_texts(link.evidence)
    rejected = [link for link in links if link.status == LinkStatus.REJECTED]
    return render(request, "christmas/duplicates.html", {
        "round": round, "groups": groups, "rejected": rejected,
    })


@staff_access
@require_POST
def duplicates_detect(request, pk: int):
    from samspil.christmas.linkage import duplicates as duplicate_detection

    round = round_or_404(request, pk)
    created = duplicate_detection.detect_for_round(actor=request.user, round=round)
    messages.success(request, ngettext("%(n)s new likely duplicate found.",
                                       "%(n)s new likely duplicates found.", created)
                     % {"n": created})
    return redirect("christmas:duplicates", pk=round.pk)


@staff_access
@require_POST
def link_decide(request, pk: int):
    link = selectors.link_get_for(user=request.user, pk=pk)
    if link is None:
        raise Http404
    status = {"confirm": LinkStatus.CONFIRMED, "reject": LinkStatus.REJECTED,
              "undo": LinkStatus.PROPOSED}.get(request.POST.get("decision", ""))
    if status is None:
        messages.error(request, _("Unknown decision."))
    else:
        services.link_decide(actor=request.user, link=link, status=status)
        messages.success(request, _("The decision has been saved."))
    return redirect("christmas:duplicates", pk=link.first.round_id)


# --- report -------------------------------------------------------------------------------------

@staff_access
def round_report(request, pk: int):
    round = round_or_404(request, pk)
    rows = reports.funnel(selectors.application_list_for(user=request.user, round=round))
    total = rows[-1]
    chart = bar_chart(
        chart_id="funnel", title=_("From application to follow-up help"),
        description=_("Number of applications at each step of the round, all branches."),
        categories=[(str(s["label"]),) for s in total.stages],
        series=[(_("Households"), [s["count"] for s in total.stages])], show_values=True,
    )
    return render(request, "christmas/report.html", {"round": round, "rows": rows,
                                                      "chart": chart, "total": total})


# --- cross-charity linkage ----------------------------------------------------------------------

@admin_access
@sensitive_post_parameters("key")
def linkage(request, pk: int):
    from samspil.christmas.linkage import crosscharity

    round = round_or_404(request, pk)
    key_form = LinkageKeyForm(prefix="k")
    import_form = OverlapImportForm(prefix="i")
    if request.method == "POST" and "k-key" in request.POST:
        key_form = LinkageKeyForm(request.POST, prefix="k")
        if key_form.is_valid():
            services.round_set_linkage_key(actor=request.user, round=round,
                                           key=key_form.cleaned_data["key"])
            messages.success(request, _("The shared key has been saved."))
            return redirect("christmas:linkage", pk=round.pk)
    elif request.method == "POST":
        import_form = OverlapImportForm(request.POST, request.FILES, prefix="i")
        if import_form.is_valid():
            try:
                found = crosscharity.import_file(
                    actor=request.user, round=round,
                    partner=import_form.cleaned_data["partner"],
                    upload=import_form.cleaned_data["file"])
            except ValidationError as exc:
                add_service_errors(import_form, exc)
            else:
                messages.success(request, _("%(n)s of your applications also appear in the "
                                            "other charity's file.") % {"n": found})
                return redirect("christmas:linkage", pk=round.pk)
    imports = list(round.overlap_imports.all())
    return render(request, "christmas/linkage.html", {
        "round": round, "key_form": key_form, "import_form": import_form,
        "imports": imports, "has_key": bool(round.linkage_key_encrypted),
        "overlaps": list(selectors.application_list_for(user=request.user, round=round)
                         .filter(overlaps__isnull=False).distinct()[:200]),
    })


@admin_access
def linkage_export(request, pk: int):
    from samspil.christmas.linkage import crosscharity

    round = round_or_404(request, pk)
    if not round.linkage_key_encrypted:
        messages.error(request, _("Set the shared key first."))
        return redirect("christmas:linkage", pk=round.pk)
    payload = crosscharity.export_round(round=round)
    audit_record(actor=request.user, action=Action.EXPORT, object_type="christmas.round",
                 object_id=round.pk, object_label=round.name,
                 summary=f"linkage encodings: {len(payload['records'])} records")
    response = HttpResponse(json.dumps(payload), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="encodings-{round.year}.json"'
    return response
