"""Thin views for outcomes: the dashboard and its downloads, due questionnaires and answering
them (also through the family's personal link), targets, and the evaluator's exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.core.access import role_required
from samspil.core.models import AuditEvent, Role
from samspil.core.service_errors import add_service_errors
from samspil.core.services import audit_record
from samspil.outcomes import export as export_module
from samspil.outcomes import figures, reports, selectors, services, tasks
from samspil.outcomes.forms import ExportForm, ProgrammeForm, QuestionnaireForm, TargetForm
from samspil.outcomes.models import Export

Action = AuditEvent.Action
dashboard_access = role_required(*selectors.DASHBOARD_ROLES)
questionnaire_access = role_required(*selectors.QUESTIONNAIRE_ROLES)
coordinator_access = role_required(Role.ORG_ADMIN, Role.COORDINATOR)
admin_access = role_required(Role.ORG_ADMIN)
evaluator_access = role_required(Role.EVALUATOR)


def programme_or_404(request, pk: int | None):
    programmes = selectors.programme_list_for(user=request.user)
    programme = programmes.filter(pk=pk).first() if pk else programmes.first()
    if programme is None and pk:
        raise Http404
    return programme


def _programme_pk(request) -> int | None:
    raw = request.GET.get("programme", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@dashboard_access
def dashboard(request):
    programme = programme_or_404(request, _programme_pk(request))
    if programme is None:
        return render(request, "outcomes/dashboard.html", {"programme": None})
    by = "municipality" if request.GET.get("by") == "municipality" else "branch"
    board = figures.current_dashboard(programme=programme, on=timezone.localdate(),
                                      policy=figures.policy_for(request.user))
    audit_record(actor=request.user, action=Action.VIEW, object_type="outcomes.programme",
                 object_id=programme.pk, object_label=programme.name, summary="dashboard")
    return render(request, "outcomes/dashboard.html", {
        "programme": programme, "board": board, "by": by,
        "programmes": selectors.programme_list_for(user=request.user),
    })


def _publication(request, pk: int):
    programme = programme_or_404(request, pk)
    board = figures.current_dashboard(
        programme=programme, on=timezone.localdate(),
        policy=figures.policy_for(request.user, publication=True))
    return programme, board


@dashboard_access
def report_download(request, pk: int, format: str):
    """The dashboard as a PDF (with the charts), XLSX or CSV: always with small numbers
    suppressed, since these files go to funders."""
    programme, board = _publication(request, pk)
    audit_record(actor=request.user, action=Action.EXPORT, object_type="outcomes.programme",
                 object_id=programme.pk, object_label=programme.name,
                 summary=f"report {format}")
    content, content_type = reports.RENDERERS[format](request, board)
    response = HttpResponse(content, content_type=content_type)
    name = f"samspil-{programme.pk}-{board.on:%Y-%m-%d}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dashboard_access
@require_POST
def figures_refresh(request, pk: int):
    """Queue a recomputation of the stored figures (the Refresh button)."""
    programme = programme_or_404(request, pk)
    services.figures_refresh_request(programme_id=programme.pk, force=True)
    messages.success(request, _("The figures are being computed again. Reload the page in a "
                                "minute to see them."))
    return redirect(reverse("outcomes:dashboard") + f"?programme={programme.pk}")


@admin_access
def programme_targets(request, pk: int):
    programme = programme_or_404(request, pk)
    target_form = TargetForm(request.POST if "kpi" in request.POST else None)
    programme_form = ProgrammeForm(request.POST if "starts_on" in request.POST else None,
                                   instance=programme)
    if request.method == "POST":
        if target_form.is_bound and target_form.is_valid():
            try:
                services.target_set(actor=request.user, programme=programme,
                                    **target_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(target_form, error)
            else:
                messages.success(request, _("The target has been saved."))
                return redirect("outcomes:targets", pk=programme.pk)
        elif programme_form.is_bound and programme_form.is_valid():
            try:
                services.programme_update(actor=request.user, programme=programme,
                                          values={k: programme_form.cleaned_data[k]
                                                  for k in ("starts_on", "ends_on",
                                                            "counts_christmas_aid")})
            except ValidationError as error:
                add_service_errors(programme_form, error)
            else:
                messages.success(request, _("The programme period has been saved."))
                return redirect("outcomes:targets", pk=programme.pk)
        programme.refresh_from_db()
    return render(request, "outcomes/targets.html", {
        "programme": programme, "targets": programme.targets.all(),
        "target_form": target_form, "programme_form": programme_form,
    })


# --- questionnaires --------------------------------------------------------------------------

@role_required(Role.ORG_ADMIN, Role.COORDINATOR, not_found_for=(Role.EVALUATOR,))
def household_outcomes(request, household_pk: int):
    """The household page's Outcomes tab: its questionnaires, answered or not, with scores."""
    from samspil.households.views import household_or_404

    household = household_or_404(request, household_pk)
    return render(request, "outcomes/household.html", {
        "household": household, "tab": "outcomes",
        "questionnaires": selectors.household_questionnaires_for(user=request.user,
                                                                 household=household),
    })


@questionnaire_access
def due_list(request):
    today = timezone.localdate()
    return render(request, "outcomes/due.html", {
        "due": list(selectors.due_list_for(user=request.user, today=today)[:200]),
        "overdue": list(selectors.due_list_for(user=request.user, today=today,
                                               overdue=True)[:200]),
        "today": today, "can_schedule": request.user.role in (Role.ORG_ADMIN, Role.COORDINATOR),
    })


@coordinator_access
@require_POST
def schedule(request):
    created = services.questionnaires_schedule(organisation_id=request.user.organisation_id)
    messages.success(request, _("Questionnaires made due: %(count)s.") % {"count": created})
    return redirect("outcomes:due")


def questionnaire_or_404(request, pk: int):
    questionnaire = selectors.questionnaire_get_for(user=request.user, pk=pk)
    if questionnaire is None:
        raise Http404
    return questionnaire


@questionnaire_access
def answer(request, pk: int):
    questionnaire = questionnaire_or_404(request, pk)
    form = QuestionnaireForm(request.POST or None, items=questionnaire.instrument.items)
    if request.method == "POST" and not questionnaire.is_answered and form.is_valid():
        try:
            services.questionnaire_answer(actor=request.user, questionnaire=questionnaire,
                                          answers=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The answers have been saved."))
            return redirect("outcomes:due")
    return render(request, "outcomes/answer.html", {"questionnaire": questionnaire,
                                                    "form": form})


@coordinator_access
@require_POST
def link_create(request, pk: int):
    questionnaire = questionnaire_or_404(request, pk)
    try:
        token = services.answer_link_create(actor=request.user, questionnaire=questionnaire)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("outcomes:due")
    url = request.build_absolute_uri(reverse("outcomes:family_answer", args=[token]))
    return render(request, "outcomes/link.html", {"questionnaire": questionnaire, "url": url,
                                                  "days": services.LINK_DAYS})


def family_answer(request, token: str):
    """The family's own page, without an account: the link is the key, for one answer."""
    try:
        link = services.answer_link_get(token=token[:100])
    except services.LinkRefused as refused:
        return render(request, "outcomes/family_refused.html", {"message": refused.message},
                      status=410)
    questionnaire = link.questionnaire
    form = QuestionnaireForm(request.POST or None, items=questionnaire.instrument.items)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_link_answer(token=token, answers=form.cleaned_data)
        except services.LinkRefused as refused:
            return render(request, "outcomes/family_refused.html",
                          {"message": refused.message}, status=410)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "outcomes/family_thanks.html")
    return render(request, "outcomes/family_answer.html", {"questionnaire": questionnaire,
                                                           "form": form})


# --- the evaluator's exports -----------------------------------------------------------------

@evaluator_access
def export_list(request):
    programmes = selectors.programme_list_for(user=request.user)
    form = ExportForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        export = services.export_request(actor=request.user,
                                         programme=form.cleaned_data["programme"])
        tasks.build_export.enqueue(export_id=export.pk)
        return redirect("outcomes:export_detail", pk=export.pk)
    return render(request, "outcomes/exports.html", {
        "form": form, "exports": selectors.export_list_for(user=request.user)[:50]})


def export_or_404(request, pk: int) -> Export:
    export = selectors.export_get_for(user=request.user, pk=pk)
    if export is None:
        raise Http404
    return export


@evaluator_access
def export_detail(request, pk: int):
    export = export_or_404(request, pk)
    template = "outcomes/_export_status.html" if request.htmx else "outcomes/export.html"
    return render(request, template, {"export": export})


@evaluator_access
def export_download(request, pk: int):
    export = export_or_404(request, pk)
    path = export_module.zip_path(export)
    if export.status != Export.Status.DONE or not path.exists():
        raise Http404
    audit_record(actor=request.user, action=Action.EXPORT, object_type="outcomes.export",
                 object_id=export.pk, object_label=export.programme.name,
                 summary="pseudonymised dataset downloaded", purpose="evaluation")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
