"""Writes for volunteers. Each function is one transaction with its audit rows.

The rules that span rows live here, once: capacity against current load, availability without
overlaps, the branch within the actor's scope, the facts kept about a child-safety certificate.
The forms check the same things for a message at the right field; a service refuses regardless.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspil.core.models import AuditEvent, Branch, Role, User
from samspil.core.selectors import branch_list_for
from samspil.core.services import audit_record, mask_cpr_like
from samspil.engagements.matching.eligibility import volunteer_load
from samspil.households.models import Language
from samspil.volunteers.models import (
    AvailabilitySlot,
    ChildCertificate,
    Skill,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)
from samspil.volunteers.screening import certificate_valid_until

VOLUNTEER_FIELDS = (
    "branch", "user", "first_name", "last_name", "email", "phone", "gender", "birth_year",
    "postcode", "languages", "skills", "tags", "roles", "capacity", "preferred_gender",
    "preferred_gender_required", "preferred_child_age", "preferred_child_age_required",
    "status", "notes",
)
# A change of these makes a matching plan made before it stale (MatchPlan.volunteer_versions).
VERSIONED_FIELDS = ("capacity", "status")
# The person consents in Digital Post within 14 days (lov om indhentelse af børneattest).
CONSENT_DAYS = 14
Action = AuditEvent.Action
Result = ChildCertificate.Result


def _today() -> datetime.date:
    return timezone.localdate()


# --- availability -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    weekday: int
    start: datetime.time
    end: datetime.time

    def label(self) -> str:
        day = AvailabilitySlot.Weekday(self.weekday).label
        return f"{day} {self.start:%H:%M}–{self.end:%H:%M}"


def overlapping_slots(slots: Sequence[Slot]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of slots on the same weekday whose times overlap.

    Touching slots (16:00–18:00 and 18:00–20:00) do not overlap.
    """
    pairs = []
    for j, later in enumerate(slots):
        for i in range(j):
            earlier = slots[i]
            if (earlier.weekday == later.weekday and earlier.start < later.end
                    and later.start < earlier.end):
                pairs.append((i, j))
    return pairs


def overlap_message(slot: Slot, other: Slot) -> str:
    return _("%(slot)s overlaps %(other)s on the same day.") % {
        "slot": slot.label(), "other": other.label(),
    }


def end_before_start_message() -> str:
    return _("The end time must be after the start time.")


# --- small checks shared by the services ------------------------------------------------------

def stop_message(load: int) -> str:
    return ngettext(
        "The volunteer still has %(load)s family or parent. End or move that engagement before "
        "stopping her; pausing is possible.",
        "The volunteer still has %(load)s families or parents. End or move those engagements "
        "before stopping her; pausing is possible.",
        load,
    ) % {"load": load}


def capacity_message(load: int) -> str:
    return ngettext(
        "The volunteer has %(load)s family or parent now; the capacity cannot be lower.",
        "The volunteer has %(load)s families or parents now; the capacity cannot be lower.",
        load,
    ) % {"load": load}


def has_cpr_like(text: str) -> bool:
    return mask_cpr_like(text) != text


def no_cpr_message() -> str:
    return _("Do not write a CPR number here.")


def _check_branch(actor: User, branch: Branch) -> None:
    if not branch_list_for(user=actor).filter(pk=branch.pk).exists():
        raise ValidationError({"branch": _("You cannot register volunteers in this branch.")})


def _check_user(actor: User, user: User | None) -> None:
    if user is None:
        return
    if user.organisation_id != actor.organisation_id or user.role != Role.VOLUNTEER:
        raise ValidationError(
            {"user": _("Choose a login of a volunteer in your organisation.")}
        )


def _ordered(values: Iterable[str], choices: Sequence[str]) -> list[str]:
    """Choice values in the order of the choices, each once; unknown values are refused."""
    given = list(values)
    unknown = [v for v in given if v not in choices]
    if unknown:
        raise ValidationError(_("Unknown values: %(values)s") % {"values": ", ".join(unknown)})
    return [c for c in choices if c in given]


def normalise_tags(values: Iterable[str]) -> list[str]:
    seen, result = set(), []
    for tag in values:
        tag = " ".join(tag.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    return result


def _normalise(values: dict) -> dict:
    values = dict(values)
    if "languages" in values:
        values["languages"] = _ordered(values["languages"], Language.values)
    if "skills" in values:
        values["skills"] = _ordered(values["skills"], Skill.values)
    if "roles" in values:
        values["roles"] = _ordered(values["roles"], VolunteerRole.values)
    if "tags" in values:
        values["tags"] = normalise_tags(values["tags"])
    return values


def search_text_for(volunteer: Volunteer) -> str:
    """The lower-case text the list searches (Volunteer.search_text). The services keep it;
    code that creates volunteers without them (a demo seed) sets it with this."""
    phone = volunteer.phone
    if phone:
        try:
            phone = f"{phonenumbers.parse(phone, 'DK').national_number} {phone}"
        except phonenumbers.NumberParseException:
            pass
    parts = [volunteer.first_name, volunteer.last_name, volunteer.email, phone,
             volunteer.postcode_id, volunteer.postcode.town, *volunteer.tags]
    return " ".join(p for p in parts if p).lower()


def _audit(actor: User, volunteer: Volunteer, action: str, *, object_type: str = "volunteer",
           object_id: object = None, fields: Sequence[str] = ()) -> None:
    audit_record(
        actor=actor, action=action, object_type=f"volunteers.{object_type}",
        object_id=volunteer.pk if object_id is None else object_id,
        object_label=volunteer.full_name, fields=list(fields),
    )


# --- the profile ------------------------------------------------------------------------------

@transaction.atomic
def volunteer_create(*, actor: User, values: dict) -> Volunteer:
    """Register a volunteer in a branch the actor works in."""
    values = _normalise(values)
    branch: Branch = values["branch"]
    _check_branch(actor, branch)
    _check_user(actor, values.get("user"))
    if has_cpr_like(values.get("notes", "")):
        raise ValidationError({"notes": no_cpr_message()})
    volunteer = Volunteer(organisation_id=branch.organisation_id, **values)
    volunteer.search_text = search_text_for(volunteer)
    volunteer.full_clean()
    volunteer.save()
    _audit(actor, volunteer, Action.CREATE)
    return volunteer


@transaction.atomic
def volunteer_update(*, actor: User, volunteer: Volunteer, values: dict) -> Volunteer:
    """Change the profile. A new capacity or status bumps the version (stale matching plans).

    The row is locked, so a match (which locks it too) cannot slip in between the load check
    and the save.
    """
    values = _normalise(values)
    volunteer = Volunteer.objects.select_for_update().select_related("postcode").get(
        pk=volunteer.pk
    )
    changed = [name for name in VOLUNTEER_FIELDS
               if name in values and getattr(volunteer, name) != values[name]]
    if not changed:
        return volunteer
    if "branch" in changed:
        _check_branch(actor, values["branch"])
    if "user" in changed:
        _check_user(actor, values["user"])
    if "notes" in changed and has_cpr_like(values["notes"]):
        raise ValidationError({"notes": no_cpr_message()})
    if "capacity" in changed:
        load = volunteer_load(volunteer)
        if values["capacity"] < load:
            raise ValidationError({"capacity": capacity_message(load)})
    if "status" in changed and values["status"] == VolunteerStatus.STOPPED:
        # A stopped volunteer leaves families with a volunteer who is gone; a paused one keeps
        # her families and only gets no new ones (matching suggests active volunteers only).
        load = volunteer_load(volunteer)
        if load:
            raise ValidationError({"status": stop_message(load)})
    for name in changed:
        setattr(volunteer, name, values[name])
    if "branch" in changed:
        volunteer.organisation_id = volunteer.branch.organisation_id
    if any(name in VERSIONED_FIELDS for name in changed):
        volunteer.version += 1
    volunteer.search_text = search_text_for(volunteer)
    volunteer.full_clean()
    volunteer.save(update_fields=[*changed, "organisation", "version", "search_text",
                                  "updated_at"])
    _audit(actor, volunteer, Action.CHANGE, fields=changed)
    return volunteer


@transaction.atomic
def availability_set(*, actor: User, volunteer: Volunteer, slots: Sequence[Slot]) -> list[
    AvailabilitySlot
]:
    """Replace the volunteer's weekly availability with these slots."""
    errors = []
    for slot in slots:
        if slot.end <= slot.start:
            errors.append(f"{slot.label()}: {end_before_start_message()}")
    for i, j in overlapping_slots(slots):
        errors.append(overlap_message(slots[j], slots[i]))
    if errors:
        raise ValidationError(errors)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    stored = [Slot(s.weekday, s.start, s.end) for s in volunteer.availability.all()]
    key = lambda s: (s.weekday, s.start, s.end)  # noqa: E731
    if sorted(stored, key=key) == sorted(slots, key=key):
        return list(volunteer.availability.all())
    volunteer.availability.all().delete()
    rows = [AvailabilitySlot(volunteer=volunteer, weekday=s.weekday, start=s.start, end=s.end)
            for s in sorted(slots, key=key)]
    for row in rows:
        row.full_clean(exclude=["volunteer"])
    AvailabilitySlot.objects.bulk_create(rows)
    _audit(actor, volunteer, Action.CHANGE, object_type="availabilityslot")
    return rows


# --- screening --------------------------------------------------------------------------------

def certificate_errors(cert: ChildCertificate, *, today: datetime.date) -> dict[str, str]:
    """What is wrong with a certificate's facts, by field (the forms show them there)."""
    errors = {}
    if cert.requested_on > today:
        errors["requested_on"] = _("The date cannot be in the future.")
    if cert.consent_deadline and cert.consent_deadline < cert.requested_on:
        errors["consent_deadline"] = _("The consent deadline cannot be before the request.")
    if cert.received_on:
        if cert.received_on > today:
            errors["received_on"] = _("The date cannot be in the future.")
        elif cert.received_on < cert.requested_on:
            errors["received_on"] = _(
                "A certificate cannot be received before it was requested."
            )
    if cert.result != Result.PENDING and cert.received_on is None:
        errors["received_on"] = _("Enter the date the answer was received and checked.")
    if cert.result == Result.PENDING and cert.received_on is not None:
        errors["result"] = _("Choose the result of the checked certificate.")
    if cert.valid_until:
        if cert.result != Result.CLEAR:
            errors["valid_until"] = _("Only a certificate without remarks has a validity.")
        elif cert.received_on and cert.valid_until <= cert.received_on:
            errors["valid_until"] = _("The validity must end after the certificate was checked.")
    if has_cpr_like(cert.note):
        errors["note"] = no_cpr_message()
    return errors


def _decide(cert: ChildCertificate, *, actor: User, valid_until: datetime.date | None) -> None:
    """Who assessed it and, for an approved certificate, until when it counts."""
    if cert.result == Result.PENDING:
        cert.assessed_by = None
        cert.valid_until = None
        return
    cert.assessed_by = actor
    cert.valid_until = valid_until if cert.result == Result.CLEAR else None
    if cert.result == Result.CLEAR and cert.valid_until is None:
        cert.valid_until = certificate_valid_until(cert)


@transaction.atomic
def certificate_record(
    *, actor: User, volunteer: Volunteer, requested_on: datetime.date,
    consent_deadline: datetime.date | None = None, received_on: datetime.date | None = None,
    result: str = Result.PENDING, valid_until: datetime.date | None = None, note: str = "",
    today: datetime.date | None = None,
) -> ChildCertificate:
    """Record a child-safety certificate: ordered (pending), or already received and assessed.

    Only the facts are kept, never the certificate itself nor the volunteer's CPR number. The
    consent deadline defaults to 14 days after the request; an approved certificate is valid
    until CHILD_CERTIFICATE_VALID_MONTHS after it was checked unless another date is given.
    """
    today = today or _today()
    cert = ChildCertificate(
        volunteer=volunteer, requested_on=requested_on,
        consent_deadline=consent_deadline or requested_on + datetime.timedelta(CONSENT_DAYS),
        received_on=received_on, result=result, valid_until=valid_until, note=note.strip(),
    )
    errors = certificate_errors(cert, today=today)
    if errors:
        raise ValidationError(errors)
    _decide(cert, actor=actor, valid_until=valid_until)
    cert.full_clean()
    cert.save()
    _audit(actor, volunteer, Action.CREATE, object_type="childcertificate", object_id=cert.pk)
    return cert


@transaction.atomic
def certificate_assess(
    *, actor: User, certificate: ChildCertificate, received_on: datetime.date, result: str,
    valid_until: datetime.date | None = None, note: str | None = None,
    today: datetime.date | None = None,
) -> ChildCertificate:
    """Record the answer to a requested certificate. A decided certificate stays as it is:
    a new check is a new certificate, so the history shows both."""
    today = today or _today()
    cert = ChildCertificate.objects.select_for_update().select_related("volunteer").get(
        pk=certificate.pk
    )
    if cert.result != Result.PENDING:
        raise ValidationError(_("This certificate has already been assessed."))
    if result == Result.PENDING:
        raise ValidationError({"result": _("Choose the result of the checked certificate.")})
    old_note = cert.note
    cert.received_on = received_on
    cert.result = result
    cert.valid_until = valid_until
    if note is not None:
        cert.note = note.strip()
    errors = certificate_errors(cert, today=today)
    if errors:
        raise ValidationError(errors)
    _decide(cert, actor=actor, valid_until=valid_until)
    cert.full_clean()
    cert.save()
    fields = ["received_on", "result", "assessed_by"]
    if cert.valid_until:
        fields.append("valid_until")
    if cert.note != old_note:
        fields.append("note")
    _audit(actor, cert.volunteer, Action.CHANGE, object_type="childcertificate",
           object_id=cert.pk, fields=fields)
    return cert


@transaction.atomic
def screening_record(
    *, actor: User, volunteer: Volunteer, confidentiality_signed_on: datetime.date | None,
    training_completed_on: datetime.date | None, today: datetime.date | None = None,
) -> Volunteer:
    """The signed confidentiality declaration and the introduction training (empty: not yet)."""
    today = today or _today()
    values = {"confidentiality_signed_on": confidentiality_signed_on,
              "training_completed_on": training_completed_on}
    errors = {name: _("The date cannot be in the future.")
              for name, value in values.items() if value and value > today}
    if errors:
        raise ValidationError(errors)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    changed = [name for name, value in values.items() if getattr(volunteer, name) != value]
    if not changed:
        return volunteer
    for name in changed:
        setattr(volunteer, name, values[name])
    volunteer.full_clean()
    volunteer.save(update_fields=[*changed, "updated_at"])
    _audit(actor, volunteer, Action.CHANGE, fields=changed)
    return volunteer
