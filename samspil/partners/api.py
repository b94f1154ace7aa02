# No "from __future__ import annotations": ninja reads the annotations at import.
"""Referrals to and from partners in the REST API, through the partners area's selectors:
organisation administrators see the organisation's, coordinators their branches'; nobody
else sees any. The message and the reasons are sent; the shared fields are named, not copied."""


import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from samspil.api.site import ERRORS, MAX_ID, BranchId, DateRange, ObjectId, Pages
from samspil.core.models import AuditEvent
from samspil.core.services import audit_record
from samspil.partners import selectors
from samspil.partners.models import Direction, ReferralStatus

router = Router(tags=["referrals"])


class ReferralOut(Schema):
    id: int
    branch_id: int
    household_id: int
    parent_id: int | None
    partner_id: int
    partner_name: str = Field(alias="partner.name")
    partner_kind: str = Field(alias="partner.kind")
    direction: str
    help_kind: str
    status: str
    shared_fields: list[str]
    sent_on: datetime.date
    received_on: datetime.date | None
    decided_on: datetime.date | None
    completed_on: datetime.date | None
    engagement_id: int | None


class ReferralDetailOut(ReferralOut):
    message: str
    decline_reason: str
    outcome: str
    consent_given_on: datetime.date


class ReferralFilters(DateRange):
    """`date_from`/`date_to` are on the date the referral was sent."""

    direction: Direction | None = None
    status: ReferralStatus | None = None
    branch: BranchId | None = None
    household: int | None = Field(None, ge=1, le=MAX_ID)


@router.get("/", response={200: list[ReferralOut], **ERRORS}, summary="List referrals")
@paginate(Pages)
def referral_list(request: HttpRequest, filters: Query[ReferralFilters]):
    qs = selectors.referral_list_for(user=request.user, direction=filters.direction or "",
                                     status=filters.status or "", household=filters.household)
    if filters.branch is not None:
        qs = qs.filter(branch_id=filters.branch)
    return filters.apply(qs, "sent_on").order_by("id")


@router.get("/{referral_id}", response={200: ReferralDetailOut, **ERRORS},
            summary="One referral")
def referral_detail(request: HttpRequest, referral_id: ObjectId):
    referral = selectors.referral_get_for(user=request.user, pk=referral_id)
    if referral is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="partners.referral", object_id=referral_id, purpose="api")
        raise Http404
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="partners.referral", object_id=referral.pk,
                 household_id=referral.household_id, purpose="api")
    return referral
