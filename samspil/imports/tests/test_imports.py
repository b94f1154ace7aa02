"""Imports: the dry run lists every problem and writes nothing; a valid file is written in one
go; duplicates are shown and not created; the mapping is saved per organisation; the pages
follow the background task; only the organisation's coordinators see an import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from samspil.conftest import client_for, make_household
from samspil.core import audit_chain
from samspil.core.models import AuditEvent
from samspil.engagements.models import Engagement
from samspil.engagements.tests.factories import make_volunteer
from samspil.households.models import Household, Person
from samspil.imports import services
from samspil.imports.exports import EXAMPLES, write_csv
from samspil.imports.models import ColumnMapping, ImportJob
from samspil.volunteers.models import Volunteer

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HEADER = EXAMPLES["households"][0]


def _csv(rows, header=HEADER) -> bytes:
    return write_csv(header, rows)


def _xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _noop(percent, step):
    pass


def _job(coordinator, branch, content, name="familier.csv", kind="households"):
    job = services.job_create(actor=coordinator, branch=branch, kind=kind, filename=name,
                              content=content)
    return services.job_map(actor=coordinator, job=job, mapping=job.columns)


def test_the_example_file_maps_itself_and_imports(coordinator, branch):
    job = _job(coordinator, branch, _csv(EXAMPLES["households"][1:]))
    assert set(job.columns) == {"household", "address", "postcode", "phone", "email", "role",
                                "first_name", "last_name", "birth_date", "gender"}
    job = services.check(job, _noop)
    assert job.status == "valid", job.problems
    assert job.created == {"households": 2, "persons": 4}
    assert not Household.objects.exists()  # the dry run writes nothing
    services.job_confirm(actor=coordinator, job=job)
    job = services.run(job, _noop)
    assert job.status == "done" and job.created["households"] == 2
    anna = Household.objects.get(address="Egevej 12")
    assert anna.display_name == "Anna Jensen" and anna.municipality_id == "0175"
    assert "liva" in anna.search_text and anna.phone == "+4520123456"
    assert [p.first_name for p in anna.members.order_by("id")] == ["Anna", "Liva"]
    assert AuditEvent.objects.filter(object_type="households.household", action="create",
                                     purpose="import").count() == 2
    assert audit_chain.verify().ok  # the bulk-inserted audit rows are linked into the chain
    assert bytes(ImportJob.objects.get().content) == b""  # the file is not kept


def test_the_dry_run_lists_every_problem_in_danish_and_writes_nothing(coordinator, branch):
    rows = [
        ["1", "Egevej 12", "9999", "12", "ikke-en-mail", "forælder", "Anna", "", "31-02-1990",
         "x"],
        ["1", "Egevej 12", "9999", "", "", "onkel", "Bo", "Jensen", "2090-01-01", ""],
        ["2", "Bøgevej 3", "2610", "", "", "barn", "Sara", "Hassan", "2012-05-03", ""],
    ]
    job = services.check(_job(coordinator, branch, _csv(rows)), _noop)
    assert job.status == "invalid"
    found = {(p["row"], p["column"], p["value"]): p["message"] for p in job.problems}
    assert found[(2, "Postnr", "9999")] == "9999 er ikke et dansk postnummer."
    assert (2, "Telefon", "12") in found and (2, "Email", "ikke-en-mail") in found
    assert (2, "Efternavn", "") in found and (2, "Fødselsdato", "31-02-1990") in found
    assert (2, "Køn", "x") in found
    assert (3, "Rolle", "onkel") in found
    assert found[(3, "Fødselsdato", "2090-01-01")] == "Datoen kan ikke ligge i fremtiden."
    # Household 2 has only a child.
    assert (4, "Rolle", "2") in found
    assert job.problem_count == len(job.problems) == 9
    services_refused = pytest.raises(ValidationError)
    with services_refused:
        services.job_confirm(actor=coordinator, job=job)
    assert not Household.objects.exists() and not Person.objects.exists()


def test_duplicates_of_existing_households_are_shown_not_created(coordinator, branch):
    existing = make_household(coordinator, branch, last="Jensen", address="Egevej 12")
    job = services.check(_job(coordinator, branch, _xlsx(EXAMPLES["households"][1:]),
                              name="familier.xlsx"), _noop)
    assert job.status == "valid"
    assert [(d["household"], d["existing_id"]) for d in job.duplicates] == [("1", existing.pk)]
    assert job.created == {"households": 1, "persons": 2}
    services.job_confirm(actor=coordinator, job=job)
    services.run(job, _noop)
    assert Household.objects.filter(address="Egevej 12").count() == 1
    assert Household.objects.filter(address="Bøgevej 3").count() == 1


def test_the_mapping_is_saved_for_the_organisation(coordinator, branch):
    header = ["Fam", "Gade", "Post", "Tlf", "Mail", "Type", "Fornavn", "Efternavn", "Født",
              "Køn"]
    job = services.job_create(actor=coordinator, branch=branch, kind="households",
                              filename="x.csv", content=_csv([], header=header))
    assert "household" not in job.columns
    with pytest.raises(ValidationError):
        services.job_map(actor=coordinator, job=job, mapping=job.columns)
    mapping = {"household": "Fam", "address": "Gade", "postcode": "Post", "role": "Type",
               "first_name": "Fornavn", "last_name": "Efternavn", "birth_date": "Født"}
    services.job_map(actor=coordinator, job=job, mapping=mapping)
    assert ColumnMapping.objects.get(organisation=coordinator.organisation).columns == mapping
    again = services.job_create(actor=coordinator, branch=branch, kind="households",
                                filename="y.csv", content=_csv([], header=header))
    assert again.columns["household"] == "Fam" and again.columns["address"] == "Gade"


def test_volunteers_go_through_the_volunteers_service(coordinator, branch):
    content = _csv(EXAMPLES["volunteers"][1:] + [["", "Uden", "", "", "0000", "pilot", "", "0"]],
                   header=EXAMPLES["volunteers"][0])
    job = services.check(_job(coordinator, branch, content, kind="volunteers"), _noop)
    assert job.status == "invalid"
    assert {p["column"] for p in job.problems if p["row"] == 4} >= {"Postnr", "Roller",
                                                                    "Kapacitet"}
    assert not Volunteer.objects.exists()
    job = services.check(_job(coordinator, branch, _csv(EXAMPLES["volunteers"][1:],
                                                        header=EXAMPLES["volunteers"][0]),
                              kind="volunteers"), _noop)
    assert job.status == "valid", job.problems
    assert not Volunteer.objects.exists()  # rolled back
    services.job_confirm(actor=coordinator, job=job)
    services.run(job, _noop)
    frida = Volunteer.objects.get(email="frida@example.dk")
    assert frida.roles == ["family_friend"] and frida.status == "active"


def test_engagements_with_their_dates(coordinator, branch):
    household = make_household(coordinator, branch)
    volunteer = make_volunteer(branch)
    volunteer.email = "vera@example.dk"
    volunteer.save()
    header = EXAMPLES["engagements"][0]
    rows = [[str(household.pk), "familieven", "", "vera@example.dk", "2025-01-10",
             "2025-02-01", "2025-12-01", ""],
            ["999999", "familieven", "", "", "2025-01-10", "", "", ""]]
    job = services.check(_job(coordinator, branch, _csv(rows, header=header),
                              kind="engagements"), _noop)
    assert [(p["row"], p["column"]) for p in job.problems] == [(3, "Husstand")]
    assert not Engagement.objects.exists()
    job = services.check(_job(coordinator, branch, _csv(rows[:1], header=header),
                              kind="engagements"), _noop)
    assert job.status == "valid", job.problems
    services.job_confirm(actor=coordinator, job=job)
    services.run(job, _noop)
    engagement = Engagement.objects.get()
    assert engagement.state == "ended" and str(engagement.started_on) == "2025-02-01"
    assert engagement.history.count() == 5  # referred, waiting, matched, active, ended


def test_the_pages_follow_the_background_task(coordinator, branch):
    client = client_for(coordinator, "da")
    upload = io.BytesIO(_csv(EXAMPLES["households"][1:]))
    upload.name = "familier.csv"
    response = client.post(reverse("imports:jobs"), {"kind": "households",
                                                     "branch": branch.pk, "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "Fødselsdato" in page  # the mapping form, with the file's columns
    form = {name: header for name, header in job.columns.items()}
    with override_settings(TASKS=IMMEDIATE):
        client.post(reverse("imports:job_detail", args=[job.pk]), form)
        job.refresh_from_db()
        assert job.status == "valid"
        status = client.get(reverse("imports:job_detail", args=[job.pk]),
                            headers={"HX-Request": "true"}).content.decode()
        assert 'id="import-status"' in status and "hx-get" not in status
        client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Household.objects.count() == 2


def test_a_running_import_is_polled(coordinator, branch):
    job = _job(coordinator, branch, _csv(EXAMPLES["households"][1:]))
    assert job.status == "checking"
    status = client_for(coordinator).get(reverse("imports:job_detail", args=[job.pk]),
                                         headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in status and "<progress" in status


def test_only_the_organisations_coordinators_see_an_import(coordinator, branch, personas):
    job = _job(coordinator, branch, _csv(EXAMPLES["households"][1:]))
    url = reverse("imports:job_detail", args=[job.pk])
    assert client_for(personas["org_admin"]).get(url).status_code == 200
    for role in ("outsider", "other_branch_coordinator"):
        assert client_for(personas[role]).get(url).status_code == 404, role
    for role in ("volunteer", "caseworker", "evaluator"):
        assert client_for(personas[role]).get(url).status_code == 403, role
    with pytest.raises(ValidationError):
        services.job_create(actor=personas["other_branch_coordinator"], branch=branch,
                            kind="households", filename="x.csv", content=_csv([]))


def test_a_broken_file_is_refused_with_a_message(coordinator, branch):
    client = client_for(coordinator)
    upload = io.BytesIO(b"PK\x03\x04 not really a workbook")
    upload.name = "familier.xlsx"
    response = client.post(reverse("imports:jobs"), {"kind": "households",
                                                     "branch": branch.pk, "file": upload})
    assert response.status_code == 200
    assert "could not be read as XLSX" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_benchmark_file_is_valid_and_imports(coordinator, branch):
    """bench/imports.py's generated XLSX, small: every row valid, the counts as asked."""
    import random

    from bench.imports import make_xlsx

    content = make_xlsx(random.Random(1), households=40, persons=120)
    job = services.check(_job(coordinator, branch, content, name="bench.xlsx"), _noop)
    assert job.status == "valid", job.problems[:3]
    assert job.created == {"households": 40, "persons": 120}
    services.job_confirm(actor=coordinator, job=job)
    services.run(job, _noop)
    assert Person.objects.count() == 120
