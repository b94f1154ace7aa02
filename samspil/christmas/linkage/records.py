"""Applications as normalised household records, the common input of both linkage modes.

The two adults are put in a canonical order (birth year, then name), so a household that
applies a second time through its other adult gives the same record; names are token-sorted,
so a first and last name typed the other way round compare equal.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})
_NOT_LETTER = re.compile(r"[^a-z ]+")
_NOT_ADDR = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")

COLUMNS = ["unique_id", "org", "n1", "n2", "d1", "d2", "d1x", "d2x", "kids",
           "addr", "street", "pc", "phone", "cpr"]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").lower().translate(_DANISH))
    return "".join(c for c in text if not unicodedata.combining(c))


def name_key(first: str, last: str) -> str:
    """'Jensen, Anna-Marie' and 'anna marie jensen' -> 'anna jensen marie'."""
    tokens = _NOT_LETTER.sub(" ", fold(f"{first} {last}").replace("-", " ")).split()
    return " ".join(sorted(tokens))


def address_key(address: str) -> tuple[str, str]:
    """(full normalised address, street and house number only)."""
    full = _SPACES.sub(" ", _NOT_ADDR.sub(" ", fold(address))).strip()
    match = re.match(r"^(\D+?)\s*(\d+\s?[a-z]?)\b", full)
    street = f"{match.group(1).strip()} {match.group(2).replace(' ', '')}" if match else full
    return full, street


def phone_key(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-8:] if len(digits) >= 8 else None


def _swap(day: datetime.date | None) -> str | None:
    if day is None or day.day > 12:
        return None
    return f"{day.year:04d}-{day.day:02d}-{day.month:02d}"


def household_record(*, unique_id, org, first_name: str, last_name: str,
                     birth_date: datetime.date, other_first_name: str = "",
                     other_last_name: str = "", other_birth_date: datetime.date | None = None,
                     children_birth_years: Iterable[int] = (), address: str = "",
                     postcode: str = "", phone: str = "", cpr: str | None = None) -> dict:
    """``cpr`` is whatever stands for the number in this mode: a keyed digest, or None."""
    adults = [(birth_date.year, name_key(first_name, last_name), birth_date)]
    if other_first_name and other_birth_date:
        adults.append((other_birth_date.year, name_key(other_first_name, other_last_name),
                       other_birth_date))
    adults.sort(key=lambda a: (a[0], a[1]))
    (_y1, n1, d1), (_y2, n2, d2) = adults[0], (adults[1] if len(adults) > 1 else (0, None, None))
    kids = sorted(int(y) for y in children_birth_years)
    full, street = address_key(address)
    return {
        "unique_id": unique_id, "org": str(org), "n1": n1, "n2": n2,
        "d1": d1.isoformat(), "d2": d2.isoformat() if d2 else None,
        "d1x": _swap(d1), "d2x": _swap(d2),
        "kids": ",".join(map(str, kids)) or None,
        "addr": full or None, "street": street or None, "pc": postcode or None,
        "phone": phone_key(phone), "cpr": cpr or None,
    }


def application_record(application, *, cpr: str | None = None) -> dict:
    return household_record(
        unique_id=application.pk, org=application.round.organisation_id,
        first_name=application.first_name, last_name=application.last_name,
        birth_date=application.birth_date, other_first_name=application.other_first_name,
        other_last_name=application.other_last_name,
        other_birth_date=application.other_birth_date,
        children_birth_years=application.children_birth_years, address=application.address,
        postcode=application.postcode_id, phone=application.phone,
        cpr=cpr if cpr is not None else (application.cpr_digest or None),
    )
