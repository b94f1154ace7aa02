"""The meeting log: the rules in the service, and the volunteer's phone form that shows them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samspil.conftest import client_for, make_household
from samspil.core.models import AuditEvent
from samspil.engagements import services
from samspil.engagements.models import EngagementState, Meeting
from samspil.engagements.tests.factories import (
    ENDED_ON,
    MATCHED_ON,
    STARTED_ON,
    TODAY,
    walk_to,
)

State = EngagementState
DAY = datetime.timedelta(days=1)


@pytest.fixture
def active(coordinator, household, volunteer):
    """Frida's active family friend engagement with the Jensens (started STARTED_ON)."""
    return walk_to(State.ACTIVE, actor=coordinator, household=household, volunteer=volunteer)


def log(engagement, actor, **overrides):
    values = {"date": TODAY, "minutes": 90, "kind": "home_visit", "areas": ["school"],
              "note": ""}
    values.update(overrides)
    return services.meeting_log(actor=actor, engagement=engagement, **values)


# --- the service -----------------------------------------------------------------------------

def test_a_meeting_is_logged_with_its_audit_row(active, personas):
    frida = personas["volunteer"]
    meeting = log(active, frida, areas=["wellbeing", "economy", "economy"], note=" Godt møde ")
    assert (meeting.date, meeting.minutes, meeting.kind, meeting.logged_by) == (
        TODAY, 90, "home_visit", frida)
    assert meeting.areas == ["economy", "wellbeing"]  # known areas, once, in the list's order
    assert meeting.note == "Godt møde"
    event = AuditEvent.objects.get(action="create", object_type="engagements.meeting")
    assert (event.actor, event.household_id, event.object_id) == (
        frida, active.household_id, str(meeting.pk))


def test_a_meeting_on_the_start_day_and_today_is_fine(active, personas):
    log(active, personas["volunteer"], date=STARTED_ON)
    log(active, personas["volunteer"], date=TODAY)
    assert active.meetings.count() == 2


@pytest.mark.parametrize("date, message", [
    (TODAY + DAY, "A meeting cannot be in the future."),
    (STARTED_ON - DAY, "A meeting cannot be before the engagement started (02/16/2026)."),
])
def test_a_meeting_out_of_the_engagements_time_is_refused(date, message, active, personas):
    with pytest.raises(ValidationError) as refused:
        log(active, personas["volunteer"], date=date)
    assert refused.value.message_dict == {"date": [message]}
    assert not Meeting.objects.exists()


def test_before_the_start_a_meeting_counts_from_the_match(coordinator, household, volunteer,
                                                          personas):
    matched = walk_to(State.MATCHED, actor=coordinator, household=household, volunteer=volunteer)
    with pytest.raises(ValidationError) as refused:
        log(matched, personas["volunteer"], date=MATCHED_ON - DAY)
    assert refused.value.message_dict == {
        "date": ["A meeting cannot be before the volunteer was matched (02/02/2026)."]}
    log(matched, personas["volunteer"], date=MATCHED_ON)  # the first meeting, before the start
    assert matched.meetings.count() == 1


def test_no_meeting_on_an_ended_engagement(coordinator, household, volunteer, personas):
    ended = walk_to(State.ENDED, actor=coordinator, household=household, volunteer=volunteer)
    with pytest.raises(ValidationError) as refused:
        log(ended, personas["volunteer"], date=ENDED_ON - DAY)  # even dated while it ran
    assert refused.value.messages == [
        "The engagement has ended, so no more meetings can be logged."]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("state", [State.REFERRED, State.WAITING])
def test_no_meeting_before_there_is_a_volunteer(state, coordinator, household, personas):
    engagement = walk_to(state, actor=coordinator, household=household)
    with pytest.raises(ValidationError) as refused:
        log(engagement, coordinator)
    assert refused.value.code == "not_matched"
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("overrides, field", [
    ({"minutes": 0}, "minutes"), ({"minutes": 24 * 60 + 1}, "minutes"),
    ({"areas": ["astrology"]}, "areas"), ({"kind": "party"}, "kind"),
])
def test_malformed_meetings_are_refused(overrides, field, active, personas):
    with pytest.raises(ValidationError) as refused:
        log(active, personas["volunteer"], **overrides)
    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()


# --- the phone form --------------------------------------------------------------------------

def form_data(**overrides):
    data = {"date": TODAY.isoformat(), "minutes": "60", "kind": "remote",
            "areas": ["work", "network"], "note": "Talte om CV"}
    data.update(overrides)
    return data


def test_the_form_starts_at_today_with_quick_minutes(active, personas):
    response = client_for(personas["volunteer"]).get(
        reverse("engagements:log_meeting", args=[active.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{TODAY.isoformat()}"' in body and f'max="{TODAY.isoformat()}"' in body
    for minutes in (30, 60, 90, 120):
        assert f'data-minutes="{minutes}"' in body
    assert body.count('type="radio"') == len(Meeting.Kind.values)
    assert 'inputmode="numeric"' in body


def test_a_volunteer_logs_a_meeting_in_one_submit(active, personas):
    frida = personas["volunteer"]
    response = client_for(frida).post(
        reverse("engagements:log_meeting", args=[active.pk]), form_data(), follow=True)
    assert response.redirect_chain == [(reverse("engagements:my_detail", args=[active.pk]), 302)]
    assert "The meeting has been saved." in response.content.decode()
    meeting = active.meetings.get()
    assert (meeting.minutes, meeting.kind, meeting.areas, meeting.note, meeting.logged_by) == (
        60, "remote", ["work", "network"], "Talte om CV", frida)


@pytest.mark.parametrize("overrides, message", [
    ({"date": (TODAY + DAY).isoformat()}, "A meeting cannot be in the future."),
    ({"date": (STARTED_ON - DAY).isoformat()}, "A meeting cannot be before the engagement started"),
    ({"minutes": ""}, "Enter how many minutes the meeting took."),
    ({"minutes": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"kind": ""}, "Choose the kind of meeting."),
    ({"date": "i går"}, "Enter a valid date."),
])
def test_bad_input_gives_a_clear_message_and_saves_nothing(overrides, message, active, personas):
    response = client_for(personas["volunteer"]).post(
        reverse("engagements:log_meeting", args=[active.pk]), form_data(**overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Nothing has been saved." in body
    assert not Meeting.objects.exists()


def test_a_meeting_on_an_ended_engagement_is_refused_on_the_page(coordinator, household,
                                                                 volunteer, personas):
    ended = walk_to(State.ENDED, actor=coordinator, household=household, volunteer=volunteer)
    client = client_for(personas["volunteer"])
    url = reverse("engagements:log_meeting", args=[ended.pk])
    page = client.get(url).content.decode()
    assert "The engagement has ended, so no more meetings can be logged." in page
    assert "Save meeting" not in page
    response = client.post(url, form_data(date=(ENDED_ON - DAY).isoformat()))
    assert "The engagement has ended, so no more meetings can be logged." in (
        response.content.decode())
    assert not Meeting.objects.exists()


def test_a_volunteer_gets_404_for_another_volunteers_family(coordinator, branch, active,
                                                            other_volunteer, personas):
    theirs = walk_to(State.ACTIVE, actor=coordinator, volunteer=other_volunteer,
                     household=make_household(coordinator, branch, last="Fremmedsen"))
    client = client_for(personas["volunteer"])
    for name in ("engagements:my_detail", "engagements:log_meeting"):
        response = client.get(reverse(name, args=[theirs.pk]))
        assert response.status_code == 404, name
        assert "Fremmedsen" not in response.content.decode()
    response = client.post(reverse("engagements:log_meeting", args=[theirs.pk]), form_data())
    assert response.status_code == 404
    assert not Meeting.objects.exists()
    # The attempt is in the other family's audit log.
    denied = AuditEvent.objects.filter(actor=personas["volunteer"], action="denied")
    assert denied.count() == 3
    assert set(denied.values_list("household_id", flat=True)) == {theirs.household_id}
    # Frida's own family still opens.
    assert client.get(reverse("engagements:my_detail", args=[active.pk])).status_code == 200


def test_a_volunteer_loses_the_family_when_put_back_on_the_waiting_list(coordinator, household,
                                                                        volunteer, personas):
    matched = walk_to(State.MATCHED, actor=coordinator, household=household, volunteer=volunteer)
    client = client_for(personas["volunteer"])
    url = reverse("engagements:my_detail", args=[matched.pk])
    assert client.get(url).status_code == 200
    services.engagement_transition(actor=coordinator, engagement=matched,
                                   to_state=State.WAITING, on=TODAY)
    assert client.get(url).status_code == 404
    assert "Jensen" not in client.get(reverse("engagements:mine")).content.decode()
