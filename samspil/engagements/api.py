"""Engagements with their goals and meetings in the REST API, through the engagements area's
selectors and services: coordinators see their branches', a volunteer her own, and a volunteer
logs a meeting with exactly the rules of her phone page."""


import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from samspil.api.site import ERRORS, MAX_ID, BranchId, IsoDate, ObjectId, Pages
from samspil.core.models import AuditEvent, Role
from samspil.core.services import audit_record
from samspil.engagements import selectors, services
from samspil.engagements.models import Engagement, EngagementState, EngagementType, Meeting
from samspil.households.models import LifeArea

router = Router(tags=["engagements"])


class GoalOut(Schema):
    id: int
    area: str
    text: str
    status: str
    reached_on: datetime.date | None


class MeetingOut(Schema):
    id: int
    date: datetime.date
    minutes: int
    kind: str
    areas: list[str]
    note: str


class EngagementOut(Schema):
    id: int
    type: str
    state: str
    branch_id: int
    household_id: int
    parent_id: int | None
    volunteer_id: int | None
    focus: str
    referred_on: datetime.date
    matched_on: datetime.date | None
    started_on: datetime.date | None
    ended_on: datetime.date | None
    end_reason: str
    updated_at: datetime.datetime


class EngagementDetailOut(EngagementOut):
    goals: list[GoalOut]


class EngagementFilters(Schema):
    state: EngagementState | None = None
    type: EngagementType | None = None
    branch: BranchId | None = None
    household: int | None = Field(None, ge=1, le=MAX_ID)
    referred_from: IsoDate | None = Field(None, description="Referred on or after")
    referred_to: IsoDate | None = Field(None, description="Referred on or before")


class MeetingIn(Schema):
    date: IsoDate
    minutes: int = Field(ge=1, le=services.MAX_MEETING_MINUTES)
    kind: Meeting.Kind
    areas: list[LifeArea] = Field(default_factory=list, max_length=len(LifeArea.values))
    note: str = Field("", max_length=1000)


@router.get("/", response={200: list[EngagementOut], **ERRORS}, summary="List engagements")
@paginate(Pages)
def engagement_list(request: HttpRequest, filters: Query[EngagementFilters]):
    qs = selectors.engagement_list_for(
        user=request.user, state=filters.state or "", type=filters.type or "",
        branch=filters.branch, household=filters.household,
    )
    if filters.referred_from is not None:
        qs = qs.filter(referred_on__gte=filters.referred_from)
    if filters.referred_to is not None:
        qs = qs.filter(referred_on__lte=filters.referred_to)
    return qs.order_by("id")


def _engagement_or_404(request: HttpRequest, pk: int) -> Engagement:
    engagement = selectors.engagement_get_for(user=request.user, pk=pk)
    if engagement is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="engagements.engagement", object_id=pk, purpose="api")
        raise Http404
    return engagement


@router.get("/{engagement_id}", response={200: EngagementDetailOut, **ERRORS},
            summary="One engagement with its goals")
def engagement_detail(request: HttpRequest, engagement_id: ObjectId):
    engagement = _engagement_or_404(request, engagement_id)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="engagements.engagement", object_id=engagement.pk,
                 household_id=engagement.household_id, purpose="api")
    return engagement  # its goals come from engagement.goals


@router.get("/{engagement_id}/meetings", response={200: list[MeetingOut], **ERRORS},
            summary="The engagement's meetings, newest first")
@paginate(Pages)
def meeting_list(request: HttpRequest, engagement_id: ObjectId):
    engagement = _engagement_or_404(request, engagement_id)
    return engagement.meetings.order_by("-date", "-id")


@router.post("/{engagement_id}/meetings",
             response={201: MeetingOut, 400: ERRORS[404], 403: ERRORS[404], **ERRORS},
             summary="Log a meeting (the engagement's volunteer)")
def meeting_create(request: HttpRequest, engagement_id: ObjectId, payload: MeetingIn):
    engagement = _engagement_or_404(request, engagement_id)
    if request.user.role != Role.VOLUNTEER:
        # As on the pages: the volunteer logs her meetings; coordinators read them.
        raise PermissionDenied
    meeting = services.meeting_log(
        actor=request.user, engagement=engagement, date=payload.date, minutes=payload.minutes,
        kind=payload.kind, areas=[str(a) for a in payload.areas], note=payload.note,
    )
    return 201, meeting


@router.get("/{engagement_id}/goals", response={200: list[GoalOut], **ERRORS},
            summary="The engagement's goals (small steps)")
@paginate(Pages)
def goal_list(request: HttpRequest, engagement_id: ObjectId):
    engagement = _engagement_or_404(request, engagement_id)
    return engagement.goals.order_by("id")
