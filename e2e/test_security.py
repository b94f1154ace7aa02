"""Login security as people meet it: the two-factor code, a volunteer turning two-factor login
on (QR code, key, backup codes), the forgotten password, and the lock-out page."""

from __future__ import annotations

import base64
import re

from playwright.sync_api import expect
from support import (
    COORDINATOR,
    DEVICE_KEYS,
    PASSWORD,
    Journey,
    enter_code,
    on_code_page,
    text,
    totp_code,
)

VOLUNTEER = "frivillig"  # Frida Frivillig: two-factor login is optional for volunteers


def test_a_coordinator_logs_in_with_a_code_from_the_app(new_page):
    page = new_page()
    journey = Journey("two-factor-login")
    page.goto("/households/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Log in to Samspil"))
    page.get_by_label(text("Username")).fill(COORDINATOR)
    page.get_by_label(text("Password")).fill(PASSWORD)
    page.get_by_role("button", name=text("Log in")).click()
    assert on_code_page(page)
    journey.check(page, "code")
    page.get_by_label(text("Code")).fill("000000")
    page.get_by_role("button", name=text("Confirm code")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    journey.check(page, "wrong-code")
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    enter_code(page, COORDINATOR)
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Households"))
    page.get_by_role("link", name=text("Two-factor login")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Two-factor login"))
    journey.check(page, "settings")


def test_a_volunteer_turns_on_two_factor_login(new_page):
    page = new_page(phone=True)
    journey = Journey("two-factor-setup", phone=True)
    page.goto("/accounts/login/")
    page.get_by_label(text("Username")).fill(VOLUNTEER)
    page.get_by_label(text("Password")).fill(PASSWORD)
    page.get_by_role("button", name=text("Log in")).click()
    expect(page.get_by_role("button", name=text("Log out"))).to_be_visible()
    assert not on_code_page(page)  # optional: straight in
    page.goto("/accounts/two-factor/settings/")
    journey.check(page, "settings-off")
    page.get_by_role("link", name=text("Set up two-factor login")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Set up two-factor login"))
    expect(page.get_by_role("img", name=text("QR code for your authenticator app"))).to_be_visible()
    journey.check(page, "setup")
    key = page.locator("code.token-key").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    DEVICE_KEYS[VOLUNTEER] = secret  # later journeys' log_in uses this app's key for Frida
    page.get_by_label(text("Code")).fill(totp_code(VOLUNTEER))
    page.get_by_role("button", name=text("Confirm code")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Backup codes"))
    codes = page.get_by_role("list", name=text("Backup codes")).get_by_role("listitem")
    expect(codes).to_have_count(10)
    journey.check(page, "backup-codes")
    first_backup = codes.first.inner_text().strip()
    # From now on the volunteer needs a code too: a backup code works once.
    page.get_by_role("button", name=text("Log out")).click()
    page.get_by_label(text("Username")).fill(VOLUNTEER)
    page.get_by_label(text("Password")).fill(PASSWORD)
    page.get_by_role("button", name=text("Log in")).click()
    assert on_code_page(page)
    page.get_by_label(text("Code")).fill(first_backup)
    page.get_by_role("button", name=text("Confirm code")).click()
    expect(page.get_by_role("link", name=text("My families"))).to_be_visible()


def test_a_forgotten_password_and_the_lock_out(new_page):
    page = new_page()
    journey = Journey("password-reset-and-lock-out")
    page.goto("/accounts/login/")
    page.get_by_role("link", name=text("Forgot your password?")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Forgot your password?"))
    journey.check(page, "reset-form")
    page.get_by_label(text("Email", exact=False)).fill("nogen@example.org")
    page.get_by_role("button", name=text("Send link")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Check your email"))
    journey.check(page, "reset-sent")
    # Five wrong passwords for a username (here one that does not exist) lock it from here.
    for _ in range(5):
        page.goto("/accounts/login/")
        page.get_by_label(text("Username")).fill("ukendt.bruger")
        page.get_by_label(text("Password")).fill("forkert-kodeord")
        page.get_by_role("button", name=text("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Login locked"))
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"15"))
    journey.check(page, "locked")
