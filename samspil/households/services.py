"""Writes for the household registry. Each function is one transaction with its audit rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import phonenumbers
from django.db import transaction
from django.utils import timezone

from samspil.core.models import AuditEvent, Branch, User
from samspil.core.services import audit_record
from samspil.households import cpr
from samspil.households.models import (
    Consent,
    ConsentPurpose,
    Household,
    MemberRole,
    NeedRating,
    NeedsAssessment,
    Person,
)

HOUSEHOLD_FIELDS = (
    "branch", "address", "postcode", "municipality", "phone", "email",
    "preferred_language", "notes",
)
PERSON_FIELDS = (
    "role", "first_name", "last_name", "birth_date", "gender", "school_grade", "work_status",
)
Action = AuditEvent.Action


@dataclass
class MemberData:
    """One member as a form cleaned it. cpr is the normalised number or None (keep as is)."""

    values: dict
    cpr: str | None = None
    remove_cpr: bool = False
    cpr_consent_given_by: str = ""


@dataclass
class MemberChanges:
    created: list[MemberData] = field(default_factory=list)
    changed: list[tuple[Person, MemberData]] = field(default_factory=list)
    deleted: list[Person] = field(default_factory=list)


def _refresh_search_fields(household: Household) -> None:
    members = list(household.members.order_by("id"))  # the first registered parent first
    household.display_name, household.search_text = search_fields(household, members)
    household.save(update_fields=["display_name", "search_text", "updated_at"])


def search_fields(household: Household, members: list[Person]) -> tuple[str, str]:
    """The household's display name and the lower-case text the search reads, from its
    members in the order they were registered (also used by the spreadsheet import)."""
    parents = [m for m in members if m.role == MemberRole.PARENT] or members
    display_name = " / ".join(m.full_name for m in parents)[:300]
    phone_digits = ""
    if household.phone:
        try:
            parsed = phonenumbers.parse(household.phone, "DK")
            phone_digits = f"{parsed.national_number} {household.phone}"
        except phonenumbers.NumberParseException:
            phone_digits = household.phone
    parts = [m.full_name for m in members] + [
        household.address, household.postcode_id, household.postcode.town, phone_digits,
        household.email,
    ]
    return display_name, " ".join(p for p in parts if p).lower()


def _apply_member(person: Person, data: MemberData, *, actor: User, today: datetime.date) -> None:
    for name, value in data.values.items():
        setattr(person, name, value)
    if person.role == MemberRole.PARENT:
        person.school_grade = ""
    else:
        person.work_status = ""
    if data.remove_cpr:
        person.cpr_encrypted = ""
    elif data.cpr:
        person.cpr_encrypted = cpr.encrypt(data.cpr)
    person.full_clean(exclude=["household"])
    person.save()
    if data.cpr and not data.remove_cpr:
        # The CPR number has its own consent record (Databeskyttelsesloven § 11).
        Consent.objects.create(
            household=person.household, person=person, purpose=ConsentPurpose.CPR,
            given_by=data.cpr_consent_given_by or person.full_name, given_on=today,
            recorded_by=actor,
        )


def _changed_fields(person: Person, data: MemberData) -> list[str]:
    names = [name for name, value in data.values.items() if getattr(person, name) != value]
    if data.remove_cpr and person.cpr_encrypted:
        names.append("cpr_encrypted")
    elif data.cpr and cpr.decrypt(person.cpr_encrypted) != data.cpr:
        names.append("cpr_encrypted")
    return names


def _save_members(*, actor: User, household: Household, changes: MemberChanges) -> None:
    today = timezone.localdate()
    for person in changes.deleted:
        audit_record(
            actor=actor, action=Action.DELETE, object_type="households.person",
            object_id=person.pk, household_id=household.pk, object_label=person.full_name,
        )
        person.delete()
    for person, data in changes.changed:
        names = _changed_fields(person, data)
        if not names:
            continue
        _apply_member(person, data, actor=actor, today=today)
        audit_record(
            actor=actor, action=Action.CHANGE, object_type="households.person",
            object_id=person.pk, household_id=household.pk, object_label=person.full_name,
            fields=names,
        )
    for data in changes.created:
        person = Person(household=household)
        _apply_member(person, data, actor=actor, today=today)
        audit_record(
            actor=actor, action=Action.CREATE, object_type="households.person",
            object_id=person.pk, household_id=household.pk, object_label=person.full_name,
        )


@transaction.atomic
def household_create(
    *, actor: User, values: dict, members: list[MemberData]
) -> Household:
    """Register a household with its members in one go."""
    branch: Branch = values["branch"]
    household = Household(organisation_id=branch.organisation_id, **values)
    if not household.municipality_id:
        household.municipality_id = household.postcode.municipality_id
    household.full_clean()
    household.save()
    audit_record(
        actor=actor, action=Action.CREATE, object_type="households.household",
        object_id=household.pk, household_id=household.pk,
    )
    _save_members(actor=actor, household=household, changes=MemberChanges(created=members))
    _refresh_search_fields(household)
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, values: dict) -> Household:
    changed = [name for name in HOUSEHOLD_FIELDS if name in values
               and getattr(household, name) != values[name]]
    if not changed:
        return household
    for name in changed:
        setattr(household, name, values[name])
    household.full_clean()
    household.save()
    audit_record(
        actor=actor, action=Action.CHANGE, object_type="households.household",
        object_id=household.pk, household_id=household.pk, object_label=household.display_name,
        fields=changed,
    )
    _refresh_search_fields(household)
    return household


@transaction.atomic
def household_members_save(
    *, actor: User, household: Household, changes: MemberChanges
) -> None:
    """Add, change and remove members; the forms have checked the cross-member rules."""
    _save_members(actor=actor, household=household, changes=changes)
    _refresh_search_fields(household)


@transaction.atomic
def consent_record(
    *, actor: User, household: Household, person: Person | None, purpose: str, given_by: str,
    given_on: datetime.date, note: str = "",
) -> Consent:
    consent = Consent(
        household=household, person=person, purpose=purpose, given_by=given_by,
        given_on=given_on, note=note, recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor, action=Action.CREATE, object_type="households.consent",
        object_id=consent.pk, household_id=household.pk,
        object_label=str(ConsentPurpose(purpose).label),
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    consent.withdrawn_on = withdrawn_on
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=actor, action=Action.CHANGE, object_type="households.consent",
        object_id=consent.pk, household_id=consent.household_id,
        object_label=str(consent.get_purpose_display()), fields=["withdrawn_on"],
    )
    return consent


@transaction.atomic
def needs_assessment_record(
    *, actor: User, household: Household, assessed_on: datetime.date,
    ratings: list[tuple[str, int, str]],
) -> NeedsAssessment:
    """ratings: (life area, level 0-3, short text) for each assessed area."""
    assessment = NeedsAssessment(household=household, assessed_on=assessed_on, assessed_by=actor)
    assessment.full_clean()
    assessment.save()
    rows = [NeedRating(assessment=assessment, area=a, level=lv, text=t) for a, lv, t in ratings]
    for row in rows:
        row.full_clean(exclude=["assessment"])
    NeedRating.objects.bulk_create(rows)
    audit_record(
        actor=actor, action=Action.CREATE, object_type="households.needsassessment",
        object_id=assessment.pk, household_id=household.pk,
        object_label=assessed_on.isoformat(),
    )
    return assessment
