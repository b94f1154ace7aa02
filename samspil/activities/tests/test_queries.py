"""The activity pages run a fixed number of SQL queries, however many rows they show: render
with few rows, add rows, render again, expect the same exact number."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.activities.tests.factories import TODAY, join, make_activity, make_network, signed_up
from samspil.conftest import client_for, make_household
from samspil.engagements.tests.factories import make_volunteer

# Every logged-in request starts with two: the session, then the user.
EXPECTED = {
    "list": 3,  # + the activities with places taken and waiting counts (branches subquery)
    # + activity (with places taken and waiting), sessions with their counts, sign-ups, their
    # participants with members, places taken, first session (deadline), attendance rate,
    # volunteers in charge, the households for the link choice, the branch scope
    "detail": 13,
    "networks": 3,  # + the networks with member counts
    "network_detail": 7,
    "attendance": 7,  # + activity, session, ticks, sign-ups, participants with members
    "participation": 9,  # with the audit chain's head (core/audit_chain.py)
    "mine": 4,  # + the volunteer's activities, their sessions (one query for all)
}


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def world(personas, branch):
    coordinator = personas["coordinator"]
    frida = make_volunteer(branch, user=personas["volunteer"], first="Frida")
    activity = make_activity(branch, sessions=(TODAY,), capacity=100)
    activity.volunteers.set([frida])
    network = make_network(branch)
    household = make_household(coordinator, branch)
    return coordinator, frida, activity, network, household


def add_rows(coordinator, branch, frida, activity, network, household, n: int) -> None:
    for i in range(n):
        h = make_household(coordinator, branch, last=f"Familie{i}")
        signed_up(activity, h)
        join(network, h, datetime.date(2026, 1, 1))
        other = make_activity(branch, title=f"Café {i}", sessions=(TODAY,))
        other.volunteers.set([frida])
        signed_up(other, household)


def test_page_query_counts_do_not_grow_with_rows(personas, branch, world):
    coordinator, frida, activity, network, household = world
    session = activity.sessions.get()
    urls = {
        "list": (coordinator, reverse("activities:list")),
        "detail": (coordinator, reverse("activities:detail", args=[activity.pk])),
        "networks": (coordinator, reverse("activities:networks")),
        "network_detail": (coordinator, reverse("activities:network_detail",
                                                args=[network.pk])),
        "attendance": (personas["volunteer"],
                       reverse("activities:attendance", args=[activity.pk, session.pk])),
        "participation": (coordinator, reverse("activities:participation",
                                               args=[household.pk])),
        "mine": (personas["volunteer"], reverse("activities:mine")),
    }
    add_rows(coordinator, branch, frida, activity, network, household, 2)
    few = {name: count(client_for(user), url) for name, (user, url) in urls.items()}
    add_rows(coordinator, branch, frida, activity, network, household, 6)
    many = {name: count(client_for(user), url) for name, (user, url) in urls.items()}
    assert few == many
    assert few == EXPECTED
