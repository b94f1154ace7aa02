"""Schemathesis fuzzes every operation of the OpenAPI document as a branch coordinator: no
server error, every response as the document says (status, content type, body schema), and
invalid input refused."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
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


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes the database connection after each request; inside a test that
    would close the test's transaction (on PostgreSQL). Django's own test client does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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
    # A well-formed meeting may still be refused by a rule (before the engagement started):
    # that 422 is right, so "schema-valid data must be accepted" is not checked.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
