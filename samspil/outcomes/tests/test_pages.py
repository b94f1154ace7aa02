"""The dashboard and its downloads: exact figures for the organisation administrator,
suppressed ones for everyone else and in every file; query counts."""

from __future__ import annotations

import io
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.conftest import client_for
from samspil.outcomes.tests import factories
from samspil.outcomes.tests.factories import ON


@pytest.fixture
def data(personas, branch, other_branch, org):
    factories.world(personas["coordinator"], branch, other_branch)
    return factories.programme(org)


@pytest.fixture(autouse=True)
def today():
    with mock.patch("samspil.outcomes.views.timezone.localdate", return_value=ON):
        yield


def section(body: str, heading: str) -> str:
    start = body.index(f">{heading}</h2>")
    end = body.find("<section", start)
    return body[start:end]


def values(html: str) -> list[str]:
    return re.findall(r'<p class="kpi-value"><strong>([^<]*)</strong>', html)


def test_the_organisation_administrator_sees_exact_figures(personas, data):
    body = client_for(personas["org_admin"]).get(reverse("outcomes:dashboard")).content.decode()
    assert "You see exact figures." in body
    reach = section(body, "Participants reached")
    assert values(reach) == ["10"] and "of the target 4000" in reach
    assert "0.2 % of the way" in reach  # 10 of 4,000 = 0.25 %, rounded to one decimal
    assert values(section(body, "Parents with a job or education mentor")) == ["4"]
    work = section(body, "Mentored parents in work or education one year after the start")
    assert values(work) == ["50 %"]
    assert "n = 3 eligible, 2 answered (response rate 66.7 %)" in work
    assert "<th scope=\"row\">Aarhus</th><td>2</td>" in reach


def test_the_evaluator_sees_small_numbers_hidden(personas, data):
    body = client_for(personas["evaluator"]).get(reverse("outcomes:dashboard")).content.decode()
    reach = section(body, "Participants reached")
    assert values(reach) == ["10"]
    # Aarhus 2 is small; Rødovre 8 is hidden with it, so 10 - 8 does not give Aarhus away.
    assert '<th scope="row">Aarhus</th><td>&lt;5</td>' in reach
    assert '<th scope="row">Rødovre</th><td>x</td>' in reach
    assert values(section(body, "Parents with a job or education mentor")) == ["&lt;5"]
    work = section(body, "Mentored parents in work or education one year after the start")
    assert values(work) == ["–"]


def test_a_coordinator_sees_her_own_branch_exactly_and_the_rest_protected(personas, data):
    body = client_for(personas["coordinator"]).get(reverse("outcomes:dashboard")).content.decode()
    reach = section(body, "Participants reached")
    assert '<th scope="row">Rødovre</th><td>8</td>' in reach
    assert '<th scope="row">Aarhus</th><td>&lt;5</td>' in reach
    # 10 in all would give Aarhus away as 10 - 8, so the total is hidden too.
    assert values(reach) == ["x"]


def test_the_breakdown_by_municipality(personas, data):
    url = reverse("outcomes:dashboard") + "?by=municipality"
    body = client_for(personas["org_admin"]).get(url).content.decode()
    reach = section(body, "Participants reached")
    assert '<th scope="row">Rødovre</th><td>8</td>' in reach
    assert '<th scope="row">Aarhus</th><td>2</td>' in reach


def test_the_evaluators_tables(personas, data):
    body = client_for(personas["org_admin"]).get(reverse("outcomes:dashboard")).content.decode()
    who5 = body[body.index("WHO-5 from start to end"):]
    assert "<td>2</td><td>46.0</td><td>54.0</td><td>8.0</td><td>50 %</td>" in who5


def test_the_funder_files_are_always_suppressed(personas, data):
    client = client_for(personas["org_admin"])
    csv_text = client.get(reverse("outcomes:report_csv", args=[data.pk])).content.decode(
        "utf-8-sig")
    assert "Parents with a job or education mentor,<5," in csv_text
    from openpyxl import load_workbook

    xlsx = client.get(reverse("outcomes:report_xlsx", args=[data.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {}
    for r in sheet.iter_rows(values_only=True):
        if r and r[0]:
            rows.setdefault(r[0], r[1])  # the summary comes first, the breakdowns after
    assert rows["Parents with a job or education mentor"] == "<5"
    assert rows["Participants reached"] == "10"
    pdf = client.get(reverse("outcomes:report_pdf", args=[data.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_dashboard_takes_a_fixed_number_of_queries(personas, data, branch):
    client = client_for(personas["org_admin"])
    client.get(reverse("outcomes:dashboard"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("outcomes:dashboard"))
    factories.world(personas["coordinator"], branch, branch)  # twice the data
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("outcomes:dashboard"))
    assert len(second) == len(first) <= 30


def test_the_due_list_takes_a_fixed_number_of_queries(personas, data, org):
    from samspil.outcomes import services

    services.questionnaires_schedule(organisation_id=org.pk)
    client = client_for(personas["coordinator"])
    client.get(reverse("outcomes:due"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("outcomes:due"))
    assert response.status_code == 200 and len(queries) <= 12
