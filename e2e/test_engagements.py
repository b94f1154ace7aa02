"""Engagements: a coordinator follows a demo family from referral to an active engagement; the
volunteer logs a meeting on her phone, by touch and with the keyboard alone.

The demo has no volunteers with engagements, so a management-shell step in the e2e server's
database gives the demo volunteer `frivillig` (Frida Frivillig, Rødovre) an active volunteer
profile with a valid child-safety certificate, and prepares one active engagement for the
volunteer's own journeys (so that they do not depend on the coordinator's journey).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support import COORDINATOR, Journey, choose, log_in, text
from test_keyboard import tab_to

ROOT = Path(__file__).resolve().parent.parent
VOLUNTEER = "frivillig"  # Frida Frivillig, Familiehjælpen (demo), branch Rødovre
VOLUNTEER_NAME = "Frida Frivillig"

# Runs in `manage.py shell` against the e2e server's database; prints one line of JSON.
SETUP = r"""
import datetime, json
from django.utils import timezone
from samspil.core.models import User
from samspil.engagements import services
from samspil.engagements.models import Engagement
from samspil.households.models import Household
from samspil.volunteers.models import ChildCertificate, Volunteer

today = timezone.localdate()
days = datetime.timedelta
frida = User.objects.get(username="frivillig")
karen = User.objects.get(username="koordinator")
rodovre = frida.branches.get(name="Rødovre")
volunteer, _ = Volunteer.objects.get_or_create(user=frida, defaults={
    "organisation": frida.organisation, "branch": rodovre, "first_name": frida.first_name,
    "last_name": frida.last_name, "postcode_id": "2610"})
volunteer.status, volunteer.capacity = "active", 20
volunteer.roles = ["family_friend", "job_mentor", "workplace_mentor"]
volunteer.save()
if not volunteer.certificates.filter(result="clear").exists():
    ChildCertificate.objects.create(volunteer=volunteer, requested_on=today - days(40),
                                    received_on=today - days(30), result="clear")

# Demo families of Rødovre that nobody has referred yet, oldest first.
free = (Household.objects.filter(branch=rodovre, engagements__isnull=True)
        .exclude(display_name__contains="Lund").order_by("id"))
# The volunteer's journeys: one active engagement, made once.
prepared = Engagement.objects.filter(note="e2e: den frivilliges familie").first()
if prepared is None:
    family = free.first()
    prepared = services.engagement_refer(actor=karen, household=family, type="family_friend",
                                         referred_on=today - days(30),
                                         note="e2e: den frivilliges familie")
    prepared = services.engagement_match(actor=karen, engagement=prepared,
                                         volunteer=volunteer, on=today - days(20))
    prepared = services.engagement_transition(actor=karen, engagement=prepared,
                                              to_state="active", on=today - days(14))
    services.goal_add(actor=karen, engagement=prepared, area="school",
                      text="Lektier hver tirsdag")
# Another family, still waiting: not Frida's.
waiting = Engagement.objects.filter(note="e2e: waiting").first()
if waiting is None:
    waiting = services.engagement_refer(actor=karen, household=free.first(), type="job_mentor",
                                        parent=free.first().members.filter(role="parent").first(),
                                        referred_on=today - days(60), note="e2e: waiting")
referable = free.first()
parent = referable.members.filter(role="parent").order_by("id").first()
print(json.dumps({
    "engagement": prepared.pk, "name": prepared.household.display_name,
    "waiting": waiting.pk,
    "referable": {"id": referable.pk, "name": referable.display_name,
                  "search": f"{parent.full_name} {referable.address}"},
}))
"""


@pytest.fixture(scope="module")
def demo(server) -> dict:
    env = dict(os.environ, SAMSPIL_VAR_DIR=str(server.var_dir), PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"setup failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def status(page: Page, msgid: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(text(msgid, exact=False))


def move(page: Page, title: str):
    """One of the engagement page's 'Next step' forms, by its heading."""
    return page.get_by_role("form", name=text(title))


def test_coordinator_follows_a_demo_family_from_referral_to_active(page: Page, demo: dict):
    journey = Journey("engagement-coordinator")
    family = demo["referable"]
    log_in(page, COORDINATOR)

    # Find the family the way a coordinator does and refer it.
    box = page.get_by_role("searchbox", name=text("Search by name, phone or address"))
    box.fill(family["search"])
    page.get_by_role("search").get_by_role("button", name=text("Search")).click()
    page.get_by_role("link", name=family["name"], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(family["name"])
    engagements = page.get_by_role("region", name=text("Engagements"))
    engagements.get_by_role("link", name=text("Refer for an engagement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Refer for an engagement"))
    journey.check(page, "referral")

    # A mentor without a parent: refused with a message, nothing saved.
    page.get_by_role("radio", name=text("Job and education mentor")).check()
    page.get_by_role("button", name=text("Register referral")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        text("Please correct the errors below. Nothing has been saved.", exact=False))
    expect(page.get_by_text(text("Choose the parent the mentor will work with."))).to_be_visible()
    journey.check(page, "referral-errors")

    page.get_by_role("radio", name=text("Family friend")).check()
    page.get_by_role("button", name=text("Register referral")).click()
    status(page, "The referral has been registered.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(family["name"])
    expect(page.get_by_text(text("Referred"), exact=True).first).to_be_visible()
    journey.check(page, "engagement-referred")

    # Match with Frida, chosen among the volunteers who pass the rules.
    match = move(page, "Match with a volunteer")
    choose(match.get_by_label(text("Volunteer")), VOLUNTEER_NAME)
    match.get_by_role("button", name=text("Match with a volunteer")).click()
    status(page, "The engagement has been matched.")
    facts = page.get_by_role("region", name=text("The engagement"))
    expect(facts).to_contain_text(VOLUNTEER_NAME)
    journey.check(page, "engagement-matched")

    move(page, "Start the engagement").get_by_role(
        "button", name=text("Start the engagement")).click()
    status(page, "The engagement has started.")
    history = page.get_by_role("table", name=text("History"))
    expect(history.locator("tbody").get_by_role("row")).to_have_count(4)

    # A small step to work towards.
    goals = page.get_by_role("region", name=text("Goals"))
    choose(goals.get_by_label(text("life area")), "Economy and debt")
    goals.get_by_label(text("small step")).fill("Lave et budget for januar")
    goals.get_by_role("button", name=text("Add goal")).click()
    status(page, "The goal has been added.")
    expect(page.get_by_role("table", name=text("Goals"))).to_contain_text(
        "Lave et budget for januar")
    journey.check(page, "engagement-active")

    # The list, the waiting list and the figures.
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Engagements")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Engagements"))
    row = page.get_by_role("table", name=text("Engagements")).get_by_role("row").filter(
        has_text=family["name"])
    expect(row).to_contain_text(VOLUNTEER_NAME)
    expect(row).to_contain_text(text("Active", exact=False))
    journey.check(page, "engagement-list")
    tabs = page.get_by_role("navigation", name=text("Engagements"))
    for tab in ["Waiting list", "Duration figures", "Volunteer hours"]:
        tabs.get_by_role("link", name=text(tab)).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(text(tab))
        if tab == "Duration figures":  # a chart per type and branch, beside its table
            expect(page.get_by_role("img", name=re.compile("Rødovre")).first).to_be_visible()
            expect(page.get_by_role("table", name=text("Length of ended engagements")).first) \
                .to_be_visible()
        journey.check(page, re.sub(r"\W+", "-", tab.lower()))


def open_family(page: Page, demo: dict) -> None:
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("My families")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("My families"))
    page.get_by_role("link", name=demo["name"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo["name"])


def test_volunteer_logs_a_meeting_on_the_phone(new_page: Callable[..., Page], demo: dict):
    journey = Journey("engagement-volunteer-phone", phone=True)
    page = new_page(phone=True)
    log_in(page, VOLUNTEER)
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("My families")).click()
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading",
                                                                    name=demo["name"]))
    expect(card).to_have_count(1)
    journey.check(page, "my-families")

    card.get_by_role("link", name=demo["name"], exact=True).click()
    family = page.get_by_role("region", name=text("The family"))
    expect(family).to_contain_text(text("Children", exact=False))
    expect(family.get_by_role("link", name=re.compile(r"^\+45\d{8}$"))).to_be_visible()
    expect(page.get_by_role("region", name=text("Goals"))).to_contain_text(
        "Lektier hver tirsdag")
    journey.check(page, "family")

    page.get_by_role("link", name=text("Log meeting")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Log meeting"))
    date = page.get_by_label(text("Date"))
    today = date.input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today)
    journey.check(page, "log-meeting")

    # Bad input: a meeting tomorrow is refused, and nothing is saved.
    date.fill(page.evaluate("(() => { const d = new Date(); d.setDate(d.getDate() + 1);"
                            " return d.toLocaleDateString('sv-SE'); })()"))
    page.get_by_role("button", name=re.compile(r"^\s*60\b")).click()
    page.get_by_role("radio", name=text("Home visit")).check()
    page.get_by_role("button", name=text("Save meeting")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        text("Please correct the errors below. Nothing has been saved.", exact=False))
    expect(page.get_by_text(text("A meeting cannot be in the future."))).to_be_visible()
    journey.check(page, "log-meeting-error")

    # Today, one tap for the length, one for the kind, an area, a short note, one submit.
    page.get_by_label(text("Date")).fill(today)
    page.get_by_role("button", name=re.compile(r"^\s*90\b")).click()
    expect(page.get_by_label(text("Minutes"))).to_have_value("90")
    page.get_by_role("radio", name=text("Companion at a meeting with an authority")).check()
    page.get_by_role("checkbox", name=text("The children's school")).check()
    page.get_by_label(text("Short note")).fill("Skolemøde om Idas lektier")
    page.get_by_role("button", name=text("Save meeting")).click()

    status(page, "The meeting has been saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(demo["name"])
    latest = page.get_by_role("region", name=text("Latest meetings"))
    expect(latest).to_contain_text(text("Companion at a meeting with an authority",
                                        exact=False))
    expect(latest).to_contain_text("90")
    journey.check(page, "meeting-saved")


def test_volunteer_logs_a_meeting_with_the_keyboard_alone(new_page: Callable[..., Page],
                                                          demo: dict):
    journey = Journey("engagement-volunteer-keyboard", phone=True)
    page = new_page(phone=True)
    log_in(page, VOLUNTEER)
    page.goto(f"/engagements/mine/{demo['engagement']}/meeting/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Log meeting"))

    minutes = page.get_by_label(text("Minutes"))
    tab_to(page, minutes)
    page.keyboard.type("45")
    kind = page.get_by_role("radio", name=text("Phone or video"))
    tab_to(page, page.get_by_role("radio", name=text("Home visit")))
    page.keyboard.press("ArrowDown")  # the arrow keys move through a radio group
    expect(kind).to_be_checked()
    area = page.get_by_role("checkbox", name=text("Work"))
    tab_to(page, area)
    page.keyboard.press("Space")
    expect(area).to_be_checked()
    save = page.get_by_role("button", name=text("Save meeting"))
    tab_to(page, save)
    journey.check(page, "filled")
    page.keyboard.press("Enter")

    status(page, "The meeting has been saved.")
    expect(page.get_by_role("region", name=text("Latest meetings"))).to_contain_text(
        text("Phone or video", exact=False))
    journey.check(page, "saved")


def test_a_volunteer_cannot_open_a_family_that_is_not_hers(new_page: Callable[..., Page],
                                                           demo: dict):
    journey = Journey("engagement-volunteer-other-family", phone=True)
    page = new_page(phone=True)
    log_in(page, VOLUNTEER)
    for path in (f"/engagements/mine/{demo['waiting']}/",
                 f"/engagements/mine/{demo['waiting']}/meeting/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(text("Not found"))
        expect(page.get_by_text(
            text("The page does not exist, or you do not have access to it."))).to_be_visible()
    journey.check(page, "not-found")


def visit_engagement_pages(new_page: Callable[..., Page], engagement_id: int, language: str,
                           inspect: Callable[[Page, str], None]) -> None:
    """Every engagement page, in one language, for e2e/test_languages.py: the coordinator's
    on a desktop, the volunteer's on a phone."""
    page = new_page(language=language)
    log_in(page, COORDINATOR)
    for path, step in [("/engagements/", "engagements"), ("/engagements/waiting/", "waiting"),
                       ("/engagements/figures/", "duration-figures"),
                       ("/engagements/hours/", "volunteer-hours"),
                       (f"/engagements/{engagement_id}/", "engagement")]:
        page.goto(path)
        inspect(page, step)
    phone = new_page(language=language, phone=True)
    log_in(phone, VOLUNTEER)
    for path, step in [("/engagements/mine/", "my-families"),
                       (f"/engagements/mine/{engagement_id}/", "family"),
                       (f"/engagements/mine/{engagement_id}/meeting/", "log-meeting")]:
        phone.goto(path)
        inspect(phone, step)


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_engagement_page_passes_axe_in_both_languages(new_page, demo, language):
    journey = Journey(f"engagement-pages-{language}")
    visit_engagement_pages(new_page, demo["engagement"], language, journey.check)
