"""The evaluator's pseudonymised dataset: one file per table as CSV and Parquet, a codebook,
all in one zip file under VAR_DIR/exports/ (never under static files).

Who is in it: only people with an active (not withdrawn) consent to evaluation — given for
the person, or for the whole household (a consent without a person). Households appear when
at least one member is in; engagements when the household (family friend) or the mentored
parent is in; meetings and responses follow their engagement and person; participation follows
the person. What is never in it: names, CPR numbers, addresses, postcodes, phone numbers,
e-mail, notes, free text. Birth year instead of birth date, municipality instead of address.
"""

from __future__ import annotations

import csv
import json
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from samspil.engagements.models import Engagement, Meeting
from samspil.households.models import Consent, ConsentPurpose, Household, Person
from samspil.outcomes.models import Export, Questionnaire
from samspil.outcomes.pseudonyms import Pseudonymiser, export_key

CHUNK = 20_000

# table -> [(column, type, description)], the codebook; the writers fill exactly these.
CODEBOOK: dict[str, list[tuple[str, str, str]]] = {
    "households": [
        ("household", "string", "Pseudonym of the household (the same in every export to you)"),
        ("branch", "string", "Local branch that follows the household"),
        ("municipality_code", "string", "Municipality of the address (4-digit code)"),
        ("municipality", "string", "Municipality name"),
        ("region", "string", "Region name"),
        ("preferred_language", "string", "Preferred language (ISO 639-1 or 'other')"),
    ],
    "persons": [
        ("person", "string", "Pseudonym of the person"),
        ("household", "string", "Pseudonym of the household"),
        ("role", "string", "parent or child"),
        ("birth_year", "int", "Year of birth"),
        ("gender", "string", "female, male, other or empty (not given)"),
        ("school_grade", "string", "Children: school grade as registered now (none = not in "
                                   "school, 0–10, youth, other)"),
        ("work_status", "string", "Parents: work or education status as registered now"),
    ],
    "engagements": [
        ("engagement", "string", "Pseudonym of the engagement"),
        ("household", "string", "Pseudonym of the household"),
        ("parent", "string", "Pseudonym of the mentored parent (empty for family friends)"),
        ("type", "string", "family_friend, job_mentor or workplace_mentor"),
        ("focus", "string", "Mentors: task or life (empty: not set)"),
        ("state", "string", "referred, waiting, matched, active or ended"),
        ("branch", "string", "Local branch"),
        ("referred_on", "date", "Date of referral"),
        ("matched_on", "date", "Date of the match with a volunteer"),
        ("started_on", "date", "Date the engagement started"),
        ("ended_on", "date", "Date the engagement ended"),
        ("end_reason", "string", "goals_reached, family_withdrew, volunteer_stopped, moved, "
                                 "other"),
        ("weeks", "float", "Length in weeks from start to end (ended engagements)"),
    ],
    "meetings": [
        ("engagement", "string", "Pseudonym of the engagement"),
        ("date", "date", "Date of the meeting"),
        ("minutes", "int", "Length in minutes"),
        ("kind", "string", "home_visit, remote, companion, activity, other"),
    ],
    "responses": [
        ("engagement", "string", "Pseudonym of the engagement"),
        ("person", "string", "Pseudonym of the person the questionnaire is about"),
        ("instrument", "string", "who5, benefit, work_status, school_level, network, belief"),
        ("version", "int", "Version of the instrument's items"),
        ("point", "string", "Measurement point: start, end, m12 (+12 months), m24"),
        ("due_on", "date", "Date the questionnaire was due"),
        ("answered_on", "date", "Date it was answered (empty: not answered = non-response)"),
        ("by_family", "bool", "Answered by the family through its personal link"),
        ("score", "int", "Score (see the instruments section of the codebook)"),
        ("answers", "string", "The answers as JSON: item code -> value"),
    ],
    "participation": [
        ("person", "string", "Pseudonym of the person"),
        ("household", "string", "Pseudonym of the household"),
        ("activity", "string", "Pseudonym of the activity"),
        ("activity_kind", "string", "Kind code of the activity (family_camp, cafe_meeting, …)"),
        ("session_date", "date", "Date of the session"),
        ("present", "bool", "Marked present"),
    ],
}
ARROW = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(),
         "bool": pa.bool_()}


def consenting_persons(organisation_id: int):
    """Persons with an active consent to evaluation (their own or their household's)."""
    active = Consent.objects.filter(purpose=ConsentPurpose.EVALUATION, withdrawn_on__isnull=True)
    return Person.objects.filter(household__organisation_id=organisation_id).filter(
        Exists(active.filter(person=OuterRef("pk")))
        | Exists(active.filter(household=OuterRef("household_id"), person__isnull=True)))


class _Writer:
    """Writes one table to CSV while collecting its columns for Parquet."""

    def __init__(self, folder: Path, table: str):
        self.table = table
        self.columns = CODEBOOK[table]
        self.csv_file = (folder / f"{table}.csv").open("w", newline="", encoding="utf-8")
        self.csv = csv.writer(self.csv_file)
        self.csv.writerow([c for c, _t, _d in self.columns])
        self.data: list[list] = [[] for _ in self.columns]
        self.folder = folder
        self.rows = 0

    def write(self, row: tuple):
        self.csv.writerow(["" if v is None else v for v in row])
        for column, value in zip(self.data, row, strict=True):
            column.append(value)
        self.rows += 1

    def close(self) -> int:
        self.csv_file.close()
        schema = pa.schema([(c, ARROW[t]) for c, t, _d in self.columns])
        table = pa.Table.from_arrays(
            [pa.array(values, type=ARROW[t]) for values, (_c, t, _d) in
             zip(self.data, self.columns, strict=True)], schema=schema)
        pq.write_table(table, self.folder / f"{self.table}.parquet")
        self.data = []
        return self.rows


def _codebook(folder: Path, export: Export):
    from samspil.outcomes.models import Instrument

    lines = [f"# Codebook: {export.programme.name}", "",
             f"Made {timezone.localtime(export.finished_at or timezone.now()):%Y-%m-%d %H:%M}. "
             "Pseudonyms are keyed to you and this programme: they join across your exports, "
             "not with anyone else's. Only people who consented to evaluation are included.",
             ""]
    for table, columns in CODEBOOK.items():
        lines += [f"## {table}.csv / {table}.parquet", "", "| column | type | meaning |",
                  "|---|---|---|"]
        lines += [f"| {c} | {t} | {d} |" for c, t, d in columns]
        lines.append("")
    lines += ["## Instruments", ""]
    for instrument in Instrument.objects.order_by("code", "version"):
        lines.append(f"### {instrument.code} v{instrument.version}: {instrument.name}")
        for item in instrument.items:
            values = (", ".join(f"{v} = {label}" for v, label in item["choices"])
                      if item["kind"] == "choice" else f"{item['min']}–{item['max']}")
            lines.append(f"- {item['code']}: {item['text']} ({values})")
        lines.append("")
    lines += ["Scores: who5 = 4 × sum of the five items (0–100); benefit 3 a great deal … 0 not "
              "at all; work_status 1 = in work or education, 0 = not; school_level 1 better, "
              "0 same, -1 worse; network = number of people; belief 1–5.", ""]
    (folder / "codebook.md").write_text("\n".join(lines), encoding="utf-8")


def folder_for(export: Export) -> Path:
    return Path(settings.VAR_DIR) / "exports" / str(export.pk)


def zip_path(export: Export) -> Path:
    return folder_for(export) / f"samspil-export-{export.pk}.zip"


def build(export: Export, progress: Callable[[int, str], None] = lambda p, s: None) -> dict:
    """Write every table; returns table -> rows."""
    started = time.monotonic()
    programme = export.programme
    org = programme.organisation_id
    pseudo = Pseudonymiser(export_key(evaluator_id=export.requested_by_id,
                                      programme_id=programme.pk))
    folder = folder_for(export)
    folder.mkdir(parents=True, exist_ok=True)
    persons = consenting_persons(org)
    person_ids = persons.values("pk")
    household_ids = persons.values("household_id")
    engagements = Engagement.objects.filter(
        organisation_id=org, type__in=programme.engagement_types,
        referred_on__lte=programme.ends_on,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=programme.starts_on)).filter(
        Q(parent__isnull=True, household_id__in=household_ids) | Q(parent_id__in=person_ids))
    counts = {}

    def run(table: str, rows: Iterable[tuple], share: int):
        writer = _Writer(folder, table)
        for row in rows:
            writer.write(row)
        counts[table] = writer.close()
        progress(share, table)

    from samspil.core.models import Branch

    branch_names = dict(Branch.objects.filter(organisation_id=org).values_list("pk", "name"))
    run("households", (
        (pseudo("household", pk), branch_names.get(b), m, mname, region, lang)
        for pk, b, m, mname, region, lang in Household.objects.filter(pk__in=household_ids)
        .order_by("pk").values_list("pk", "branch_id", "municipality_id", "municipality__name",
                                    "municipality__region_name", "preferred_language")
        .iterator(chunk_size=CHUNK)), 10)
    run("persons", (
        (pseudo("person", pk), pseudo("household", hh), role, birth.year, gender, grade, work)
        for pk, hh, role, birth, gender, grade, work in persons.order_by("pk").values_list(
            "pk", "household_id", "role", "birth_date", "gender", "school_grade", "work_status")
        .iterator(chunk_size=CHUNK)), 20)
    engagement_ids = set()

    def engagement_rows():
        for (pk, hh, parent, type_, focus, state, branch, referred, matched, started, ended,
             reason) in engagements.order_by("pk").values_list(
                "pk", "household_id", "parent_id", "type", "focus", "state", "branch_id",
                "referred_on", "matched_on", "started_on", "ended_on", "end_reason"
        ).iterator(chunk_size=CHUNK):
            engagement_ids.add(pk)
            weeks = round((ended - started).days / 7, 1) if started and ended else None
            yield (pseudo("engagement", pk), pseudo("household", hh), pseudo("person", parent),
                   type_, focus, state, branch_names.get(branch), referred, matched, started,
                   ended, reason, weeks)

    run("engagements", engagement_rows(), 30)
    run("meetings", (
        (pseudo("engagement", e), day, minutes, kind)
        for e, day, minutes, kind in Meeting.objects.filter(engagement__in=engagements.values("pk"))
        .order_by("engagement_id", "date", "id").values_list("engagement_id", "date", "minutes",
                                                             "kind")
        .iterator(chunk_size=CHUNK)), 75)
    run("responses", (
        (pseudo("engagement", e), pseudo("person", p), code, version, point, due,
         day, by_family, score, json.dumps(answers, sort_keys=True) if day else "")
        for e, p, code, version, point, due, day, by_family, score, answers in
        Questionnaire.objects.filter(engagement__in=engagements.values("pk"),
                                     person_id__in=person_ids)
        .order_by("engagement_id", "id").values_list(
            "engagement_id", "person_id", "instrument__code", "instrument__version", "point",
            "due_on", "answered_on", "by_family", "score", "answers")
        .iterator(chunk_size=CHUNK)), 90)
    run("participation", _participation(org, persons, pseudo), 95)
    _codebook(folder, export)
    with zipfile.ZipFile(zip_path(export), "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in [*[f"{t}.{ext}" for t in CODEBOOK for ext in ("csv", "parquet")],
                     "codebook.md"]:
            archive.write(folder / name, arcname=name)
            (folder / name).unlink()
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts


def _participation(org: int, persons, pseudo):
    """Attendance at activity sessions (activities app), for consenting persons."""
    if not apps.is_installed("samspil.activities"):
        return
    from samspil.activities import reports as activity_reports

    wanted = set(persons.values_list("pk", flat=True))
    for row in activity_reports.attendance_rows(organisation_id=org).iterator(chunk_size=CHUNK):
        if row["person_id"] in wanted:
            yield (pseudo("person", row["person_id"]), pseudo("household", row["household_id"]),
                   pseudo("activity", row["activity_id"]), row["activity_kind_code"],
                   row["session_date"], bool(row["present"]))
