# No "from __future__ import annotations": ninja reads the annotations at import.
"""Questionnaire responses and KPI figures in the REST API, through the outcomes area's
selectors and figures: questionnaires of the engagements the user may see; a programme's
figures exactly as its dashboard shows them to this user — small numbers suppressed by
outcomes.disclosure (never a raw count under the threshold the page would hide)."""


import datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from samspil.api.site import ERRORS, BranchId, DateRange, IsoDate, ObjectId, Pages
from samspil.core.models import AuditEvent
from samspil.core.services import audit_record
from samspil.outcomes import figures, selectors
from samspil.outcomes.models import Point

router = Router(tags=["outcomes"])


class QuestionnaireOut(Schema):
    id: int
    engagement_id: int
    household_id: int = Field(alias="engagement.household_id")
    branch_id: int = Field(alias="engagement.branch_id")
    person_id: int
    instrument: str = Field(alias="instrument.code")
    instrument_version: int = Field(alias="instrument.version")
    point: str
    due_on: datetime.date
    answered_on: datetime.date | None
    by_family: bool
    score: int | None


class QuestionnaireDetailOut(QuestionnaireOut):
    answers: dict[str, int | None] = Field(description="Item code → the answer given")


class QuestionnaireFilters(DateRange):
    """`date_from`/`date_to` are on the due date."""

    answered: bool | None = Field(None, description="Only answered (true) or open (false)")
    instrument: str = Field("", max_length=40, description="Instrument code, e.g. who5")
    point: Point | None = None
    branch: BranchId | None = None


class ProgrammeOut(Schema):
    id: int
    name: str
    funder: str
    starts_on: datetime.date
    ends_on: datetime.date


class CellOut(Schema):
    label: str
    shown: str = Field(description="As the dashboard shows it: a number, '<5' or 'x'")


class KpiOut(Schema):
    kpi: str
    label: str
    is_rate: bool
    shown: str = Field(description="The figure as the dashboard shows it ('<5' when small)")
    value: int | None = Field(description="The count; null when it is suppressed or a rate")
    percent: float | None = Field(description="The share in per cent; null when suppressed")
    target: float | None
    progress: float | None = Field(description="Per cent of the way to the target")
    by_branch: list[CellOut]
    by_municipality: list[CellOut]


class FiguresOut(Schema):
    programme_id: int
    on: datetime.date
    suppressed: bool = Field(description="Whether small numbers are hidden for you")
    kpis: list[KpiOut]


class FiguresQuery(Schema):
    on: IsoDate | None = Field(None, description="The day the figures are for (today)")


@router.get("/questionnaires/", response={200: list[QuestionnaireOut], **ERRORS},
            summary="List questionnaires (responses and those due)", tags=["outcomes"])
@paginate(Pages)
def questionnaire_list(request: HttpRequest, filters: Query[QuestionnaireFilters]):
    qs = selectors.questionnaire_list_for(user=request.user)
    if filters.answered is not None:
        qs = qs.filter(answered_at__isnull=not filters.answered)
    if filters.instrument:
        qs = qs.filter(instrument__code=filters.instrument)
    if filters.point:
        qs = qs.filter(point=filters.point)
    if filters.branch is not None:
        qs = qs.filter(engagement__branch_id=filters.branch)
    return filters.apply(qs, "due_on").order_by("id")


@router.get("/questionnaires/{questionnaire_id}",
            response={200: QuestionnaireDetailOut, **ERRORS},
            summary="One questionnaire with its answers")
def questionnaire_detail(request: HttpRequest, questionnaire_id: ObjectId):
    questionnaire = selectors.questionnaire_get_for(user=request.user, pk=questionnaire_id)
    if questionnaire is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="outcomes.questionnaire", object_id=questionnaire_id,
                     purpose="api")
        raise Http404
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="outcomes.questionnaire", object_id=questionnaire.pk,
                 household_id=questionnaire.engagement.household_id, purpose="api")
    return questionnaire


@router.get("/programmes/", response={200: list[ProgrammeOut], **ERRORS},
            summary="List programmes (whose KPI figures you may see)")
@paginate(Pages)
def programme_list(request: HttpRequest):
    return selectors.programme_list_for(user=request.user).order_by("id")


def _cell(row) -> dict:
    cell = row.share if row.share is not None else row.value
    return {"label": row.label, "shown": cell.display}


def _kpi(figure: figures.KpiFigure) -> dict:
    return {
        "kpi": figure.kpi, "label": figure.label, "is_rate": figure.is_rate,
        "shown": figure.shown,
        "value": None if figure.is_rate or figure.value.hidden else figure.value.value,
        "percent": figure.share.percent if figure.is_rate else None,
        "target": float(figure.target.value) if figure.target else None,
        "progress": figure.progress,
        "by_branch": [_cell(r) for r in figure.by_branch],
        "by_municipality": [_cell(r) for r in figure.by_municipality],
    }


@router.get("/programmes/{programme_id}/figures", response={200: FiguresOut, **ERRORS},
            summary="A programme's KPI figures, as its dashboard shows them to you")
def programme_figures(request: HttpRequest, programme_id: ObjectId, query: Query[FiguresQuery]):
    programme = selectors.programme_get_for(user=request.user, pk=programme_id)
    if programme is None:
        audit_record(actor=request.user, action=AuditEvent.Action.DENIED,
                     object_type="outcomes.programme", object_id=programme_id, purpose="api")
        raise Http404
    on = query.on or timezone.localdate()
    policy = figures.policy_for(request.user)
    board = figures.dashboard(programme=programme, on=on, policy=policy)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW,
                 object_type="outcomes.programme", object_id=programme.pk,
                 object_label=programme.name, summary="figures", purpose="api")
    return {"programme_id": programme.pk, "on": on, "suppressed": not policy.exact,
            "kpis": [_kpi(f) for f in board.kpis]}
