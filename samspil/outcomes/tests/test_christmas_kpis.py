"""Reach through Christmas aid (Programme.counts_christmas_aid), on hand-made data.

Expected by hand: the Hansen household (the applicant and two children, born 2015 and 2019)
is granted Christmas aid on 10 March 2026; the Jensen household (one parent, one child) on
15 December 2023, before the programme; Olsen's application is rejected. With the setting on,
reach is 0 on 9 March 2026 and 3 (1 parent, 2 children) from 10 March on; with it off, 0. A
family-friend engagement of the Hansen household that started later (1 May 2026) does not
move its members' date: they count once, from the earlier decision.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samspil.christmas import services as christmas_services
from samspil.christmas.models import Application
from samspil.christmas.tests.factories import NOW, make_application, make_round
from samspil.engagements.tests.factories import make_volunteer, row
from samspil.outcomes import kpis
from samspil.outcomes.tests import factories

d = datetime.date


def _decided(application, day):
    Application.objects.filter(pk=application.pk).update(decided_at=timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(10))))


@pytest.fixture
def granted(org, branch, other_branch, personas, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    round = make_round(org)
    hansen = make_application(round)
    jensen = make_application(round, first="Jens", last="Jensen", children=(2016,),
                              birth=d(1980, 1, 2), address="Bøgevej 3")
    olsen = make_application(round, first="Ole", last="Olsen", birth=d(1979, 5, 6),
                             address="Askevej 9")
    admin = personas["org_admin"]
    for application in (hansen, jensen):
        christmas_services.application_grant(actor=admin, application=application,
                                             branch=branch)
    christmas_services.application_reject(actor=admin, application=olsen, reason="Dublet")
    _decided(hansen, d(2026, 3, 10))
    _decided(jensen, d(2023, 12, 15))
    hansen.refresh_from_db()
    return hansen


def test_granted_christmas_aid_counts_when_the_programme_says_so(org, granted):
    programme = factories.programme(org, engagement_types=["family_friend"],
                                    counts_christmas_aid=True)
    rows = kpis.reach(programme, d(2026, 6, 15))
    assert rows.value(d(2026, 3, 9)) == 0
    assert rows.value(d(2026, 3, 10)) == 3
    assert rows.value(d(2026, 6, 15), group="parent") == 1
    assert rows.value(d(2026, 6, 15), group="child") == 2


def test_christmas_aid_does_not_count_by_default(org, granted):
    programme = factories.programme(org, engagement_types=["family_friend"])
    assert kpis.reach(programme, d(2026, 6, 15)).value(d(2026, 6, 15)) == 0


def test_a_member_counts_once_from_the_earlier_of_aid_and_engagement(org, branch, granted):
    programme = factories.programme(org, engagement_types=["family_friend"],
                                    counts_christmas_aid=True)
    row(granted.household, make_volunteer(branch, first="Vera"), started=d(2026, 5, 1))
    rows = kpis.reach(programme, d(2026, 6, 15))
    assert rows.value(d(2026, 3, 10)) == 3
    assert rows.value(d(2026, 6, 15)) == 3
    # Family-friend families still count from the engagement only.
    assert kpis.family_friend_families(programme, d(2026, 6, 15)).value(d(2026, 4, 30)) == 0


def test_the_organisation_administrator_sets_it_under_targets_and_period(org, personas):
    from django.urls import reverse

    from samspil.conftest import client_for

    programme = factories.programme(org)
    client = client_for(personas["org_admin"])
    response = client.post(reverse("outcomes:targets", args=[programme.pk]), {
        "starts_on": "2024-01-01", "ends_on": "2028-12-31", "counts_christmas_aid": "on"})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.counts_christmas_aid
