"""The suggestions page: the best volunteers with their factors, and the Match button."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.engagements.matching import selectors
from samspil.engagements.matching.tests import factories as f
from samspil.engagements.models import Engagement, EngagementState, StateChange
from samspil.volunteers.models import Volunteer

FAMILY_TIME = [(1, datetime.time(16), datetime.time(20))]


@pytest.fixture
def family(branch, coordinator):
    h = f.household(branch, name="Hansen", postcode="2610", language="ar",
                    children_born=[timezone.localdate() - datetime.timedelta(days=8 * 365)],
                    needs={"school": 3, "economy": 2}, assessor=coordinator)
    return f.engagement(h)


def test_it_lists_the_cheapest_allowed_volunteers_with_their_factors(coordinator, branch,
                                                                      family):
    f.volunteer(branch, first="Bedst", postcode="2610", languages=["da", "ar"],
                       skills=["homework", "economy", "danish"], slots=FAMILY_TIME)
    f.volunteer(branch, first="Fjern", postcode="8000", skills=["homework"])
    f.volunteer(branch, first="Pause", status="paused")
    f.volunteer(branch, first="Uden", certificate=None)  # child under 15: needs a certificate
    f.volunteer(branch, first="Mentor", roles=["job_mentor"])
    response = client_for(coordinator).get(reverse("matching:suggestions", args=[family.pk]))
    assert response.status_code == 200
    rows = response.context["found"].rows
    assert [r.volunteer.first_name for r in rows] == ["Bedst", "Fjern"]
    assert rows[0].cost == 0.0  # same postcode, speaks Arabic, covers every need, 4 h free
    assert rows[1].factors.km > 100
    body = response.content.decode()
    assert "Speaks Arabic" in body and "Does not speak Arabic" in body
    assert "Homework help" in body and "4.0 h a week" in body
    assert "Only 2 volunteers pass the hard rules" in body
    assert "Pause" not in body and "Uden" not in body and "Mentor" not in body


def test_it_shows_ten_at_most(coordinator, branch, family):
    for i in range(12):
        f.volunteer(branch, first=f"V{i:02d}")
    response = client_for(coordinator).get(reverse("matching:suggestions", args=[family.pk]))
    assert len(response.context["found"].rows) == 10
    assert "Only" not in response.content.decode()


def test_opening_suggestions_is_logged_for_the_household(coordinator, family):
    client_for(coordinator).get(reverse("matching:suggestions", args=[family.pk]))
    event = AuditEvent.objects.get(action="view", object_type="engagements.engagement")
    assert event.household_id == family.household_id and event.purpose == "matching"


def test_match_makes_the_match_through_the_engagement_service(coordinator, branch, family):
    volunteer = f.volunteer(branch, first="Bedst")
    response = client_for(coordinator).post(reverse("matching:match", args=[family.pk]),
                                            {"volunteer": volunteer.pk}, follow=True)
    family.refresh_from_db()
    assert family.state == EngagementState.MATCHED and family.volunteer == volunteer
    assert list(StateChange.objects.filter(engagement=family).values_list("to_state", flat=True)
                ) == ["matched"]
    assert "has been matched with Bedst Frivillig" in response.content.decode()


def test_match_refuses_a_volunteer_the_rules_exclude(coordinator, branch, family):
    volunteer = f.volunteer(branch, first="Uden", certificate=None)
    response = client_for(coordinator).post(reverse("matching:match", args=[family.pk]),
                                            {"volunteer": volunteer.pk}, follow=True)
    family.refresh_from_db()
    assert family.state == EngagementState.WAITING and family.volunteer is None
    assert "no valid child-safety certificate" in response.content.decode()


def test_match_refuses_a_volunteer_of_another_organisation(coordinator, personas, family):
    from samspil.core.models import Branch

    other = Branch.objects.get(organisation=personas["outsider"].organisation)
    stranger = f.volunteer(other, first="Fremmed")
    response = client_for(coordinator).post(reverse("matching:match", args=[family.pk]),
                                            {"volunteer": stranger.pk}, follow=True)
    family.refresh_from_db()
    assert family.state == EngagementState.WAITING
    assert "Choose a volunteer of the organisation." in response.content.decode()
    assert not Volunteer.objects.get(pk=stranger.pk).engagements.exists()


def test_a_matched_engagement_has_no_suggestions(coordinator, branch, family):
    volunteer = f.volunteer(branch)
    family.state, family.volunteer, family.matched_on = "matched", volunteer, timezone.localdate()
    family.save()
    response = client_for(coordinator).get(reverse("matching:suggestions", args=[family.pk]))
    assert response.status_code == 200 and response.context["found"] is None
    assert "not waiting for a volunteer" in response.content.decode()


def test_the_index_lists_what_is_waiting_in_the_coordinators_branches(
    coordinator, branch, other_branch, family
):
    elsewhere = f.engagement(f.household(other_branch, name="Aarhusianer", postcode="8000"))
    body = client_for(coordinator).get(reverse("matching:index")).content.decode()
    assert "Anna Hansen" in body and "Aarhusianer" not in body
    assert reverse("matching:suggestions", args=[family.pk]) in body
    assert reverse("matching:suggestions", args=[elsewhere.pk]) not in body


@pytest.mark.parametrize("seed", [5, 6])
def test_reading_near_volunteers_first_gives_the_same_best_as_reading_all(
    seed, org, branch, coordinator
):
    f.random_world(random.Random(seed), branch, coordinator, volunteers=60, engagements=8)
    for engagement in Engagement.objects.filter(state=EngagementState.WAITING):
        for limit in (3, 10):
            near_first = selectors.suggestions_for(engagement=engagement, today=f.TODAY,
                                                   limit=limit, radii=(2.0, 10.0))
            everyone = selectors.suggestions_for(engagement=engagement, today=f.TODAY,
                                                 limit=limit, radii=())
            assert everyone.searched_km is None
            assert ([(r.volunteer.pk, r.cost) for r in near_first.rows]
                    == [(r.volunteer.pk, r.cost) for r in everyone.rows])
