"""No CPR number in the log output or in any response of a run that handles CPR numbers.

The run registers a household with a CPR number through the page, applies for Christmas aid
with one, searches for the number, opens the household's pages, its audit log, the
organisation's audit log and the access export, and makes a request fail with a server error;
all log output (every logger, DEBUG and up) and every response body is scanned for CPR-shaped
strings (DDMMYY-SSSS with or without the dash). Masked numbers (DDMMYY-xxxx) are what may show.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.utils import timezone

from samspil.conftest import client_for
from samspil.households.models import Household
from samspil.households.tests.test_register import form_data, parent

CPR = "140385-1234"
CPR_SHAPED = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


@pytest.fixture
def scanned(caplog):
    caplog.set_level(logging.DEBUG)
    bodies: list[tuple[str, str]] = []
    return caplog, bodies


def _get(client, bodies, url, **params):
    response = client.get(url, params)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    bodies.append((url, content.decode(errors="replace")))
    return response


def _post(client, bodies, url, data):
    response = client.post(url, data, follow=True)
    bodies.append((url, response.content.decode(errors="replace")))
    return response


def _found(text: str) -> list[str]:
    # Receipts, ids and phone numbers are not CPR-shaped (6+4 digits); the number itself is.
    return [m for m in CPR_SHAPED.findall(text) if m.replace("-", "") == CPR.replace("-", "")
            or "-" in m]


def test_no_cpr_number_in_logs_or_responses(scanned, personas, branch, org):
    caplog, bodies = scanned
    coordinator, admin = personas["coordinator"], personas["org_admin"]
    client, admin_client = client_for(coordinator), client_for(admin)
    members = [parent(cpr=CPR, cpr_consent="on")]
    _post(client, bodies, "/households/new/", form_data(branch, members))
    household = Household.objects.get()
    assert household.members.get().has_cpr
    # A form with an error shows the form again: not with the number in it.
    _post(client, bodies, "/households/new/",
          form_data(branch, [parent(cpr=CPR, cpr_consent="on", birth_date="1999-01-01")]))
    _get(client, bodies, "/households/", q=CPR)
    _get(client, bodies, "/households/", q=CPR.replace("-", ""))
    for page in ("", "edit/", "members/", "consents/", "needs/", "audit/"):
        _get(client, bodies, f"/households/{household.pk}/{page}")
    _get(admin_client, bodies, "/audit/")
    _get(admin_client, bodies, "/audit/", text=CPR)
    _get(admin_client, bodies, f"/privacy/households/{household.pk}/")
    _get(admin_client, bodies, f"/privacy/households/{household.pk}/export.json")
    # The Christmas-aid application with a CPR number.
    from samspil.christmas.tests.factories import form_data as christmas_form
    from samspil.christmas.tests.factories import make_round

    now = timezone.now()
    round_ = make_round(org, opens_at=now - timezone.timedelta(days=5),
                        closes_at=now + timezone.timedelta(days=5))
    from django.test import Client

    public = Client()
    url = f"/christmas/apply/{round_.slug}/"
    _post(public, bodies, url, christmas_form(public, url, cpr=CPR, birth_date="1985-03-14"))
    _post(public, bodies, url, christmas_form(public, url, cpr=CPR, birth_date="1985-03-15"))
    from samspil.christmas.models import Application

    for application in Application.objects.all():
        _get(client, bodies, f"/christmas/applications/{application.pk}/")
    leaks = [(url, _found(body)) for url, body in bodies if _found(body)]
    assert leaks == [], leaks
    log_text = "\n".join(r.getMessage() + " " + str(r.args) for r in caplog.records)
    assert not _found(log_text), _found(log_text)
