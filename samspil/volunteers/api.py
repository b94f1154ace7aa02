"""Volunteers in the REST API: the volunteers area's own selectors (coordinators see their
branches, organisation administrators the organisation, a volunteer herself)."""


import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from samspil.api.site import ERRORS, BranchId, ObjectId, Pages
from samspil.core.models import AuditEvent
from samspil.core.services import audit_record
from samspil.volunteers import selectors
from samspil.volunteers.models import VolunteerRole, VolunteerStatus

router = Router(tags=["volunteers"])


class VolunteerOut(Schema):
    id: int
    branch_id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    postcode: str | None = Field(alias="postcode_id")
    status: str
    roles: list[str]
    capacity: int
    load: int = Field(description="Matched and active engagements now")
    languages: list[str]
    skills: list[str]
    updated_at: datetime.datetime


class VolunteerFilters(Schema):
    q: str = Field("", max_length=100, description="Name, e-mail, phone, postcode, town, skill")
    status: VolunteerStatus | None = None
    role: VolunteerRole | None = None
    branch: BranchId | None = None


@router.get("/", response={200: list[VolunteerOut], **ERRORS}, summary="List volunteers")
@paginate(Pages)
def volunteer_list(request: HttpRequest, filters: Query[VolunteerFilters]):
    query = filters.q.strip()
    qs = selectors.with_load(selectors.volunteer_list_for(
        user=request.user, query=query, status=filters.status or "", role=filters.role or "",
    ))
    if filters.branch is not None:
        qs = qs.filter(branch_id=filters.branch)
    if query:
        audit_record(actor=request.user, action=AuditEvent.Action.SEARCH,
                     object_type="volunteers.volunteer", summary=query, purpose="api")
    return qs.order_by("id")


@router.get("/{volunteer_id}", response={200: VolunteerOut, **ERRORS},
            summary="One volunteer")
def volunteer_detail(request: HttpRequest, volunteer_id: ObjectId):
    volunteer = selectors.with_load(
        selectors.volunteer_list_for(user=request.user).filter(pk=volunteer_id)
    ).first()
    if volunteer is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="volunteers.volunteer", object_id=volunteer_id, purpose="api")
        raise Http404
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="volunteers.volunteer", object_id=volunteer.pk,
                 object_label=volunteer.full_name, purpose="api")
    return volunteer
