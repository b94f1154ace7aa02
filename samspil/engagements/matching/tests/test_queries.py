"""The matching pages run a fixed number of SQL queries, however many volunteers or
proposals there are (no N+1). The numbers are written out with what each query is for."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from samspil.conftest import client_for
from samspil.engagements.matching import services
from samspil.engagements.matching.tests import factories as f

# Every logged-in request starts with two: the session, then the user.
# + the engagement (scoped), its audit row; the engagement's row, children and latest needs;
# the volunteers within 40 km (with their family time), their certificates and load; the
# suggested volunteers' names.
SUGGESTIONS_QUERIES = 12  # with the audit chain's head (core/audit_chain.py)
# With fewer than ten suitable volunteers within 40 km, the volunteers, certificates and load
# are read again within 120 km, then for the whole organisation.
SUGGESTIONS_QUERIES_WIDENED = SUGGESTIONS_QUERIES + 2 * 3
# + count and one page of waiting engagements, the branches for the plan form, the plans.
INDEX_QUERIES = 6
# + the plan (with counts), count and one page of proposals (engagement, household, parent,
# volunteer, branch and postcode joined), the audit row.
PLAN_QUERIES = 7  # with the audit chain's head


def add_volunteers(branch, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        f.volunteer(branch, first=f"V{i}", capacity=1 + i % 2,
                    slots=[(i % 7, datetime.time(15), datetime.time(18))],
                    skills=["homework", "job_search"] if i % 2 else ["homework"],
                    languages=["da", "ar"])


@pytest.fixture(autouse=True)
def postcodes_cached(db):
    """Postcode centres are reference data, read once per process (tables.postcode_points):
    read them before counting, so the counts do not depend on which test ran first."""
    from samspil.engagements.matching import tables

    tables.postcode_points(["2610"])


@pytest.fixture
def family(branch, coordinator):
    h = f.household(branch, name="Hansen", needs={"school": 2, "work": 1}, assessor=coordinator)
    return f.engagement(h)


def test_suggestions_run_the_same_queries_for_12_and_40_volunteers(
    coordinator, branch, family, django_assert_num_queries
):
    client = client_for(coordinator)
    url = reverse("matching:suggestions", args=[family.pk])
    add_volunteers(branch, 12)
    with django_assert_num_queries(SUGGESTIONS_QUERIES):
        response = client.get(url)
    assert len(response.context["found"].rows) == 10
    add_volunteers(branch, 28, start=12)
    with django_assert_num_queries(SUGGESTIONS_QUERIES):
        response = client.get(url)
    assert len(response.context["found"].rows) == 10


def test_suggestions_with_few_volunteers_near_read_all_in_a_fixed_number_of_queries(
    coordinator, branch, family, django_assert_num_queries
):
    client = client_for(coordinator)
    url = reverse("matching:suggestions", args=[family.pk])
    for count in (2, 3):
        add_volunteers(branch, 1 if count == 3 else 2, start=count)
        with django_assert_num_queries(SUGGESTIONS_QUERIES_WIDENED):
            response = client.get(url)
        assert len(response.context["found"].rows) == count


def test_the_index_runs_the_same_queries_for_2_and_30_waiting(
    coordinator, branch, django_assert_num_queries
):
    client = client_for(coordinator)
    for n in (2, 28):
        for i in range(n):
            f.engagement(f.household(branch, name=f"F{n}-{i}"))
        services.match_plan_create(actor=coordinator, branch=branch)
        with django_assert_num_queries(INDEX_QUERIES):
            response = client.get(reverse("matching:index"))
        assert response.status_code == 200


def test_the_plan_runs_the_same_queries_for_few_and_many_proposals(
    coordinator, branch, django_assert_num_queries
):
    client = client_for(coordinator)
    add_volunteers(branch, 40)  # 60 places, family friends only
    counts = {}
    for n in (2, 58):
        for i in range(n):
            # Every other one a job mentor engagement, which nobody takes: some unmatched.
            f.engagement(f.household(branch, name=f"F{n}-{i}"),
                         type="family_friend" if i % 2 else "job_mentor")
        plan = services.match_plan_create(actor=coordinator, branch=branch)
        for show in ("", "unmatched"):
            with django_assert_num_queries(PLAN_QUERIES):
                response = client.get(reverse("matching:plan", args=[plan.pk]), {"show": show})
            counts[n, show] = len(response.context["page"].object_list)
    assert counts == {(2, ""): 1, (2, "unmatched"): 1, (58, ""): 30, (58, "unmatched"): 30}
