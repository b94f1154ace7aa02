"""The partners pages run a fixed number of SQL queries, however many rows they show.

Render with few rows, add rows, render again, expect the same exact number. What each query is
for is written beside the number.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspil.conftest import client_for, make_household
from samspil.partners import services
from samspil.partners.models import Partner
from samspil.partners.tests.conftest import give_consent
from samspil.partners.tests.factories import refer

# Every logged-in request starts with two: the session, then the user. An audit row is two
# queries: the audit chain's head (core/audit_chain.py), then the insert.
PARTNER_LIST_QUERIES = 3  # + the partners (municipality and linked organisation joined)
# + count, one page of referrals (household, partner, parent joined), the user's branches are
# a subquery
REFERRAL_LIST_QUERIES = 4
# + the caseworker's organisation, the audit row (search), count, one page of households
# (organisation and branch joined)
CASEWORKER_LIST_QUERIES = 7
# + the organisation, the household (rule as one query), audit row, the referrals, the
# engagements with their meeting figures (one aggregate query), the plan
CASEWORKER_HOUSEHOLD_QUERIES = 9
# + household (registry gatekeeper), audit row, plan, goals, actions (owners joined),
# reviews, changes, the people in the plan: members, running engagements' volunteers,
# coordinators, the municipality's organisations and one check for each (here one),
# caseworkers; and the goals for the action form's choices
PLAN_QUERIES = 17


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_partners(org, n, start=0):
    for i in range(start, start + n):
        Partner.objects.create(organisation=org, kind="school", name=f"Skole {i}")


def test_partner_list(coordinator, org):
    client = client_for(coordinator)
    add_partners(org, 2)
    few = count(client, reverse("partners:list"))
    add_partners(org, 30, start=2)
    assert few == count(client, reverse("partners:list")) == PARTNER_LIST_QUERIES


def add_referrals(coordinator, branch, partner, n, start=0):
    for i in range(start, start + n):
        household = make_household(coordinator, branch, last=f"Familie{i}", children=0)
        give_consent(coordinator, household)
        refer(coordinator, household, partner)


def test_referral_list(coordinator, branch, job_centre):
    client = client_for(coordinator)
    add_referrals(coordinator, branch, job_centre, 2)
    few = count(client, reverse("partners:referrals"))
    add_referrals(coordinator, branch, job_centre, 28, start=2)
    assert few == count(client, reverse("partners:referrals")) == REFERRAL_LIST_QUERIES


def test_caseworker_list(caseworker, coordinator, branch, job_centre):
    client = client_for(caseworker)
    add_referrals(coordinator, branch, job_centre, 2)
    few = count(client, reverse("partners:caseworker_households"))
    add_referrals(coordinator, branch, job_centre, 28, start=2)
    assert few == count(client, reverse("partners:caseworker_households")) == \
        CASEWORKER_LIST_QUERIES


def test_caseworker_household(caseworker, coordinator, shared_household, job_centre):
    client = client_for(caseworker)
    url = reverse("partners:caseworker_household", args=[shared_household.pk])
    refer(coordinator, shared_household, job_centre)
    few = count(client, url)
    for _ in range(5):
        refer(coordinator, shared_household, job_centre, help_kind="network")
    assert few == count(client, url) == CASEWORKER_HOUSEHOLD_QUERIES


@pytest.mark.parametrize("actions", [1, 12])
def test_plan_page(coordinator, caseworker, shared_household, job_centre, today, actions):
    client = client_for(coordinator)
    parent = shared_household.members.filter(role="parent").first()
    for g in range(3):
        goal = services.plan_goal_add(actor=coordinator, household=shared_household,
                                      area="work", text=f"Mål {g}")
        for a in range(actions):
            services.plan_action_add(
                actor=coordinator, household=shared_household, goal=goal, text=f"Handling {a}",
                owner=f"user:{caseworker.pk}" if a % 2 else f"member:{parent.pk}",
                due_on=today + datetime.timedelta(days=a))
        services.plan_review_record(actor=coordinator, household=shared_household,
                                    held_on=today, participants="A", record="B")
    url = reverse("partners:plan", args=[shared_household.pk])
    assert count(client, url) == PLAN_QUERIES
