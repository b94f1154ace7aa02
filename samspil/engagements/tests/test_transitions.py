"""The lifecycle: every allowed move works and is dated and audited; every other move is
refused and changes nothing; dates must be in order and not in the future."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from samspil.conftest import make_household
from samspil.core.models import AuditEvent
from samspil.engagements import services
from samspil.engagements.models import TRANSITIONS, EngagementState, StateChange
from samspil.engagements.services import TransitionError
from samspil.engagements.tests.factories import (
    ENDED_ON,
    MATCHED_ON,
    REFERRED_ON,
    STARTED_ON,
    TODAY,
    WAITING_ON,
    make_volunteer,
    refer,
    walk_to,
)

State = EngagementState
STATES = list(State.values)
LEGAL = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a, b in itertools.product(STATES, STATES) if b not in TRANSITIONS[a]]
DAY = datetime.timedelta(days=1)


def test_the_tables_cover_every_pair_of_states():
    assert len(LEGAL) + len(ILLEGAL) == len(STATES) ** 2
    assert (State.ENDED, State.ACTIVE) in ILLEGAL and (State.ACTIVE, State.ACTIVE) in ILLEGAL


def move_arguments(to_state: str, volunteer) -> dict:
    if to_state == State.MATCHED:
        return {"volunteer": volunteer}
    if to_state == State.ENDED:
        return {"end_reason": "family_withdrew"}
    return {}


@pytest.mark.parametrize("from_state, to_state", LEGAL)
def test_every_allowed_move_is_made_dated_and_audited(from_state, to_state, coordinator,
                                                      household, branch):
    volunteer = make_volunteer(branch)
    engagement = walk_to(from_state, actor=coordinator, household=household, volunteer=volunteer)
    before = AuditEvent.objects.count()

    moved = services.engagement_transition(
        actor=coordinator, engagement=engagement, to_state=to_state, on=TODAY,
        note="Aftalt i telefon", **move_arguments(to_state, make_volunteer(branch, first="Nye")),
    )

    moved.refresh_from_db()
    assert moved.state == to_state
    change = StateChange.objects.filter(engagement=moved).last()
    assert (change.from_state, change.to_state, change.on, change.by) == (
        from_state, to_state, TODAY, coordinator)
    assert change.note == "Aftalt i telefon"
    event = AuditEvent.objects.order_by("id").last()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id, event.household_id) == (
        "change", "engagements.engagement", str(moved.pk), household.pk)
    assert "state" in event.fields.split(",")


@pytest.mark.parametrize("from_state, to_state", ILLEGAL)
def test_every_other_move_is_refused_and_changes_nothing(from_state, to_state, coordinator,
                                                         household, branch):
    volunteer = make_volunteer(branch)
    engagement = walk_to(from_state, actor=coordinator, household=household, volunteer=volunteer)
    history, events = engagement.history.count(), AuditEvent.objects.count()

    with pytest.raises(TransitionError) as refused:
        services.engagement_transition(
            actor=coordinator, engagement=engagement, to_state=to_state, on=TODAY,
            **move_arguments(to_state, make_volunteer(branch, first="Nye")),
        )

    assert refused.value.code == "illegal_transition"
    assert f"from {State(from_state).label} to {State(to_state).label}" in refused.value.message
    engagement.refresh_from_db()
    assert engagement.state == from_state
    assert engagement.history.count() == history
    assert AuditEvent.objects.count() == events


def test_a_referral_starts_the_history(coordinator, household):
    engagement = refer(coordinator, household)
    assert engagement.state == State.REFERRED
    assert [(c.from_state, c.to_state, c.on) for c in engagement.history.all()] == [
        ("", State.REFERRED, REFERRED_ON)]
    assert AuditEvent.objects.filter(action="create", object_type="engagements.engagement",
                                     object_id=str(engagement.pk)).exists()


def test_the_whole_way_is_recorded_in_order(coordinator, household, branch):
    engagement = walk_to(State.ENDED, actor=coordinator, household=household,
                         volunteer=make_volunteer(branch))
    assert [(c.to_state, c.on) for c in engagement.history.all()] == [
        (State.REFERRED, REFERRED_ON), (State.WAITING, WAITING_ON), (State.MATCHED, MATCHED_ON),
        (State.ACTIVE, STARTED_ON), (State.ENDED, ENDED_ON)]
    assert (engagement.matched_on, engagement.started_on, engagement.ended_on) == (
        MATCHED_ON, STARTED_ON, ENDED_ON)
    assert engagement.end_reason == "goals_reached"


def test_matching_a_referral_puts_it_on_the_waiting_list_first(coordinator, household, branch):
    volunteer = make_volunteer(branch)
    engagement = services.engagement_match(actor=coordinator, engagement=refer(
        coordinator, household), volunteer=volunteer, on=MATCHED_ON)
    assert engagement.volunteer == volunteer
    assert [c.to_state for c in engagement.history.all()] == [
        State.REFERRED, State.WAITING, State.MATCHED]


def test_putting_a_match_back_on_the_waiting_list_frees_the_volunteer(coordinator, household,
                                                                       branch):
    engagement = walk_to(State.MATCHED, actor=coordinator, household=household,
                         volunteer=make_volunteer(branch))
    engagement = services.engagement_transition(actor=coordinator, engagement=engagement,
                                                to_state=State.WAITING, on=TODAY)
    assert (engagement.state, engagement.volunteer, engagement.matched_on) == (
        State.WAITING, None, None)


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("from_state, to_state", LEGAL)
def test_no_move_is_dated_in_the_future(from_state, to_state, coordinator, household, branch):
    engagement = walk_to(from_state, actor=coordinator, household=household,
                         volunteer=make_volunteer(branch))
    with pytest.raises(ValidationError) as refused:
        services.engagement_transition(
            actor=coordinator, engagement=engagement, to_state=to_state, on=TODAY + DAY,
            **move_arguments(to_state, make_volunteer(branch, first="Nye")),
        )
    assert refused.value.message_dict == {"on": ["The date cannot be in the future."]}
    engagement.refresh_from_db()
    assert engagement.state == from_state


def test_an_engagement_cannot_start_before_it_was_matched(coordinator, household, branch):
    engagement = walk_to(State.MATCHED, actor=coordinator, household=household,
                         volunteer=make_volunteer(branch))
    with pytest.raises(ValidationError) as refused:
        services.engagement_transition(actor=coordinator, engagement=engagement,
                                       to_state=State.ACTIVE, on=MATCHED_ON - DAY)
    assert refused.value.message_dict == {
        "on": ["An engagement cannot start before it was matched."]}
    engagement.refresh_from_db()
    assert (engagement.state, engagement.started_on) == (State.MATCHED, None)


def test_an_engagement_cannot_end_before_it_started(coordinator, household, branch):
    engagement = walk_to(State.ACTIVE, actor=coordinator, household=household,
                         volunteer=make_volunteer(branch))
    with pytest.raises(ValidationError) as refused:
        services.engagement_transition(actor=coordinator, engagement=engagement,
                                       to_state=State.ENDED, on=STARTED_ON - DAY,
                                       end_reason="moved")
    assert refused.value.message_dict == {"on": ["An engagement cannot end before it started."]}


@pytest.mark.parametrize("from_state, to_state", [
    (State.REFERRED, State.WAITING), (State.REFERRED, State.ENDED),
    (State.WAITING, State.MATCHED), (State.MATCHED, State.WAITING),
])
def test_no_move_is_dated_before_the_step_it_follows(from_state, to_state, coordinator,
                                                     household, branch):
    engagement = walk_to(from_state, actor=coordinator, household=household,
                         volunteer=make_volunteer(branch))
    last = engagement.history.last().on
    with pytest.raises(ValidationError) as refused:
        services.engagement_transition(
            actor=coordinator, engagement=engagement, to_state=to_state, on=last - DAY,
            **move_arguments(to_state, make_volunteer(branch, first="Nye")),
        )
    assert list(refused.value.message_dict) == ["on"]
    assert "before the engagement's previous step" in refused.value.message_dict["on"][0]
    engagement.refresh_from_db()
    assert engagement.state == from_state


def test_the_same_day_as_the_previous_step_is_allowed(coordinator, household, branch):
    engagement = services.engagement_match(
        actor=coordinator, engagement=refer(coordinator, household, referred_on=TODAY),
        volunteer=make_volunteer(branch), on=TODAY)
    engagement = services.engagement_transition(actor=coordinator, engagement=engagement,
                                                to_state=State.ACTIVE, on=TODAY)
    assert engagement.started_on == TODAY


def test_a_referral_cannot_be_dated_in_the_future(coordinator, household):
    with pytest.raises(ValidationError) as refused:
        refer(coordinator, household, referred_on=TODAY + DAY)
    assert refused.value.message_dict == {"referred_on": ["The date cannot be in the future."]}
    assert not household.engagements.exists()


# --- what each move needs --------------------------------------------------------------------

def test_ending_needs_a_reason(coordinator, household, branch):
    engagement = walk_to(State.ACTIVE, actor=coordinator, household=household,
                         volunteer=make_volunteer(branch))
    with pytest.raises(ValidationError) as refused:
        services.engagement_transition(actor=coordinator, engagement=engagement,
                                       to_state=State.ENDED, on=TODAY)
    assert refused.value.message_dict == {"end_reason": ["Choose why the engagement ends."]}


def test_matching_needs_a_volunteer_who_passes_the_hard_rules(coordinator, household, branch):
    engagement = walk_to(State.WAITING, actor=coordinator, household=household)
    with pytest.raises(ValidationError) as no_one:
        services.engagement_transition(actor=coordinator, engagement=engagement,
                                       to_state=State.MATCHED, on=TODAY)
    assert no_one.value.message_dict == {"volunteer": ["Choose a volunteer."]}

    # The household has children under 15: a family friend needs a child-safety certificate.
    uncertified = make_volunteer(branch, first="Ulla", certificate=False)
    with pytest.raises(ValidationError) as refused:
        services.engagement_transition(actor=coordinator, engagement=engagement,
                                       to_state=State.MATCHED, on=TODAY, volunteer=uncertified)
    assert "child-safety certificate" in refused.value.message_dict["volunteer"][0]
    engagement.refresh_from_db()
    assert (engagement.state, engagement.volunteer) == (State.WAITING, None)


def test_a_mentor_referral_needs_a_parent_of_the_household(coordinator, household, branch):
    other = make_household(coordinator, branch, last="Andersen")
    stranger = other.members.get(role="parent")
    with pytest.raises(ValidationError) as refused:
        services.engagement_refer(actor=coordinator, household=household, type="job_mentor",
                                  parent=stranger)
    assert refused.value.message_dict == {"parent": ["Choose a parent of this household."]}



def test_a_second_open_referral_of_the_same_kind_is_refused_by_the_service(coordinator,
                                                                          household):
    refer(coordinator, household)
    with pytest.raises(ValidationError) as refused:
        refer(coordinator, household)
    assert "already an open engagement" in refused.value.messages[0]
    assert household.engagements.count() == 1
    # Another kind of help for the same family is not a double referral.
    assert refer(coordinator, household, type="job_mentor").state == State.REFERRED


def test_a_family_whose_engagement_ended_may_be_referred_again(coordinator, household, branch):
    walk_to(State.ENDED, actor=coordinator, household=household,
            volunteer=make_volunteer(branch))
    assert refer(coordinator, household).state == State.REFERRED
    assert household.engagements.count() == 2


def test_a_mentor_for_another_parent_is_not_a_double_referral(coordinator, household):
    from samspil.households.models import Person

    anna = household.members.get(role="parent")
    bo = Person.objects.create(household=household, role="parent", first_name="Bo",
                               last_name="Jensen", birth_date=datetime.date(1983, 1, 2))
    services.engagement_refer(actor=coordinator, household=household, type="job_mentor",
                              parent=anna)
    services.engagement_refer(actor=coordinator, household=household, type="job_mentor",
                              parent=bo)
    with pytest.raises(ValidationError):
        services.engagement_refer(actor=coordinator, household=household, type="job_mentor",
                                  parent=anna)
    assert household.engagements.count() == 2
