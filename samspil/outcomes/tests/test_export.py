"""The evaluator's export: consent only, keyed pseudonyms, nothing identifying, logged."""

from __future__ import annotations

import csv
import io
import zipfile

import pyarrow.parquet as pq
import pytest
from django.test import override_settings
from django.urls import reverse

from samspil.conftest import client_for, make_user
from samspil.core.models import AuditEvent, Role
from samspil.outcomes.models import Export
from samspil.outcomes.tests import factories

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def consented(personas, branch, other_branch, org, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    h, e = factories.world(personas["coordinator"], branch, other_branch)
    coordinator = personas["coordinator"]
    # H8 consents as a household, H9's parent alone; nobody else.
    h[8].consents.create(purpose="evaluation", given_by="Anna Otte", given_on="2025-03-01",
                         recorded_by=coordinator)
    h[9].consents.create(purpose="evaluation", person=factories.parent(h[9]),
                         given_by="Anna Ni", given_on="2024-02-01", recorded_by=coordinator)
    # H1 consented and withdrew.
    h[1].consents.create(purpose="evaluation", given_by="Anna Et", given_on="2025-03-01",
                         withdrawn_on="2025-04-01", recorded_by=coordinator)
    return factories.programme(org), h, e


def _export(user, programme) -> dict[str, list[dict]]:
    client = client_for(user)
    with override_settings(TASKS=IMMEDIATE):
        response = client.post(reverse("outcomes:exports"), {"programme": programme.pk})
    export = Export.objects.filter(requested_by=user).latest("id")
    assert response.status_code == 302 and export.status == "done"
    page = client.get(reverse("outcomes:export_detail", args=[export.pk])).content.decode()
    assert "The export is ready." in page
    download = client.get(reverse("outcomes:export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    tables = {}
    for name in archive.namelist():
        if name.endswith(".csv"):
            text = archive.read(name).decode()
            tables[name[:-4]] = list(csv.DictReader(io.StringIO(text)))
            parquet = pq.read_table(io.BytesIO(archive.read(name[:-4] + ".parquet")))
            assert parquet.num_rows == len(tables[name[:-4]])
    tables["codebook"] = archive.read("codebook.md").decode()
    return tables


def test_only_people_who_consented_are_exported(personas, consented):
    programme, h, e = consented
    tables = _export(personas["evaluator"], programme)
    persons = tables["persons"]
    # H8: the household's consent covers its one member; H9: only the parent.
    assert len(persons) == 2
    assert {p["role"] for p in persons} == {"parent"}
    assert sorted(p["birth_year"] for p in persons) == ["1985", "1985"]
    assert len(tables["households"]) == 2
    assert {r["type"] for r in tables["engagements"]} == {"job_mentor", "family_friend"}
    assert len(tables["engagements"]) == 2  # H8's job mentor, H9's family friend
    # H9's children's school answers are not theirs to give: only the parents' responses.
    assert {r["instrument"] for r in tables["responses"]} == {"benefit", "who5", "work_status"}
    # H8: WHO-5 start and end, benefit, work at +12; H9 parent: WHO-5 start and end, benefit.
    assert len(tables["responses"]) == 4 + 3


def test_nothing_identifying_is_in_any_file(personas, consented):
    programme, h, e = consented
    tables = _export(personas["evaluator"], programme)
    text = repr(tables)
    for forbidden in ["Otte", "Anna", "Egevej", "2610", "+4520123456", "1985-03-14"]:
        assert forbidden not in text, forbidden
    columns = {c for rows in tables.values() if isinstance(rows, list) and rows for c in rows[0]}
    assert not columns & {"name", "first_name", "address", "phone", "email", "cpr",
                          "birth_date", "postcode"}
    for table in ["households", "persons", "engagements", "meetings", "responses",
                  "participation"]:
        assert f"## {table}.csv" in tables["codebook"]


def test_pseudonyms_join_across_exports_to_one_evaluator_but_not_two(personas, consented, org):
    programme, h, e = consented
    first = _export(personas["evaluator"], programme)
    second = _export(personas["evaluator"], programme)
    other = _export(make_user("eve", org, Role.EVALUATOR), programme)
    ids = lambda t: sorted(p["person"] for p in t["persons"])  # noqa: E731
    assert ids(first) == ids(second)
    assert not set(ids(first)) & set(ids(other))
    # Within one export the files join: every response's person is in persons.
    assert {r["person"] for r in first["responses"]} <= set(ids(first))


def test_each_export_and_download_is_logged(personas, consented):
    programme, h, e = consented
    _export(personas["evaluator"], programme)
    events = AuditEvent.objects.filter(actor=personas["evaluator"], action="export",
                                       object_type="outcomes.export")
    assert sorted(ev.summary for ev in events) == ["pseudonymised dataset downloaded",
                                                   "pseudonymised dataset requested"]


def test_another_evaluators_export_is_not_found(personas, consented, org):
    programme, h, e = consented
    _export(personas["evaluator"], programme)
    export = Export.objects.get()
    other = client_for(make_user("eve", org, Role.EVALUATOR))
    assert other.get(reverse("outcomes:export_download", args=[export.pk])).status_code == 404
    assert other.get(reverse("outcomes:export_detail", args=[export.pk])).status_code == 404


def test_participation_is_exported_for_consenting_people_only(personas, consented, branch):
    import datetime

    from samspil.activities.tests import factories as act

    programme, h, e = consented
    cafe = act.make_activity(branch, code="cafe_meeting", sessions=(datetime.date(2025, 5, 1),))
    session = cafe.sessions.get()
    for household in (h[8], h[1]):  # H8 consented, H1 withdrew
        for participant in act.signed_up(cafe, household).participants.all():
            act.mark(session, participant)
    tables = _export(personas["evaluator"], programme)
    rows = tables["participation"]
    assert len(rows) == 1
    assert rows[0]["activity_kind"] == "cafe_meeting" and rows[0]["present"] == "True"
    assert rows[0]["person"] in {p["person"] for p in tables["persons"]}
