"""A coordinator makes an API token for her member system, sees it once, uses it, revokes it.

On a phone, as the rest of the forms people fill in.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect
from support import COORDINATOR, Journey, either, log_in, text


def test_a_coordinator_makes_uses_and_revokes_a_token(new_page, base_url):
    journey = Journey("api-tokens", phone=True)
    page = new_page(phone=True)
    log_in(page, COORDINATOR)
    page.get_by_role("link", name=text("API tokens")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("API tokens"))
    expect(page.get_by_text(text("You have no tokens."))).to_be_visible()
    journey.check(page, "empty")

    page.get_by_role("button", name=text("Make a token")).click()
    expect(page.get_by_text(
        text("Give the token a name, e.g. what it is used for."))).to_be_visible()
    journey.check(page, "name-missing")

    page.get_by_label(text("Name")).fill("Medlemssystem")
    page.get_by_role("button", name=text("Make a token")).click()
    key_box = page.get_by_label(text("Token"), exact=True)
    expect(key_box).to_have_value(re.compile(r"^sps_"))
    key = key_box.input_value()
    journey.check(page, "made")

    answer = page.request.get(f"{base_url}/api/v1/households/",
                              headers={"Authorization": f"Bearer {key}"})
    assert answer.status == 200 and answer.json()["count"] > 0

    page.reload()  # after the redirect: a plain GET, no second token
    expect(page.get_by_label(text("Token"), exact=True)).to_have_count(0)  # shown once only
    page.get_by_role("button", name=either(
        lambda t: t("Revoke %(name)s") % {"name": "Medlemssystem"})).click()
    expect(page.get_by_text(either(
        lambda t: t("The token “%(name)s” has been revoked.") % {"name": "Medlemssystem"}
    ))).to_be_visible()
    journey.check(page, "revoked")
    answer = page.request.get(f"{base_url}/api/v1/households/",
                              headers={"Authorization": f"Bearer {key}"})
    assert answer.status == 401 and answer.json()["code"] == "unauthenticated"
