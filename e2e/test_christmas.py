"""Christmas aid: a family applies on a phone (Danish and English), a coordinator screens,
decides, delivers and offers follow-up help, sees duplicates and the report; the
administrator's pages for the rules and the other charities."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect
from support import COORDINATOR, ROOT, Journey, da, log_in, text

ADMIN = "orgadmin"


def message(msgid: str) -> re.Pattern:
    variants = {msgid, da(msgid)}
    return re.compile("|".join(re.sub(r"%\\\(\w+\\\)s", ".+?", re.escape(v)) for v in variants))


@pytest.fixture(scope="module")
def slug(server) -> str:
    env = dict(os.environ, SAMSPIL_VAR_DIR=str(server.var_dir))
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from samspil.christmas.models import Round; "
         "print(Round.objects.get(name='Julehjælp (demo)').slug)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1]


def fill_application(page: Page, *, first: str, children: str = "2016, 2020") -> None:
    page.get_by_label(text("First name")).fill(first)
    page.get_by_label(text("Last name")).fill("Juleansøger")
    page.get_by_label(text("Birth date"), exact=True).fill("1990-05-17")
    page.get_by_label(text("Street and number")).fill("Lærkevej 4")
    page.get_by_label(text("Postcode")).fill("2610")
    page.get_by_label(text("Phone")).fill("20 30 40 50")
    page.get_by_label(text("Children's birth years")).fill(children)
    page.get_by_label(text("Cash benefit (kontanthjælp)")).check()
    page.get_by_label(text("I agree that the organisation processes the information in this "
                           "application to decide on Christmas aid.")).check()


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_family_applies_on_a_phone(new_page, slug, language):
    journey = Journey(f"christmas-apply-{language}", phone=True)
    page = new_page(language=language, phone=True)
    page.goto(f"/christmas/apply/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Apply for Christmas aid"))
    journey.check(page, "form")
    fill_application(page, first=f"Julie{language}", children="2001")
    page.get_by_role("button", name=text("Send application")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        text("Please correct the errors below. Your application has not been sent.",
             exact=False))
    expect(page.get_by_text(text("Christmas aid in this round is for households with children "
                                 "under 18 living at home."))).to_be_visible()
    journey.check(page, "form-errors")
    page.get_by_label(text("Children's birth years")).fill("2016, 2020")
    page.get_by_label(text("I agree that the organisation processes the information in this "
                           "application to decide on Christmas aid.")).check()
    page.get_by_role("button", name=text("Send application")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        text("Your application has been received"))
    expect(page.locator(".receipt")).to_contain_text(re.compile(r"JH-\w{5}-\w{5}"))
    journey.check(page, "receipt")


def test_a_coordinator_screens_decides_delivers_and_follows_up(page: Page):
    journey = Journey("christmas-coordinator")
    log_in(page, COORDINATOR)
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Christmas aid")).click()
    journey.check(page, "rounds")
    page.get_by_role("link", name="Julehjælp (demo)", exact=True).click()
    expect(page.get_by_role("navigation", name=text("The round"))).to_be_visible()
    journey.check(page, "queue")
    page.get_by_label(text("Status")).select_option(value="new")
    page.get_by_label(text("Eligibility check")).select_option(value="yes")
    page.get_by_role("button", name=text("Filter")).click()
    journey.check(page, "queue-filtered")
    page.get_by_role("table", name=text("Applications")).get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=text("Decision"))).to_be_visible()
    journey.check(page, "application")
    page.get_by_label(text("Grant"), exact=True).check()
    page.get_by_role("button", name=text("Save decision")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The application has been granted.", exact=False))
    journey.check(page, "granted")
    page.get_by_label(text("Handed out")).check()
    page.get_by_role("button", name=text("Register delivery")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The delivery has been registered.", exact=False))
    page.get_by_label(text("Kind of help")).select_option(value="camp")
    page.get_by_role("button", name=text("Offer"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The follow-up help has been offered.", exact=False))
    page.get_by_label(text("Answer")).select_option(value="accepted")
    page.get_by_label(text("Took part")).select_option(value="yes")
    page.get_by_role("button", name=message("Save answer")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The answer has been saved.", exact=False))
    journey.check(page, "follow-up")
    # The household page shows the aid and the follow-up help.
    page.get_by_role("link", name=text("The household")).click()
    aid = page.get_by_role("region", name=text("Christmas aid"))
    expect(aid).to_contain_text(text("Family camp", exact=False))
    expect(aid).to_contain_text(text("Took part", exact=False))
    journey.check(page, "household-christmas-aid")
    page.go_back()

    page.get_by_role("link", name=text("Screening queue")).click()
    page.get_by_role("navigation", name=text("The round")).get_by_role(
        "link", name=text("Likely duplicates")).click()
    expect(page.get_by_role("button", name=text("Same household")).first).to_be_visible()
    journey.check(page, "duplicates")
    page.get_by_role("button", name=text("Not the same household")).first.click()
    expect(page.get_by_role("heading", name=text("Marked as not the same household"))
           ).to_be_visible()
    journey.check(page, "duplicate-rejected")
    page.get_by_role("region", name=text("Marked as not the same household")).get_by_role(
        "button").first.click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The decision has been saved.", exact=False))

    page.get_by_role("navigation", name=text("The round")).get_by_role(
        "link", name=text("Report")).click()
    expect(page.get_by_role("img", name=text("From application to follow-up help"))
           ).to_be_visible()
    journey.check(page, "report")


def test_the_administrator_sets_the_rules_and_works_with_other_charities(page: Page):
    journey = Journey("christmas-admin")
    log_in(page, ADMIN)
    page.goto("/christmas/")
    page.get_by_role("link", name=text("Open a new round")).click()
    page.get_by_role("button", name=text("Save")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    journey.check(page, "new-round-errors")
    page.goto("/christmas/")
    page.get_by_role("link", name="Julehjælp (demo)", exact=True).click()
    page.get_by_role("link", name=text("Rules and budget")).click()
    journey.check(page, "rules")
    page.get_by_role("link", name=text("Other charities")).click()
    page.get_by_label(text("Shared linkage key")).fill("e2e-shared-key-" + "x" * 30)
    page.get_by_role("button", name=text("Save key")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The shared key has been saved.", exact=False))
    expect(page.get_by_role("link", name=text("Download the encodings file"))).to_be_visible()
    journey.check(page, "linkage")


def test_the_staff_pages_fit_a_phone(new_page):
    journey = Journey("christmas-phone", phone=True)
    page = new_page(phone=True)
    log_in(page, COORDINATOR)
    page.goto("/christmas/")
    page.get_by_role("link", name="Julehjælp (demo)", exact=True).click()
    journey.check(page, "queue")
    page.get_by_role("link", name=text("Likely duplicates")).click()
    journey.check(page, "duplicates")
    page.get_by_role("link", name=text("Report")).click()
    journey.check(page, "report")
