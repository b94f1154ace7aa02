"""The registry pages run a fixed number of SQL queries, however many rows they show (no N+1).

Each test renders a page with few rows, adds rows, renders it again and expects the same, exact
number of queries both times. The numbers are written out with what each query is for, so a new
query on a page is a conscious change here, not a surprise in `make bench`.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from samspil.conftest import client_for, make_household
from samspil.households import services
from samspil.households.models import ConsentPurpose, Household, LifeArea

# Every logged-in request starts with two: the session, then the user.
LIST_QUERIES = 5  # + count, one page of households (postcode, branch joined), their members
# An audit row is two queries: the chain's head (hash of the newest entry), then the insert.
SEARCH_QUERIES = 7  # the list's 5 + the search's audit row
# + household (postcode, branch joined), audit row, latest assessment, its ratings, members,
# consents (person joined), municipality, its Christmas-aid applications (christmas section)
DETAIL_QUERIES = 11
MEMBERS_QUERIES = 6  # + household, audit row, members for the formset
# + household, audit row, consents (person joined), members for the select
CONSENTS_QUERIES = 7
# + household, audit row, assessments (assessor joined), their ratings
NEEDS_QUERIES = 7
AUDIT_QUERIES = 5  # + household (no audit row of its own), count, one page of events (actor)

FEW, MANY = 2, 30  # MANY is more than one page
assert MANY > settings.PAGE_SIZE


def add_households(actor, branch, count: int) -> None:
    for i in range(count):
        make_household(actor, branch, last="Jensen", address=f"Egevej {i + 1}", children=1 + i % 3)


def test_the_list_runs_the_same_queries_for_2_and_30_households(
    coordinator, branch, django_assert_num_queries
):
    client = client_for(coordinator)
    url = reverse("households:list")
    add_households(coordinator, branch, FEW)
    with django_assert_num_queries(LIST_QUERIES) as few:
        response = client.get(url)
    assert len(response.context["page"].object_list) == FEW

    add_households(coordinator, branch, MANY - FEW)
    with django_assert_num_queries(LIST_QUERIES) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == settings.PAGE_SIZE
    assert len(few) == len(many)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url, {"page": 2})
    assert len(response.context["page"].object_list) == MANY - settings.PAGE_SIZE


def test_a_search_runs_the_same_queries_for_2_and_30_matches(
    coordinator, branch, django_assert_num_queries
):
    client = client_for(coordinator)
    url = reverse("households:list")
    add_households(coordinator, branch, FEW)
    with django_assert_num_queries(SEARCH_QUERIES) as few:
        response = client.get(url, {"q": "Jensen Anna"})
    assert response.context["page"].paginator.count == FEW

    add_households(coordinator, branch, MANY - FEW)
    with django_assert_num_queries(SEARCH_QUERIES) as many:
        response = client.get(url, {"q": "Jensen Anna"})
    assert response.context["page"].paginator.count == MANY
    assert len(response.context["page"].object_list) == settings.PAGE_SIZE
    assert len(few) == len(many)


PURPOSES = [ConsentPurpose.REGISTRATION, ConsentPurpose.EVALUATION, ConsentPurpose.MUNICIPALITY,
            ConsentPurpose.PHOTOS]


def household_with(actor, branch, size: int) -> Household:
    """A household of `size` members, with `size` consents and `size` needs assessments."""
    household = make_household(actor, branch, last=f"Familie{size}", children=size - 1)
    members = list(household.members.all())
    for i in range(size):
        services.consent_record(
            actor=actor, household=household, person=members[i] if i % 2 else None,
            purpose=PURPOSES[i % len(PURPOSES)],
            given_by="Anna", given_on=datetime.date(2026, 1, 1 + i),
        )
        services.needs_assessment_record(
            actor=actor, household=household, assessed_on=datetime.date(2026, 2, 1 + i),
            ratings=[(area, i % 4, "") for area in LifeArea.values[: 3 + i]],
        )
    return household


@pytest.mark.parametrize("tab, expected", [
    ("detail", DETAIL_QUERIES),
    ("members", MEMBERS_QUERIES),
    ("consents", CONSENTS_QUERIES),
    ("needs", NEEDS_QUERIES),
    ("audit", AUDIT_QUERIES),
])
def test_a_household_tab_runs_the_same_queries_for_2_and_6_rows(
    tab, expected, coordinator, branch, django_assert_num_queries
):
    client = client_for(coordinator)
    small = household_with(coordinator, branch, FEW)
    large = household_with(coordinator, branch, 6)
    counts = []
    for household in (small, large):
        with django_assert_num_queries(expected) as captured:
            response = client.get(reverse(f"households:{tab}", args=[household.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    # The rows are really there (and so are their audit rows).
    assert [small.members.count(), large.members.count()] == [FEW, 6]
    assert [small.consents.count(), large.consents.count()] == [FEW, 6]
    assert [small.assessments.count(), large.assessments.count()] == [FEW, 6]
