"""Lock-out after failed logins, the same answer for unknown users, password reset that tells
nothing, Django's password rules."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from samspil.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def attempt(username, password, *, address="10.0.0.1", language="da"):
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password})


def without_token(response) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())  # CSRF tokens differ


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(coordinator):
    unknown = attempt("nobody-here", "wrong-password-1")
    wrong = attempt(coordinator.username, "wrong-password-1")
    assert unknown.status_code == wrong.status_code == 200
    assert without_token(unknown).replace("nobody-here", "X") == without_token(wrong).replace(
        coordinator.username, "X")


def test_five_failures_lock_the_username_from_that_address_with_a_danish_message(
        coordinator, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(coordinator.username, "wrong-password-1").status_code == 200
    locked = attempt(coordinator.username, "wrong-password-1")
    assert locked.status_code == 429
    assert "For mange mislykkede login" in locked.content.decode()
    # Now even the right password is refused, from that address …
    assert attempt(coordinator.username, PASSWORD).status_code == 429
    # … but the same person from another address, and others from this one, can still log in.
    assert attempt(coordinator.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_an_unknown_username_is_locked_out_exactly_like_a_known_one(coordinator):
    for _ in range(5):
        unknown = attempt("nobody-here", "wrong-password-1")
        known = attempt(coordinator.username, "wrong-password-1")
    assert unknown.status_code == known.status_code == 429
    assert without_token(unknown) == without_token(known)


def test_a_successful_login_resets_the_count(coordinator):
    for _ in range(4):
        attempt(coordinator.username, "wrong-password-1")
    assert attempt(coordinator.username, PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(coordinator.username, "wrong-password-1").status_code == 200


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(coordinator):
    coordinator.email = "karen@example.org"
    coordinator.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    known = client.post("/accounts/password-reset/", {"email": "karen@example.org"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["karen@example.org"]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    confirm_url = form.redirect_chain[-1][0]
    weak = client.post(confirm_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and b"too short" in weak.content  # Django's validators
    good = "Bedre-kodeord-til-Karen-2026"
    done = client.post(confirm_url, {"new_password1": good, "new_password2": good})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"
    coordinator.refresh_from_db()
    assert coordinator.check_password(good)
    assert client.get(link.group(1), follow=True).context["validlink"] is False  # used once


def test_a_login_without_a_request_still_checks_the_password(coordinator):
    client = Client()
    assert client.login(username=coordinator.username, password=PASSWORD)
    assert not Client().login(username=coordinator.username, password="wrong-password-1")


def test_a_cpr_number_typed_as_username_is_never_stored_but_still_locks_out(coordinator):
    from axes.models import AccessAttempt, AccessFailureLog

    for _ in range(4):
        assert attempt("010190-1234", "wrong-password-1").status_code == 200
    assert attempt("010190-1234", "wrong-password-1").status_code == 429
    stored = list(AccessAttempt.objects.values_list("username", flat=True)) + list(
        AccessFailureLog.objects.values_list("username", flat=True))
    assert stored and all("0101901234" not in (u or "").replace("-", "") for u in stored)
    assert len(set(AccessAttempt.objects.values_list("username", flat=True))) == 1
    # Another number is counted on its own; an ordinary username is stored as typed.
    assert attempt("020290-1234", "wrong-password-1").status_code == 200
    attempt("nobody-here", "wrong-password-1")
    assert AccessAttempt.objects.filter(username="nobody-here").exists()
