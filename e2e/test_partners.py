"""Partners, referrals both ways, the shared family plan and the caseworker's pages.

The demo has the partners of Familiehjælpen (demo) (Rødovre's job centre and family department
linked to Rødovre Kommune (demo), a school, a housing initiative, a company...), referrals in
every status, and Rødovre Kommune's own team "Sammen om Familien" with a shared plan for the
Hussein family. The journeys use those and the Lund family that the e2e session registers.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from support import COORDINATOR, Journey, choose, either, household_tab, log_in, text
from test_keyboard import tab_to

CASEWORKER = "sagsbehandler"  # Sanne Sagsbehandler, Jobcenter, Rødovre Kommune (demo)
TEAM_FAMILY = "Amina Hussein / Omar Hussein"  # the municipality team's family with a plan
NO_DECISION = (
    "Samspil holds no authority decisions. The municipality makes and keeps those (the "
    "authority task is the municipality's); the organisation gives no official assessment. So "
    "there is no field for a decision: record only the status and, in plain words, what came "
    "of the referral.")
NO_MUNICIPALITY_CONSENT = (
    "The family has not given (or has withdrawn) consent to share with the municipality. "
    "Record the consent on the household's consent page first.")


def open_partners_tab(page: Page, household_id: int) -> None:
    page.goto(f"/households/{household_id}/")
    household_tab(page, "Partners and plan")


def test_a_coordinator_keeps_the_partner_register(page: Page):
    journey = Journey("partners-register")
    log_in(page, COORDINATOR)
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Partners")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Partners"))
    journey.check(page, "partner-list")
    page.get_by_role("link", name="Jobcenter Rødovre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobcenter Rødovre")
    expect(page.get_by_text("Rødovre Kommune (demo)")).to_be_visible()
    journey.check(page, "partner-detail")
    form = page.get_by_role("form", name=text("Add a contact person"))
    form.get_by_role("button", name=text("Add contact person")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    journey.check(page, "contact-errors")
    form = page.get_by_role("form", name=text("Add a contact person"))
    form.get_by_label(text("Name")).fill("Jonas Virksomhedskonsulent")
    form.get_by_label(text("Phone")).fill("36 37 70 10")
    form.get_by_role("button", name=text("Add contact person")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The contact person has been added.", exact=False))
    expect(page.get_by_text("Jonas Virksomhedskonsulent")).to_be_visible()
    page.get_by_role("link", name=text("Edit partner")).click()
    journey.check(page, "partner-edit")


def test_a_referral_in_is_accepted_and_starts_an_engagement(page: Page):
    journey = Journey("referral-in")
    log_in(page, COORDINATOR)
    page.goto("/partners/")
    page.get_by_role("navigation", name=text("Partners")).get_by_role(
        "link", name=text("Referrals")).click()
    journey.check(page, "referrals")
    choose(page.get_by_label(text("Status")), "Received")
    page.get_by_role("button", name=text("Filter")).click()
    table = page.get_by_role("table", name=text("Referrals"))
    expect(table.get_by_text(text("Family friend"))).to_have_count(1)
    table.get_by_role("link").first.click()
    expect(page.get_by_text(text("Accepting this referral starts an engagement (referred), "
                                 "ready for the waiting list and matching."))).to_be_visible()
    journey.check(page, "referral-received")
    accept = page.get_by_role("form", name=text("Accept"))
    accept.get_by_role("button", name=text("Accept")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The referral has been updated.", exact=False))
    page.get_by_role("link", name=text("The engagement started from this referral")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(text("Family friend",
                                                                      exact=False))
    expect(page.get_by_text(text("Referred")).first).to_be_visible()
    journey.check(page, "engagement-from-referral")


def test_a_referral_out_needs_the_familys_consent(page: Page, lund_household):
    journey = Journey("referral-out")
    log_in(page, COORDINATOR)
    open_partners_tab(page, lund_household["id"])
    expect(page.get_by_text(text(
        "The family has not consented to sharing with the municipality: no caseworker can see "
        "this family."))).to_be_visible()
    journey.check(page, "household-partners")
    page.get_by_role("link", name=text("Send a referral out")).click()
    expect(page.get_by_text(text(NO_DECISION))).to_be_visible()
    journey.check(page, "refer-out")
    # To the municipality, without its consent: refused, nothing sent.
    choose(page.get_by_label(text("Partner")), "Børne- og Familieafdelingen, Rødovre Kommune")
    page.get_by_label(text("Assessment by the municipality")).check()
    page.get_by_label(text("Names of the parents and children")).check()
    page.get_by_label(text("The family has agreed to this exchange with the partner")).check()
    page.get_by_label(text("Consent given by")).fill("Birgitte Lund")
    page.get_by_role("button", name=text("Send referral")).click()
    expect(page.get_by_role("alert")).to_contain_text(text(NO_MUNICIPALITY_CONSENT,
                                                           exact=False))
    journey.check(page, "refer-out-no-municipality-consent")
    # To the school, without ticking the family's consent: refused too.
    choose(page.get_by_label(text("Partner")), "Islev Skole (demo)")
    page.get_by_label(text("Support at school")).check()
    page.get_by_label(text("The family has agreed to this exchange with the partner")).uncheck()
    page.get_by_role("button", name=text("Send referral")).click()
    expect(page.get_by_text(text("Without the family's consent the referral cannot be sent."))
           ).to_be_visible()
    journey.check(page, "refer-out-no-consent")
    page.get_by_label(text("The family has agreed to this exchange with the partner")).check()
    page.get_by_label(text("Short message")).fill("Lektiecafé to gange om ugen.")
    page.get_by_role("button", name=text("Send referral")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The referral has been sent.", exact=False))
    expect(page.get_by_text(text("Sent")).first).to_be_visible()
    journey.check(page, "referral-sent")
    complete = page.get_by_role("form", name=text("Accept"))
    complete.get_by_role("button", name=text("Accept")).click()
    complete = page.get_by_role("form", name=text("Complete with an outcome"))
    complete.get_by_role("button", name=text("Complete with an outcome")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    journey.check(page, "complete-without-outcome")
    complete = page.get_by_role("form", name=text("Complete with an outcome"))
    complete.get_by_label(text("Outcome")).fill("Ida går i lektiecaféen.")
    complete.get_by_role("button", name=text("Complete with an outcome")).click()
    expect(page.get_by_text("Ida går i lektiecaféen.").first).to_be_visible()
    journey.check(page, "referral-completed")


def test_the_shared_plan_with_actions_and_a_review(page: Page, lund_household):
    journey = Journey("shared-plan")
    log_in(page, COORDINATOR)
    open_partners_tab(page, lund_household["id"])
    page.get_by_role("link", name=text("Open the shared plan")).click()
    expect(page.get_by_text(text("The plan has no goals yet."))).to_be_visible()
    journey.check(page, "plan-empty")
    goal = page.get_by_role("form", name=text("Add a goal"))
    choose(goal.get_by_label(text("Life area")), "Work")
    goal.get_by_label(text("Goal")).fill("Niels i praktik inden sommer")
    goal.get_by_role("button", name=text("Add goal")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The goal has been added to the plan.", exact=False))
    action = page.get_by_role("form", name=text("Add an action"))
    action.get_by_role("button", name=text("Add action")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    journey.check(page, "action-errors")
    action = page.get_by_role("form", name=text("Add an action"))
    choose(action.get_by_label(text("Goal")), "Niels i praktik inden sommer")
    action.get_by_label(text("Action")).fill("Skrive CV")
    owner = action.get_by_label(text("Owner"))
    options = owner.locator("option").all_inner_texts()
    owner.select_option(label=next(o for o in options if o.startswith("Niels Lund")))
    action.get_by_label(text("Due")).fill("2030-01-15")
    action.get_by_role("button", name=text("Add action")).click()
    expect(page.get_by_role("cell", name="Skrive CV", exact=True)).to_be_visible()
    status = page.get_by_label(either(lambda t: t("Status of %(action)s")
                                      % {"action": "Skrive CV"}))
    choose(status, "In progress")
    page.get_by_role("row", name=re.compile("Skrive CV")).get_by_role(
        "button", name=text("Save")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The action has been saved.", exact=False))
    review = page.get_by_role("form", name=text("Record a review meeting"))
    review.get_by_label(text("Participants")).fill("Birgitte, Niels, Karen")
    review.get_by_label(text("Short record")).fill("CV er påbegyndt.")
    review.get_by_role("button", name=text("Record review")).click()
    expect(page.get_by_text("CV er påbegyndt.")).to_be_visible()
    expect(page.get_by_text(text("Review recorded", exact=False)).first).to_be_visible()
    journey.check(page, "plan-with-action-and-review")
    pdf = page.get_by_role("link", name=text("Printable version for the family (PDF)"))
    response = page.request.get(pdf.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_the_caseworker_follows_a_shared_family_and_sees_no_other(new_page, lund_household):
    journey = Journey("caseworker")
    page = new_page()
    log_in(page, CASEWORKER)
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Families")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        text("Families sharing with the municipality"))
    expect(page.get_by_role("link", name=lund_household["name"])).to_have_count(0)
    journey.check(page, "caseworker-families")
    page.get_by_role("link", name=TEAM_FAMILY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TEAM_FAMILY)
    journey.check(page, "caseworker-family")
    page.get_by_role("link", name=text("Open the shared plan")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TEAM_FAMILY.split(" / ")[0])
    expect(page.get_by_role("cell", name="Afklaringssamtale om praktikplads", exact=True)
           ).to_be_visible()
    journey.check(page, "caseworker-plan")
    # With the keyboard: the caseworker marks her own action as in progress.
    status = page.get_by_label(either(lambda t: t("Status of %(action)s")
                                      % {"action": "Afklaringssamtale om praktikplads"}))
    tab_to(page, status)
    page.keyboard.press("ArrowDown")
    save = page.get_by_role("row", name=re.compile("Afklaringssamtale")).get_by_role(
        "button", name=text("Save"))
    tab_to(page, save)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        text("The action has been saved.", exact=False))
    # A family that did not consent: not found.
    page.goto(f"/partners/caseworker/{lund_household['id']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Not found"))
    journey.check(page, "caseworker-not-found")


def test_the_plan_on_a_phone(new_page):
    journey = Journey("plan-phone", phone=True)
    page = new_page(phone=True)
    log_in(page, CASEWORKER)
    page.goto("/partners/caseworker/")
    page.get_by_role("link", name=TEAM_FAMILY).click()
    journey.check(page, "family-on-phone")
    page.get_by_role("link", name=text("Open the shared plan")).click()
    expect(page.get_by_role("cell", name="Skrive CV sammen med mentoren", exact=True)
           ).to_be_visible()
    journey.check(page, "plan-on-phone")
    review = page.get_by_role("form", name=text("Record a review meeting"))
    review.get_by_label(text("Participants")).fill("Amina, Sanne")
    review.get_by_label(text("Short record")).fill("Aftalt på telefonen.")
    review.get_by_role("button", name=text("Record review")).click()
    expect(page.get_by_text("Aftalt på telefonen.")).to_be_visible()
    journey.check(page, "review-on-phone")
