"""Schemathesis fuzzes every operation of the OpenAPI document as a branch coordinator: no
server error, every response as the document says (status, content type, body schema), and
invalid input refused."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from samspil.api import services
from samspil.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
KEY: list[str] = []


@schema.auth()
class CoordinatorToken:
    """The fuzzer's own auth: schemathesis knows the header is the caller's, so its "missing
    Authorization" cases really go without it (and must get 401)."""

    def get(self, case, ctx):
        return KEY[-1] if KEY else "sps_none"

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def coordinator_key(personas, world):
    _, key = services.token_create(actor=personas["coordinator"], name="fuzz")
    KEY.append(key)
    yield key
    KEY.clear()


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_holds_to_the_document(case, coordinator_key):
    case.call_and_validate()
