"""Seeded synthetic Christmas-aid applications with known true duplicates.

Households apply once, or again to the same organisation (with realistic corruptions: a typo
in a name, first and last name swapped, a new address, the phone typed differently, day and
month swapped in the birth date, the CPR given once but not the other time, or through the
other adult), or to several organisations. Look-alikes that are *not* the same household are
added on purpose: relatives in the same building, and separated parents with the same children.

Every record carries ``household`` (the truth) and ``kind`` (how it came about), which the
linkage never sees.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

FIRST = ("Anna Mette Lone Hanne Susanne Camilla Louise Maria Sara Fatima Amina Layla Nour Emma "
         "Ida Julie Sofie Line Pia Tina Karina Helle Rikke Maja Nadia Hiba Zainab Yasmin Olga "
         "Iryna Natalia Agnieszka Kasia Marianne Birgitte Dorthe Lene Malene Sanne Charlotte "
         "Peter Jens Lars Michael Henrik Søren Thomas Martin Jesper Anders Mads Rasmus Jonas "
         "Ali Mohammed Ahmad Omar Yusuf Hassan Mustafa Ibrahim Karim Tariq Piotr Andrii Oleksandr "
         "Niels Kim Bo Ole Torben Kasper Christian Morten Frederik Mikkel Nikolaj Simon Brian "
         "Dennis Allan Carsten Kenneth Rene Jan Poul Erik Flemming Steen Per Claus Finn").split()
LAST = ("Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
        "Jørgensen Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen "
        "Møller Mortensen Karlsen Frederiksen Holm Lund Jakobsen Berg Dahl Bach Knudsen Mikkelsen "
        "Ahmed Hussein Ali Mohamed Hassan Yilmaz Kaya Demir Nowak Kowalski Shevchenko Kovalenko "
        "Abdi Farah Omar Ibrahim Khan Iqbal Nguyen Tran Jeppesen Skov Vestergaard Bruun Friis "
        "Laursen Eriksen Clausen Kjær Lauridsen Svendsen Mogensen Winther Nissen Schmidt "
        "Østergaard Gregersen Bertelsen Dam Riis Brandt Vinther Iversen Schou Toft Kirkegaard "
        "Lindberg Thygesen Bjerre Storm Nørgaard Juhl Lassen Wagner Klausen Krogh Kjeldsen").split()
STREETS = ("Egevej Bøgevej Birkevej Skolevej Kirkevej Møllevej Vestergade Østergade Nørregade "
           "Søndergade Stationsvej Parkvej Rosenvej Lindevej Engvej Skovvej Strandvej Hovedgaden "
           "Bakkevej Granvej Ahornvej Toftevej Tværvej Vængetvej Rødovrevej Hvidovrevej "
           "Islevbrovej Tårnvej Slotsherrensvej Valhøjs Allé Avedøre Havnevej Gammel Køge "
           "Landevej Jyllingevej Ålekistevej Frederikssundsvej Herlev Hovedgade Tingbjerg "
           "Gadelandet Mjølnerparken Bispeparken Gellerupvej Edwin Rahrs Vej Holmstrupvej "
           "Vollsmose Allé Munkebjergvej Skovparken Blågårdsgade Nørrebrogade").split()
FLOORS = ["", "", "st. th.", "st. tv.", "1. th.", "1. tv.", "2. th.", "2. tv.", "3. mf.", "4. th."]
TYPO = "abcdefghijklmnoprstuvyæøå"


@dataclass
class Household:
    id: int
    adults: list[tuple[str, str, datetime.date]]
    kids: list[int]
    address: str
    postcode: str
    phone: str
    cpr: list[str] = field(default_factory=list)


def _cpr(day: datetime.date, rng: random.Random) -> str:
    # Serial digits consistent with the century rule (7th digit 0-3 for 1900s, 4-9 for 2000s).
    seventh = rng.choice("0123") if day.year < 2000 else rng.choice("4")
    return f"{day:%d%m%y}{seventh}{rng.randrange(1000):03d}"


def _birth(rng: random.Random, lo: int = 1965, hi: int = 2003) -> datetime.date:
    start = datetime.date(lo, 1, 1).toordinal()
    return datetime.date.fromordinal(start + rng.randrange(
        datetime.date(hi, 12, 31).toordinal() - start))


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text + rng.choice(TYPO)
    i = rng.randrange(1, len(text) - 1)
    op = rng.randrange(3)
    if op == 0:
        return text[:i] + rng.choice(TYPO) + text[i + 1:]
    if op == 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + text[i + 1:]


def _address(rng: random.Random) -> str:
    floor = rng.choice(FLOORS)
    return f"{rng.choice(STREETS)} {rng.randrange(1, 180)}{', ' + floor if floor else ''}"


def _phone(rng: random.Random) -> str:
    return f"{rng.choice('2345678')}{rng.randrange(10**7):07d}"


def _phone_format(phone: str, rng: random.Random) -> str:
    return rng.choice([phone, f"+45{phone}", f"+45 {phone[:2]} {phone[2:4]} {phone[4:6]} "
                       f"{phone[6:]}", f"{phone[:4]} {phone[4:]}", f"0045-{phone}"])


def _household(hid: int, rng: random.Random, postcodes: list[str], year: int) -> Household:
    last = rng.choice(LAST)
    adults = [(rng.choice(FIRST), last, _birth(rng))]
    if rng.random() < 0.45:
        other_last = last if rng.random() < 0.5 else rng.choice(LAST)
        adults.append((rng.choice(FIRST), other_last, _birth(rng)))
    kids = sorted(rng.randrange(year - 17, year + 1) for _ in range(rng.choice([1, 1, 2, 2, 3, 4])))
    return Household(hid, adults, kids, _address(rng), rng.choice(postcodes), _phone(rng),
                     [_cpr(a[2], rng) for a in adults])


def _application(h: Household, rng: random.Random, *, org: int, kind: str,
                 via_other: bool = False, corrupt: int = 0) -> dict:
    adults = list(h.adults)
    cprs = list(h.cpr)
    if via_other and len(adults) == 2:
        adults.reverse()
        cprs.reverse()
        if rng.random() < 0.3:  # the other adult applies alone this time
            adults, cprs = adults[:1], cprs[:1]
    (first, last, birth) = adults[0]
    other = adults[1] if len(adults) > 1 else ("", "", None)
    app = {
        "household": h.id, "kind": kind, "org": org, "first_name": first, "last_name": last,
        "birth_date": birth, "other_first_name": other[0], "other_last_name": other[1],
        "other_birth_date": other[2], "children_birth_years": list(h.kids),
        "address": h.address, "postcode": h.postcode,
        "phone": _phone_format(h.phone, rng),
        "cpr": cprs[0] if cprs and rng.random() < 0.6 else None,
    }
    choices = ["typo", "typo", "swap_names", "new_address", "new_phone", "swap_day_month",
               "cpr_dropped", "other_typo"]
    for change in rng.sample(choices, corrupt):
        if change == "typo":
            key = rng.choice(["first_name", "last_name"])
            app[key] = _typo(app[key], rng)
        elif change == "other_typo" and app["other_first_name"]:
            app["other_first_name"] = _typo(app["other_first_name"], rng)
        elif change == "swap_names":
            app["first_name"], app["last_name"] = app["last_name"], app["first_name"]
        elif change == "new_address":
            app["address"] = _address(rng)
        elif change == "new_phone":
            app["phone"] = _phone(rng)
        elif change == "swap_day_month" and app["birth_date"].day <= 12:
            b = app["birth_date"]
            app["birth_date"] = datetime.date(b.year, b.day, b.month)
        elif change == "cpr_dropped":
            app["cpr"] = None if app["cpr"] else (cprs[0] if cprs else None)
    return app


def generate(n: int, *, orgs: int = 5, seed: int = 7, year: int = 2026,
             postcodes: list[str] | None = None) -> list[dict]:
    """About ``n`` applications across ``orgs`` organisations (ids 1..orgs), shuffled."""
    rng = random.Random(seed)
    postcodes = postcodes or [f"{c}" for c in range(2000, 2990, 10)]
    apps: list[dict] = []
    hid = 0
    while len(apps) < n:
        hid += 1
        h = _household(hid, rng, postcodes, year)
        home = rng.randrange(1, orgs + 1)
        apps.append(_application(h, rng, org=home, kind="first"))
        r = rng.random()
        if r < 0.06:  # applies again to the same organisation
            via = len(h.adults) == 2 and rng.random() < 0.35
            apps.append(_application(h, rng, org=home, kind="via_other" if via else "again",
                                     via_other=via, corrupt=rng.choice([1, 1, 2])))
        if rng.random() < 0.15:  # applies to other organisations too (typed anew)
            for org in rng.sample([o for o in range(1, orgs + 1) if o != home],
                                  rng.choice([1, 1, 1, 2])):
                apps.append(_application(h, rng, org=org, kind="elsewhere",
                                         corrupt=rng.choice([0, 0, 1])))
        if rng.random() < 0.03:  # a relative in the same building: not the same household
            hid += 1
            _first, last, birth = h.adults[0]
            born = _birth(rng, birth.year - 6, min(birth.year + 6, 2005))
            relative = Household(
                hid, [(rng.choice(FIRST), last, born)],
                sorted(rng.randrange(year - 17, year + 1) for _ in range(rng.choice([1, 2]))),
                h.address.split(",")[0] + ", " + rng.choice([f for f in FLOORS if f]),
                h.postcode, _phone(rng), [_cpr(born, rng)])
            apps.append(_application(relative, rng, org=home, kind="relative"))
        if len(h.adults) == 1 and rng.random() < 0.06:
            # Separated parents: the children's other parent applies from their own home with
            # the same children. Not the same household.
            hid += 1
            last = h.adults[0][1] if rng.random() < 0.5 else rng.choice(LAST)
            born = _birth(rng)
            other_home = Household(hid, [(rng.choice(FIRST), last, born)], list(h.kids),
                                   _address(rng), rng.choice(postcodes), _phone(rng),
                                   [_cpr(born, rng)])
            apps.append(_application(other_home, rng, org=home, kind="separated"))
    rng.shuffle(apps)
    for i, app in enumerate(apps, start=1):
        app["unique_id"] = i
    return apps[:n] if len(apps) > n else apps
