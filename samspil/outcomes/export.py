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

import itertools
import json
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
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
BATCHED = {"meetings", "responses"}  # fetched with _batched
ID_BATCH = 2_000  # engagement ids per query for meetings and responses

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
    """Writes one table in batches: each batch of columns becomes one Arrow record batch,
    appended to the Parquet file and to the CSV file (pyarrow's writers), so no table is held
    in memory whole and no row is handled as a Python object of its own."""

    def __init__(self, folder: Path, table: str):
        self.table = table
        self.columns = CODEBOOK[table]
        self.schema = pa.schema([(c, ARROW[t]) for c, t, _d in self.columns])
        # Booleans are written True/False in the CSV file (as Python's csv module did).
        self.bools = [i for i, (_c, t, _d) in enumerate(self.columns) if t == "bool"]
        self.csv_schema = pa.schema([(c, pa.string() if t == "bool" else ARROW[t])
                                     for c, t, _d in self.columns])
        self.parquet = pq.ParquetWriter(folder / f"{table}.parquet", self.schema)
        self.csv = pacsv.CSVWriter(folder / f"{table}.csv", self.csv_schema)
        self.rows = 0

    def write(self, columns: list[list]):
        batch = pa.record_batch([pa.array(values, type=field.type) for values, field in
                                 zip(columns, self.schema, strict=True)], schema=self.schema)
        self.parquet.write_batch(batch)
        arrays = batch.columns
        for i in self.bools:
            arrays[i] = pc.if_else(arrays[i], "True", "False")
        self.csv.write_batch(pa.record_batch(arrays, schema=self.csv_schema))
        self.rows += batch.num_rows

    def close(self) -> int:
        if not self.rows:  # a table without rows still gets its columns
            self.parquet.write_table(self.schema.empty_table())
        self.parquet.close()
        self.csv.close()
        return self.rows


def _chunks(rows: Iterable[tuple]) -> Iterator[list[list]]:
    """The rows CHUNK at a time, as columns."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield [list(column) for column in zip(*chunk, strict=True)]


def _batched(querysets: Iterable) -> Iterator[list]:
    """The rows of several values_list querysets, CHUNK at a time, as columns. (PostgreSQL's
    COPY TO STDOUT was tried here and was slower: psycopg hands COPY data over row by row.)"""
    for queryset in querysets:
        yield from _chunks(queryset.iterator(chunk_size=CHUNK))


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

    def run(table: str, rows: Iterable, transform: Callable[[list], list], share: int):
        """Write a table from a values_list iterator (rows) or from batches of columns
        (_batched): transform turns each batch's fetched columns into the table's columns."""
        writer = _Writer(folder, table)
        for columns in rows if table in BATCHED else _chunks(rows):
            writer.write(transform(columns))
        counts[table] = writer.close()
        progress(share, table)

    def pseudonyms(kind: str, ids: list) -> list[str]:
        return pseudo.many(kind, ids)

    from samspil.core.models import Branch

    branch_names = dict(Branch.objects.filter(organisation_id=org).values_list("pk", "name"))

    def branches(ids: list) -> list:
        return [branch_names.get(b) for b in ids]

    run("households", Household.objects.filter(pk__in=household_ids).order_by("pk").values_list(
        "pk", "branch_id", "municipality_id", "municipality__name", "municipality__region_name",
        "preferred_language").iterator(chunk_size=CHUNK),
        lambda c: [pseudonyms("household", c[0]), branches(c[1]), *c[2:]], 10)
    run("persons", persons.order_by("pk").values_list(
        "pk", "household_id", "role", "birth_date", "gender", "school_grade", "work_status")
        .iterator(chunk_size=CHUNK),
        lambda c: [pseudonyms("person", c[0]), pseudonyms("household", c[1]), c[2],
                   [b.year if b else None for b in c[3]], *c[4:]], 20)

    engagement_ids: list[int] = []

    def engagement_columns(c):
        engagement_ids.extend(c[0])
        weeks = [round((e - s).days / 7, 1) if s and e else None
                 for s, e in zip(c[9], c[10], strict=True)]
        return [pseudonyms("engagement", c[0]), pseudonyms("household", c[1]),
                pseudonyms("person", c[2]), c[3], c[4], c[5], branches(c[6]), *c[7:12], weeks]

    run("engagements", engagements.order_by("pk").values_list(
        "pk", "household_id", "parent_id", "type", "focus", "state", "branch_id",
        "referred_on", "matched_on", "started_on", "ended_on", "end_reason")
        .iterator(chunk_size=CHUNK), engagement_columns, 30)
    # Meetings and responses are fetched per batch of the engagement ids written above
    # (sorted), so each query is a plain index range of its own table and the files keep
    # the engagements' order; portable (no subquery with OR, no huge IN list).
    ids = sorted(engagement_ids)
    id_batches = [ids[i:i + ID_BATCH] for i in range(0, len(ids), ID_BATCH)]
    run("meetings", _batched(
        Meeting.objects.filter(engagement_id__in=batch).order_by("engagement_id", "date", "id")
        .values_list("engagement_id", "date", "minutes", "kind") for batch in id_batches),
        lambda c: [pseudonyms("engagement", c[0]), *c[1:]], 75)
    consenting = set(persons.values_list("pk", flat=True))

    def response_columns(c):
        keep = [p in consenting for p in c[1]]
        c = [list(itertools.compress(column, keep)) for column in c]
        answers = [json.dumps(a, sort_keys=True) if day else ""
                   for a, day in zip(c[9], c[6], strict=True)]
        return [pseudonyms("engagement", c[0]), pseudonyms("person", c[1]), *c[2:9], answers]

    run("responses", _batched(
        Questionnaire.objects.filter(engagement_id__in=batch).order_by("engagement_id", "id")
        .values_list("engagement_id", "person_id", "instrument__code", "instrument__version",
                     "point", "due_on", "answered_on", "by_family", "score", "answers")
        for batch in id_batches), response_columns, 90)
    run("participation", _participation(org, consenting), lambda c: [
        pseudonyms("person", c[0]), pseudonyms("household", c[1]), pseudonyms("activity", c[2]),
        c[3], c[4], [bool(p) for p in c[5]]], 95)
    _codebook(folder, export)
    with zipfile.ZipFile(zip_path(export), "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive:
        for name in [*[f"{t}.{ext}" for t in CODEBOOK for ext in ("csv", "parquet")],
                     "codebook.md"]:
            # Parquet files are compressed already: stored as they are.
            archive.write(folder / name, arcname=name, compress_type=zipfile.ZIP_STORED
                          if name.endswith(".parquet") else zipfile.ZIP_DEFLATED)
            (folder / name).unlink()
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts


def _participation(org: int, wanted: set[int]):
    """Attendance at activity sessions (activities app), for consenting persons: (person,
    household, activity, kind code, session date, present)."""
    if not apps.is_installed("samspil.activities"):
        return
    from samspil.activities import reports as activity_reports

    for row in activity_reports.attendance_rows(organisation_id=org).iterator(chunk_size=CHUNK):
        if row["person_id"] in wanted:
            yield (row["person_id"], row["household_id"], row["activity_id"],
                   row["activity_kind_code"], row["session_date"], row["present"])
