"""A branch coordinator registers a family, records consent and needs, and finds it again."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from support import (
    COORDINATOR,
    Journey,
    choose,
    expect_household_shown,
    family,
    household_tab,
    log_in,
    register,
    search_households,
    text,
)


def test_coordinator_registers_a_family_records_consent_and_needs_and_finds_it(page: Page):
    journey = Journey("registration")
    household = family("Vestergaard", address="Vestervang 14, 2. th.", phone="31 42 57 68")

    log_in(page, COORDINATOR)
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Households"))
    journey.check(page, "households")

    household_id = register(page, household, journey)
    expect_household_shown(page, household)
    journey.check(page, "household-registered")

    # Consent: the mother consents, for the whole household, to the registration.
    household_tab(page, "Consent")
    expect(page.get_by_role("cell", name=text("No consent recorded."))).to_be_visible()
    journey.check(page, "consent-empty")
    form = page.locator("form").filter(has=page.get_by_role("button", name=text("Record consent")))
    choose(form.get_by_label(text("purpose")), "Registration in Samspil")
    choose(form.get_by_label(text("concerns")), "The whole household")
    form.get_by_label(text("given by")).fill("Birgitte Vestergaard")
    form.get_by_label(text("note")).fill("Givet på mødet i lokalafdelingen.")
    form.get_by_role("button", name=text("Record consent")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The consent has been recorded.", exact=False))
    consent = page.get_by_role("row").filter(has_text="Birgitte Vestergaard")
    expect(consent).to_contain_text(text("Registration in Samspil", exact=False))
    expect(consent).to_contain_text(text("The whole household", exact=False))
    expect(consent.get_by_role("button", name=text("Withdraw"))).to_be_visible()
    journey.check(page, "consent-recorded")

    # Needs: three life areas assessed, one with a description.
    household_tab(page, "Needs")
    journey.check(page, "needs-empty")
    choose(page.get_by_label(text("Economy and debt")), "Considerable need")
    choose(page.get_by_label(text("Housing")), "Some need")
    page.get_by_role("group", name=text("Housing")).get_by_role("textbox").fill(
        "Trangt: fem personer i tre værelser.")
    choose(page.get_by_label(text("Parenting")), "No need")
    page.get_by_role("button", name=text("Record assessment")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The needs assessment has been recorded.", exact=False))
    table = page.get_by_role("table", name=text("Needs over time"))
    economy = table.get_by_role("row").filter(has=page.get_by_role("rowheader",
                                                                    name=text("Economy and debt")))
    expect(economy).to_contain_text(text("Considerable need", exact=False))
    housing = table.get_by_role("row").filter(has=page.get_by_role("rowheader",
                                                                    name=text("Housing")))
    expect(housing).to_contain_text(text("Some need", exact=False))
    expect(housing).to_contain_text("Trangt: fem personer i tre værelser.")
    journey.check(page, "needs-recorded")

    household_tab(page, "Overview")
    expect(page.get_by_role("region", name=text("Consent in force"))).to_contain_text(
        text("Registration in Samspil", exact=False))
    expect(page.get_by_role("region", name=text("Latest needs assessment"))).to_contain_text(
        text("Considerable need", exact=False))
    journey.check(page, "household-overview")

    # Found again by the family name, by the phone number and by a child's name.
    for query in ["Vestergaard", "31425768", "oskar vestergaard"]:
        rows = search_households(page, query)
        found = rows.filter(has=page.get_by_role("link", name=household.name))
        expect(found).to_have_count(1)
        expect(found).to_contain_text("Vestervang 14, 2. th., 2610")
    journey.check(page, "households-search")
    found.get_by_role("link", name=household.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(household.name)
    assert page.url.endswith(f"/households/{household_id}/")


def test_registration_on_a_phone(new_page):
    page = new_page(phone=True)
    journey = Journey("registration-phone", phone=True)
    household = family("Holm", address="Islevbrovej 3", phone="+45 22 33 44 55")

    log_in(page, COORDINATOR)
    journey.check(page, "households")  # on a phone, check() also asserts: no sideways scroll
    register(page, household, journey)
    expect_household_shown(page, household)
    journey.check(page, "household-registered")
