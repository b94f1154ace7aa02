"""Networks and activities: a coordinator plans a café with sessions, signs families up until
a waiting list forms, cancels one and sees the next family move up; a family signs up through
the public link on a phone; the volunteer in charge ticks attendance on her phone; networks,
the household's participation tab and the national office's figures.

The demo (samspil/activities/demo.py) has four networks, a family camp with attendance and the
weekly "Familiecafé tirsdag" in Rødovre with a session today, run by Frida Frivillig.
"""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect
from support import COORDINATOR, Journey, _pattern, choose, da, log_in, text
from test_keyboard import tab_to

VOLUNTEER = "frivillig"  # Frida Frivillig, in charge of the demo café
ADMIN = "orgadmin"
CAFE = "Familiecafé tirsdag"
NETWORK = "Familienetværk Rødovre"


def message(msgid: str) -> re.Pattern:
    """A message with placeholders (%(name)s), in English or Danish."""
    return re.compile(f"{_pattern(msgid).pattern}|{_pattern(da(msgid)).pattern}")


def status(page: Page, msgid: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(message(msgid))


def main_menu(page: Page, msgid: str) -> None:
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text(msgid)).click()


def test_coordinator_plans_an_activity_signs_up_families_and_a_waiting_family_moves_up(
        page: Page):
    journey = Journey("activities-coordinator")
    log_in(page, COORDINATOR)
    main_menu(page, "Activities")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Activities"))
    expect(page.get_by_role("link", name=CAFE)).to_be_visible()
    journey.check(page, "activities")

    page.get_by_role("link", name=text("Plan an activity")).click()
    journey.check(page, "plan")
    page.get_by_label(text("Title")).fill("Påskeværksted")
    choose(page.get_by_label(text("Kind")), "Family workshop")
    page.get_by_label(text("Places")).fill("1")
    page.get_by_label(text("Open for sign-up through a public link")).check()
    first = page.get_by_role("group", name=re.compile(r"(Session|Gang) 1"))
    day = (datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=10)).isoformat()
    first.get_by_label(text("Date")).fill(day)
    first.get_by_label(text("From")).fill("18:00")
    first.get_by_label(text("To")).fill("17:00")  # ends before it starts
    page.get_by_role("button", name=text("Create activity")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        text("Please correct the errors below. Nothing has been saved.", exact=False))
    expect(page.get_by_text(text("A session must end after it starts."))).to_be_visible()
    journey.check(page, "plan-errors")
    first.get_by_label(text("To")).fill("20:00")
    page.get_by_role("button", name=text("Create activity")).click()
    status(page, "The activity has been created.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Påskeværksted")
    journey.check(page, "activity")

    # Two families for one place: the second waits.
    household = page.get_by_label(text("Household"), exact=True)
    options = household.locator("option").all_inner_texts()
    household.select_option(index=1)
    page.get_by_role("button", name=text("Sign up"), exact=True).click()
    status(page, "%(name)s has a place.")
    page.get_by_label(text("Household"), exact=True).select_option(index=2)
    page.get_by_role("button", name=text("Sign up"), exact=True).click()
    status(page, "%(name)s is on the waiting list.")
    journey.check(page, "waiting-list")

    # The first family cancels: the waiting family moves up and is told.
    page.get_by_role("row").filter(has_text=options[1]).get_by_role(
        "button", name=text("Cancel", exact=False)).click()
    status(page, "%(name)s moved up from the waiting list and has been told.")
    places = page.get_by_role("group", name=text("Have a place"))
    expect(places).to_contain_text(options[2])
    journey.check(page, "promoted")


def test_a_family_signs_up_through_the_public_link_on_a_phone(page: Page, new_page):
    log_in(page, COORDINATOR)
    main_menu(page, "Activities")
    page.get_by_role("link", name=CAFE).click()
    link = page.get_by_role("link", name=re.compile(r"activities.join")).get_attribute("href")

    journey = Journey("activities-public-signup", phone=True)
    phone = new_page(phone=True)
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text(CAFE)
    journey.check(phone, "public-form")
    phone.get_by_role("button", name=text("Sign up")).click()
    expect(phone.get_by_role("alert").first).to_be_visible()
    journey.check(phone, "public-form-errors")
    phone.get_by_label(text("Your name")).fill("Hiba Rahman")
    phone.get_by_label(text("E-mail")).fill("hiba@example.org")
    phone.get_by_label(text("Children's ages")).fill("5, 10")
    phone.get_by_role("button", name=text("Sign up")).click()
    expect(phone.get_by_role("heading", name=text("Thank you for signing up"))).to_be_visible()
    # The demo café is full: the family waits.
    expect(phone.get_by_role("status")).to_contain_text("Hiba Rahman")
    journey.check(phone, "public-receipt")
    # The link shows nothing of the families already signed up.
    phone.go_back()
    expect(phone.get_by_text("Mona Saleh")).to_have_count(0)


def test_the_volunteer_ticks_attendance_on_her_phone(new_page):
    journey = Journey("activities-attendance", phone=True)
    page = new_page(phone=True)
    log_in(page, VOLUNTEER)
    page.goto("/activities/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("My activities"))
    journey.check(page, "my-activities")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=CAFE))
    card.get_by_role("link", name=text("Attendance", exact=False)).nth(3).click()  # today's
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Attendance"))
    journey.check(page, "attendance")
    page.get_by_role("checkbox").first.check()
    page.get_by_role("checkbox").nth(1).check()
    page.get_by_role("button", name=text("Save attendance")).click()
    status(page, "Attendance saved: %(count)s present.")
    expect(page.get_by_role("checkbox").first).to_be_checked()
    journey.check(page, "attendance-saved")
    # Only first names and children's ages: no surname, address or phone of a family.
    assert not page.get_by_role("link", name=re.compile(r"^tel:")).count()


def test_networks_and_the_households_participation(page: Page):
    journey = Journey("activities-networks")
    log_in(page, COORDINATOR)
    main_menu(page, "Activities")
    page.get_by_role("navigation", name=text("Networks and activities")).get_by_role(
        "link", name=text("Family networks")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Family networks"))
    journey.check(page, "networks")
    page.get_by_role("link", name=NETWORK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NETWORK)
    journey.check(page, "network")
    members = page.get_by_role("group", name=text("Member households"))
    member = members.get_by_role("link").first
    name = member.inner_text()
    member.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    tabs = page.get_by_role("navigation", name=text("Household"))
    expect(tabs.get_by_role("link", name=text("Participation"))).to_have_attribute(
        "aria-current", "page")
    expect(page.get_by_role("link", name=NETWORK)).to_be_visible()
    journey.check(page, "participation")
    page.goto("/activities/networks/new/")
    journey.check(page, "network-new")
    page.goto("/activities/kinds/")
    journey.check(page, "kinds")


def test_the_national_office_sees_the_figures(page: Page):
    journey = Journey("activities-figures")
    log_in(page, ADMIN)
    page.goto("/activities/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        text("Networks and activities: figures"))
    expect(page.get_by_role("img", name=re.compile(r"Familienetværk|Family networks"))
           ).to_be_visible()
    expect(page.get_by_role("rowheader", name=NETWORK)).to_be_visible()
    journey.check(page, "figures")


def _public_link(page: Page) -> str:
    log_in(page, COORDINATOR)
    main_menu(page, "Activities")
    page.get_by_role("link", name=CAFE).click()
    return page.get_by_role("link", name=re.compile(r"activities.join")).get_attribute("href")


def test_the_public_link_and_attendance_with_the_keyboard_alone(page: Page, new_page):
    link = _public_link(page)
    phone = new_page(phone=True)
    phone.goto(link)
    tab_to(phone, phone.get_by_label(text("Your name")))
    phone.keyboard.type("Karim Haddad")
    tab_to(phone, phone.get_by_label(text("Phone")))
    phone.keyboard.type("20 30 40 50")
    tab_to(phone, phone.get_by_role("button", name=text("Sign up")))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name=text("Thank you for signing up"))).to_be_visible()
    expect(phone.get_by_role("status")).to_contain_text("Karim Haddad")

    volunteer = new_page(phone=True)
    log_in(volunteer, VOLUNTEER)
    volunteer.goto("/activities/mine/")
    card = volunteer.get_by_role("listitem").filter(
        has=volunteer.get_by_role("heading", name=CAFE))
    tab_to(volunteer, card.get_by_role("link", name=text("Attendance", exact=False)).nth(3))
    volunteer.keyboard.press("Enter")
    expect(volunteer.get_by_role("heading", level=1)).to_have_text(text("Attendance"))
    box = volunteer.get_by_role("checkbox").nth(2)
    tab_to(volunteer, box)
    was = box.is_checked()
    volunteer.keyboard.press("Space")
    tab_to(volunteer, volunteer.get_by_role("button", name=text("Save attendance")))
    volunteer.keyboard.press("Enter")
    status(volunteer, "Attendance saved: %(count)s present.")
    expect(volunteer.get_by_role("checkbox").nth(2)).to_be_checked(checked=not was)
