"""A coordinator registers a volunteer, adds availability, records a checked child-safety
certificate (børneattest), finds her on the list, and reads the missing and ageing certificates.

The demo has no volunteers: the journeys create the ones they need, with names no other journey
uses.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from playwright.sync_api import Locator, Page, expect
from support import COORDINATOR, OUTSIDER, Journey, choose, either, log_in, text


@dataclass
class Volunteer:
    first_name: str
    last_name: str
    phone: str
    email: str
    roles: list[str] = field(default_factory=lambda: ["Family friend"])
    languages: list[str] = field(default_factory=lambda: ["Danish", "Arabic"])
    skills: list[str] = field(default_factory=lambda: ["Homework help", "Digital self-service"])
    tags: str = "Syning, cykelreparation"
    capacity: str = "2"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def today() -> datetime.date:
    return datetime.date.today()  # noqa: DTZ011 (the browser and the server share the machine)


def open_volunteers(page: Page) -> None:
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Volunteers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Volunteers"))


def volunteer_tab(page: Page, msgid: str) -> None:
    """Open one of the volunteer's tabs (Overview, Edit, Availability, Screening)."""
    tabs = page.get_by_role("navigation", name=text("Volunteer"))
    tabs.get_by_role("link", name=text(msgid)).click()
    expect(tabs.get_by_role("link", name=text(msgid))).to_have_attribute("aria-current", "page")


def tick(page: Page, group: str, labels: list[str]) -> None:
    boxes = page.get_by_role("group", name=text(group))
    for label in labels:
        boxes.get_by_label(text(label)).check()


def register_volunteer(page: Page, volunteer: Volunteer, journey: Journey | None = None) -> int:
    """From the list: fill the registration form, submit, land on the profile; returns its id."""
    page.get_by_role("link", name=text("Register volunteer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Register volunteer"))
    if journey:
        journey.check(page, "register-empty")
    person = page.get_by_role("group", name=text("Person"))
    person.get_by_label(text("first name")).fill(volunteer.first_name)
    person.get_by_label(text("last name")).fill(volunteer.last_name)
    person.get_by_label(text("e-mail")).fill(volunteer.email)
    person.get_by_label(text("phone")).fill(volunteer.phone)
    choose(person.get_by_label(text("gender")), "Female")
    person.get_by_label(text("birth year")).fill("1968")
    person.get_by_label(text("Postcode")).fill("2610")
    expect(page.locator("#postcode-town")).to_contain_text("Rødovre")
    organisation = page.get_by_role("group", name=text("In the organisation"))
    expect(organisation.get_by_label(text("branch")).locator("option:checked")).to_have_text(
        "Rødovre")
    choose(organisation.get_by_label(text("status")), "Active")
    organisation.get_by_label(text("Families or parents at most")).fill(volunteer.capacity)
    tick(page, "Roles", volunteer.roles)
    tick(page, "Languages", volunteer.languages)
    tick(page, "Skills", volunteer.skills)
    page.get_by_label(text("Other skills")).fill(volunteer.tags)
    choose(page.get_by_label(text("prefers children aged")), "Children 6–12 years")
    if journey:
        journey.check(page, "register-filled")
    page.get_by_role("button", name=text("Register volunteer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(volunteer.full_name)
    expect(page.get_by_role("status")).to_contain_text(
        text("The volunteer has been registered.", exact=False))
    return int(re.search(r"/volunteers/(\d+)/", page.url).group(1))


def slot(page: Page, number: int) -> Locator:
    """The fieldset of one time slot, "Time slot 2"."""
    return page.get_by_role("group", name=either(lambda t: t("Time slot %(n)s") % {"n": number}))


def fill_slot(group: Locator, day: str, start: str, end: str) -> None:
    choose(group.get_by_label(text("Weekday")), day)
    group.get_by_label(text("From")).fill(start)
    group.get_by_label(text("To")).fill(end)


def test_coordinator_registers_a_volunteer_with_availability_and_a_checked_certificate(
    page: Page,
):
    journey = Journey("volunteers")
    bodil = Volunteer("Bodil", "Østergaard-Lind", phone="28 29 30 31",
                      email="bodil.lind@example.org")

    log_in(page, COORDINATOR)
    open_volunteers(page)
    journey.check(page, "volunteers")
    volunteer_id = register_volunteer(page, bodil, journey)

    profile = page.get_by_role("region", name=text("Profile"))
    expect(profile).to_contain_text(either(lambda t: t("%(load)s of at most %(capacity)s")
                                           % {"load": 0, "capacity": 2}))
    expect(profile).to_contain_text(text("Homework help", exact=False))
    expect(profile).to_contain_text("Syning, cykelreparation")
    screening = page.get_by_role("region", name=text("Screening"))
    expect(screening).to_contain_text(text("Missing", exact=False))
    journey.check(page, "volunteer-registered")

    # Availability: Monday afternoon and, with "Add time slot", Wednesday morning.
    volunteer_tab(page, "Availability")
    fill_slot(slot(page, 1), "Monday", "16:00", "18:00")
    page.get_by_role("button", name=text("Add time slot")).click()
    expect(slot(page, 2)).to_be_visible()
    expect(slot(page, 2).get_by_label(text("Weekday"))).to_be_focused()
    fill_slot(slot(page, 2), "Wednesday", "10:00", "12:00")
    # A third slot overlapping the first: refused with a clear message, nothing saved.
    page.get_by_role("button", name=text("Add time slot")).click()
    expect(slot(page, 3).get_by_label(text("Weekday"))).to_be_focused()
    fill_slot(slot(page, 3), "Monday", "17:00", "19:00")
    journey.check(page, "availability-filled")
    page.get_by_role("button", name=text("Save availability")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        text("Please correct the errors below. Nothing has been saved.", exact=False))
    expect(slot(page, 3)).to_contain_text(re.compile("16:00–18:00"))
    journey.check(page, "availability-overlap")
    slot(page, 3).get_by_label(text("Remove")).check()
    page.get_by_role("button", name=text("Save availability")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The availability has been saved.", exact=False))
    availability = page.get_by_role("region", name=text("Availability"))
    expect(availability.get_by_role("listitem")).to_have_count(2)
    expect(availability).to_contain_text(re.compile(r"16:00–18:00"))
    expect(availability).to_contain_text(re.compile(r"10:00–12:00"))
    journey.check(page, "availability-saved")

    # Screening: a børneattest requested two weeks ago, received and checked without remarks.
    volunteer_tab(page, "Screening")
    expect(page.get_by_role("cell", name=text("No child-safety certificate recorded."))) \
        .to_be_visible()
    journey.check(page, "screening-empty")
    record = page.locator("form").filter(
        has=page.get_by_role("button", name=text("Record certificate")))
    requested = today() - datetime.timedelta(days=14)
    record.get_by_label(text("requested on")).fill(requested.isoformat())
    record.get_by_label(text("received and checked on")).fill(
        (today() - datetime.timedelta(days=1)).isoformat())
    choose(record.get_by_label(text("result")), "No remarks")
    record.get_by_label(text("note")).fill("Tjekket af koordinator.")
    record.get_by_role("button", name=text("Record certificate")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The child-safety certificate has been recorded.", exact=False))
    history = page.get_by_role("table", name=text("Child-safety certificates"))
    row = history.get_by_role("row").filter(has_text="Tjekket af koordinator.")
    expect(row).to_contain_text(text("No remarks", exact=False))
    expect(row).to_contain_text("Karen Koordinator")
    expect(page.get_by_role("region", name=text("Child-safety certificate"))).to_contain_text(
        text("Valid", exact=False))
    # The signed confidentiality declaration, the same day.
    dates = page.locator("form").filter(has=page.get_by_role("button", name=text("Save dates")))
    dates.get_by_label(text("Confidentiality declaration signed")).fill(
        requested.isoformat())
    dates.get_by_role("button", name=text("Save dates")).click()
    expect(page.get_by_role("status")).to_contain_text(
        text("The screening has been saved.", exact=False))
    journey.check(page, "screening-recorded")

    volunteer_tab(page, "Overview")
    expect(page.get_by_role("region", name=text("Screening"))).to_contain_text(
        text("Valid", exact=False))
    journey.check(page, "volunteer-overview")

    # On the list, found by name and by skill.
    open_volunteers(page)
    for query in ["østergaard-lind", "28293031"]:
        box = page.get_by_role("searchbox",
                               name=text("Search by name, e-mail, phone, postcode or skill"))
        box.fill(query)
        page.get_by_role("search").get_by_role("button", name=text("Search")).click()
        expect(page).to_have_url(re.compile(r"[?&]q="))
        found = page.locator("#volunteer-results").get_by_role("row").filter(
            has=page.get_by_role("link", name=bodil.full_name))
        expect(found).to_have_count(1)
        expect(found).to_contain_text(text("Family friend", exact=False))
        expect(found).to_contain_text(text("Valid", exact=False))
        expect(found).to_contain_text("0 / 2")
    journey.check(page, "volunteers-search")
    found.get_by_role("link", name=bodil.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(bodil.full_name)
    assert page.url.endswith(f"/volunteers/{volunteer_id}/")


def test_coordinator_sees_missing_and_ageing_certificates(page: Page):
    journey = Journey("volunteer-certificates")
    mette = Volunteer("Mette", "Attestløs-Holm", phone="41 42 43 44",
                      email="mette.holm@example.org", languages=["Danish"],
                      skills=["Leisure activities"], tags="")
    mentor = Volunteer("Jonas", "Mentorsen-Bak", phone="51 42 43 44",
                       email="jonas.bak@example.org", roles=["Job and education mentor"],
                       skills=["CV and job search"], tags="")
    log_in(page, COORDINATOR)
    open_volunteers(page)
    register_volunteer(page, mette)
    open_volunteers(page)
    register_volunteer(page, mentor)

    open_volunteers(page)
    page.get_by_role("link", name=text("Missing and ageing certificates")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        text("Missing and ageing certificates"))
    table = page.get_by_role("table", name=text("Missing and ageing certificates"))
    row = table.get_by_role("row").filter(has_text=mette.full_name)
    expect(row).to_contain_text(text("Missing", exact=False))
    # A mentor who only meets the parent needs no certificate (CHILD_CERTIFICATE_ROLES).
    expect(table.get_by_role("row").filter(has_text=mentor.full_name)).to_have_count(0)
    journey.check(page, "certificates")

    choose(page.get_by_label(text("Show")), "Expires soon")
    page.get_by_role("button", name=text("Filter")).click()
    expect(page).to_have_url(re.compile(r"state=expiring"))
    expect(page.get_by_role("link", name=mette.full_name)).to_have_count(0)
    journey.check(page, "certificates-expiring")

    # From the overview straight to her screening, to order the certificate.
    choose(page.get_by_label(text("Show")), "Missing")
    page.get_by_role("button", name=text("Filter")).click()
    page.get_by_role("link", name=mette.full_name).click()
    expect(page.get_by_role("navigation", name=text("Volunteer")).get_by_role(
        "link", name=text("Screening"))).to_have_attribute("aria-current", "page")
    record = page.locator("form").filter(
        has=page.get_by_role("button", name=text("Record certificate")))
    record.get_by_role("button", name=text("Record certificate")).click()  # requested today
    expect(page.get_by_role("status")).to_contain_text(
        text("The child-safety certificate has been recorded.", exact=False))
    expect(page.get_by_role("link", name=text("Record the answer"))).to_be_visible()
    journey.check(page, "certificate-ordered")
    page.get_by_role("link", name=text("Record the answer")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(text("Record the answer"))
    journey.check(page, "certificate-answer")

    page.goto("/volunteers/certificates/?state=pending")
    expect(page.get_by_role("row").filter(has_text=mette.full_name)).to_contain_text(
        text("Awaiting answer", exact=False))
    journey.check(page, "certificates-pending")


def test_volunteer_pages_on_a_phone(new_page):
    page = new_page(phone=True)
    journey = Journey("volunteers-phone", phone=True)
    ida = Volunteer("Ida", "Telefonsen-Krog", phone="61 62 63 65", email="ida.krog@example.org")
    log_in(page, COORDINATOR)
    page.goto("/volunteers/")
    journey.check(page, "volunteers")
    register_volunteer(page, ida, journey)
    journey.check(page, "volunteer-registered")
    for tab, step in [("Availability", "availability"), ("Screening", "screening"),
                      ("Edit", "edit")]:
        volunteer_tab(page, tab)
        journey.check(page, step)
    page.goto("/volunteers/certificates/")
    journey.check(page, "certificates")


def test_a_coordinator_of_another_organisation_sees_none_of_the_volunteers(page: Page):
    journey = Journey("volunteers-other-organisation")
    log_in(page, OUTSIDER)
    open_volunteers(page)
    # Only the outsider organisation's own branch shows, never Familiehjælpen's Rødovre.
    expect(page.get_by_role("cell", name="Rødovre", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Bodil Østergaard-Lind")).to_have_count(0)
    journey.check(page, "volunteers")
    page.get_by_role("link", name=text("Missing and ageing certificates")).click()
    expect(page.get_by_role("cell", name="Rødovre", exact=True)).to_have_count(0)
    journey.check(page, "certificates")
    page.goto("/volunteers/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Not found"))
