"""Reach through activities and the family-networks KPI, on hand-made data from the
activities app (samspil.activities.reports is the contract).

On top of factories.world (reach 10 on 2026-06-15):
- H10 (1 parent, 1 child), no engagement: the parent is present at a café meeting on
  2025-05-01, the child absent → +1 parent from 2025-05-01;
- one child of H1 (counted from its family friend start 2025-03-01) is present at a family
  camp on 2024-08-01 → counted from then instead; no one counted twice;
- H3's parent is present at a workshop, a kind that does not count → not counted.
Networks: N1 2024-01-01 running, N2 2025-01-15 – 2025-12-31, N3 (Aarhus) from 2026-03-01.
"""

from __future__ import annotations

import datetime

import pytest

from samspil.activities.tests import factories as act
from samspil.conftest import make_household
from samspil.outcomes import kpis
from samspil.outcomes.tests import factories
from samspil.outcomes.tests.factories import ON

d = datetime.date


@pytest.fixture
def data(personas, branch, other_branch, org):
    h, e = factories.world(personas["coordinator"], branch, other_branch)
    h[10] = make_household(personas["coordinator"], branch, last="Ti", children=1)
    cafe = act.make_activity(branch, code="cafe_meeting", sessions=(d(2025, 5, 1),))
    signup = act.signed_up(cafe, h[10])
    session = cafe.sessions.get()
    for participant in signup.participants.all():
        act.mark(session, participant, present=participant.person.role == "parent")
    camp = act.make_activity(branch, title="Familiecamp", code="family_camp",
                             sessions=(d(2024, 8, 1),))
    child = factories.children(h[1])[0]
    camp_signup = act.signed_up(camp, h[1])
    act.mark(camp.sessions.get(), camp_signup.participants.get(person=child))
    workshop = act.make_activity(branch, title="Værksted", code="workshop",
                                 sessions=(d(2025, 6, 1),))
    ws = act.signed_up(workshop, h[3])
    act.mark(workshop.sessions.get(), ws.participants.get(person=factories.parent(h[3])))
    act.make_network(branch, name="N1", started=d(2024, 1, 1))
    act.make_network(branch, name="N2", started=d(2025, 1, 15), ended=d(2025, 12, 31))
    act.make_network(other_branch, name="N3", started=d(2026, 3, 1))
    programme = factories.programme(org, activity_kinds=["cafe_meeting", "family_camp"])
    return programme, h, branch, other_branch


def test_reach_adds_people_present_at_counting_activities(data):
    programme, *_ = data
    reach = kpis.reach(programme, ON)
    assert reach.value(ON) == 11
    assert (reach.value(ON, group="parent"), reach.value(ON, group="child")) == (6, 5)


def test_an_activity_before_the_engagement_counts_the_person_from_then_once(data):
    programme, *_ = data
    reach = kpis.reach(programme, ON)
    assert reach.value(d(2024, 7, 31)) == 3  # H9
    assert reach.value(d(2024, 8, 1)) == 4  # + H1's child at the camp
    assert reach.value(d(2025, 3, 1)) == 4 + 1 + 2 + 1  # + H7; H1's other two; H8
    assert reach.value(d(2025, 5, 1)) == 9  # + H10's parent


def test_without_counting_kinds_activities_add_no_one(data, org):
    _programme, *_ = data
    programme = factories.programme(org, name="Uden aktiviteter")
    assert kpis.reach(programme, ON).value(ON) == 10


def test_active_networks_on_a_day(data):
    programme, h, branch, other_branch = data
    networks = kpis.networks(programme, ON)
    assert networks.value(ON) == 2
    assert networks.value(d(2025, 6, 30)) == 2
    assert networks.value(d(2025, 12, 31)) == 2  # N2's last day
    assert networks.value(d(2026, 1, 1)) == 1
    assert networks.by("branch_id", ON) == {branch.pk: 1, other_branch.pk: 1}
