"""Thin views for matching: suggestions for one family, and plan-all with review and confirm."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from samspil.core.access import role_required
from samspil.core.models import AuditEvent
from samspil.core.services import audit_record
from samspil.engagements.matching import selectors, services, tasks
from samspil.engagements.matching.display import Factors, reason_text
from samspil.engagements.matching.forms import PlanForm, VolunteerChoiceForm
from samspil.engagements.matching.selectors import MATCHABLE_STATES, MATCHING_ROLES
from samspil.engagements.models import Engagement, MatchPlan, MatchProposal
from samspil.engagements.services import engagement_match

matching_access = role_required(*MATCHING_ROLES)
Action = AuditEvent.Action
# Plans of more waiting engagements than this are made by the background worker; smaller ones
# (a branch: usually tens or hundreds) while the coordinator waits, in about a second.
PLAN_NOW_LIMIT = 2_000
# Each match takes about 10 ms to make and check: more than this many go to the worker.
CONFIRM_NOW_LIMIT = 300
PROPOSALS_PER_PAGE = 50


def engagement_or_404(request, pk: int) -> Engagement:
    """The gatekeeper for an engagement id in the URL (logged, as the registry logs)."""
    engagement = selectors.engagement_get_for(user=request.user, pk=pk)
    if engagement is None:
        audit_record(actor=request.user, action=Action.DENIED,
                     object_type="engagements.engagement", object_id=pk)
        raise Http404
    if request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW,
                     object_type="engagements.engagement", object_id=pk,
                     household_id=engagement.household_id, object_label=str(engagement),
                     purpose="matching")
    return engagement


def plan_or_404(request, pk: int) -> MatchPlan:
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    if plan is None:
        raise Http404
    return plan


@matching_access
def index(request):
    waiting = selectors.matchable_list_for(user=request.user).select_related(
        "household", "parent", "branch")
    page = Paginator(waiting, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/index.html", {
        "page": page,
        "form": PlanForm(user=request.user),
        "plans": selectors.plan_list_for(user=request.user)[:10],
    })


@matching_access
def suggestions(request, pk: int):
    engagement = engagement_or_404(request, pk)
    found = None
    if engagement.state in MATCHABLE_STATES:
        found = selectors.suggestions_for(engagement=engagement, today=timezone.localdate())
    return render(request, "matching/suggestions.html", {
        "engagement": engagement, "found": found,
    })


@matching_access
@require_POST
def match(request, pk: int):
    engagement = engagement_or_404(request, pk)
    form = VolunteerChoiceForm(request.POST, organisation_id=engagement.organisation_id)
    if not form.is_valid():
        for error in form.errors.get("volunteer", []):
            messages.error(request, error)
        return redirect("matching:suggestions", pk=pk)
    volunteer = form.cleaned_data["volunteer"]
    try:
        engagement_match(actor=request.user, engagement=engagement, volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, _("%(volunteer)s cannot be matched: %(reasons)s") % {
            "volunteer": volunteer, "reasons": " ".join(exc.messages)})
        return redirect("matching:suggestions", pk=pk)
    messages.success(request, _("%(who)s has been matched with %(volunteer)s.") % {
        "who": engagement, "volunteer": volunteer})
    return redirect("matching:index")


@matching_access
@require_POST
def plan_create(request):
    form = PlanForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose what to plan for."))
        return redirect("matching:index")
    branch = form.branch()
    waiting = selectors.waiting_for_plan(organisation_id=request.user.organisation_id,
                                         branch_id=branch.pk if branch else None).count()
    if waiting > PLAN_NOW_LIMIT:
        return _in_background(request, tasks.plan_all, actor_id=request.user.pk,
                              branch_id=branch.pk if branch else None,
                              language=translation.get_language())
    plan = services.match_plan_create(actor=request.user, branch=branch)
    return redirect("matching:plan", pk=plan.pk)


def _in_background(request, task, **kwargs):
    """Enqueue the task and wait for it on the pending page (at once if the backend ran it)."""
    result = task.enqueue(**kwargs)
    if result.is_finished:
        return _outcome(request, result)
    return redirect("matching:plan_pending", task_id=result.id)


def _outcome(request, result) -> HttpResponse:
    """Where a finished task leads: its plan, with what happened as a message."""
    outcome = result.return_value or {}
    for error in outcome.get("errors", []):
        messages.error(request, error)
    if "count" in outcome:
        messages.success(request, _("The plan has been confirmed: %(count)s matches made.")
                         % {"count": outcome["count"]})
    url = reverse("matching:plan", kwargs={"pk": outcome["plan"]})
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


@matching_access
def plan_pending(request, task_id: uuid.UUID):
    """A plan being made or confirmed by the background worker: this page waits for it
    (htmx polling) and then opens the plan."""
    try:
        result = default_task_backend.get_result(str(task_id))
    except TaskResultDoesNotExist:
        raise Http404 from None
    if (result.task.func not in (tasks.plan_all.func, tasks.confirm_plan.func)
            or result.kwargs.get("actor_id") != request.user.pk):
        raise Http404
    if result.status == TaskResultStatus.SUCCESSFUL:
        return _outcome(request, result)
    context = {"task_id": task_id, "failed": result.status == TaskResultStatus.FAILED,
               "confirming": result.task.func == tasks.confirm_plan.func}
    if request.htmx:
        return render(request, "matching/_pending.html", context)
    return render(request, "matching/pending.html", context)


@matching_access
def plan_detail(request, pk: int):
    plan = plan_or_404(request, pk)
    unmatched = request.GET.get("show") == "unmatched"
    proposals = selectors.proposal_list(plan=plan, unmatched=unmatched)
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    for proposal in page.object_list:
        proposal.view = Factors(proposal.factors)
        proposal.reason_text = reason_text(proposal.reason, proposal.factors)
    if request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW, object_type="engagements.matchplan",
                     object_id=plan.pk, purpose="matching")
    unmatched_count = plan.proposal_count - plan.matched_count
    greedy_unmatched = (plan.proposal_count - plan.greedy_matched
                        if plan.greedy_matched is not None else None)
    return render(request, "matching/plan.html", {
        "plan": plan, "page": page, "unmatched": unmatched, "unmatched_count": unmatched_count,
        "greedy_unmatched": greedy_unmatched, "comparison": _comparison(plan),
        "average": plan.total_cost / plan.matched_count if plan.matched_count else None,
        "greedy_average": (plan.greedy_cost / plan.greedy_matched
                           if plan.greedy_matched else None),
        "is_open": plan.status == MatchPlan.Status.PROPOSED,
    })


def _comparison(plan: MatchPlan) -> str:
    """The plan against first come, first served, in one sentence."""
    if plan.greedy_matched is None or plan.greedy_cost is None:
        return ""
    more = plan.matched_count - plan.greedy_matched
    if more > 0:
        return ngettext(
            "The plan matches %(count)s more family or parent than first come, first served.",
            "The plan matches %(count)s more families or parents than first come, first "
            "served.", more) % {"count": more}
    if more < 0:
        return ngettext(
            "The plan matches %(count)s family or parent fewer than first come, first served, "
            "because matches have been taken out of it.",
            "The plan matches %(count)s families or parents fewer than first come, first "
            "served, because matches have been taken out of it.", -more) % {"count": -more}
    saving = plan.greedy_cost - plan.total_cost
    share = saving / plan.greedy_cost if plan.greedy_cost else 0
    return _("The plan matches as many as first come, first served, at %(points)s points "
             "less in all (%(share)s %%).") % {
        "points": number_format(saving, 1), "share": number_format(100 * share, 1)}


def _proposal_or_404(plan: MatchPlan, proposal_pk: int) -> MatchProposal:
    proposal = (plan.proposals.select_related("engagement__household", "engagement__parent",
                                              "volunteer").filter(pk=proposal_pk).first())
    if proposal is None:
        raise Http404
    return proposal


@matching_access
def proposal_edit(request, pk: int, proposal_pk: int):
    """Change the volunteer proposed for one engagement: the best volunteers with the plan's
    other proposals counted as taken."""
    plan = plan_or_404(request, pk)
    proposal = _proposal_or_404(plan, proposal_pk)
    if request.method == "POST":
        form = VolunteerChoiceForm(request.POST, organisation_id=plan.organisation_id)
        if form.is_valid():
            try:
                services.match_proposal_change(actor=request.user, proposal=proposal,
                                               volunteer=form.cleaned_data["volunteer"])
            except ValidationError as exc:
                for error in exc.messages:
                    messages.error(request, error)
                return redirect("matching:proposal", pk=plan.pk, proposal_pk=proposal.pk)
            messages.success(request, _("The plan has been changed."))
            return redirect("matching:plan", pk=plan.pk)
        for error in form.errors.get("volunteer", []):
            messages.error(request, error)
        return redirect("matching:proposal", pk=plan.pk, proposal_pk=proposal.pk)
    found = None
    is_open = plan.status == MatchPlan.Status.PROPOSED
    if is_open and proposal.engagement.state in MATCHABLE_STATES:
        found = selectors.suggestions_for(
            engagement=proposal.engagement, today=timezone.localdate(),
            extra_load=selectors.plan_loads(plan=plan, exclude_proposal=proposal))
    return render(request, "matching/proposal.html", {
        "plan": plan, "proposal": proposal, "found": found, "is_open": is_open,
        "current": Factors(proposal.factors) if proposal.volunteer_id else None,
        "reason": reason_text(proposal.reason, proposal.factors),
    })


@matching_access
@require_POST
def proposal_remove(request, pk: int, proposal_pk: int):
    plan = plan_or_404(request, pk)
    proposal = _proposal_or_404(plan, proposal_pk)
    try:
        services.match_proposal_remove(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("%(who)s has been taken out of the plan.") % {
            "who": proposal.engagement})
    return redirect("matching:plan", pk=plan.pk)


@matching_access
@require_POST
def plan_confirm(request, pk: int):
    plan = plan_or_404(request, pk)
    if plan.matched_count > CONFIRM_NOW_LIMIT and plan.status == MatchPlan.Status.PROPOSED:
        return _in_background(request, tasks.confirm_plan, actor_id=request.user.pk,
                              plan_id=plan.pk, language=translation.get_language())
    try:
        count = services.match_plan_confirm(actor=request.user, plan=plan)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("matching:plan", pk=plan.pk)
    messages.success(request, _("The plan has been confirmed: %(count)s matches made.") % {
        "count": count})
    return redirect("matching:plan", pk=plan.pk)


@matching_access
@require_POST
def plan_discard(request, pk: int):
    plan = plan_or_404(request, pk)
    try:
        services.match_plan_discard(actor=request.user, plan=plan)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("matching:plan", pk=plan.pk)
    messages.success(request, _("The plan has been discarded."))
    return redirect("matching:index")
