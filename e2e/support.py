"""What the journeys share: the people, the texts in both languages, and the page checks.

Texts are found the way a person finds them, by what the page says. Every text is given by its
English msgid; `text()` matches it in English or in its Danish translation from django.po, so a
journey runs in either language (and still runs while the Danish translation is incomplete: the
completeness test in test_languages.py is the one that reports missing translations).
"""

from __future__ import annotations

import datetime
import functools
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import django
import polib
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "samspil" / "locale" / "da" / "LC_MESSAGES" / "django.po"
EN_PO_PATH = ROOT / "samspil" / "locale" / "en" / "LC_MESSAGES" / "django.po"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

PASSWORD = "samspil-demo-2026"  # samspil.core.demo.DEMO_PASSWORD
# The demo's fixed, public two-factor key (samspil.security.demo.DEMO_TOTP_KEY): every demo
# staff user's authenticator app, so journeys log in without a phone. Demo data only.
DEMO_TOTP_KEY = b"samspil-demo-totp-26"
COORDINATOR = "koordinator"  # Karen Koordinator, Familiehjælpen (demo), branch Rødovre
OUTSIDER = "anden.koordinator"  # Anders Andersen, Naboforeningen (demo), another organisation
# Names from the demo data that show up on pages. They are data, not interface text, and are
# taken out before the language checks (Karen's last name "Koordinator" is also a Danish word).
# The journeys' own Danish notes are data too.
NOTES = "Kontakt helst efter kl. 15."
DATA_TEXTS = ["Karen Koordinator", "Anders Andersen", "Frida Frivillig", "Sanne Sagsbehandler",
              "Familiehjælpen (demo)", "Naboforeningen (demo)", NOTES]
# The demo's networks and activities (samspil/activities/demo.py): titles, places, descriptions.
DATA_TEXTS += ["Familiecamp ved Vesterhavet", "Familiecafé tirsdag", "Familienetværk Rødovre",
               "Familienetværk Vollsmose", "Familienetværk Aalborg Øst", "FamilieNET Aarhus Vest",
               "Budgetværksted: overblik over økonomien", "Lektiecafé for 3.–6. klasse",
               "Kaffe, saft og lektiehjælp. Tag gerne børnene med.",
               "Familier mødes hver anden uge: fællesspisning, udflugter og en snak.",
               "Tre dage med leg, bål og fællesspisning for hele familien."]
# The partners demo (samspil/partners/demo.py): partner names and referral outcomes in Danish.
DATA_TEXTS += ["Børne- og Familieafdelingen, Rødovre Kommune", "Jobcenter Rødovre",
               "Jobcenter Aarhus", "Islev Skole (demo)", "Boligsocial indsats Rødovre Nord (demo)",
               "Bageriet Hjørnet ApS (demo)", "Voksenuddannelsescenter Vest (demo)",
               "Rødovre Kommune (demo)", "Familien er i kontakt med kommunen.",
               "Ingen erhvervsmentor ledig lige nu.", "Sammen om Familien"]
# The Christmas-aid demo (samspil/christmas/demo.py).
DATA_TEXTS += ["Julehjælp (demo)", "Opfylder ikke rundens betingelser", "(kontanthjælp)",
               "(dagpenge)"] + [f"Barn {n}" for n in range(1, 9)]
# The outcomes demo's programme.
DATA_TEXTS += ["Familien i Fokus"]

SHORTEST_CHECKED = 4  # shorter msgids ("CPR", "Ja") are too ambiguous to look for in a page


# --- the Danish catalogue --------------------------------------------------------------------

@dataclass
class Catalogue:
    path: Path
    entries: list[polib.POEntry] = field(default_factory=list)
    problem: str = ""  # why the catalogue could not be read, if it could not

    @functools.cached_property
    def danish(self) -> dict[str, str]:
        """msgid -> Danish text as the server shows it (translated, non-fuzzy entries)."""
        result = {}
        for entry in self.entries:
            if entry.msgid_plural:
                forms = [entry.msgstr_plural.get(i, "") for i in sorted(entry.msgstr_plural)]
                if entry.translated() and forms:
                    result[entry.msgid] = forms[0]
                    result[entry.msgid_plural] = forms[-1]
            elif entry.translated():
                result[entry.msgid] = entry.msgstr
        return result


def _read(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if e.msgid and not e.obsolete]


@functools.cache
def catalogue() -> Catalogue:
    """The Danish django.po. Without it, the English one's msgids, all untranslated."""
    try:
        return Catalogue(PO_PATH, _read(PO_PATH))
    except (OSError, ValueError) as exc:
        problem = (f"{PO_PATH.relative_to(ROOT)} does not exist" if not PO_PATH.exists()
                   else f"{PO_PATH.relative_to(ROOT)} cannot be read: {exc}")
    try:
        entries = _read(EN_PO_PATH)
    except (OSError, ValueError):
        return Catalogue(PO_PATH, problem=problem + f" (nor can {EN_PO_PATH.name} for English)")
    for entry in entries:  # every English msgid counts as untranslated
        entry.msgstr, entry.msgstr_plural = "", {}
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    return Catalogue(PO_PATH, entries, problem=problem)


@functools.cache
def django_danish() -> gettext.NullTranslations:
    """Django's own Danish catalogues ("Username", "This field is required.")."""
    translations = gettext.NullTranslations()
    for mo in sorted(Path(django.__file__).parent.glob("**/locale/da/LC_MESSAGES/django.mo")):
        with mo.open("rb") as f:
            translations.add_fallback(gettext.GNUTranslations(f))
    return translations


def da(msgid: str) -> str:
    """The Danish text for an English msgid (the msgid itself while it is untranslated).

    Samspil's django.po first, then Django's own catalogues, as the server looks them up.
    """
    for key in (msgid, msgid[:1].lower() + msgid[1:]):  # labels capitalise model field names
        if key in catalogue().danish:
            found = catalogue().danish[key]
        else:
            found = django_danish().gettext(key)
        if found != key:
            return found if key == msgid else found[:1].upper() + found[1:]
    return msgid


def _first_letter_any_case(pattern: str, literal: str) -> str:
    if literal[:1].isalpha() and pattern.startswith(re.escape(literal[:1])):
        first = literal[0]
        return f"[{first.upper()}{first.lower()}]" + pattern[len(re.escape(first)):]
    return pattern


def text(msgid: str, *, exact: bool = True) -> re.Pattern:
    """A pattern for an interface text in English or Danish.

    Exact matches allow Django's label suffix (":") and either case of the first letter
    (model field names are lower-case msgids, form labels capitalise them).
    """
    variants = {msgid, da(msgid)}
    alternatives = "|".join(
        _first_letter_any_case(re.escape(v), v) for v in sorted(variants, key=len, reverse=True)
    )
    if exact:
        return re.compile(rf"^\s*(?:{alternatives}):?\s*$")
    return re.compile(rf"(?:{alternatives})")


def either(build) -> re.Pattern:
    """A pattern for a sentence assembled from msgids: build(translate) in English or Danish."""
    english = build(lambda s: s)
    danish = build(da)
    return re.compile("|".join(re.escape(v) for v in {english, danish}))


# --- finding untranslated text ---------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|<[^>]+>")


@functools.cache
def _pattern(message: str) -> re.Pattern | None:
    """Where a message shows in a page's text; placeholders match any text on the line."""
    parts = _PLACEHOLDER.split(message.replace("%%", "%"))
    literal = "".join(parts).strip()
    if len(literal) < SHORTEST_CHECKED:
        return None
    body = ".+?".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in parts)
    body = _first_letter_any_case(body, parts[0])
    before = r"(?<!\w)" if message[:1].isalnum() else ""
    after = r"(?!\w)" if message[-1:].isalnum() else ""
    return re.compile(before + body + after)


def untranslated_strings(page_text: str) -> list[str]:
    """English msgids (with a different Danish translation) that show in a Danish page."""
    found = []
    danish_words = {d.lower() for d in catalogue().danish.values()}
    for entry in catalogue().entries:
        translated = entry.translated()
        for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
            danish = da(msgid) if translated else ""
            if danish == msgid or msgid.lower() in danish_words:
                continue
            pattern = _pattern(msgid)
            if pattern and pattern.search(page_text):
                shown = f"«{msgid}»"
                shown += f" (django.po has «{danish}»)" if danish else " (no translation)"
                found.append(shown)
    return sorted(set(found))


def danish_strings(page_text: str) -> list[str]:
    """Danish translations that show in an English page."""
    found = []
    # Words both languages share ("Status", "Note") are English too: not evidence of Danish.
    english = {m.lower() for m in catalogue().danish}
    for msgid, danish in catalogue().danish.items():
        if danish == msgid or danish.lower() in english:
            continue
        pattern = _pattern(danish)
        if pattern and pattern.search(page_text):
            found.append(f"«{danish}» (for «{msgid}»)")
    return sorted(set(found))


_VISIBLE_TEXT_JS = """() => {
  // Text marked as another language (the language names in the switcher) is not counted.
  const lang = document.documentElement.lang;
  const same = (l) => l === lang || l.startsWith(lang + '-');
  const foreign = [...document.body.querySelectorAll('[lang]')].filter((e) => !same(e.lang));
  const marks = foreign.map((e) => { const m = document.createComment(''); e.replaceWith(m);
                                     return [m, e]; });
  const text = document.body.innerText;
  marks.forEach(([m, e]) => m.replaceWith(e));
  return text;
}"""


def visible_text(page: Page) -> str:
    """document.body.innerText without text marked as another language and without demo names."""
    result = page.evaluate(_VISIBLE_TEXT_JS)
    for data in DATA_TEXTS:
        result = result.replace(data, " ")
    return result


def page_language(page: Page) -> str:
    return page.evaluate("document.documentElement.lang")


# --- accessibility and screenshots -----------------------------------------------------------

_AXE = Axe()
SERIOUS = ("serious", "critical")


def axe_problems(page: Page) -> list[str]:
    results = _AXE.run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in SERIOUS:
            continue
        targets = ["; ".join(" ".join(t) if isinstance(t, list) else t for t in n["target"])
                   for n in violation["nodes"]]
        problems.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"      at {', '.join(targets[:8])}{' …' if len(targets) > 8 else ''}"
        )
    return problems


class Journey:
    """Checks every page of one journey with axe-core and keeps a screenshot of it."""

    def __init__(self, name: str, *, phone: bool = False):
        self.phone = phone
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def screenshot(self, page: Page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def check(self, page: Page, step: str) -> None:
        """The page as it is now: screenshot, then no serious or critical axe violations."""
        page.wait_for_load_state("load")
        path = self.screenshot(page, step)
        if self.phone:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (
                f"{step} ({page.url}) scrolls sideways on a phone: {overflow}px too wide "
                f"(screenshot {path.relative_to(ROOT)})"
            )
        problems = axe_problems(page)
        assert not problems, (
            f"axe-core found serious or critical violations on {step} ({page.url}, "
            f"screenshot {path.relative_to(ROOT)}):\n  - " + "\n  - ".join(problems)
        )
        # Every Danish page of every journey is complete: no untranslated interface text.
        # (English pages are checked in test_languages.py, where the data shown is controlled:
        # elsewhere families' own Danish notes and goals would count as "Danish text".)
        if page_language(page) == "da":
            wrong = untranslated_strings(visible_text(page))
            assert not wrong, (
                f"{step} ({page.url}) is Danish but shows untranslated text:"
                "\n  - " + "\n  - ".join(wrong)
            )


# --- the people and what they do --------------------------------------------------------------

@dataclass
class Member:
    role: str  # "Parent or caregiver" or "Child" (msgids)
    first_name: str
    last_name: str
    birth_date: datetime.date
    gender: str  # "Female" / "Male" / "Other"
    school_or_work: str  # a school grade for a child, a work status for a parent (msgids)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_child(self) -> bool:
        return self.role == "Child"


@dataclass
class Household:
    address: str
    postcode: str
    phone: str
    members: list[Member]
    preferred_language: str = "Danish"
    notes: str = ""

    @property
    def name(self) -> str:
        """How Samspil names the household: the parents, in the order registered."""
        return " / ".join(m.full_name for m in self.members if not m.is_child)


def family(last_name: str, *, address: str, phone: str, parents: int = 2,
           children: int = 3) -> Household:
    """Two parents and three children (fewer if asked) of one family."""
    adults = [
        Member("Parent or caregiver", "Birgitte", last_name, datetime.date(1986, 4, 12),
               "Female", "In work"),
        Member("Parent or caregiver", "Niels", last_name, datetime.date(1983, 9, 30), "Male",
               "Unemployed, job-ready"),
    ]
    kids = [
        Member("Child", "Ida", last_name, datetime.date(2013, 5, 3), "Female", "7th grade"),
        Member("Child", "Oskar", last_name, datetime.date(2016, 11, 21), "Male", "4th grade"),
        Member("Child", "Marie", last_name, datetime.date(2022, 2, 14), "Female",
               "Not yet in school (daycare or home)"),
    ]
    return Household(address=address, postcode="2610", phone=phone,
                     members=adults[:parents] + kids[:children],
                     preferred_language="English", notes=NOTES)


def choose(select: Locator, msgid: str) -> None:
    """Pick the option that reads msgid (in English or Danish) in a drop-down."""
    pattern = text(msgid)
    options = select.locator("option").all_inner_texts()
    matching = [o for o in options if pattern.match(o)]
    assert matching, f"no option {msgid!r} in {options}"
    select.select_option(label=matching[0])


# django-otp accepts each code once (no replay) and follows the app's clock drift; journeys log
# the same demo user in many times a minute, so the next code is the one after the last used.
_LAST_CODE: dict[str, tuple[int, int]] = {}  # username -> (time step used, its drift)
DEVICE_KEYS: dict[str, bytes] = {}  # users who set up an app in a journey: its key


def totp_code(username: str) -> str:
    """The code the user's authenticator app shows now (django_otp.oath.totp), never one the
    server has already accepted in this run."""
    totp = TOTP(DEVICE_KEYS.get(username, DEMO_TOTP_KEY))
    now = totp.t()
    last, drift = _LAST_CODE.get(username, (-1, 0))
    step = max(now + drift, last + 1)
    _LAST_CODE[username] = (step, step - now)
    totp.drift = step - now
    return f"{totp.token():06d}"


def on_code_page(page: Page) -> bool:
    return "/accounts/two-factor/" in page.url and "/setup/" not in page.url


def enter_code(page: Page, username: str, *, keyboard: bool = False) -> None:
    """The second step of the login: the code from the demo authenticator."""
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Two-factor login"))
    if keyboard:
        expect(page.get_by_label(text("Code"))).to_be_focused()  # autofocus
        page.keyboard.type(totp_code(username))
        page.keyboard.press("Enter")
    else:
        page.get_by_label(text("Code")).fill(totp_code(username))
        page.get_by_role("button", name=text("Confirm code")).click()
    expect(page, f"the two-factor code for {username} was refused").not_to_have_url(
        re.compile(r"/accounts/two-factor/(\?|$)"))


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Log in to Samspil"))
    page.get_by_label(text("Username")).fill(username)
    page.get_by_label(text("Password")).fill(PASSWORD)
    page.get_by_role("button", name=text("Log in")).click()
    expect(page.get_by_role("button", name=text("Log out"))).to_be_visible()
    if on_code_page(page):  # staff: the second factor (volunteers without 2FA go straight on)
        enter_code(page, username)
    expect(page.get_by_role("button", name=text("Log out"))).to_be_visible()


def household_tab(page: Page, msgid: str) -> None:
    """Open one of the household's tabs (Overview, Edit, Members, Consent, Needs, Audit log)."""
    tabs = page.get_by_role("navigation", name=text("Household"))
    tabs.get_by_role("link", name=text(msgid)).click()
    expect(tabs.get_by_role("link", name=text(msgid))).to_have_attribute("aria-current", "page")


def member_fieldset(page: Page, index: int) -> Locator:
    return page.get_by_role("group", name=text("New member")).nth(index)


def fill_member(group: Locator, member: Member) -> None:
    choose(group.get_by_label(text("role in household")), member.role)
    group.get_by_label(text("first name")).fill(member.first_name)
    group.get_by_label(text("last name")).fill(member.last_name)
    group.get_by_label(text("birth date")).fill(member.birth_date.isoformat())
    choose(group.get_by_label(text("gender")), member.gender)
    if member.is_child:
        choose(group.get_by_label(text("school grade")), member.school_or_work)
    else:
        choose(group.get_by_label(text("work or education")), member.school_or_work)


def fill_household(page: Page, household: Household) -> None:
    fields = page.get_by_role("group", name=text("Household"))
    fields.get_by_label(text("address")).fill(household.address)
    fields.get_by_label(text("Postcode")).fill(household.postcode)
    fields.get_by_label(text("phone")).fill(household.phone)
    choose(fields.get_by_label(text("preferred language")), household.preferred_language)
    fields.get_by_label(text("notes")).fill(household.notes)


def open_registration(page: Page) -> None:
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Households")).click()
    page.get_by_role("link", name=text("Register household")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Register household"))


def fill_registration(page: Page, household: Household, journey: Journey | None = None) -> None:
    """Fill the household fields and one member fieldset per member ("Add member" for more)."""
    fill_household(page, household)
    for index, member in enumerate(household.members):
        if index:
            page.get_by_role("button", name=text("Add member")).click()
            expect(page.get_by_role("group", name=text("New member"))).to_have_count(index + 1)
        fill_member(member_fieldset(page, index), member)
    if journey:
        journey.check(page, "registration-filled")


def submit_registration(page: Page, household: Household) -> int:
    """Register and land on the new household's page; returns its id (from the address)."""
    page.get_by_role("button", name=text("Register household")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(household.name)
    expect(page.get_by_role("status")).to_contain_text(
        text("The household has been registered.", exact=False))
    return int(re.search(r"/households/(\d+)/", page.url).group(1))


def register(page: Page, household: Household, journey: Journey | None = None) -> int:
    open_registration(page)
    if journey:
        journey.check(page, "registration-empty")
    fill_registration(page, household, journey)
    return submit_registration(page, household)


def expect_household_shown(page: Page, household: Household) -> None:
    """The household's overview shows its address, municipality and every member."""
    contact = page.get_by_role("region", name=text("Contact"))
    expect(contact).to_contain_text(f"{household.address}, {household.postcode}")
    expect(contact).to_contain_text("Rødovre")
    members = page.get_by_role("region", name=text("Members")).get_by_role("table")
    for member in household.members:
        row = members.get_by_role("row").filter(has_text=member.full_name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(text(member.role, exact=False))
        expect(row).to_contain_text(text(member.school_or_work, exact=False))
    expect(members.locator("tbody").get_by_role("row")).to_have_count(len(household.members))


def search_households(page: Page, query: str) -> Locator:
    """Search from the household list and return the results table's body rows."""
    page.get_by_role("navigation", name=text("Main menu")).get_by_role(
        "link", name=text("Households")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Households"))
    box = page.get_by_role("searchbox", name=text("Search by name, phone or address"))
    box.fill(query)
    page.get_by_role("search").get_by_role("button", name=text("Search")).click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    return page.locator("#household-results").get_by_role("row")
