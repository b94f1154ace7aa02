"""Writes for imports: upload, map the columns, check (the dry run) and import.

Nothing is written until the whole file is valid, and then it is written in one transaction.
Every problem is reported as row, column, value and a message (in Danish unless the user reads
English). Households are checked cell by cell with the registry's rules and written in bulk
(so 20,000 households take seconds); volunteers and engagements go row by row through their
own areas' services inside a transaction, which the dry run rolls back.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspil.core import audit_chain
from samspil.core.contact import phone_from_input
from samspil.core.models import AuditEvent, Branch, Postcode, User
from samspil.core.selectors import branch_list_for
from samspil.core.services import audit_record
from samspil.households.models import Gender, Household, MemberRole, Person
from samspil.households.services import search_fields
from samspil.imports import columns as column_specs
from samspil.imports import reading
from samspil.imports.models import ColumnMapping, ImportJob, Kind

Action = AuditEvent.Action
Progress = Callable[[int, str], None]
MAX_PROBLEMS = 5000
BATCH = 2000


# --- upload and mapping ------------------------------------------------------------------------

def job_create(*, actor: User, branch: Branch, kind: str, filename: str,
               content: bytes) -> ImportJob:
    """Keep an uploaded file with its header row and a first guess of the column mapping."""
    if not branch_list_for(user=actor).filter(pk=branch.pk).exists():
        raise ValidationError({"branch": _("Choose one of your branches.")})
    headers, _rows = reading.read(content, filename)
    saved = ColumnMapping.objects.filter(organisation_id=actor.organisation_id, kind=kind).first()
    job = ImportJob.objects.create(
        organisation_id=actor.organisation_id, branch=branch, created_by=actor, kind=kind,
        filename=filename[:200], content=content, headers=headers,
        columns=column_specs.guess(kind, headers, saved.columns if saved else None),
    )
    audit_record(actor=actor, action=Action.CREATE, object_type="imports.importjob",
                 object_id=job.pk, object_label=job.filename, summary=kind)
    return job


@transaction.atomic
def job_map(*, actor: User, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Set the job's columns (and save them for the organisation's next file of this kind)."""
    mapping = {k: v for k, v in mapping.items() if v}
    missing = [str(c.label) for c in column_specs.FIELDS[job.kind]
               if c.required and c.name not in mapping]
    if missing:
        raise ValidationError(_("Choose a column for: %(fields)s.")
                              % {"fields": ", ".join(missing)})
    if any(v not in job.headers for v in mapping.values()):
        raise ValidationError(_("Choose columns of the file."))
    ColumnMapping.objects.update_or_create(
        organisation_id=job.organisation_id, kind=job.kind, defaults={"columns": mapping})
    job.columns = mapping
    job.status = ImportJob.Status.CHECKING
    job.progress = 0
    job.save(update_fields=["columns", "status", "progress"])
    return job


def job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    if job.status != ImportJob.Status.VALID:
        raise ValidationError(_("Only a file without problems can be imported."))
    job.status = ImportJob.Status.IMPORTING
    job.progress = 0
    job.save(update_fields=["status", "progress"])
    return job


# --- the rows ------------------------------------------------------------------------------

@dataclass
class Problems:
    items: list[dict] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, value: str, message) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append({"row": row, "column": column, "value": str(value)[:200],
                               "message": str(message)})

    def from_error(self, row: int, error: ValidationError, cells: dict, headers: dict) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = headers.get(name, "")
                for message in messages:
                    self.add(row, column, cells.get(name, ""), message)
        else:
            for message in error.messages:
                self.add(row, "", "", message)


def _choices(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """value, Danish label and English label (lower case) → value."""
    out = {}
    for value, label in choices:
        out[str(value).lower()] = value
        for language in ("da", "en"):
            with translation.override(language):
                out[str(label).lower()] = value
    out.update(extra or {})
    return out


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y")


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_date(raw: str) -> datetime.date:
    raw = raw.strip()
    if ISO_DATE.match(raw):
        try:
            return datetime.date.fromisoformat(raw[:10])
        except ValueError:
            raise ValidationError(_("Write the date as 2026-12-01 or 01-12-2026.")) from None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise ValidationError(_("Write the date as 2026-12-01 or 01-12-2026."))


def _past_date(raw: str, today: datetime.date) -> datetime.date:
    value = parse_date(raw)
    if value > today:
        raise ValidationError(_("The date cannot be in the future."))
    if value.year < 1900:
        raise ValidationError(_("Enter a birth date after 1900."))
    return value


@dataclass
class Table:
    job: ImportJob
    rows: list[list[str]]

    @classmethod
    def of(cls, job: ImportJob) -> Table:
        _headers, rows = reading.read(bytes(job.content), job.filename)
        return cls(job, rows)

    def cells(self, row: list[str]) -> dict[str, str]:
        if not hasattr(self, "_where"):
            index = {h: i for i, h in enumerate(self.job.headers)}
            self._where = [(name, index[header]) for name, header in self.job.columns.items()]
        return {name: row[i].strip() if i < len(row) else "" for name, i in self._where}


def _ticker(progress: Progress, total: int, step: str, start: int, span: int):
    every = max(1, total // 50)

    def tick(i: int) -> None:
        if i % every == 0:
            progress(start + int(span * i / max(total, 1)), step)
    return tick


# --- households ----------------------------------------------------------------------------

ROLES = _choices(MemberRole.choices, {
    "forælder": MemberRole.PARENT, "voksen": MemberRole.PARENT, "mor": MemberRole.PARENT,
    "far": MemberRole.PARENT, "omsorgsperson": MemberRole.PARENT, "f": MemberRole.PARENT,
    "barn": MemberRole.CHILD, "b": MemberRole.CHILD, "p": MemberRole.PARENT,
    "c": MemberRole.CHILD})
GENDERS = _choices(Gender.choices, {"k": Gender.FEMALE, "m": Gender.MALE, "kvinde": Gender.FEMALE,
                                    "mand": Gender.MALE, "pige": Gender.FEMALE,
                                    "dreng": Gender.MALE})


def _norm_address(address: str) -> str:
    return re.sub(r"[\s,.]+", " ", address.lower()).strip()


@dataclass(slots=True)
class Member:
    """A member as the file gives it: a light row (a Person is made only when it is written)."""

    role: str = ""
    first_name: str = ""
    last_name: str = ""
    birth_date: datetime.date | None = None
    gender: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def person(self, household: Household) -> Person:
        return Person(household=household, role=self.role, first_name=self.first_name,
                      last_name=self.last_name, birth_date=self.birth_date, gender=self.gender)


@dataclass
class HouseholdPlan:
    key: str
    row: int
    household: Household
    members: list[Member] = field(default_factory=list)
    duplicate_of: tuple[int, str, str] | None = None


def _check_households(table: Table, progress: Progress, problems: Problems
                      ) -> list[HouseholdPlan]:
    job = table.job
    headers = job.columns
    postcodes = {p.code: p for p in Postcode.objects.all()}
    today = timezone.localdate()
    plans: dict[str, HouseholdPlan] = {}
    tick = _ticker(progress, len(table.rows), _("Checking rows"), 0, 80)
    person_fields = {f.name: f for f in Person._meta.fields}
    for i, raw in enumerate(table.rows):
        row = i + 2  # the header is row 1, as the spreadsheet numbers them
        tick(i)
        cells = table.cells(raw)
        key = cells.get("household", "")
        if not key:
            problems.add(row, headers["household"], "", _("This field is required."))
            continue
        plan = plans.get(key)
        if plan is None:
            household = Household(organisation_id=job.organisation_id, branch_id=job.branch_id)
            household.address = cells.get("address", "")
            if not household.address:
                problems.add(row, headers["address"], "", _("This field is required."))
            elif len(household.address) > 200:
                problems.add(row, headers["address"], household.address,
                             _("At most %(n)s characters.") % {"n": 200})
            code = cells.get("postcode", "")
            postcode = postcodes.get(code)
            if postcode is None:
                problems.add(row, headers["postcode"], code,
                             _("%(code)s is not a Danish postcode.") % {"code": code})
            else:
                household.postcode = postcode
                household.municipality_id = postcode.municipality_id
            try:
                household.phone = phone_from_input(cells.get("phone", ""))
            except ValidationError as error:
                problems.add(row, headers.get("phone", ""), cells.get("phone"), error.messages[0])
            email = cells.get("email", "")
            if email:
                try:
                    validate_email(email)
                    household.email = email
                except ValidationError:
                    problems.add(row, headers["email"], email, _("Enter a valid email address."))
            plan = plans[key] = HouseholdPlan(key=key, row=row, household=household)
        person = Member()
        role = ROLES.get(cells.get("role", "").lower())
        if role is None:
            problems.add(row, headers["role"], cells.get("role", ""),
                         _("Write “forælder” or “barn”."))
        person.role = role or ""
        for name in ("first_name", "last_name"):
            value = cells.get(name, "")
            if not value:
                problems.add(row, headers[name], "", _("This field is required."))
            elif len(value) > person_fields[name].max_length:
                problems.add(row, headers[name], value, _("At most %(n)s characters.")
                             % {"n": person_fields[name].max_length})
            setattr(person, name, value)
        try:
            person.birth_date = _past_date(cells.get("birth_date", ""), today)
        except ValidationError as error:
            problems.add(row, headers["birth_date"], cells.get("birth_date", ""),
                         error.messages[0])
        gender = cells.get("gender", "")
        if gender:
            person.gender = GENDERS.get(gender.lower(), "")
            if not person.gender:
                problems.add(row, headers["gender"], gender,
                             _("Write “kvinde”, “mand” or “andet”."))
        plan.members.append(person)
    for plan in plans.values():
        if not any(m.role == MemberRole.PARENT for m in plan.members):
            problems.add(plan.row, headers["role"], plan.key,
                         _("A household needs at least one parent or caregiver."))
    progress(85, _("Looking for duplicates"))
    _find_duplicates(job, list(plans.values()))
    return list(plans.values())


def _find_duplicates(job: ImportJob, plans: list[HouseholdPlan]) -> None:
    """A household of the file is a duplicate when the organisation already has a household
    at the same address and postcode, or a person with the same name and birth date."""
    existing = Household.objects.filter(organisation_id=job.organisation_id)
    by_address = {(_norm_address(a), p): (pk, name) for pk, a, p, name in
                  existing.values_list("pk", "address", "postcode_id", "display_name")}
    by_person = {}
    for first, last, born, pk, name in Person.objects.filter(
            household__organisation_id=job.organisation_id).values_list(
            "first_name", "last_name", "birth_date", "household_id", "household__display_name"):
        by_person[(first.lower(), last.lower(), born)] = (pk, name)
    for plan in plans:
        h = plan.household
        hit = by_address.get((_norm_address(h.address), h.postcode_id))
        if hit:
            plan.duplicate_of = (hit[0], hit[1], str(_("same address")))
            continue
        for m in plan.members:
            hit = by_person.get((m.first_name.lower(), m.last_name.lower(), m.birth_date))
            if hit:
                plan.duplicate_of = (hit[0], hit[1],
                                     str(_("%(name)s is already registered"))
                                     % {"name": f"{m.first_name} {m.last_name}"})
                break


def _write_households(actor: User, job: ImportJob, plans: list[HouseholdPlan],
                      progress: Progress) -> dict:
    new = [p for p in plans if p.duplicate_of is None]
    for plan in new:
        h = plan.household
        h.display_name, h.search_text = search_fields(h, plan.members)
    progress(90, _("Writing households"))
    Household.objects.bulk_create([p.household for p in new], batch_size=BATCH)
    people = []
    for plan in new:
        people.extend(m.person(plan.household) for m in plan.members)
    progress(94, _("Writing members"))
    Person.objects.bulk_create(people, batch_size=BATCH)
    progress(97, _("Writing the audit log"))
    audit_chain.bulk_append([
        AuditEvent(actor=actor, organisation_id=actor.organisation_id, action=Action.CREATE,
                   object_type="households.household", object_id=str(p.household.pk),
                   household_id=p.household.pk, summary=f"import {job.pk}", purpose="import")
        for p in new], batch_size=BATCH)
    return {"households": len(new), "persons": len(people), "duplicates": len(plans) - len(new)}


# --- volunteers and engagements: through their areas' services ----------------------------

def _volunteer_row(actor: User, job: ImportJob, cells: dict) -> None:
    from samspil.volunteers import services as volunteer_services
    from samspil.volunteers.models import VolunteerRole, VolunteerStatus

    errors = {}
    values: dict = {"branch": job.branch, "first_name": cells.get("first_name", ""),
                    "last_name": cells.get("last_name", ""), "email": cells.get("email", "")}
    try:
        values["phone"] = phone_from_input(cells.get("phone", ""))
    except ValidationError as error:
        errors["phone"] = error.messages
    code = cells.get("postcode", "")
    if code:
        values["postcode"] = Postcode.objects.filter(code=code).first()
        if values["postcode"] is None:
            errors["postcode"] = [_("%(code)s is not a Danish postcode.") % {"code": code}]
    roles_lookup = _choices(VolunteerRole.choices, {"familieven": VolunteerRole.FAMILY_FRIEND,
                                                    "jobmentor": VolunteerRole.JOB_MENTOR})
    roles = []
    for part in filter(None, (p.strip().lower() for p in cells.get("roles", "").split(","))):
        if part not in roles_lookup:
            errors["roles"] = [_("Unknown role: %(value)s.") % {"value": part}]
        else:
            roles.append(roles_lookup[part])
    values["roles"] = roles
    status = cells.get("status", "")
    if status:
        values["status"] = _choices(VolunteerStatus.choices).get(status.lower())
        if values["status"] is None:
            errors["status"] = [_("Unknown status: %(value)s.") % {"value": status}]
    capacity = cells.get("capacity", "")
    if capacity:
        if not capacity.isdigit() or not 1 <= int(capacity) <= 20:
            errors["capacity"] = [_("Write a whole number from 1 to 20.")]
        else:
            values["capacity"] = int(capacity)
    if errors:
        raise ValidationError(errors)
    volunteer_services.volunteer_create(actor=actor, values=values)


def _engagement_row(actor: User, job: ImportJob, cells: dict) -> None:
    from samspil.engagements import services as engagement_services
    from samspil.engagements.models import EndReason, EngagementState, EngagementType
    from samspil.households.selectors import household_list_for
    from samspil.volunteers.selectors import volunteer_list_for

    ref = cells.get("household", "")
    household = None
    if ref.isdigit() and len(ref) < 18:
        household = household_list_for(user=actor).filter(pk=int(ref)).first()
    if household is None:
        raise ValidationError({"household": _("No household of yours has this number.")})
    type_ = _choices(EngagementType.choices).get(cells.get("type", "").lower())
    if type_ is None:
        raise ValidationError({"type": _("Unknown type: %(value)s.")
                               % {"value": cells.get("type", "")}})
    dates = {}
    for name in ("referred_on", "started_on", "ended_on"):
        if cells.get(name):
            try:
                dates[name] = parse_date(cells[name])
            except ValidationError as error:
                raise ValidationError({name: error.messages}) from None
    parent = None
    if type_ != EngagementType.FAMILY_FRIEND:
        parents = household.members.filter(role=MemberRole.PARENT)
        if cells.get("parent"):
            parents = parents.filter(first_name__iexact=cells["parent"])
        parent = parents.order_by("id").first()
        if parent is None:
            raise ValidationError({"parent": _("Choose a parent of this household.")})
    engagement = engagement_services.engagement_refer(
        actor=actor, household=household, type=type_, parent=parent,
        referred_on=dates.get("referred_on"))
    started = dates.get("started_on")
    if started:
        email = cells.get("volunteer", "")
        volunteer = volunteer_list_for(user=actor).filter(email__iexact=email).first() \
            if email else None
        if volunteer is None:
            raise ValidationError({"volunteer": _("No volunteer of yours has this e-mail.")})
        engagement = engagement_services.engagement_match(
            actor=actor, engagement=engagement, volunteer=volunteer, on=started)
        engagement = engagement_services.engagement_transition(
            actor=actor, engagement=engagement, to_state=EngagementState.ACTIVE, on=started)
    ended = dates.get("ended_on")
    if ended:
        reason = _choices(EndReason.choices).get(cells.get("end_reason", "").lower(),
                                                 EndReason.OTHER)
        engagement_services.engagement_transition(
            actor=actor, engagement=engagement, to_state=EngagementState.ENDED, on=ended,
            end_reason=reason)


ROW_WRITERS = {Kind.VOLUNTEERS: _volunteer_row, Kind.ENGAGEMENTS: _engagement_row}


def _through_services(table: Table, actor: User, progress: Progress, problems: Problems,
                      step: str) -> int:
    """Each row through its area's service in a savepoint: a refused row is a problem and
    leaves nothing behind; the caller decides whether the whole transaction stays."""
    writer = ROW_WRITERS[table.job.kind]
    tick = _ticker(progress, len(table.rows), step, 0, 95)
    written = 0
    for i, raw in enumerate(table.rows):
        tick(i)
        cells = table.cells(raw)
        try:
            with transaction.atomic():
                writer(actor, table.job, cells)
            written += 1
        except ValidationError as error:
            problems.from_error(i + 2, error, cells, table.job.columns)
    return written


class _DryRun(Exception):
    """Raised to roll back the dry run's transaction."""


# --- the two steps the background tasks run -------------------------------------------------

def check(job: ImportJob, progress: Progress) -> ImportJob:
    """The dry run: every problem of the whole file; duplicates of existing households."""
    started = time.monotonic()
    problems = Problems()
    duplicates: list[dict] = []
    with translation.override("da"):
        table = Table.of(job)
        if job.kind == Kind.HOUSEHOLDS:
            plans = _check_households(table, progress, problems)
            duplicates = [{"row": p.row, "household": p.key, "existing_id": p.duplicate_of[0],
                           "existing": p.duplicate_of[1], "why": p.duplicate_of[2]}
                          for p in plans if p.duplicate_of]
            counts = {"households": len(plans) - len(duplicates),
                      "persons": sum(len(p.members) for p in plans if not p.duplicate_of)}
        else:
            try:
                with transaction.atomic():
                    counts = {job.kind: _through_services(table, job.created_by, progress,
                                                          problems, _("Checking rows"))}
                    raise _DryRun
            except _DryRun:
                pass
    job.rows = len(table.rows)
    job.problems = problems.items
    job.problem_count = problems.count
    job.duplicates = duplicates
    job.created = counts
    job.status = ImportJob.Status.INVALID if problems.count else ImportJob.Status.VALID
    job.progress = 100
    job.step = ""
    job.seconds = round(time.monotonic() - started, 2)
    job.save(update_fields=["rows", "problems", "problem_count", "duplicates", "created",
                            "status", "progress", "step", "seconds"])
    return job


def run(job: ImportJob, progress: Progress) -> ImportJob:
    """The import: the whole file in one transaction, or nothing (a file that has become
    invalid since its dry run — e.g. a volunteer was stopped meanwhile — writes nothing)."""
    started = time.monotonic()
    problems = Problems()
    actor = job.created_by
    with translation.override("da"):
        table = Table.of(job)
        try:
            with transaction.atomic():
                if job.kind == Kind.HOUSEHOLDS:
                    plans = _check_households(table, progress, problems)
                    if problems.count:
                        raise _DryRun
                    counts = _write_households(actor, job, plans, progress)
                else:
                    written = _through_services(table, actor, progress, problems,
                                                _("Importing rows"))
                    if problems.count:
                        raise _DryRun
                    counts = {job.kind: written}
                audit_record(actor=actor, action=Action.CREATE,
                             object_type="imports.importjob", object_id=job.pk,
                             object_label=job.filename,
                             summary=", ".join(f"{k}: {v}" for k, v in counts.items()),
                             purpose="import")
                job.status = ImportJob.Status.DONE
                job.created = counts
                job.content = b""  # the file is not kept once its rows are in
        except _DryRun:
            job.status = ImportJob.Status.INVALID
            job.problems = problems.items
            job.problem_count = problems.count
    job.progress = 100
    job.step = ""
    job.seconds = round(time.monotonic() - started, 2)
    job.finished_at = timezone.now()
    job.save()
    return job
