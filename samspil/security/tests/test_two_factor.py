"""Two-factor login with real logins (no force_login): setup, codes, backup codes, replay,
throttling, volunteers optional, the API untouched, and the demo's fixed key."""

from __future__ import annotations

import re
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samspil.conftest import PASSWORD
from samspil.security import services
from samspil.security.middleware import LAST_ACTIVITY_KEY


def password_login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code(device, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{totp.token():06d}"


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


@pytest.mark.parametrize("role", ["coordinator", "org_admin", "caseworker", "evaluator"])
def test_a_required_role_without_a_device_is_sent_to_set_one_up(role, personas):
    client = password_login(personas[role])
    response = client.get("/outcomes/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Foutcomes%2F"
    assert client.get("/households/").status_code == 302  # every staff page, not just one


def test_setting_up_the_app_shows_a_qr_code_and_the_key_then_backup_codes_once(coordinator):
    client = password_login(coordinator)
    page = client.get("/accounts/two-factor/setup/?next=/households/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<script" not in html.split("<main")[1]
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    key = re.search(r'class="token-key">([A-Z2-7 ]+)<', html).group(1)
    assert len(key.replace(" ", "")) == 32  # base32 of the 20-byte key, to type by hand

    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000", "next": "/households/"})
    assert wrong.status_code == 200 and b"not right" in wrong.content
    assert client.get("/households/").status_code == 302  # still not in

    device.refresh_from_db()
    done = client.post("/accounts/two-factor/setup/", {"code": code(device),
                                                       "next": "/households/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list(
        "token", flat=True)) == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/households/").status_code == 200  # verified for this session


def test_a_user_with_a_device_must_enter_a_code_and_a_code_works_only_once(coordinator):
    device = device_for(coordinator)
    client = password_login(coordinator)
    response = client.get("/households/?q=x")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fhouseholds%2F%3Fq%3Dx"
    page = client.get(response["Location"])
    assert page.status_code == 200 and b'autocomplete="one-time-code"' in page.content
    token = code(device)
    response = client.post("/accounts/two-factor/", {"code": token, "next": "/households/?q=x"})
    assert response.status_code == 302 and response["Location"] == "/households/?q=x"
    assert client.get("/households/").status_code == 200

    again = password_login(coordinator)
    replay = again.post("/accounts/two-factor/", {"code": token, "next": "/households/"})
    assert replay.status_code == 200 and b"not right" in replay.content  # no replay
    assert again.get("/households/").status_code == 302


def test_verifying_gives_a_new_session_id(coordinator):
    device = device_for(coordinator)
    client = password_login(coordinator)
    before = client.cookies["sessionid"].value
    client.post("/accounts/two-factor/", {"code": code(device)})
    assert client.cookies["sessionid"].value != before


def test_the_next_address_cannot_lead_to_another_site(coordinator):
    device = device_for(coordinator)
    client = password_login(coordinator)
    response = client.post("/accounts/two-factor/", {"code": code(device),
                                                     "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_backup_code_logs_in_once(coordinator):
    device_for(coordinator)
    backup = services.new_backup_codes(coordinator)
    client = password_login(coordinator)
    response = client.post("/accounts/two-factor/", {"code": backup[0].upper()})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9
    second = password_login(coordinator)
    refused = second.post("/accounts/two-factor/", {"code": backup[0]})
    assert refused.status_code == 200 and second.get("/households/").status_code == 302


def test_wrong_codes_in_a_row_are_throttled(coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's wait after the first wrong code
    device = device_for(coordinator)
    client = password_login(coordinator)
    for _ in range(3):
        client.post("/accounts/two-factor/", {"code": "123456"})
    response = client.post("/accounts/two-factor/", {"code": code(device)})
    assert b"Too many wrong codes" in response.content  # even the right code must wait
    assert client.get("/households/").status_code == 302


def test_new_backup_codes_replace_the_old_ones(coordinator):
    device = device_for(coordinator)
    old = services.new_backup_codes(coordinator)
    client = password_login(coordinator)
    client.post("/accounts/two-factor/", {"code": code(device)})
    response = client.post("/accounts/two-factor/backup-codes/")
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)


def test_two_factor_is_optional_for_volunteers_but_enforced_once_they_turn_it_on(personas):
    volunteer = personas["volunteer"]
    client = password_login(volunteer)
    assert client.get("/engagements/mine/").status_code == 200
    device = device_for(volunteer)
    client = password_login(volunteer)
    response = client.get("/engagements/mine/")
    assert response["Location"].startswith("/accounts/two-factor/?next=")
    client.post("/accounts/two-factor/", {"code": code(device)})
    assert client.get("/engagements/mine/").status_code == 200


def test_the_api_uses_tokens_and_is_not_affected(coordinator):
    from samspil.api.services import token_create

    device_for(coordinator)  # a device, and no session at all: the token is enough
    _token, key = token_create(actor=coordinator, name="test")
    response = Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_a_session_idle_too_long_is_logged_out(coordinator, settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    assert client.get("/households/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"])
    assert b"logged out after a period without activity" in page.content


def test_a_busy_session_still_ends_after_the_session_age(coordinator, settings):
    from samspil.security.middleware import STARTED_KEY

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    session = client.session
    session[STARTED_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_reset_removes_the_devices_and_the_next_login_sets_up_again(coordinator):
    device_for(coordinator)
    services.new_backup_codes(coordinator)
    call_command("reset_two_factor", coordinator.username, stdout=open("/dev/null", "w"))
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    client = password_login(coordinator)
    assert client.get("/households/")["Location"].startswith("/accounts/two-factor/setup/")


def test_the_demo_key_and_demo_totp_command_log_a_demo_user_in(coordinator, capsys):
    from samspil.security import demo

    assert demo.seed([coordinator]) == [coordinator]
    call_command("demo_totp", coordinator.username)
    token = capsys.readouterr().out.strip()
    client = password_login(coordinator)
    assert client.post("/accounts/two-factor/", {"code": token}).status_code == 302
    assert client.get("/households/").status_code == 200
    # A second login at once: the command gives the next code, not the one just used.
    call_command("demo_totp", coordinator.username)
    second = password_login(coordinator)
    assert second.post("/accounts/two-factor/", {"code": capsys.readouterr().out.strip()}
                       ).status_code == 302


def test_moving_to_a_new_phone_replaces_the_old_app(coordinator):
    old = device_for(coordinator)
    client = password_login(coordinator)
    client.post("/accounts/two-factor/", {"code": code(old)})
    assert b"/accounts/two-factor/setup/" in client.get("/accounts/two-factor/settings/").content
    client.get("/accounts/two-factor/setup/")
    new = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post("/accounts/two-factor/setup/", {"code": code(new)})
    assert response.status_code == 200 and b"Backup codes" in response.content
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [new]
