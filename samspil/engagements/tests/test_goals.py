"""Goals as small steps: added by the coordinator, marked reached by her or the volunteer."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.engagements import services
from samspil.engagements.models import EngagementState, Goal
from samspil.engagements.tests.factories import REFERRED_ON, TODAY, walk_to

State = EngagementState
DAY = datetime.timedelta(days=1)


@pytest.fixture
def active(coordinator, household, volunteer):
    return walk_to(State.ACTIVE, actor=coordinator, household=household, volunteer=volunteer)


@pytest.fixture
def goal(active, coordinator):
    return services.goal_add(actor=coordinator, engagement=active, area="economy",
                             text="Lave et budget for januar")


def test_a_goal_is_added_open_and_audited(goal, coordinator, active):
    assert (goal.status, goal.reached_on, goal.text) == (Goal.Status.OPEN, None,
                                                        "Lave et budget for januar")
    event = AuditEvent.objects.get(action="create", object_type="engagements.goal")
    assert (event.actor, event.household_id) == (coordinator, active.household_id)


def test_reaching_a_goal_dates_it_today_unless_told(goal, coordinator):
    services.goal_update(actor=coordinator, goal=goal, status=Goal.Status.REACHED)
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on) == (Goal.Status.REACHED, TODAY)
    services.goal_update(actor=coordinator, goal=goal, status=Goal.Status.REACHED,
                         reached_on=TODAY - 3 * DAY)
    goal.refresh_from_db()
    assert goal.reached_on == TODAY - 3 * DAY
    events = AuditEvent.objects.filter(action="change", object_type="engagements.goal")
    assert [e.fields for e in events.order_by("id")] == ["status,reached_on", "reached_on"]


def test_a_goal_that_is_no_longer_reached_loses_its_date(goal, coordinator):
    services.goal_update(actor=coordinator, goal=goal, status=Goal.Status.REACHED)
    services.goal_update(actor=coordinator, goal=goal, status=Goal.Status.IN_PROGRESS,
                         reached_on=TODAY)
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on) == (Goal.Status.IN_PROGRESS, None)


def test_saving_without_a_change_writes_nothing(goal, coordinator):
    before = AuditEvent.objects.count()
    services.goal_update(actor=coordinator, goal=goal, status=Goal.Status.OPEN)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("reached_on, message", [
    (TODAY + DAY, "The date cannot be in the future."),
    (REFERRED_ON - DAY, "A goal cannot be reached before the engagement was referred"),
])
def test_a_reached_date_out_of_the_engagements_time_is_refused(reached_on, message, goal,
                                                               coordinator):
    with pytest.raises(ValidationError) as refused:
        services.goal_update(actor=coordinator, goal=goal, status=Goal.Status.REACHED,
                             reached_on=reached_on)
    assert message in refused.value.message_dict["reached_on"][0]
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on) == (Goal.Status.OPEN, None)


def test_the_coordinator_adds_and_updates_goals_on_the_engagement_page(active, coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("engagements:goal_add", args=[active.pk]),
                           {"goal-area": "work", "goal-text": "Skrive et CV"}, follow=True)
    assert "The goal has been added." in response.content.decode()
    goal = active.goals.get()
    response = client.post(
        reverse("engagements:goal_update", args=[active.pk, goal.pk]),
        {f"goal-{goal.pk}-status": "reached", f"goal-{goal.pk}-reached_on": "2026-06-01"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on) == ("reached", datetime.date(2026, 6, 1))


def test_bad_goal_input_is_shown_on_the_engagement_page(active, coordinator, goal):
    client = client_for(coordinator)
    response = client.post(reverse("engagements:goal_add", args=[active.pk]),
                           {"goal-area": "work", "goal-text": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(
        reverse("engagements:goal_update", args=[active.pk, goal.pk]),
        {f"goal-{goal.pk}-status": "reached", f"goal-{goal.pk}-reached_on": "2026-07-01"},
    )
    assert "The date cannot be in the future." in response.content.decode()
    assert active.goals.count() == 1
    goal.refresh_from_db()
    assert goal.status == "open"


def test_the_volunteer_marks_a_step_reached_from_the_phone(active, goal, personas):
    client = client_for(personas["volunteer"])
    page = client.get(reverse("engagements:my_detail", args=[active.pk])).content.decode()
    assert "Lave et budget for januar" in page and "Mark as reached" in page
    response = client.post(reverse("engagements:goal_update", args=[active.pk, goal.pk]),
                           {f"goal-{goal.pk}-status": "reached"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("engagements:my_detail", args=[active.pk])
    assert "The goal has been saved." in response.content.decode()
    goal.refresh_from_db()
    assert (goal.status, goal.reached_on) == ("reached", TODAY)


def test_a_goal_of_another_engagement_is_not_found(active, goal, coordinator, household):
    other = walk_to(State.REFERRED, actor=coordinator, household=household,
                    type="job_mentor")
    response = client_for(coordinator).post(
        reverse("engagements:goal_update", args=[other.pk, goal.pk]),
        {f"goal-{goal.pk}-status": "reached"})
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.status == "open"
