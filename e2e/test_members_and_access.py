"""A coordinator corrects a member and sees it in the audit log; an outsider sees nothing."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from support import (
    COORDINATOR,
    OUTSIDER,
    Journey,
    choose,
    da,
    either,
    family,
    household_tab,
    log_in,
    register,
    text,
)

HOUSEHOLD_PAGES = ["", "edit/", "members/", "consents/", "needs/", "audit/"]


def capfirst(value: str) -> str:
    return value[:1].upper() + value[1:]


def test_coordinator_edits_a_member_and_sees_the_change_in_the_audit_log(page: Page):
    journey = Journey("member-edit")
    household = family("Dahl", address="Rødovre Parkvej 9", phone="61 62 63 64", parents=1,
                       children=2)
    log_in(page, COORDINATOR)
    register(page, household)

    household_tab(page, "Members")
    journey.check(page, "members")
    ida = page.get_by_role("group", name="Ida Dahl")
    expect(ida.get_by_label(text("first name"))).to_have_value("Ida")
    ida.get_by_label(text("first name")).fill("Ida Marie")
    page.get_by_role("button", name=text("Save members")).click()

    expect(page.get_by_role("status")).to_contain_text(
        text("The members have been saved.", exact=False))
    members = page.get_by_role("region", name=text("Members"))
    expect(members.get_by_role("cell", name="Ida Marie Dahl")).to_be_visible()
    expect(members.get_by_role("cell", name="Ida Dahl", exact=True)).to_have_count(0)
    journey.check(page, "member-changed")

    household_tab(page, "Audit log")
    change = either(lambda t: f"{capfirst(t('changed'))} {t('member')} «Ida Marie Dahl»: "
                              f"{t('first name')}")
    log = page.get_by_role("table", name=text("Audit log"))
    row = log.get_by_role("row").filter(has_text=change)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Karen Koordinator")
    # Only the changes: the creation of the household is filtered away.
    choose(page.get_by_label(text("Show")), "changed")
    page.get_by_role("button", name=text("Filter")).click()
    expect(page).to_have_url(re.compile(r"action=change"))
    expect(log.get_by_role("row").filter(has_text=change)).to_have_count(1)
    created = either(lambda t: f"{capfirst(t('created'))} {t('member')} «Ida Marie Dahl»")
    expect(log.get_by_role("row").filter(has_text=created)).to_have_count(0)
    journey.check(page, "audit-log")


def test_coordinator_of_another_organisation_cannot_reach_the_household(
    page: Page, lund_household: dict
):
    journey = Journey("other-organisation")
    log_in(page, OUTSIDER)
    link = page.get_by_role("link", name=lund_household["name"])
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Households"))
    expect(page.get_by_text(text("No households are registered in your branch yet."))) \
        .to_be_visible()
    journey.check(page, "households")

    for suffix in HOUSEHOLD_PAGES:
        page.goto(f"/households/{lund_household['id']}/{suffix}")
        expect(page.get_by_role("heading", level=1)).to_have_text(text("Not found"))
        expect(page.get_by_text(
            text("The page does not exist, or you do not have access to it."))).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("Lund")
        expect(page).to_have_title(re.compile(re.escape(da("Not found")) + "|Not found"))
        if not suffix:
            journey.check(page, "not-found")

    page.goto("/households/")
    page.get_by_role("searchbox", name=text("Search by name, phone or address")).fill("Lund")
    page.get_by_role("search").get_by_role("button", name=text("Search")).click()
    expect(page.get_by_text(text("No households match your search."))).to_be_visible()
    expect(link).to_have_count(0)
    journey.check(page, "search-finds-nothing")
