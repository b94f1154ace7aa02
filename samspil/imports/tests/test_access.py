"""Every import and export URL as every role; the exports hold only what the user's own list
shows (never another organisation's rows, never a CPR number) and are audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samspil.activities.tests.factories import make_activity, signed_up
from samspil.conftest import client_for, make_household
from samspil.core.models import AuditEvent
from samspil.engagements.tests.factories import make_volunteer, walk_to
from samspil.households.models import Person
from samspil.imports import services
from samspil.imports.exports import EXAMPLES, write_csv

ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]
IMPORTERS = {"coordinator", "org_admin"}  # of the import's branch
PAGE_ROLES = IMPORTERS | {"other_branch_coordinator", "outsider"}  # coordinators all
COVERED_URLS = {"imports:jobs", "imports:job_detail", "imports:job_confirm", "imports:example",
                "imports:export"}


@pytest.fixture
def world(personas, branch, other_branch):
    coordinator = personas["coordinator"]
    household = make_household(coordinator, branch, last="Hemmeligsen", address="Skjultvej 7")
    Person.objects.filter(household=household).update(cpr_encrypted="")
    make_household(personas["outsider"], personas["outsider"].branches.first(),
                   last="Udenforsen", postcode="2100")
    volunteer = make_volunteer(branch, first="Frida")
    engagement = walk_to("active", actor=coordinator, household=household, volunteer=volunteer)
    activity = make_activity(branch, title="Hemmeligsens café")
    signed_up(activity, household)
    job = services.job_create(actor=coordinator, branch=branch, kind="households",
                              filename="f.csv", content=write_csv(EXAMPLES["households"][0],
                                                                  EXAMPLES["households"][1:]))
    return {"household": household, "engagement": engagement, "activity": activity,
            "job": job}


@pytest.mark.parametrize("role", ROLES)
def test_every_import_url_as_every_role(role, personas, world):
    client = client_for(personas[role])
    job = world["job"]
    for url in (reverse("imports:jobs"), reverse("imports:example", args=["households"])):
        expected = 200 if role in PAGE_ROLES else 403
        assert client.get(url).status_code == expected, (role, url)
    detail = client.get(reverse("imports:job_detail", args=[job.pk])).status_code
    confirm = client.post(reverse("imports:job_confirm", args=[job.pk])).status_code
    if role in IMPORTERS:
        assert detail == 200 and confirm == 302
    elif role in ("outsider", "other_branch_coordinator"):
        assert detail == 404 and confirm == 404, role
    else:
        assert detail == 403 and confirm == 403, role
    for name in ("households", "volunteers", "engagements"):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("imports:export", args=[name, fmt]))
            assert response.status_code == (200 if role in PAGE_ROLES else 403), (role, name)


def test_anonymous_users_log_in(world):
    response = client_for(None).get(reverse("imports:jobs"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_exports_hold_only_the_users_own_rows_and_are_audited(personas, world):
    coordinator = client_for(personas["coordinator"])
    rows = _csv_rows(coordinator.get(reverse("imports:export", args=["households", "csv"])))
    names = [r[1] for r in rows[1:]]
    assert any("Hemmeligsen" in n for n in names)
    assert not any("Udenforsen" in n for n in names)
    event = AuditEvent.objects.filter(action="export", object_type="households.household").get()
    assert event.actor == personas["coordinator"] and "1 rows" in event.summary
    outsider = client_for(personas["outsider"])
    for name in ("households", "volunteers", "engagements"):
        body = outsider.get(reverse("imports:export", args=[name, "csv"]))
        assert "Hemmeligsen" not in body.content.decode("utf-8-sig")
        assert "Frida" not in body.content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(coordinator.get(
        reverse("imports:export", args=["engagements", "xlsx"])).content))
    values = [[c for c in row] for row in book.active.iter_rows(values_only=True)]
    assert len(values) == 2 and "Frida Frivillig" in values[1]


def test_the_search_of_the_list_page_applies(personas, world):
    coordinator = client_for(personas["coordinator"])
    url = reverse("imports:export", args=["households", "csv"])
    assert len(_csv_rows(coordinator.get(url, {"q": "ingen-hedder-sådan"}))) == 1


def test_signups_of_an_activity_for_its_coordinators_only(personas, world):
    url = reverse("imports:export", args=["signups", "xlsx"])
    activity = world["activity"].pk
    response = client_for(personas["coordinator"]).get(url, {"activity": activity})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(list(book.active.iter_rows())) == 2
    for role in ("outsider", "other_branch_coordinator"):
        assert client_for(personas[role]).get(url, {"activity": activity}).status_code == 404
    assert client_for(personas["coordinator"]).get(url, {"activity": "x"}).status_code == 404


def test_no_cpr_number_leaves_in_an_export(personas, world):
    from samspil.households import cpr

    person = world["household"].members.first()
    person.cpr_encrypted = cpr.encrypt("0101901234")
    person.save()
    body = client_for(personas["coordinator"]).get(
        reverse("imports:export", args=["households", "csv"])).content.decode("utf-8-sig")
    assert "0101901234" not in body and "010190" not in body


def test_unknown_lists_and_formats_are_404(personas, world):
    client = client_for(personas["coordinator"])
    assert client.get(reverse("imports:export", args=["persons", "csv"])).status_code == 404
    assert client.get(reverse("imports:export", args=["households", "pdf"])).status_code == 404
    assert client.get(reverse("imports:example", args=["other"])).status_code == 404
