"""Thin views for engagements: validate with forms, read with selectors, write with services.

Coordinators (and organisation administrators) follow engagements from referral to end;
volunteers get phone-first pages for their own families and the meeting log.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samspil.core.access import role_required
from samspil.core.models import AuditEvent, Role
from samspil.core.selectors import branch_list_for
from samspil.core.service_errors import add_service_errors
from samspil.core.services import audit_record
from samspil.engagements import reports, selectors, services
from samspil.engagements.charts import bar_chart
from samspil.engagements.forms import (
    MOVE_FORMS,
    EngagementFilterForm,
    FiguresForm,
    GoalForm,
    GoalStatusForm,
    MatchForm,
    MeetingForm,
    MoveForm,
    ReferralForm,
)
from samspil.engagements.models import TRANSITIONS, Engagement, EngagementState
from samspil.engagements.selectors import ENGAGEMENT_ROLES
from samspil.households.views import household_or_404

State = EngagementState
Action = AuditEvent.Action
coordinator_access = role_required(*ENGAGEMENT_ROLES)
volunteer_access = role_required(Role.VOLUNTEER)
goal_access = role_required(*ENGAGEMENT_ROLES, Role.VOLUNTEER)

MEETINGS_SHOWN = 20  # on the coordinator's engagement page
RECENT_MEETINGS = 5  # on the volunteer's phone page
MOVE_MESSAGES = {
    "wait": gettext_lazy("The engagement is on the waiting list."),
    "match": gettext_lazy("The engagement has been matched."),
    "start": gettext_lazy("The engagement has started."),
    "end": gettext_lazy("The engagement has ended."),
}


def engagement_or_404(request, pk: int, *, log_view: bool = True) -> Engagement:
    """The gatekeeper: the only way a view loads an engagement from an id in the URL."""
    engagement = selectors.engagement_get_for(user=request.user, pk=pk)
    if engagement is None:
        # Logged against the family the id belongs to (if any), so that its coordinators see
        # the attempt in the household's audit log. The answer is 404 either way.
        household_id = (Engagement.objects.filter(pk=pk)
                        .values_list("household_id", flat=True).first())
        audit_record(
            actor=request.user, action=Action.DENIED, object_type="engagements.engagement",
            object_id=pk, household_id=household_id,
        )
        raise Http404
    if log_view and request.method == "GET":
        audit_record(
            actor=request.user, action=Action.VIEW, object_type="engagements.engagement",
            object_id=pk, household_id=engagement.household_id,
            object_label=str(engagement.get_type_display()),
        )
    return engagement


# --- the coordinator's pages -----------------------------------------------------------------

@coordinator_access
def engagement_list(request):
    today = timezone.localdate()
    form = EngagementFilterForm(request.GET or None, branches=branch_list_for(user=request.user))
    engagements = selectors.engagement_list_for(user=request.user, **form.filters())
    page = Paginator(engagements, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, selectors.weeks_running(e, today=today)) for e in page.object_list]
    return render(request, "engagements/list.html", {
        "form": form, "page": page, "rows": rows, "tab": "list",
    })


@coordinator_access
def waiting_list(request):
    today = timezone.localdate()
    form = EngagementFilterForm(request.GET or None, branches=branch_list_for(user=request.user),
                                with_state=False)
    engagements = selectors.waiting_list_for(user=request.user, **form.filters())
    page = Paginator(engagements, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, selectors.weeks_waiting(e, today=today)) for e in page.object_list]
    return render(request, "engagements/waiting.html", {
        "form": form, "page": page, "rows": rows, "tab": "waiting",
    })


@coordinator_access
def engagement_refer(request, household_pk: int):
    household = household_or_404(request, household_pk)
    form = ReferralForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_refer(
                actor=request.user, household=household, **form.values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The referral has been registered."))
            return redirect("engagements:detail", pk=engagement.pk)
    return render(request, "engagements/refer.html", {"household": household, "form": form})


MOVE_TITLES = {
    "wait": gettext_lazy("Put on the waiting list"),
    "match": gettext_lazy("Match with a volunteer"),
    "start": gettext_lazy("Start the engagement"),
    "end": gettext_lazy("End the engagement"),
}


def _move_forms(engagement: Engagement, bound: MoveForm | None) -> list[dict]:
    """The moves the engagement may make now, each as an empty form (or the one just sent)."""
    allowed = TRANSITIONS[engagement.state]
    names = [name for name, form_class in MOVE_FORMS.items() if form_class.to_state in allowed]
    if engagement.state == State.REFERRED:
        names.insert(1, "match")  # engagement_match puts it on the waiting list first
    moves = []
    for name in names:
        if bound is not None and bound.prefix == name:
            form = bound
        elif name == "match":
            form = MatchForm(engagement=engagement, volunteers=selectors.eligible_volunteers(
                engagement=engagement, today=timezone.localdate()))
        else:
            form = MOVE_FORMS[name](engagement=engagement)
        title = MOVE_TITLES[name]
        if name == "wait" and engagement.state == State.MATCHED:
            title = _("Put back on the waiting list")
        moves.append({"name": name, "url": f"engagements:{name}", "title": title, "form": form})
    return moves


def _render_detail(request, engagement: Engagement, *, move_form: MoveForm | None = None,
                   goal_form: GoalForm | None = None,
                   status_form: GoalStatusForm | None = None):
    goals = selectors.goal_list(engagement=engagement)
    goal_rows = [
        (goal, status_form if status_form is not None and status_form.goal.pk == goal.pk
         else GoalStatusForm(goal=goal))
        for goal in goals
    ]
    bound = [f for f in (move_form, goal_form, status_form) if f is not None]
    return render(request, "engagements/detail.html", {
        "engagement": engagement,
        "history": selectors.history(engagement=engagement),
        "moves": _move_forms(engagement, move_form),
        "goal_rows": goal_rows,
        "goal_form": goal_form or GoalForm(),
        "meetings": selectors.meeting_list(engagement=engagement, limit=MEETINGS_SHOWN),
        "totals": selectors.meeting_totals(engagement=engagement),
        "weeks_running": selectors.weeks_running(engagement, today=timezone.localdate()),
        "has_errors": any(f.errors for f in bound),
        "general_errors": [e for f in bound for e in f.non_field_errors()],
    })


@coordinator_access
def engagement_detail(request, pk: int):
    return _render_detail(request, engagement_or_404(request, pk))


@coordinator_access
@require_POST
def engagement_move(request, pk: int, move: str):
    """One move between states: wait, match, start or end (the URL says which)."""
    engagement = engagement_or_404(request, pk)
    form_class = MOVE_FORMS[move]
    if form_class is MatchForm:
        volunteers = selectors.eligible_volunteers(engagement=engagement,
                                                   today=timezone.localdate())
        form = MatchForm(request.POST, engagement=engagement, volunteers=volunteers)
    else:
        form = form_class(request.POST, engagement=engagement)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if form_class is MatchForm:
                services.engagement_match(actor=request.user, engagement=engagement,
                                          volunteer=data["volunteer"], on=data["on"])
            else:
                services.engagement_transition(
                    actor=request.user, engagement=engagement, to_state=form.to_state,
                    on=data["on"], end_reason=data.get("end_reason", ""),
                    note=data.get("note", ""),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, MOVE_MESSAGES[move])
            return redirect("engagements:detail", pk=engagement.pk)
    return _render_detail(request, engagement, move_form=form)


@coordinator_access
@require_POST
def goal_add(request, pk: int):
    engagement = engagement_or_404(request, pk)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(actor=request.user, engagement=engagement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal has been added."))
            return redirect("engagements:detail", pk=engagement.pk)
    return _render_detail(request, engagement, goal_form=form)


@goal_access
@require_POST
def goal_update(request, pk: int, goal_pk: int):
    """A goal's status: coordinators from the engagement page, volunteers from their phone."""
    engagement = engagement_or_404(request, pk)
    goal = get_object_or_404(engagement.goals, pk=goal_pk)
    goal.engagement = engagement
    form = GoalStatusForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal has been saved."))
            if request.user.role == Role.VOLUNTEER:
                return redirect("engagements:my_detail", pk=engagement.pk)
            return redirect("engagements:detail", pk=engagement.pk)
    if request.user.role == Role.VOLUNTEER:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("engagements:my_detail", pk=engagement.pk)
    return _render_detail(request, engagement, status_form=form)


# --- figures ---------------------------------------------------------------------------------

def _month_labels(months) -> list[tuple[str, ...]]:
    """Short month names, with the year under the first month and under each January."""
    return [
        (date_format(m, "M"), str(m.year)) if i == 0 or m.month == 1 else (date_format(m, "M"),)
        for i, m in enumerate(months)
    ]


def _duration_charts(group: reports.DurationGroup) -> tuple:
    where = group.branch.name if group.branch else _("All branches")
    months = bar_chart(
        chart_id=f"months-{group.key}",
        title=_("%(type)s, %(branch)s: engagements per month")
        % {"type": group.type_label, "branch": where},
        description=_("Bar chart of active, started and ended engagements per month. The same "
                      "figures are in the table below."),
        categories=_month_labels([m.month for m in group.months]),
        series=[(_("Active"), [m.active for m in group.months]),
                (_("Started"), [m.started for m in group.months]),
                (_("Ended"), [m.ended for m in group.months])],
    )
    lengths = bar_chart(
        chart_id=f"lengths-{group.key}",
        title=_("%(type)s, %(branch)s: length of ended engagements")
        % {"type": group.type_label, "branch": where},
        description=_("Bar chart of the number of ended engagements by length. The same "
                      "figures are in the table below."),
        categories=[(str(band["label"]),) for band in group.lengths.bands],
        series=[(_("Ended"), [band["count"] for band in group.lengths.bands])],
        show_values=True,
    )
    return months, lengths


@coordinator_access
def duration_figures(request):
    form = FiguresForm(request.GET or None, branches=branch_list_for(user=request.user))
    period = form.period()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    groups = reports.duration_figures(user=request.user, period=period,
                                      type=data.get("type", ""), branch=data.get("branch"))
    sections = [(group, *_duration_charts(group)) for group in groups]
    return render(request, "engagements/figures.html", {
        "form": form, "period": period, "sections": sections, "tab": "figures",
    })


@coordinator_access
def volunteer_hours(request):
    form = FiguresForm(request.GET or None, branches=branch_list_for(user=request.user),
                       with_type=False)
    period = form.period()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    branches = reports.volunteer_hours(user=request.user, period=period,
                                       branch=data.get("branch"))
    sections = [
        (each, bar_chart(
            chart_id=f"hours-{each.branch.pk}",
            title=_("%(branch)s: volunteer hours per month") % {"branch": each.branch.name},
            description=_("Bar chart of the hours volunteers spent in meetings per month. "
                          "The same figures are in the table below."),
            categories=_month_labels(period.months),
            series=[(_("Hours"), [m.hours for m in each.months])],
        ))
        for each in branches
    ]
    return render(request, "engagements/hours.html", {
        "form": form, "period": period, "sections": sections, "tab": "hours",
    })


# --- the volunteer's phone pages -------------------------------------------------------------

@volunteer_access
def my_families(request):
    engagements = list(selectors.engagement_list_for(user=request.user)
                       .order_by("-matched_on", "-id"))
    return render(request, "engagements/mine.html", {
        "current": [e for e in engagements if e.state != State.ENDED],
        "ended": [e for e in engagements if e.state == State.ENDED],
    })


@volunteer_access
def my_engagement(request, pk: int):
    engagement = engagement_or_404(request, pk)
    today = timezone.localdate()
    ended = engagement.state == State.ENDED
    return render(request, "engagements/my_detail.html", {
        "engagement": engagement,
        "ended": ended,
        # After the end the volunteer keeps the history, not the family's address and phone.
        "essentials": None if ended else selectors.family_essentials(engagement=engagement,
                                                                     today=today),
        "goals": selectors.goal_list(engagement=engagement),
        "meetings": selectors.meeting_list(engagement=engagement, limit=RECENT_MEETINGS),
        "totals": selectors.meeting_totals(engagement=engagement),
    })


@volunteer_access
def log_meeting(request, pk: int):
    engagement = engagement_or_404(request, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_log(actor=request.user, engagement=engagement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect("engagements:my_detail", pk=engagement.pk)
    return render(request, "engagements/log_meeting.html", {
        "engagement": engagement, "form": form,
        "can_log": engagement.state in services.MEETING_STATES,
    })
