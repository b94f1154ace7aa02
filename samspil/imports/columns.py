"""The fields each kind of file can fill, with the column names found in the spreadsheets
organisations use (for the first, automatic mapping)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from samspil.imports.models import Kind


@dataclass(frozen=True)
class Column:
    name: str
    label: object
    required: bool = False
    aliases: tuple[str, ...] = ()


FIELDS: dict[str, tuple[Column, ...]] = {
    Kind.HOUSEHOLDS: (
        Column("household", _("Household number (the same on every row of one household)"),
               True, ("husstand", "husstand nr", "husstandsnummer", "familie", "familie nr",
                      "household")),
        Column("address", _("Address"), True, ("adresse", "address", "vej")),
        Column("postcode", _("Postcode"), True, ("postnr", "postnummer", "post nr", "postcode")),
        Column("phone", _("Phone"), False, ("telefon", "tlf", "mobil", "phone")),
        Column("email", _("E-mail"), False, ("email", "e-mail", "mail")),
        Column("role", _("Parent or child"), True, ("rolle", "role", "forælder/barn")),
        Column("first_name", _("First name"), True, ("fornavn", "first name", "first_name")),
        Column("last_name", _("Last name"), True, ("efternavn", "last name", "last_name")),
        Column("birth_date", _("Birth date"), True, ("fødselsdato", "født", "birth date",
                                                     "birth_date")),
        Column("gender", _("Gender"), False, ("køn", "gender")),
    ),
    Kind.VOLUNTEERS: (
        Column("first_name", _("First name"), True, ("fornavn", "first name", "first_name")),
        Column("last_name", _("Last name"), True, ("efternavn", "last name", "last_name")),
        Column("email", _("E-mail"), False, ("email", "e-mail", "mail")),
        Column("phone", _("Phone"), False, ("telefon", "tlf", "mobil", "phone")),
        Column("postcode", _("Postcode"), False, ("postnr", "postnummer", "postcode")),
        Column("roles", _("Roles (comma-separated)"), False, ("roller", "rolle", "roles")),
        Column("status", _("Status"), False, ("status",)),
        Column("capacity", _("Number of families at once"), False, ("kapacitet", "capacity",
                                                                    "antal familier")),
    ),
    Kind.ENGAGEMENTS: (
        Column("household", _("Household number in Samspil"), True,
               ("husstand", "husstand id", "household", "household_id")),
        Column("type", _("Type"), True, ("type", "forløbstype", "indsats")),
        Column("parent", _("Parent's first name (mentor types)"), False,
               ("forælder", "parent")),
        Column("volunteer", _("Volunteer's e-mail"), False,
               ("frivillig", "frivillig email", "volunteer")),
        Column("referred_on", _("Referred on"), True, ("henvist", "henvist dato",
                                                       "referred_on", "referred on")),
        Column("started_on", _("Started on"), False, ("startet", "start", "started_on")),
        Column("ended_on", _("Ended on"), False, ("afsluttet", "slut", "ended_on")),
        Column("end_reason", _("End reason"), False, ("afslutningsårsag", "årsag",
                                                      "end_reason")),
    ),
}


def guess(kind: str, headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """A mapping {field: header}: the saved one where its headers are still in the file,
    otherwise a header whose name is one of the field's usual names."""
    saved = saved or {}
    present = {h.strip().lower(): h for h in headers if h}
    mapping = {}
    for column in FIELDS[kind]:
        if saved.get(column.name) in headers:
            mapping[column.name] = saved[column.name]
            continue
        for alias in (column.name, *column.aliases):
            if alias in present:
                mapping[column.name] = present[alias]
                break
    return mapping
