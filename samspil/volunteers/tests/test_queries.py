"""The volunteer pages run a fixed number of SQL queries, however many rows they show (no N+1).

Each test renders a page with few rows, adds rows, renders it again and expects the same, exact
number of queries both times. The numbers are written out with what each query is for.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from samspil.conftest import client_for
from samspil.volunteers import services
from samspil.volunteers.models import Volunteer
from samspil.volunteers.services import Slot
from samspil.volunteers.tests.factories import certify, give_load, make_volunteer

# Every logged-in request starts with two: the session, then the user. An audit row is two
# queries: the audit chain's head (core/audit_chain.py), then the insert.
# + count, one page of volunteers (branch, postcode joined; load as a subquery), their
# certificates
LIST_QUERIES = 5
SEARCH_QUERIES = 7  # the list's 5 + the search's audit row
# + volunteer (branch, postcode, municipality, login joined), audit row, certificates, slots,
# load
DETAIL_QUERIES = 8
AVAILABILITY_QUERIES = 6  # + volunteer, audit row, slots
SCREENING_QUERIES = 6  # + volunteer, audit row, certificates (assessor joined)
# + volunteer, audit row, branches for the select, logins for the select
EDIT_QUERIES = 7
OVERVIEW_QUERIES = 4  # + volunteers needing attention (branch joined), their certificates

FEW, MANY = 2, 30  # MANY is more than one page
assert MANY > settings.PAGE_SIZE
D = datetime.date


def add_volunteers(actor, branch, household, count: int, start: int = 0) -> None:
    """Volunteers with some load, a certificate, several skills and tags each."""
    for i in range(start, start + count):
        volunteer = make_volunteer(actor, branch, first_name=f"Frivillig{i:02d}", capacity=3,
                                   skills=["homework", "danish"], tags=["Syning", "Cykler"],
                                   roles=["family_friend", "job_mentor"])
        give_load(volunteer, household, i % 3)
        if i % 2:
            certify(actor, volunteer, received_on=D(2025, 1, 1) + datetime.timedelta(i))


@pytest.mark.parametrize("params, expected", [({}, LIST_QUERIES),
                                              ({"q": "frivillig"}, SEARCH_QUERIES)])
def test_the_list_runs_the_same_queries_for_2_and_30_volunteers(
    coordinator, branch, household, django_assert_num_queries, params, expected
):
    client = client_for(coordinator)
    url = reverse("volunteers:list")
    add_volunteers(coordinator, branch, household, FEW)
    with django_assert_num_queries(expected) as few:
        response = client.get(url, params)
    assert len(response.context["page"].object_list) == FEW

    add_volunteers(coordinator, branch, household, MANY - FEW, start=FEW)
    with django_assert_num_queries(expected) as many:
        response = client.get(url, params)
    rows = response.context["page"].object_list
    assert len(rows) == settings.PAGE_SIZE
    assert [v.load for v in rows[:4]] == [0, 1, 2, 0]
    assert len(few) == len(many)

    with django_assert_num_queries(expected):
        response = client.get(url, {**params, "page": 2})
    assert len(response.context["page"].object_list) == MANY - settings.PAGE_SIZE


def volunteer_with(actor, branch, household, size: int) -> Volunteer:
    """A volunteer with `size` slots, certificates and engagements."""
    volunteer = make_volunteer(actor, branch, first_name=f"Frivillig{size}", capacity=size,
                               user=None)
    services.availability_set(actor=actor, volunteer=volunteer, slots=[
        Slot(i, datetime.time(10), datetime.time(12)) for i in range(size)])
    for i in range(size):
        certify(actor, volunteer, received_on=D(2024, 1, 1) + datetime.timedelta(100 * i))
    give_load(volunteer, household, size)
    return volunteer


@pytest.mark.parametrize("name, expected", [
    ("detail", DETAIL_QUERIES),
    ("availability", AVAILABILITY_QUERIES),
    ("screening", SCREENING_QUERIES),
    ("edit", EDIT_QUERIES),
])
def test_a_volunteer_page_runs_the_same_queries_for_2_and_6_rows(
    coordinator, branch, household, django_assert_num_queries, name, expected
):
    client = client_for(coordinator)
    small = volunteer_with(coordinator, branch, household, FEW)
    large = volunteer_with(coordinator, branch, household, 6)
    counts = []
    for volunteer in (small, large):
        with django_assert_num_queries(expected) as captured:
            response = client.get(reverse(f"volunteers:{name}", args=[volunteer.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert [small.certificates.count(), large.certificates.count()] == [FEW, 6]
    assert [small.availability.count(), large.availability.count()] == [FEW, 6]


def test_the_certificate_overview_runs_the_same_queries_for_2_and_30_volunteers(
    coordinator, branch, household, django_assert_num_queries
):
    client = client_for(coordinator)
    url = reverse("volunteers:certificates")
    add_volunteers(coordinator, branch, household, FEW)
    with django_assert_num_queries(OVERVIEW_QUERIES) as few:
        response = client.get(url)
    assert response.context["page"].paginator.count >= FEW // 2

    add_volunteers(coordinator, branch, household, MANY - FEW, start=FEW)
    with django_assert_num_queries(OVERVIEW_QUERIES) as many:
        response = client.get(url)
    # At least the half without a certificate; those certified may be valid by now.
    assert response.context["page"].paginator.count >= MANY // 2
    assert len(few) == len(many)
