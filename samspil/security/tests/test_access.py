"""Who may open the login-security pages: everyone logged in sees only their own; password
reset is open to all (it tells nobody whether an address has a login)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.conftest import client_for

SELF_PAGES = ["security:verify", "security:setup", "security:overview"]
OPEN_PAGES = ["security:password_reset", "security:password_reset_done",
              "security:password_reset_complete"]
COVERED_URLS = set(SELF_PAGES) | set(OPEN_PAGES) | {
    "security:backup_codes", "security:password_reset_confirm"}
ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_only_its_own_security_pages(role, personas):
    client = client_for(personas[role])
    assert client.get(reverse("security:overview")).status_code == 200
    assert client.get(reverse("security:setup")).status_code == 200  # no device yet: set up
    # Already verified (force_login in tests): the code page sends the user on.
    assert client.get(reverse("security:verify")).status_code == 302
    # New backup codes need a device first; GET is refused.
    assert client.get(reverse("security:backup_codes")).status_code == 405
    assert client.post(reverse("security:backup_codes")).status_code == 302
    for name in OPEN_PAGES:
        assert client.get(reverse(name)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in_or_see_the_reset_pages(db):
    client = client_for(None)
    for name in [*SELF_PAGES, "security:backup_codes"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for name in OPEN_PAGES:
        assert client.get(reverse(name)).status_code == 200
    bad = reverse("security:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"})
    response = client.get(bad)
    assert response.status_code == 200 and b"expired" in response.content
