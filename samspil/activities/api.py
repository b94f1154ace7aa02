# No "from __future__ import annotations": ninja reads the annotations at import.
"""Activities with their sessions, sign-ups and attendance in the REST API, through the
activities area's selectors: organisation administrators see the organisation's, coordinators
their branches', a volunteer the activities she is in charge of (and of their sign-ups only
first names and children's ages, as on her phone page)."""


import datetime

from django.db.models import F, IntegerField, Prefetch, Value
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from samspil.activities import selectors
from samspil.activities.models import Activity, Attendance, Participant, Session, SignUpStatus
from samspil.api.site import ERRORS, BranchId, DateRange, ObjectId, Pages
from samspil.core.models import AuditEvent
from samspil.core.services import audit_record

router = Router(tags=["activities"])


class SessionOut(Schema):
    id: int
    date: datetime.date
    # "17:00" local time (JSON Schema's "time" format would require a UTC offset).
    start: str = Field(pattern=r"^\d{2}:\d{2}$", description="Local time, HH:MM")
    end: str = Field(pattern=r"^\d{2}:\d{2}$", description="Local time, HH:MM")

    @staticmethod
    def resolve_start(obj) -> str:
        return obj.start.strftime("%H:%M")

    @staticmethod
    def resolve_end(obj) -> str:
        return obj.end.strftime("%H:%M")


class ActivityOut(Schema):
    id: int
    branch_id: int
    network_id: int | None
    kind: str = Field(alias="kind.code")
    title: str
    place: str
    capacity: int
    capacity_unit: str
    waiting_list: bool
    min_age: int | None
    max_age: int | None
    signup_deadline: datetime.date | None
    taken: int = Field(description="Places taken by confirmed sign-ups")
    waiting: int = Field(description="Sign-ups on the waiting list")
    first_date: datetime.date | None = Field(description="The first session's date")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_taken(obj) -> int:
        return obj.taken or 0


class ActivityDetailOut(ActivityOut):
    description: str
    sessions: list[SessionOut]

    @staticmethod
    def resolve_sessions(obj) -> list:
        return selectors.session_list(activity=obj)


class ParticipantOut(Schema):
    id: int
    first_name: str
    is_child: bool
    age: int | None


class SignUpOut(Schema):
    id: int
    status: str
    places: int
    household_id: int | None = Field(alias="household_ref", description="null for volunteers")
    signed_up_at: datetime.datetime
    confirmed_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    participants: list[ParticipantOut]


class AttendanceOut(Schema):
    session_id: int
    date: datetime.date = Field(alias="session.date")
    participant_id: int
    first_name: str = Field(alias="participant.first_name")
    present: bool


class ActivityFilters(DateRange):
    """`date_from`/`date_to` select activities with a session in that period."""

    branch: BranchId | None = None


class SignUpFilters(Schema):
    status: SignUpStatus | None = None


@router.get("/", response={200: list[ActivityOut], **ERRORS}, summary="List activities")
@paginate(Pages)
def activity_list(request: HttpRequest, filters: Query[ActivityFilters]):
    qs = selectors.activity_list_for(user=request.user)
    if filters.branch is not None:
        qs = qs.filter(branch_id=filters.branch)
    if filters.date_from is not None or filters.date_to is not None:
        sessions = filters.apply(Session.objects.all(), "date")
        qs = qs.filter(pk__in=sessions.values("activity_id"))
    return qs.order_by("id")


def _activity_or_404(request: HttpRequest, pk: int) -> Activity:
    activity = selectors.activity_get_for(user=request.user, pk=pk)
    if activity is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="activities.activity", object_id=pk, purpose="api")
        raise Http404
    return activity


@router.get("/{activity_id}", response={200: ActivityDetailOut, **ERRORS},
            summary="One activity with its sessions")
def activity_detail(request: HttpRequest, activity_id: ObjectId):
    activity = _activity_or_404(request, activity_id)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="activities.activity", object_id=activity.pk,
                 object_label=activity.title, purpose="api")
    return activity


@router.get("/{activity_id}/signups", response={200: list[SignUpOut], **ERRORS},
            summary="The activity's sign-ups with their participants, in sign-up order")
@paginate(Pages)
def signup_list(request: HttpRequest, activity_id: ObjectId, filters: Query[SignUpFilters]):
    activity = _activity_or_404(request, activity_id)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="activities.activity", object_id=activity.pk,
                 object_label=activity.title, summary="sign-ups", purpose="api")
    qs = (activity.signups.prefetch_related(
        Prefetch("participants", queryset=Participant.objects.order_by("id")))
        .order_by("signed_up_at", "id"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if not request.user.has_role(*selectors.ACTIVITY_ROLES):
        # A volunteer in charge sees first names and ages only, not which household it is.
        qs = qs.annotate(household_ref=Value(None, output_field=IntegerField()))
    else:
        qs = qs.annotate(household_ref=F("household_id"))
    return qs


@router.get("/{activity_id}/attendance", response={200: list[AttendanceOut], **ERRORS},
            summary="Who came to each session (the volunteer's ticks)")
@paginate(Pages)
def attendance_list(request: HttpRequest, activity_id: ObjectId, filters: Query[DateRange]):
    activity = _activity_or_404(request, activity_id)
    qs = Attendance.objects.filter(session__activity=activity).select_related(
        "session", "participant")
    qs = filters.apply(qs, "session__date")
    return qs.order_by("session__date", "session_id", "participant_id")
