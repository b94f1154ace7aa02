"""A coordinator who uses no mouse registers a family: Tab, Shift+Tab, typing, Space and Enter.

The test never clicks: locators only say where focus should arrive, and the keyboard moves it
there. Drop-downs are changed with the arrow keys, as a keyboard user does.
"""

from __future__ import annotations

import datetime

from playwright.sync_api import Locator, Page, expect
from support import (
    COORDINATOR,
    PASSWORD,
    Journey,
    Member,
    enter_code,
    expect_household_shown,
    family,
    member_fieldset,
    text,
)

MOST_TABS = 80


def is_focused(target: Locator) -> bool:
    return target.evaluate("(element) => element === document.activeElement")


def tab_to(page: Page, target: Locator) -> int:
    """Press Tab (or Shift+Tab, if the target comes before the focus) until target has focus."""
    behind = target.evaluate(
        "(t) => { const a = document.activeElement;"
        " return !!a && a !== document.body && !!(t.compareDocumentPosition(a) & 4); }"
    )
    key = "Shift+Tab" if behind else "Tab"
    for presses in range(1, MOST_TABS + 1):
        page.keyboard.press(key)
        if is_focused(target):
            return presses
    raise AssertionError(f"{key} never reached {target} ({MOST_TABS} presses)")


def arrow_to(page: Page, select: Locator, msgid: str) -> None:
    """Change a focused drop-down with the arrow keys until it shows msgid."""
    pattern = text(msgid)
    options = select.locator("option").all_inner_texts()
    wanted = next(i for i, o in enumerate(options) if pattern.match(o))
    current = select.evaluate("(s) => s.selectedIndex")
    key = "ArrowDown" if wanted > current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(key)
    expect(select.locator("option:checked")).to_have_text(pattern)


def date_order(page: Page) -> str:
    """The order in which this Chromium's date fields take day, month and year ("DMY"…)."""
    probe = page.context.new_page()
    try:
        probe.set_content('<input type="date" aria-label="probe">')
        probe.get_by_label("probe").focus()
        probe.keyboard.type("01022003")
        value = probe.get_by_label("probe").input_value()
    finally:
        probe.close()
    return {"2003-02-01": "DMY", "2003-01-02": "MDY"}.get(value, "YMD")


def type_date(page: Page, field: Locator, value: datetime.date, order: str) -> None:
    parts = {"D": f"{value.day:02d}", "M": f"{value.month:02d}", "Y": f"{value.year:04d}"}
    page.keyboard.type("".join(parts[p] for p in order))
    expect(field).to_have_value(value.isoformat())


def type_into(page: Page, field: Locator, value: str) -> None:
    tab_to(page, field)
    page.keyboard.type(value)
    expect(field).to_have_value(value)


def enter_member(page: Page, group: Locator, member: Member, order: str) -> None:
    role = group.get_by_label(text("role in household"))
    expect(role).to_be_focused()  # "Add member" (and the first fieldset below) start here
    arrow_to(page, role, member.role)
    type_into(page, group.get_by_label(text("first name")), member.first_name)
    type_into(page, group.get_by_label(text("last name")), member.last_name)
    birth = group.get_by_label(text("birth date"))
    tab_to(page, birth)
    type_date(page, birth, member.birth_date, order)
    gender = group.get_by_label(text("gender"))
    tab_to(page, gender)
    arrow_to(page, gender, member.gender)
    status = group.get_by_label(text("school grade" if member.is_child else "work or education"))
    tab_to(page, status)
    arrow_to(page, status, member.school_or_work)


def test_registration_with_the_keyboard_alone(new_page):
    page = new_page()
    journey = Journey("registration-keyboard")
    keys = page.keyboard
    household = family("Bach", address="Rødovrevej 241", phone="51 52 53 54")
    order = date_order(page)

    page.goto("/accounts/login/")
    expect(page.get_by_label(text("Username"))).to_be_focused()  # autofocus
    keys.type(COORDINATOR)
    keys.press("Tab")
    expect(page.get_by_label(text("Password"))).to_be_focused()
    keys.type(PASSWORD)
    keys.press("Enter")
    enter_code(page, COORDINATOR, keyboard=True)  # the second factor, typed as well
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Households"))

    # The first Tab reaches the skip link, which takes focus past the header.
    keys.press("Tab")
    expect(page.get_by_role("link", name=text("Skip to content"))).to_be_focused()
    journey.check(page, "skip-link")
    keys.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, page.get_by_role("link", name=text("Register household")))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Register household"))

    fields = page.get_by_role("group", name=text("Household"))
    expect(fields.get_by_label(text("branch")).locator("option:checked")).to_have_text("Rødovre")
    address = fields.get_by_label(text("address"))
    type_into(page, address, "Rødovrevej 214")  # a slip of the fingers …
    type_into(page, fields.get_by_label(text("Postcode")), household.postcode)
    keys.press("Shift+Tab")  # … corrected by going back
    expect(address).to_be_focused()
    keys.press("ControlOrMeta+a")
    keys.type(household.address)
    expect(address).to_have_value(household.address)
    type_into(page, fields.get_by_label(text("phone")), household.phone)
    language = fields.get_by_label(text("preferred language"))
    tab_to(page, language)
    arrow_to(page, language, household.preferred_language)
    type_into(page, fields.get_by_label(text("notes")), household.notes)

    add = page.get_by_role("button", name=text("Add member"))
    for index, member in enumerate(household.members):
        group = member_fieldset(page, index)
        if index:
            tab_to(page, add)
            keys.press("Space" if index % 2 else "Enter")
            expect(page.get_by_role("group", name=text("New member"))).to_have_count(index + 1)
        else:
            tab_to(page, group.get_by_label(text("role in household")))
        enter_member(page, group, member, order)
    journey.check(page, "registration-filled")

    tab_to(page, page.get_by_role("button", name=text("Register household")))
    journey.screenshot(page, "submit-focused")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(household.name)
    expect(page.get_by_role("status")).to_contain_text(
        text("The household has been registered.", exact=False))
    expect_household_shown(page, household)
    journey.check(page, "household-registered")
