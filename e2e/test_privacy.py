"""Data protection: the household's rights page (export, restriction, erasure), the
administrator's overview and audit search, and break the glass.

Each journey registers its own family, so restricting and erasing it changes nothing the other
journeys use.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from support import COORDINATOR, Journey, family, household_tab, log_in, register, text

ADMIN = "orgadmin"  # Ole Administrator, Familiehjælpen (demo)
AARHUS = "koordinator.aarhus"  # Kim Koordinator, branch Aarhus
RESTRICTED = (
    "This household's data are restricted from processing (GDPR article 18). Nothing was "
    "changed. An organisation administrator can lift the restriction on the household's "
    "privacy page.")


def test_a_coordinator_exports_and_restricts_a_household(page: Page):
    journey = Journey("privacy-household")
    log_in(page, COORDINATOR)
    household_id = register(page, family("Frost", address="Isvej 3", phone="41 42 43 44"))
    household_tab(page, "Data protection")
    expect(page.get_by_role("heading", level=2)).to_have_text(text("The family's rights"))
    journey.check(page, "rights")
    with page.expect_download() as download:
        page.get_by_role("link", name=text("Download as JSON")).click()
    assert download.value.suggested_filename == f"samspil-household-{household_id}.json"
    page.get_by_label(text("Reason for the restriction")).fill("Familien bestrider oplysningerne")
    page.get_by_role("button", name=text("Restrict processing")).click()
    expect(page.get_by_text(text("Processing of the household is now restricted.",
                                 exact=False))).to_be_visible()
    journey.check(page, "restricted")
    household_tab(page, "Edit")
    page.get_by_label(text("Phone")).fill("41 42 43 45")
    page.get_by_role("button", name=text("Save")).click()
    expect(page.get_by_text(text(RESTRICTED, exact=False)).first).to_be_visible()
    journey.check(page, "write-refused")


def test_the_administrator_erases_and_searches_the_log(new_page):
    page = new_page()
    log_in(page, COORDINATOR)
    household_id = register(page, family("Glemsel", address="Slettevej 5", phone="51 52 53 54"))
    page = new_page()
    journey = Journey("privacy-admin")
    log_in(page, ADMIN)
    page.goto(f"/privacy/households/{household_id}/erase/")
    journey.check(page, "erase-confirm")
    page.get_by_label(text("Type the household's number to confirm")).fill("1")
    page.get_by_role("button", name=text("Erase personal data")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    journey.check(page, "erase-errors")
    page.get_by_label(text("Type the household's number to confirm")).fill(str(household_id))
    page.get_by_role("button", name=text("Erase personal data")).click()
    expect(page.get_by_text(text("The household's personal data have been erased.",
                                 exact=False))).to_be_visible()
    journey.check(page, "erased")
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Data protection")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Data protection"))
    journey.check(page, "overview")
    page.goto("/audit/")
    page.get_by_label(text("Household number")).fill(str(household_id))
    page.get_by_role("button", name=text("Search")).click()
    expect(page.get_by_role("table", name=text("Audit log"))).to_be_visible()
    journey.check(page, "audit-search")


def test_a_coordinator_breaks_the_glass(new_page):
    page = new_page()
    log_in(page, COORDINATOR)
    household_id = register(page, family("Nødsen", address="Glasvej 1", phone="61 62 63 64"))
    page = new_page()
    journey = Journey("privacy-break-glass")
    log_in(page, AARHUS)
    page.goto(f"/households/{household_id}/")
    expect(page.get_by_text("Glasvej 1")).to_have_count(0)
    page.goto("/privacy/break-the-glass/")
    journey.check(page, "form")
    page.get_by_label(text("Household number")).fill(str(household_id))
    page.get_by_label(text("Why must you open this household?")).fill(
        "Karen er syg, og familien har ringet akut")
    page.get_by_role("button", name=text("Open the household")).click()
    expect(page).to_have_url(re.compile(f"/households/{household_id}/$"))
    expect(page.get_by_text("Glasvej 1", exact=False)).to_be_visible()
    journey.check(page, "opened")
