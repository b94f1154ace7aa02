"""Households and their members in the REST API: the registry's own selectors and rules."""


import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from samspil.api.site import ERRORS, BranchId, IsoDateTime, ObjectId, Pages
from samspil.core.models import AuditEvent
from samspil.core.services import audit_record
from samspil.households import selectors
from samspil.households.models import Household

router = Router(tags=["households"])


class PersonOut(Schema):
    id: int
    role: str
    first_name: str
    last_name: str
    birth_date: datetime.date
    gender: str
    school_grade: str
    work_status: str
    has_cpr: bool = Field(description="Whether a CPR number is stored. The number itself is "
                                      "never sent, not even masked.")


class HouseholdOut(Schema):
    id: int
    display_name: str
    branch_id: int
    address: str
    postcode: str = Field(alias="postcode_id")
    municipality: str = Field(alias="municipality_id", description="4-digit municipality code")
    phone: str
    email: str
    preferred_language: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class HouseholdDetailOut(HouseholdOut):
    notes: str
    members: list[PersonOut]


class HouseholdFilters(Schema):
    q: str = Field("", max_length=100, description="Words that must all match, as in the "
                                                   "household search")
    branch: BranchId | None = None
    updated_since: IsoDateTime | None = Field(None, description="Changed at or after")


@router.get("/", response={200: list[HouseholdOut], **ERRORS}, summary="List households")
@paginate(Pages)
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]):
    qs = selectors.household_list_for(user=request.user, query=filters.q.strip())
    if filters.branch is not None:
        qs = qs.filter(branch_id=filters.branch)
    if filters.updated_since is not None:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    if filters.q.strip():
        audit_record(actor=request.user, action=AuditEvent.Action.SEARCH,
                     object_type="households.household", summary=filters.q.strip()[:100],
                     purpose="api")
    return qs.order_by("id")


@router.get("/{household_id}", response={200: HouseholdDetailOut, **ERRORS},
            summary="One household with its members")
def household_detail(request: HttpRequest, household_id: ObjectId):
    return _household_or_404(request, household_id)


def _household_or_404(request: HttpRequest, pk: int) -> Household:
    """The API's gatekeeper, as households.views.household_or_404: audited either way."""
    household = (selectors.household_list_for(user=request.user).filter(pk=pk)
                 .prefetch_related("members").first())
    if household is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="households.household", object_id=pk,
                     household_id=pk, purpose="api")
        raise Http404
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="households.household", object_id=pk, household_id=pk,
                 object_label=household.display_name, purpose="api")
    return household
