"""Outcomes: the project leader's dashboard with its downloads; a coordinator's due list and a
personal link; the volunteer answers a questionnaire on her phone; the family answers through
its link on a phone without an account; the evaluator makes and downloads an export.

A management-shell step in the e2e server's database gives the demo volunteer an active
engagement with due questionnaires (the demo's own are for families of other volunteers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support import COORDINATOR, Journey, household_tab, log_in, text

ROOT = Path(__file__).resolve().parent.parent
ORG_ADMIN = "orgadmin"
VOLUNTEER = "frivillig"
EVALUATOR = "evaluator"

SETUP = r"""
import datetime, json
from django.utils import timezone
from samspil.core.models import User
from samspil.engagements.models import Engagement
from samspil.households.models import Household
from samspil.outcomes import services
from samspil.volunteers.models import Volunteer

today = timezone.localdate()
frida = User.objects.get(username="frivillig")
rodovre = frida.branches.get(name="Rødovre")
volunteer, _ = Volunteer.objects.get_or_create(user=frida, defaults={
    "organisation": frida.organisation, "branch": rodovre, "first_name": frida.first_name,
    "last_name": frida.last_name, "postcode_id": "2610", "status": "active",
    "roles": ["family_friend", "job_mentor"], "capacity": 20})
engagement = Engagement.objects.filter(note="e2e: outcomes").first()
if engagement is None:
    family = (Household.objects.filter(branch=rodovre, engagements__isnull=True)
              .exclude(display_name__contains="Lund").order_by("-id").first())
    engagement = Engagement.objects.create(
        organisation=family.organisation, branch=rodovre, household=family,
        type="family_friend", volunteer=volunteer, state="active",
        referred_on=today - datetime.timedelta(days=30),
        matched_on=today - datetime.timedelta(days=10),
        started_on=today - datetime.timedelta(days=3), note="e2e: outcomes")
services.questionnaires_schedule(organisation_id=engagement.organisation_id)
print(json.dumps({"name": engagement.household.display_name, "id": engagement.household_id}))
"""


@pytest.fixture(scope="module")
def demo(server) -> dict:
    env = dict(os.environ, SAMSPIL_VAR_DIR=str(server.var_dir), PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"setup failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_worker(server) -> None:
    env = dict(os.environ, SAMSPIL_VAR_DIR=str(server.var_dir), PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch",
                             "--no-startup-delay"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_project_leader_reads_the_dashboard_and_downloads_the_report(page: Page):
    journey = Journey("outcomes-dashboard")
    log_in(page, ORG_ADMIN)
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Outcomes")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Familien i Fokus")
    reach = page.get_by_role("region", name=text("Participants reached"))
    expect(reach.get_by_role("img")).to_be_visible()  # the trend chart
    expect(reach.get_by_role("table", name=text("By branch"))).to_contain_text("Rødovre")
    work = page.get_by_role("region", name=text(
        "Mentored parents in work or education one year after the start"))
    expect(work).to_contain_text("n = ")
    expect(page.get_by_text(text("You see exact figures.", exact=False))).to_be_visible()
    journey.check(page, "dashboard")
    page.get_by_label(text("Break down by")).select_option("municipality")
    page.get_by_role("button", name=text("Show")).click()
    expect(reach.get_by_role("table", name=text("By municipality"))).to_be_visible()
    journey.check(page, "dashboard-municipality")
    # The PDF is fetched with the page's own session (a click on a download link would make
    # Playwright wait for a navigation that a download never completes).
    pdf_url = page.get_by_role("link", name="PDF").get_attribute("href")
    pdf = page.request.get(pdf_url, timeout=90_000)  # WeasyPrint on a busy machine
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert ".pdf" in pdf.headers["content-disposition"]
    page.get_by_role("button", name=text("Refresh the figures")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The figures are being computed again. Reload the page in a minute to see them.",
             exact=False))
    page.get_by_role("link", name=text("Targets and period")).click()
    page.get_by_label(text("Figure")).select_option("work_attachment")
    page.get_by_role("spinbutton", name=text("Target")).fill("120")
    page.get_by_role("button", name=text("Save target")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_text(text("A share cannot be more than 100%."))).to_be_visible()
    journey.check(page, "targets-error")


def test_a_coordinator_makes_a_personal_link_and_the_family_answers_on_its_phone(
        page: Page, new_page: Callable[..., Page], demo: dict):
    journey = Journey("outcomes-due-and-family-link")
    log_in(page, COORDINATOR)
    page.goto("/outcomes/due/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Due questionnaires"))
    due = page.get_by_role("table").first
    row = due.get_by_role("row").filter(has_text=demo["name"]).filter(
        has_text=text("WHO-5 well-being index", exact=False)).first
    expect(row).to_be_visible()
    journey.check(page, "due-list")
    row.get_by_role("button", name=text("Link for the family", exact=False)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Link for the family"))
    journey.check(page, "link")
    url = page.locator(".token-url a").inner_text()
    # The household page's Outcomes tab lists the questionnaire.
    page.goto(f"/households/{demo['id']}/")
    household_tab(page, "Outcomes")
    expect(page.get_by_role("table").first).to_contain_text(
        text("WHO-5 well-being index", exact=False))
    journey.check(page, "household-outcomes")

    phone = Journey("outcomes-family-phone", phone=True)
    family = new_page(phone=True)
    family.goto(url)
    expect(family.get_by_role("heading", level=1)).to_have_text(text("WHO-5 well-being index"))
    family.get_by_role("button", name=text("Send answers")).click()
    expect(family.get_by_role("alert").first).to_be_visible()  # nothing answered yet
    phone.check(family, "family-errors")
    for i, question in enumerate([
            "Over the last two weeks I have felt cheerful and in good spirits",
            "Over the last two weeks I have felt calm and relaxed",
            "Over the last two weeks I have felt active and vigorous",
            "Over the last two weeks I woke up feeling fresh and rested",
            "Over the last two weeks my daily life has been filled with things that interest "
            "me"]):
        group = family.get_by_role("group", name=text(question))
        group.get_by_role("radio", name=text(["Most of the time", "Some of the time"][i % 2])
                          ).check()
    phone.check(family, "family-form")
    family.get_by_role("button", name=text("Send answers")).click()
    expect(family.get_by_role("heading", level=1)).to_have_text(text("Thank you"))
    phone.check(family, "family-thanks")
    family.goto(url)
    expect(family.get_by_role("alert")).to_contain_text(
        text("This link has already been used. Thank you for your answers.", exact=False))
    phone.check(family, "family-link-used")


def test_the_volunteer_answers_a_questionnaire_on_her_phone(new_page: Callable[..., Page],
                                                           demo: dict):
    journey = Journey("outcomes-volunteer-phone", phone=True)
    page = new_page(phone=True)
    log_in(page, VOLUNTEER)
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Questionnaires")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Due questionnaires"))
    journey.check(page, "due")
    page.get_by_role("row").filter(has_text=text("Social network", exact=False)).filter(
        has_text=demo["name"]).first.get_by_role(
        "link", name=text("Answer", exact=False)).click()
    question = text("How many people can you turn to if you need help or someone to talk to?")
    page.get_by_label(question).fill("99")
    page.get_by_role("button", name=text("Send answers")).click()
    expect(page.get_by_text(text("The answer is out of range.")).first).to_be_visible()
    journey.check(page, "answer-error")
    page.get_by_label(question).fill("4")
    page.get_by_role("button", name=text("Send answers")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The answers have been saved.", exact=False))
    journey.check(page, "answered")


def test_the_evaluator_makes_an_export_and_downloads_it(page: Page, server):
    journey = Journey("outcomes-evaluator")
    log_in(page, EVALUATOR)
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Outcomes")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Familien i Fokus")
    expect(page.get_by_text(text("You see exact figures.", exact=False))).to_have_count(0)
    journey.check(page, "dashboard-suppressed")
    page.get_by_role("navigation", name=text("Outcomes")).get_by_role(
        "link", name=text("Exports")).click()
    page.get_by_label(text("Programme")).select_option(label="Familien i Fokus")
    page.get_by_role("button", name=text("Make an export")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The export is being made. This page shows the download when it is ready.",
             exact=False))
    journey.check(page, "export-pending")
    run_worker(server)
    expect(page.get_by_role("status")).to_contain_text(
        text("The export is ready.", exact=False), timeout=15_000)
    journey.check(page, "export-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name=text("Download (zip)")).click()
    assert download.value.suggested_filename.endswith(".zip")
    page.goto("/households/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Not found"))
