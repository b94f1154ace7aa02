"""The engagement pages run a fixed number of SQL queries, however many rows they show.

As in households/tests/test_queries.py: render with few rows, add rows, render again, expect
the same exact number. What each query is for is written beside the number.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from samspil.conftest import client_for, make_household
from samspil.engagements import services
from samspil.engagements.models import Engagement, Meeting
from samspil.engagements.tests.factories import (
    STARTED_ON,
    TODAY,
    make_volunteer,
    row,
    walk_to,
)

# Every logged-in request starts with two: the session, then the user. An audit row is two
# queries: the audit chain's head (core/audit_chain.py), then the insert.
# + count, one page of engagements (household with postcode, parent, volunteer and branch
# joined), the branches for the filter
LIST_QUERIES = 5
WAITING_QUERIES = 5  # the same, on referred and waiting engagements
# + engagement (joined as in the list), audit row, goals, history (by joined), the latest
# meetings (logged_by joined), the meeting totals
ACTIVE_DETAIL_QUERIES = 9
# and for a waiting engagement, the manual match: household members (for the children's ages),
# the branch's active volunteers with their load, their certificates
WAITING_DETAIL_QUERIES = 12
MINE_QUERIES = 3  # + the volunteer's engagements (joined as in the list)
# + engagement, audit row, household members, goals, the latest meetings, the meeting totals
MY_DETAIL_QUERIES = 9
LOG_MEETING_QUERIES = 5  # + engagement, audit row
# + engagement; the service's savepoint, the locked engagement, the minutes constraint check
# (in its own savepoint: 3), the meeting, its audit row, the savepoint released
# with the restriction check (privacy) and the audit chain's head
LOG_MEETING_POST_QUERIES = 13

FEW, MANY = 2, 30
assert MANY > settings.PAGE_SIZE


def add_engagements(branch, actor, volunteer, count: int, *, start: int = 0) -> None:
    """A mix of types and states, one household each."""
    for i in range(start, start + count):
        household = make_household(actor, branch, last=f"Familie{i}", address=f"Egevej {i}")
        kind = ["family_friend", "job_mentor", "workplace_mentor"][i % 3]
        started = STARTED_ON if i % 2 else None
        ended = TODAY if i % 4 == 1 else None
        row(household, volunteer, type=kind, started=started, ended=ended)


@pytest.mark.parametrize("name, expected", [
    ("engagements:list", LIST_QUERIES), ("engagements:waiting", WAITING_QUERIES),
])
def test_the_coordinators_lists_run_the_same_queries_for_2_and_30(
    name, expected, coordinator, branch, django_assert_num_queries
):
    client = client_for(coordinator)
    volunteer = make_volunteer(branch)
    url = reverse(name)
    add_engagements(branch, coordinator, volunteer, FEW)
    with django_assert_num_queries(expected) as few:
        response = client.get(url)
    assert response.context["page"].paginator.count >= 1

    add_engagements(branch, coordinator, volunteer, MANY - FEW, start=FEW)
    with django_assert_num_queries(expected) as many:
        response = client.get(url)
    assert len(few) == len(many)
    if name == "engagements:list":
        assert len(response.context["page"].object_list) == settings.PAGE_SIZE
        with django_assert_num_queries(expected):
            response = client.get(url, {"page": 2})
        assert len(response.context["page"].object_list) == MANY - settings.PAGE_SIZE


def fill(engagement, actor, volunteer_user, size: int) -> None:
    """`size` goals and `size` meetings (dated from the start on)."""
    for i in range(size):
        services.goal_add(actor=actor, engagement=engagement, area="work", text=f"Skridt {i}")
        Meeting.objects.create(engagement=engagement, minutes=30 + i, kind="home_visit",
                               date=STARTED_ON + datetime.timedelta(days=i),
                               areas=["work", "school"], logged_by=volunteer_user)


@pytest.mark.parametrize("state, expected", [
    ("active", ACTIVE_DETAIL_QUERIES), ("waiting", WAITING_DETAIL_QUERIES),
])
def test_the_engagement_page_runs_the_same_queries_for_2_and_30_rows(
    state, expected, coordinator, branch, personas, django_assert_num_queries
):
    client = client_for(coordinator)
    counts = []
    for size in (FEW, MANY):
        volunteers = [make_volunteer(branch, first=f"V{size}-{i}") for i in range(size)]
        engagement = walk_to(state, actor=coordinator, volunteer=volunteers[0],
                             household=make_household(coordinator, branch, last=f"F{size}"))
        fill(engagement, coordinator, personas["volunteer"], size)
        with django_assert_num_queries(expected) as captured:
            response = client.get(reverse("engagements:detail", args=[engagement.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
        if state == "waiting":
            match = next(m for m in response.context["moves"] if m["name"] == "match")
            assert match["form"].volunteer_count >= size  # all of them passed the rules
    assert counts[0] == counts[1]


def test_the_volunteers_pages_run_the_same_queries_for_2_and_30_rows(
    coordinator, branch, volunteer, personas, django_assert_num_queries
):
    frida = personas["volunteer"]
    client = client_for(frida)
    for size in (FEW, MANY):
        # `size` families (mine), one of them with `size` goals and meetings.
        households = [make_household(coordinator, branch, last=f"Fam{size}-{i}")
                      for i in range(size)]
        engagements = [row(h, volunteer, started=STARTED_ON) for h in households]
        fill(engagements[0], coordinator, frida, size)
        with django_assert_num_queries(MINE_QUERIES):
            response = client.get(reverse("engagements:mine"))
        assert len(response.context["current"]) >= size
        with django_assert_num_queries(MY_DETAIL_QUERIES):
            response = client.get(reverse("engagements:my_detail", args=[engagements[0].pk]))
        assert response.context["totals"].count == size
        with django_assert_num_queries(LOG_MEETING_QUERIES):
            response = client.get(reverse("engagements:log_meeting", args=[engagements[0].pk]))
        assert response.status_code == 200
        with django_assert_num_queries(LOG_MEETING_POST_QUERIES):
            response = client.post(
                reverse("engagements:log_meeting", args=[engagements[0].pk]),
                {"date": TODAY.isoformat(), "minutes": "60", "kind": "home_visit",
                 "areas": ["work"]})
        assert response.status_code == 302
        assert Engagement.objects.get(pk=engagements[0].pk).meetings.count() == size + 1
