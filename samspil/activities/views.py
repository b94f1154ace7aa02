"""Thin views for networks and activities: validate with forms, read with selectors, write with
services.

Coordinators and organisation administrators plan activities, sign families up and run
networks; the volunteer in charge ticks attendance on a phone; organisation administrators see
the figures; a family signs up through an activity's public link without logging in.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samspil.activities import selectors, services
from samspil.activities.forms import (
    ActivityForm,
    AttendanceForm,
    FiguresForm,
    KindForm,
    LinkHouseholdForm,
    MemberAddForm,
    MemberLeaveForm,
    NetworkForm,
    PublicSignUpForm,
    SessionForm,
    SessionFormSet,
    SignUpForm,
)
from samspil.activities.models import Activity, Network, SignUp, SignUpStatus
from samspil.core.access import role_required
from samspil.core.models import AuditEvent, Role
from samspil.core.public_forms import RATE_LIMIT_MESSAGE, create_once, rate_limited
from samspil.core.selectors import branch_list_for
from samspil.core.service_errors import add_service_errors
from samspil.core.services import audit_record
from samspil.engagements.charts import bar_chart
from samspil.households.selectors import household_list_for
from samspil.households.views import household_or_404
from samspil.volunteers.models import Volunteer, VolunteerStatus

Action = AuditEvent.Action
Status = SignUpStatus
coordinator_access = role_required(*selectors.ACTIVITY_ROLES)
attendance_access = role_required(*selectors.ACTIVITY_ROLES, Role.VOLUNTEER)
volunteer_access = role_required(Role.VOLUNTEER)
admin_access = role_required(Role.ORG_ADMIN)


def activity_or_404(request, pk: int) -> Activity:
    """The gatekeeper: the only way a view loads an activity from an id in the URL."""
    activity = selectors.activity_get_for(user=request.user, pk=pk)
    if activity is None:
        audit_record(actor=request.user, action=Action.DENIED,
                     object_type="activities.activity", object_id=pk)
        raise Http404
    return activity


def network_or_404(request, pk: int) -> Network:
    network = selectors.network_get_for(user=request.user, pk=pk)
    if network is None:
        audit_record(actor=request.user, action=Action.DENIED,
                     object_type="activities.network", object_id=pk)
        raise Http404
    return network


def _only_branch(request):
    """The user's branch when there is just one (a coordinator's usual case), to preselect."""
    branches = list(branch_list_for(user=request.user)[:2])
    return branches[0] if len(branches) == 1 else None


def _volunteers_for(request):
    return Volunteer.objects.filter(
        organisation_id=request.user.organisation_id, status=VolunteerStatus.ACTIVE,
        branch__in=branch_list_for(user=request.user)).order_by("first_name", "last_name")


def _networks_for(request):
    return selectors.network_list_for(user=request.user).filter(ended_on__isnull=True)


# --- activities ------------------------------------------------------------------------------

@coordinator_access
def activity_list(request):
    today = timezone.localdate()
    activities = list(selectors.activity_list_for(user=request.user)
                      .order_by("-first_date", "-id")[:200])
    return render(request, "activities/list.html", {
        # An activity with a session today or later is still on, however long ago it began.
        "upcoming": [a for a in activities if a.last_date is None or a.last_date >= today],
        "past": [a for a in activities if a.last_date is not None and a.last_date < today],
        "tab": "activities",
    })


def _activity_form(request, activity: Activity | None = None):
    initial = {}
    if activity is not None:
        initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
        initial["volunteers"] = list(activity.volunteers.all())
    else:
        initial = {"capacity_unit": "households", "waiting_list": True, "price": 0,
                   "branch": _only_branch(request)}
    return ActivityForm(
        request.POST or None, initial=initial, branches=branch_list_for(user=request.user),
        kinds=selectors.kind_list_for(user=request.user), networks=_networks_for(request),
        volunteers=_volunteers_for(request))


@coordinator_access
def activity_create(request):
    form = _activity_form(request)
    sessions = SessionFormSet(request.POST or None, prefix="sessions")
    if request.method == "POST" and form.is_valid() & sessions.is_valid():
        try:
            activity = services.activity_save(
                actor=request.user, values=form.values(),
                volunteers=form.cleaned_data["volunteers"], sessions=sessions.sessions())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity has been created."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "formset": sessions,
                                                    "activity": None})


@coordinator_access
def activity_edit(request, pk: int):
    activity = activity_or_404(request, pk)
    form = _activity_form(request, activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(actor=request.user, values=form.values(),
                                   volunteers=form.cleaned_data["volunteers"],
                                   activity=activity)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity has been saved."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "formset": None,
                                                    "activity": activity})


def _render_detail(request, activity: Activity, *, session_form=None, signup_form=None,
                   status=200):
    households = household_list_for(user=request.user).filter(
        organisation_id=activity.organisation_id)
    signups = selectors.signup_list(activity=activity)
    public_url = request.build_absolute_uri(
        reverse("activities:public_signup", kwargs={"key": activity.public_key}))
    return render(request, "activities/detail.html", {
        "activity": activity,
        "sessions": selectors.session_list(activity=activity),
        "confirmed": signups[Status.CONFIRMED],
        "waiting": signups[Status.WAITING],
        "cancelled": signups[Status.CANCELLED],
        "free": services.places_free(activity),
        "closes_on": services.signup_closes_on(activity),
        "rate": selectors.attendance_rate(activity=activity),
        "session_form": session_form or SessionForm(),
        "signup_form": signup_form or SignUpForm(households=households),
        "link_choices": list(households.values_list("pk", "display_name")[:1000]),
        "public_url": public_url if activity.public_signup else "",
        "volunteers": list(activity.volunteers.all()),
        "today": timezone.localdate(),
    }, status=status)


@coordinator_access
def activity_detail(request, pk: int):
    return _render_detail(request, activity_or_404(request, pk))


@coordinator_access
@require_POST
def session_add(request, pk: int):
    activity = activity_or_404(request, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(actor=request.user, activity=activity,
                                 data=form.data_object())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session has been added."))
            return redirect("activities:detail", pk=activity.pk)
    return _render_detail(request, activity, session_form=form)


@coordinator_access
@require_POST
def signup_create(request, pk: int):
    activity = activity_or_404(request, pk)
    households = household_list_for(user=request.user)
    form = SignUpForm(request.POST, households=households)
    if form.is_valid():
        try:
            signup = services.signup_create(
                actor=request.user, activity=activity, household=form.cleaned_data["household"],
                persons=form.chosen(), note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if signup.status == Status.CONFIRMED:
                messages.success(request, _("%(name)s has a place.") % {
                    "name": signup.display_name})
            else:
                messages.success(request, _("%(name)s is on the waiting list.") % {
                    "name": signup.display_name})
            return redirect("activities:detail", pk=activity.pk)
    return _render_detail(request, activity, signup_form=form)


def _signup_or_404(activity: Activity, signup_pk: int) -> SignUp:
    signup = activity.signups.select_related("household").filter(pk=signup_pk).first()
    if signup is None:
        raise Http404
    signup.activity = activity
    return signup


@coordinator_access
@require_POST
def signup_cancel(request, pk: int, signup_pk: int):
    activity = activity_or_404(request, pk)
    signup = _signup_or_404(activity, signup_pk)
    try:
        promoted = services.signup_cancel(actor=request.user, signup=signup)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The sign-up of %(name)s has been cancelled.") % {
            "name": signup.display_name})
        for moved in promoted:
            messages.success(request, _("%(name)s moved up from the waiting list and has been "
                                        "told.") % {"name": moved.display_name})
    return redirect("activities:detail", pk=activity.pk)


@coordinator_access
@require_POST
def signup_link(request, pk: int, signup_pk: int):
    activity = activity_or_404(request, pk)
    signup = _signup_or_404(activity, signup_pk)
    form = LinkHouseholdForm(request.POST, households=household_list_for(user=request.user))
    if form.is_valid():
        try:
            services.signup_link_household(actor=request.user, signup=signup,
                                           household=form.cleaned_data["household"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The sign-up has been linked to the household."))
    else:
        messages.error(request, _("Choose a household from the list."))
    return redirect("activities:detail", pk=activity.pk)


@coordinator_access
def kind_list(request):
    form = KindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kind_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The kind of activity has been added."))
            return redirect("activities:kinds")
    kinds = sorted(selectors.kind_list_for(user=request.user), key=lambda k: str(k.label))
    return render(request, "activities/kinds.html", {"kinds": kinds, "form": form,
                                                     "tab": "kinds"})


# --- attendance (coordinators and the volunteer in charge) ------------------------------------

@attendance_access
def attendance(request, pk: int, session_pk: int):
    activity = activity_or_404(request, pk)
    session = selectors.session_get_for(user=request.user, activity=activity, pk=session_pk)
    if session is None:
        raise Http404
    sheet = selectors.attendance_sheet(session=session)
    ids = [line.participant_id for _label, lines in sheet for line in lines]
    form = AttendanceForm(request.POST or None, participant_ids=ids)
    future = session.date > timezone.localdate()
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_record(actor=request.user, session=session,
                                               present=set(form.cleaned_data["present"]))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Attendance saved: %(count)s present.") % {
                "count": count})
            return redirect("activities:attendance", pk=activity.pk, session_pk=session.pk)
    return render(request, "activities/attendance.html", {
        "activity": activity, "session": session, "sheet": sheet, "form": form,
        "future": future, "is_volunteer": request.user.role == Role.VOLUNTEER,
    }, status=200 if not form.errors else 400)


@volunteer_access
def my_activities(request):
    today = timezone.localdate()
    activities = list(selectors.activity_list_for(user=request.user).order_by("first_date")
                      .prefetch_related("sessions"))
    sessions = {a.pk: list(a.sessions.all()) for a in activities}
    rows = [(a, sessions[a.pk]) for a in activities
            if not sessions[a.pk] or sessions[a.pk][-1].date >= today - datetime.timedelta(
                days=30)]
    return render(request, "activities/mine.html", {"rows": rows, "today": today})


# --- networks --------------------------------------------------------------------------------

@coordinator_access
def network_list(request):
    networks = list(selectors.network_list_for(user=request.user).order_by("ended_on", "name"))
    return render(request, "activities/networks.html", {
        "running": [n for n in networks if n.ended_on is None],
        "ended": [n for n in networks if n.ended_on is not None],
        "tab": "networks",
    })


def _network_form(request, network: Network | None = None):
    initial = {}
    if network is not None:
        initial = {f: getattr(network, f) for f in services.NETWORK_FIELDS}
        initial["contact_volunteers"] = list(network.contact_volunteers.all())
    else:
        initial = {"branch": _only_branch(request), "started_on": timezone.localdate()}
    return NetworkForm(request.POST or None, initial=initial,
                       branches=branch_list_for(user=request.user),
                       volunteers=_volunteers_for(request))


@coordinator_access
def network_create(request):
    return _network_save(request, None)


@coordinator_access
def network_edit(request, pk: int):
    return _network_save(request, network_or_404(request, pk))


def _network_save(request, network: Network | None):
    form = _network_form(request, network)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_save(
                actor=request.user, values=form.values(),
                contact_volunteers=form.cleaned_data["contact_volunteers"], network=network)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network has been saved."))
            return redirect("activities:network_detail", pk=network.pk)
    return render(request, "activities/network_form.html", {"form": form, "network": network})


def _render_network(request, network: Network, *, member_form=None):
    households = household_list_for(user=request.user).filter(branch=network.branch)
    return render(request, "activities/network_detail.html", {
        "network": network,
        "memberships": selectors.membership_list(network=network),
        "member_form": member_form or MemberAddForm(households=households,
                                                    initial={"joined_on": timezone.localdate()}),
        "leave_form": MemberLeaveForm(initial={"left_on": timezone.localdate()}),
        "contacts": list(network.contact_volunteers.all()),
        "activities": list(network.activities.select_related("kind").order_by("-id")[:20]),
    })


@coordinator_access
def network_detail(request, pk: int):
    return _render_network(request, network_or_404(request, pk))


@coordinator_access
@require_POST
def network_member_add(request, pk: int):
    network = network_or_404(request, pk)
    form = MemberAddForm(request.POST, households=household_list_for(user=request.user)
                         .filter(branch=network.branch))
    if form.is_valid():
        try:
            services.network_member_add(actor=request.user, network=network, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The household has joined the network."))
            return redirect("activities:network_detail", pk=network.pk)
    return _render_network(request, network, member_form=form)


@coordinator_access
@require_POST
def network_member_leave(request, pk: int, membership_pk: int):
    network = network_or_404(request, pk)
    membership = network.memberships.filter(pk=membership_pk).first()
    if membership is None:
        raise Http404
    form = MemberLeaveForm(request.POST)
    if form.is_valid():
        try:
            services.network_member_leave(actor=request.user, membership=membership,
                                          left_on=form.cleaned_data["left_on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The household has left the network."))
    else:
        messages.error(request, _("Enter the date the household left."))
    return redirect("activities:network_detail", pk=network.pk)


# --- the household's participation tab ------------------------------------------------------

@coordinator_access
def household_participation(request, household_pk: int):
    household = household_or_404(request, household_pk)
    return render(request, "activities/participation.html", {
        "household": household, "tab": "participation",
        "participation": selectors.participation_for(household=household),
    })


# --- figures for the national office ----------------------------------------------------------

@admin_access
def figures(request):
    form = FiguresForm(request.GET or None)
    year = form.chosen_year()
    today = timezone.localdate()
    start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    days = selectors.month_ends(year, today)
    counts = selectors.networks_over_time(user=request.user, days=days)
    over_time = bar_chart(
        chart_id="networks-over-time",
        title=_("Family networks running at the end of each month, %(year)s") % {"year": year},
        description=_("Bar chart of the number of running family networks at the end of each "
                      "month. The same figures are in the table below."),
        categories=[(date_format(d, "M"),) for d in days],
        series=[(_("Networks"), counts)], show_values=True,
    )
    reach = selectors.network_reach(user=request.user, start=start, end=end)
    reach_chart = bar_chart(
        chart_id="network-reach",
        title=_("Families reached per network, %(year)s") % {"year": year},
        description=_("Bar chart of the number of households each network reached, by the "
                      "network's number in the table below, which has the same figures."),
        # Numbers, not names, under the bars: names are long; the table gives number and name.
        categories=[(str(i),) for i, _r in enumerate(reach, start=1)],
        series=[(_("Households"), [r.reached for r in reach])], show_values=True,
    ) if reach else None
    offers = selectors.households_in_several_offers(user=request.user, start=start, end=end)
    offers_chart = bar_chart(
        chart_id="offers",
        title=_("Households in one or more offers per branch, %(year)s") % {"year": year},
        description=_("Bar chart of households taking part in at least one and in more than one "
                      "offer per branch. The same figures are in the table below."),
        categories=[(r.branch.name,) for r in offers],
        series=[(_("One or more offers"), [r.one_or_more for r in offers]),
                (_("More than one offer"), [r.more_than_one for r in offers])],
        show_values=True,
    ) if offers else None
    return render(request, "activities/figures.html", {
        "form": form, "year": year, "rows": list(zip(days, counts, strict=True)),
        "over_time": over_time, "reach": reach, "reach_chart": reach_chart,
        "offers": offers, "offers_chart": offers_chart, "tab": "figures",
    })


# --- the public sign-up link (no login) -------------------------------------------------------

def public_signup(request, key):
    activity = selectors.activity_public(key=key)
    if activity is None:
        raise Http404
    sessions = list(activity.sessions.all())
    closes_on = services.signup_closes_on(activity)
    closed = closes_on is not None and timezone.localdate() > closes_on
    form = PublicSignUpForm(request.POST or None, activity=activity)
    context = {"activity": activity, "sessions": sessions, "closes_on": closes_on,
               "closed": closed, "form": form}
    if request.method != "POST":
        return render(request, "activities/public_signup.html", context)
    if rate_limited(request, scope=f"activity-signup:{activity.pk}"):
        form.is_valid()
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return render(request, "activities/public_signup.html", context, status=429)
    if not form.is_valid():
        return render(request, "activities/public_signup.html", context, status=400)
    try:
        signup, _created = create_once(
            model=SignUp, token=form.cleaned_data["submission_token"],
            create=lambda: services.signup_public(
                activity=activity, data=form.data_object(),
                token=form.cleaned_data["submission_token"]))
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "activities/public_signup.html", context, status=400)
    return render(request, "activities/public_receipt.html", {
        "activity": activity, "signup": signup, "sessions": sessions,
    })
