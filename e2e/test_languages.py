"""Every page of the journeys, completely in Danish (the default) and completely in English.

"Completely Danish" is checked against samspil/locale/da/LC_MESSAGES/django.po: no English
msgid whose Danish translation differs from it may show in the visible text of a Danish page.
"Completely English" is the reverse: no Danish translation shows in an English page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from support import (
    COORDINATOR,
    OUTSIDER,
    PASSWORD,
    Journey,
    catalogue,
    da,
    danish_strings,
    enter_code,
    household_tab,
    log_in,
    member_fieldset,
    open_registration,
    page_language,
    text,
    untranslated_strings,
    visible_text,
)


def visit_journey_pages(new_page, household: dict, language: str,
                        inspect: Callable[[Page, str], None]) -> None:
    """Open every page the journeys show, in one language, and inspect each."""
    page = new_page(language=language)
    page.goto("/accounts/login/")
    inspect(page, "login")
    page.get_by_label(text("Username")).fill(COORDINATOR)
    page.get_by_label(text("Password")).fill(PASSWORD + "-wrong")
    page.get_by_role("button", name=text("Log in")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    inspect(page, "login-error")
    page.get_by_role("link", name=text("Forgot your password?")).click()
    inspect(page, "password-reset")
    page.get_by_label(text("Email", exact=False)).fill("nogen@example.org")
    page.get_by_role("button", name=text("Send link")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Check your email"))
    inspect(page, "password-reset-sent")

    page.goto("/accounts/login/")
    page.get_by_label(text("Username")).fill(COORDINATOR)
    page.get_by_label(text("Password")).fill(PASSWORD)
    page.get_by_role("button", name=text("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Two-factor login"))
    inspect(page, "two-factor-code")
    enter_code(page, COORDINATOR)
    inspect(page, "households")
    page.get_by_role("link", name=text("Two-factor login")).click()
    inspect(page, "two-factor-settings")
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Households")).click()
    search = page.get_by_role("searchbox", name=text("Search by name, phone or address"))
    search.fill("Lund")
    search.press("Enter")
    expect(page.get_by_role("link", name=household["name"])).to_be_visible()
    inspect(page, "households-search")
    search.fill("Ingen-familie-hedder-sådan")
    search.press("Enter")
    expect(page.get_by_text(text("No households match your search."))).to_be_visible()
    inspect(page, "households-search-empty")

    open_registration(page)
    page.get_by_role("button", name=text("Add member")).click()
    expect(member_fieldset(page, 1)).to_be_visible()
    inspect(page, "registration")
    page.get_by_role("button", name=text("Register household")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    inspect(page, "registration-errors")

    page.goto(f"/households/{household['id']}/")
    inspect(page, "household")
    for tab, name in [("Edit", "household-edit"), ("Members", "household-members"),
                      ("Consent", "household-consent"), ("Needs", "household-needs"),
                      ("Audit log", "household-audit-log")]:
        household_tab(page, tab)
        inspect(page, name)

    page.goto("/tokens/")
    inspect(page, "api-tokens")
    # Partners (issue 8): the register, the referrals, the Lund family's tab, both referral
    # forms and its plan; then the caseworker's list of families.
    for url, name in [("/partners/", "partners"), ("/partners/referrals/", "referrals"),
                      (f"/partners/households/{household['id']}/", "household-partners"),
                      (f"/partners/households/{household['id']}/refer-in/", "refer-in"),
                      (f"/partners/households/{household['id']}/refer-out/", "refer-out"),
                      (f"/partners/plans/{household['id']}/", "plan")]:
        page.goto(url)
        inspect(page, name)
    caseworker = new_page(language=language)
    log_in(caseworker, "sagsbehandler")
    caseworker.goto("/partners/caseworker/")
    inspect(caseworker, "caseworker-families")
    # Christmas aid: the coordinator's round pages and the public form with its errors.
    page.goto("/christmas/")
    inspect(page, "christmas-rounds")
    page.get_by_role("link", name="Julehjælp (demo)", exact=True).click()
    inspect(page, "christmas-queue")
    page.get_by_role("table").get_by_role("link").first.click()
    inspect(page, "christmas-application")
    page.go_back()
    for tab, name in [("Likely duplicates", "christmas-duplicates"),
                      ("Report", "christmas-report")]:
        page.get_by_role("navigation", name=text("The round")).get_by_role(
            "link", name=text(tab)).click()
        inspect(page, name)
    page.get_by_role("navigation", name=text("The round")).get_by_role(
        "link", name=text("Screening queue")).click()
    page.get_by_role("link", name=text("Application form")).first.click()
    inspect(page, "christmas-apply")
    page.get_by_role("button", name=text("Send application")).click()
    inspect(page, "christmas-apply-errors")

    outsider = new_page(language=language)
    log_in(outsider, OUTSIDER)
    inspect(outsider, "households-empty")
    outsider.goto(f"/households/{household['id']}/")
    expect(outsider.get_by_role("heading", level=1)).to_have_text(text("Not found"))
    inspect(outsider, "not-found")

    # Networks and activities (e2e/test_activities.py).
    page.goto("/activities/")
    inspect(page, "activities")
    page.get_by_role("link", name="Familiecafé tirsdag").click()
    inspect(page, "activity")
    public_link = page.get_by_role("link", name=re.compile(r"activities.join")).get_attribute(
        "href")
    for path, name in [("/activities/new/", "activity-new"), ("/activities/networks/", "networks"),
                       ("/activities/networks/new/", "network-new"),
                       ("/activities/kinds/", "activity-kinds"),
                       (f"/activities/household/{household['id']}/", "household-participation")]:
        page.goto(path)
        inspect(page, name)
    page.goto("/activities/networks/")
    page.get_by_role("link", name="Familienetværk Rødovre").click()
    inspect(page, "network")
    family = new_page(language=language)
    family.goto(public_link)
    inspect(family, "public-signup")
    family.get_by_role("button", name=text("Sign up")).click()
    inspect(family, "public-signup-errors")
    volunteer = new_page(language=language)
    log_in(volunteer, "frivillig")
    volunteer.goto("/activities/mine/")
    inspect(volunteer, "my-activities")
    volunteer.get_by_role("link", name=text("Attendance", exact=False)).first.click()
    inspect(volunteer, "attendance")
    admin = new_page(language=language)
    log_in(admin, "orgadmin")
    admin.goto("/activities/figures/")
    inspect(admin, "activity-figures")
    # Outcomes: the dashboard with exact and with protected figures, targets, due
    # questionnaires and answering one, the evaluator's exports, a family's refused link.
    leader = new_page(language=language)
    log_in(leader, "orgadmin")
    leader.goto("/outcomes/")
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Familien i Fokus")
    inspect(leader, "outcomes-dashboard")
    leader.get_by_role("link", name=text("Targets and period")).click()
    inspect(leader, "outcomes-targets")
    page.goto("/outcomes/due/")
    inspect(page, "outcomes-due")
    answer = page.get_by_role("link", name=text("Answer", exact=False)).first
    if answer.count():
        answer.click()
        inspect(page, "outcomes-answer")
    evaluator = new_page(language=language)
    log_in(evaluator, "evaluator")
    evaluator.goto("/outcomes/")
    inspect(evaluator, "outcomes-dashboard-protected")
    evaluator.goto("/outcomes/exports/")
    inspect(evaluator, "outcomes-exports")
    evaluator.goto("/outcomes/answer/no-such-link/")
    inspect(evaluator, "outcomes-link-refused")
    page.goto(f"/households/{household['id']}/")
    household_tab(page, "Outcomes")
    inspect(page, "household-outcomes")


def test_every_journey_page_is_completely_danish(new_page, lund_household, server):
    journey = Journey("danish")
    untranslated: dict[str, list[str]] = {}
    wrong_language: list[str] = []

    def inspect(page: Page, step: str) -> None:
        journey.check(page, step)
        if page_language(page) != "da":
            wrong_language.append(f"{step}: <html lang={page_language(page)!r}>")
        found = untranslated_strings(visible_text(page))
        if found:
            untranslated[f"{step} ({page.url})"] = found

    visit_journey_pages(new_page, lund_household, "da", inspect)
    report = [catalogue().problem] if catalogue().problem else []
    report += list(server.setup_errors) + wrong_language
    for where, strings in untranslated.items():
        report.append(f"{where}:\n    " + "\n    ".join(strings))
    everywhere = sorted({s for strings in untranslated.values() for s in strings})
    assert not report, (
        f"Danish pages show {len(everywhere)} untranslated string(s) from django.po:\n  "
        + "\n  ".join(everywhere) + "\n\nBy page:\n" + "\n".join(report)
    )


def test_every_journey_page_is_completely_english(new_page, lund_household):
    journey = Journey("english")
    danish: dict[str, list[str]] = {}
    wrong_language: list[str] = []

    def inspect(page: Page, step: str) -> None:
        journey.check(page, step)
        if page_language(page) != "en":
            wrong_language.append(f"{step}: <html lang={page_language(page)!r}>")
        found = danish_strings(visible_text(page))
        if found:
            danish[f"{step} ({page.url})"] = found

    visit_journey_pages(new_page, lund_household, "en", inspect)
    report = wrong_language + [f"{where}:\n    " + "\n    ".join(strings)
                               for where, strings in danish.items()]
    assert not report, "English pages show Danish text:\n" + "\n".join(report)


def test_danish_is_the_default_and_the_header_switches_language(new_page):
    journey = Journey("language-switcher")
    # A browser that asks for neither Danish nor English gets Danish.
    page = new_page(language=None, locale="de-DE")
    page.goto("/accounts/login/")
    assert page_language(page) == "da"
    expect(page.get_by_role("heading", level=1)).to_have_text(da("Log in to Samspil"))
    journey.check(page, "login-default-danish")

    page.get_by_label(text("Language")).select_option(label="English")
    page.get_by_role("button", name=text("Change language")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Samspil")
    assert page_language(page) == "en"
    expect(page.get_by_label("Language")).to_have_value("en")
    journey.check(page, "login-english")

    log_in(page, COORDINATOR)
    expect(page.get_by_role("heading", level=1)).to_have_text("Households")
    page.get_by_label("Language").select_option(label="Dansk")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(da("Households"))
    assert page_language(page) == "da"
    expect(page).to_have_url(re.compile(r"/households/$"))
    journey.check(page, "households-danish")


def test_the_danish_check_would_notice_english_text():
    """The completeness check itself: an English msgid in a Danish text is reported."""
    entries = [e for e in catalogue().entries if len(e.msgid) >= 12 and "%" not in e.msgid
               and da(e.msgid) != e.msgid]
    if not entries:
        pytest.skip("django.po has no translated entries to try the check with")
    english = entries[0].msgid
    found = untranslated_strings(f"Samspil\n{english}\n")
    assert any(f"«{english}»" in s for s in found), found
