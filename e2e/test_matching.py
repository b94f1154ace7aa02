"""A coordinator asks for suggestions for a waiting family, then plans all of her branch.

The demo's volunteers and waiting families are random; this journey adds its own family and a
volunteer who suits it well (same postcode, speaks the family's Arabic, homework help, free on
weekday afternoons) with `manage.py shell` against the server's database, so what the pages
must show is known.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect
from support import COORDINATOR, ROOT, Journey, da, log_in, text

FAMILY = "Salma Matchsen"
VOLUNTEER = "Vibeke Matchvenn"
SETUP = f"""
import datetime
from django.utils import timezone
from samspil.core.models import Branch, Postcode, User
from samspil.engagements import services as engagements
from samspil.households import services as households
from samspil.households.models import Household
from samspil.volunteers.models import AvailabilitySlot, ChildCertificate, Volunteer

if not Household.objects.filter(display_name="{FAMILY}").exists():
    actor = User.objects.get(username="{COORDINATOR}")
    branch = Branch.objects.get(organisation=actor.organisation, name="Rødovre")
    postcode = Postcode.objects.get(code="2610")
    today = timezone.localdate()
    member = lambda role, first, born, **extra: households.MemberData(values={{
        "role": role, "first_name": first, "last_name": "Matchsen", "birth_date": born,
        "gender": "female", "school_grade": extra.get("grade", ""),
        "work_status": extra.get("work", "")}})
    household = households.household_create(actor=actor, values={{
        "branch": branch, "address": "Matchvej 3", "postcode": postcode,
        "municipality": postcode.municipality, "phone": "", "email": "",
        "preferred_language": "ar", "notes": ""}}, members=[
        member("parent", "Salma", datetime.date(1988, 2, 2), work="unemployed"),
        member("child", "Lina", today.replace(year=today.year - 9), grade="3")])
    households.needs_assessment_record(actor=actor, household=household, assessed_on=today,
                                       ratings=[("school", 3, ""), ("economy", 2, "")])
    engagement = engagements.engagement_refer(actor=actor, household=household,
                                              type="family_friend",
                                              referred_on=today - datetime.timedelta(days=3))
    engagements.engagement_transition(actor=actor, engagement=engagement, to_state="waiting",
                                      on=today - datetime.timedelta(days=2))
    volunteer = Volunteer.objects.create(
        organisation=actor.organisation, branch=branch, first_name="Vibeke",
        last_name="Matchvenn", postcode=postcode, languages=["da", "ar"],
        skills=["homework", "economy", "danish"], roles=["family_friend"], capacity=1,
        status="active")
    ChildCertificate.objects.create(
        volunteer=volunteer, requested_on=today - datetime.timedelta(days=30),
        received_on=today - datetime.timedelta(days=20), result="clear",
        valid_until=today + datetime.timedelta(days=700))
    for day in (0, 2):
        AvailabilitySlot.objects.create(volunteer=volunteer, weekday=day,
                                        start=datetime.time(16), end=datetime.time(18))
"""


def message(msgid: str) -> re.Pattern:
    """A msgid with placeholders, in English or Danish; each placeholder matches any text."""
    variants = {msgid, da(msgid)}
    return re.compile("|".join(re.sub(r"%\\\(\w+\\\)s", ".+?", re.escape(v))
                               for v in variants))


@pytest.fixture(scope="module")
def matching_data(server) -> None:
    env = dict(os.environ, SAMSPIL_VAR_DIR=str(server.var_dir))
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def open_matching(page: Page) -> None:
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Matching")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Matching"))


def test_coordinator_gets_suggestions_and_plans_all(page: Page, matching_data):
    journey = Journey("matching")
    log_in(page, COORDINATOR)
    open_matching(page)
    waiting = page.get_by_role("table", name=text("Waiting for a volunteer"))
    expect(waiting.get_by_role("row").filter(has_text=FAMILY)).to_have_count(1)
    journey.check(page, "matching")

    # Suggestions: the volunteer who suits the family best comes first, with her factors.
    waiting.get_by_role("link", name=re.compile(rf"{FAMILY}$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(FAMILY)
    table = page.get_by_role("table", name=text("Suggested volunteers"))
    first = table.get_by_role("row").nth(1)
    expect(first.get_by_role("rowheader")).to_contain_text(VOLUNTEER)
    expect(first).to_contain_text(re.compile(r"0[.,]0 km"))
    expect(first).to_contain_text(message("Speaks %(language)s"))
    expect(first).to_contain_text(text("Arabic", exact=False))
    expect(first).to_contain_text(text("Homework help", exact=False))
    expect(first.get_by_role("button", name=re.compile(VOLUNTEER))).to_be_visible()
    expect(page.get_by_role("heading", name=text("How the points are counted"))).to_be_visible()
    journey.check(page, "suggestions")

    # Plan all for the branch: the proposal with its costs and the comparison.
    open_matching(page)
    page.get_by_label(text("Branch")).select_option(label="Rødovre")
    page.get_by_role("button", name=text("Make a plan")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rødovre")
    summary = page.get_by_role("region", name=text("Summary"))
    expect(summary).to_contain_text(text("Total cost", exact=False))
    expect(summary).to_contain_text(message("first come, first served: %(n)s"))
    proposals = page.get_by_role("table", name=text("Proposed matches"))
    expect(proposals.get_by_role("row").filter(has_text=FAMILY)).to_have_count(1)
    expect(page.get_by_role("button", name=message("Confirm %(counter)s matches"))
           .or_(page.get_by_role("button", name=message("Confirm %(counter)s match")))
           ).to_be_visible()
    journey.check(page, "plan")

    page.get_by_role("navigation", name=text("Plan")).get_by_role(
        "link", name=message("Unmatched (%(n)s)")).click()
    expect(page).to_have_url(re.compile(r"show=unmatched"))
    journey.check(page, "plan-unmatched")

    # Changing one proposal: the page of the best volunteers with a place in the plan.
    page.get_by_role("navigation", name=text("Plan")).get_by_role(
        "link", name=message("Proposed matches (%(n)s)")).click()
    row = page.get_by_role("table", name=text("Proposed matches")).get_by_role("row").filter(
        has_text=FAMILY)
    row.get_by_role("link", name=re.compile(rf"{FAMILY}$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(FAMILY)
    journey.check(page, "proposal")

    page.get_by_role("link", name=text("Back to the plan")).click()
    page.get_by_role("button", name=text("Discard the plan")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The plan has been discarded.", exact=False))
    journey.check(page, "plan-discarded")


def test_the_matching_pages_fit_a_phone(new_page, matching_data):
    journey = Journey("matching-phone", phone=True)
    page = new_page(phone=True)
    log_in(page, COORDINATOR)
    page.goto("/matching/")
    journey.check(page, "matching")
    page.get_by_role("table", name=text("Waiting for a volunteer")).get_by_role(
        "link", name=re.compile(rf"{FAMILY}$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(FAMILY)
    journey.check(page, "suggestions")
    page.goto("/matching/")
    page.get_by_label(text("Branch")).select_option(label="Rødovre")
    page.get_by_role("button", name=text("Make a plan")).click()
    expect(page.get_by_role("table", name=text("Proposed matches"))).to_be_visible()
    journey.check(page, "plan")
    page.get_by_role("button", name=text("Discard the plan")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The plan has been discarded.", exact=False))

