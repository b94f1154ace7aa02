"""The public application form: no login, phone first, and every kind of bad input."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from samspil.christmas.models import Application
from samspil.christmas.tests.factories import form_data, make_round


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def url(round):
    return reverse("christmas:apply", args=[round.slug])


def test_an_applicant_gets_a_receipt(client, round):
    response = client.post(url(round), form_data(client, url(round), cpr="030488-1234"))
    assert response.status_code == 302
    application = Application.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert application.receipt in page and "has been received" in page
    assert application.cpr_masked == "030488-xxxx" and "0304881234" not in application.cpr_encrypted
    assert application.phone == "+4520123456" and application.children_birth_years == [2015, 2019]
    assert str(application.pk) not in application.receipt


def test_a_double_click_gives_the_same_receipt_and_one_application(client, round):
    data = form_data(client, url(round))
    first = client.post(url(round), data)
    second = client.post(url(round), data)
    assert Application.objects.count() == 1
    assert first["Location"].split("?r=")[0] == second["Location"].split("?r=")[0]
    receipt = Application.objects.get().receipt
    assert receipt in client.get(second["Location"]).content.decode()


def test_the_receipt_is_not_found_by_its_number(client, round):
    client.post(url(round), form_data(client, url(round)))
    receipt = Application.objects.get().receipt
    page = reverse("christmas:receipt", args=[round.slug])
    assert client.get(page, {"r": receipt}).status_code == 404
    assert client.get(page).status_code == 404


def test_the_page_is_danish_by_default(round):
    body = Client().get(url(round)).content.decode()
    assert "Søg om julehjælp" in body


@pytest.mark.parametrize("overrides, field_message", [
    ({"first_name": "x" * 10000}, "at most 100 characters"),
    ({"birth_date": "2023-02-30"}, "Enter a valid date"),
    ({"birth_date": "2020-01-01"}, "at least 15"),
    ({"cpr": "320188-1234"}, "valid CPR number"),
    ({"cpr": "010190-1234"}, "does not match your birth date"),
    ({"children_birth_years": "2001"}, "children under 18"),
    ({"children_birth_years": "twenty"}, "four digits"),
    ({"postcode": "0000"}, "not a Danish postcode"),
    ({"phone": "12"}, "valid phone number"),
    ({"consent": ""}, "This field is required"),
    ({"other_first_name": "Bo"}, "or leave all three empty"),
])
def test_bad_input_gets_a_message_and_stores_nothing(client, round, overrides, field_message):
    response = client.post(url(round), form_data(client, url(round), **overrides))
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Application.objects.exists()


def test_html_is_stored_as_text_and_shown_escaped(client, round, coordinator):
    script = "<script>alert(1)</script>"
    client.post(url(round), form_data(client, url(round), last_name=script, description=script))
    application = Application.objects.get()
    assert application.last_name == script
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(coordinator)
    body = staff.get(reverse("christmas:application", args=[application.pk])).content.decode()
    assert script not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_honeypot_stores_nothing(client, round):
    response = client.post(url(round), form_data(client, url(round), website="http://spam"))
    assert response.status_code == 400 and not Application.objects.exists()


def test_a_forged_token_stores_nothing(client, round):
    response = client.post(url(round), form_data(client, url(round), submission_token="x"))
    assert "expired" in response.content.decode() and not Application.objects.exists()


@override_settings(PUBLIC_FORM_MAX_SUBMISSIONS=2)
def test_a_flood_from_one_client_is_refused(client, round):
    for i in range(2):
        client.post(url(round), form_data(client, url(round), first_name=f"N{i}"))
    response = client.post(url(round), form_data(client, url(round), first_name="Third"))
    assert response.status_code == 429 and "Too many submissions" in response.content.decode()
    assert Application.objects.count() == 2


def test_outside_the_window_nobody_can_apply(client, org, branch):
    closed = make_round(org, opens_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC),
                        closes_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    response = client.get(url(closed))
    assert "has ended" in response.content.decode()
    response = client.post(url(closed), {"first_name": "Late"})
    assert response.status_code == 200 and not Application.objects.exists()


def test_an_unknown_round_is_404(client, db):
    assert client.get(reverse("christmas:apply", args=["nope"])).status_code == 404
