# No "from __future__ import annotations" in API modules: ninja reads the annotations at import.
"""The REST API: one NinjaAPI, token authentication, one error format, pagination, throttling.

Each area owns its endpoints in its own `api.py` (a ninja Router) and reads through its own
selectors, so the API applies exactly the rules the pages apply. This module only assembles
them under /api/v1/ and serves the OpenAPI document at /api/openapi.json and the browsable
docs at /api/docs (Swagger UI, served from django-ninja's own static files, no CDN).
"""


import datetime
import re
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle
from pydantic import AfterValidator, BeforeValidator

from samspil.api import selectors, services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sps_…` — a personal token; the request acts as its user."""

    openapi_description = "A personal API token, created on the API tokens page."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = selectors.token_for_key(token)
        if found is None:
            return None
        request.user = found.user
        services.token_touch(token=found)
        return found


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_only(value: Any) -> Any:
    """Dates and times only as ISO 8601 text, as the document says: pydantic would also take
    a number as a Unix timestamp, which no client means."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("use ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:30:00+01:00")
    if not isinstance(value, str | datetime.date):
        raise ValueError("use ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:30:00+01:00")
    return value


def _plausible(value: Any) -> Any:
    """Years 1900-9999 and UTC offsets within ±14 hours, as PostgreSQL stores them."""
    if not 1900 <= value.year <= 9999:
        raise ValueError("the year must be between 1900 and 9999")
    offset = value.utcoffset() if isinstance(value, datetime.datetime) else None
    if offset is not None and abs(offset) > datetime.timedelta(hours=14):
        raise ValueError("the UTC offset must be within ±14:00")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_only), AfterValidator(_plausible)]
IsoDateTime = Annotated[datetime.datetime, BeforeValidator(_iso_only),
                        AfterValidator(_plausible)]


# Every object id in a path, once for all areas: a positive 64-bit integer (the database's
# bigint). Out of range is a 422 with the usual body, before any query runs.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
# An id in a filter (?branch=, ?household=): same bounds.
BranchId = Annotated[int, Field(ge=1, le=2**31 - 1, description="Only this branch")]


class DateRange(Schema):
    """`?date_from=` and `?date_to=` (ISO dates, inclusive), on the date the endpoint names."""

    date_from: IsoDate | None = Field(None, description="On or after")
    date_to: IsoDate | None = Field(None, description="On or before")

    def apply(self, qs, field: str):
        if self.date_from is not None:
            qs = qs.filter(**{f"{field}__gte": self.date_from})
        if self.date_to is not None:
            qs = qs.filter(**{f"{field}__lte": self.date_to})
        return qs


class ErrorItem(Schema):
    loc: list[str | int] = Field(default_factory=list)
    msg: str


class Error(Schema):
    """Every error the API answers has this body."""

    code: str
    detail: str
    errors: list[ErrorItem] = Field(default_factory=list)


class Pages(PageNumberPagination):
    """`?page=` (from 1) and `?page_size=` (at most 200); the body has `items` and `count`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=200)

    def __init__(self, **kwargs):
        super().__init__(page_size=settings.API_PAGE_SIZE, max_page_size=200, **kwargs)


ERRORS = {401: Error, 404: Error, 422: Error, 429: Error}

api = NinjaAPI(
    title="Samspil API",
    version="1",
    description=(
        "Households, volunteers, engagements, activities, referrals, questionnaires and KPI "
        "figures of your organisation, scoped exactly as the "
        "pages are: a token acts as the user who made it, with that user's role and branches. "
        "Errors always have the body {code, detail, errors}."
    ),
    auth=TokenAuth(),
    throttle=[AuthRateThrottle(settings.API_RATE)],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, status: int, code: str, detail: str, errors=()) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "detail": detail, "errors": list(errors)}, status=status
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    items = [{"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
             for e in exc.errors]
    return _error(request, 422, "invalid", _("The request has invalid values."), items)


@api.exception_handler(DjangoValidationError)
def _refused(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        items = [{"loc": [field], "msg": str(m)} for field, msgs in exc.message_dict.items()
                 for m in msgs]
    else:
        items = [{"loc": [], "msg": str(m)} for m in exc.messages]
    return _error(request, 422, "refused", _("The change was refused."), items)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated",
                  _("Send a valid API token: Authorization: Bearer <token>."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", _("Your role may not do this."))


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    response = _error(request, 429, "throttled",
                      _("Too many requests. Wait a little and try again."))
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", str(exc))


def _add_routers() -> None:
    from samspil.engagements.api import router as engagements
    from samspil.households.api import router as households
    from samspil.volunteers.api import router as volunteers

    api.add_router("/v1/households", households)
    api.add_router("/v1/volunteers", volunteers)
    api.add_router("/v1/engagements", engagements)
    from samspil.activities.api import router as activities
    from samspil.outcomes.api import router as outcomes
    from samspil.partners.api import router as partners

    api.add_router("/v1/activities", activities)
    api.add_router("/v1/referrals", partners)
    api.add_router("/v1", outcomes)


_add_routers()
