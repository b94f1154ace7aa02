"""The volunteer services' rules, exhaustively: profile, capacity, availability, screening."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samspil.conftest import make_user
from samspil.core.models import AuditEvent, Role
from samspil.engagements.models import EngagementState
from samspil.engagements.services import engagement_match, engagement_refer
from samspil.volunteers import services
from samspil.volunteers.models import AvailabilitySlot, ChildCertificate, Volunteer
from samspil.volunteers.services import Slot, overlapping_slots
from samspil.volunteers.tests.factories import (
    certify,
    give_load,
    make_volunteer,
    volunteer_values,
)

T = datetime.time
D = datetime.date


def messages_of(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- the profile ------------------------------------------------------------------------------

def test_creating_a_volunteer_sets_the_organisation_and_writes_an_audit_row(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch, first_name="Bodil", last_name="Østergaard",
                               phone="+4520123456", email="bodil@example.org",
                               tags=["Syning", " syning ", "Fodbold  træner"])
    assert volunteer.organisation_id == branch.organisation_id
    assert volunteer.version == 1
    assert volunteer.tags == ["Syning", "Fodbold træner"]
    assert "østergaard" in volunteer.search_text and "20123456" in volunteer.search_text
    assert "rødovre" in volunteer.search_text and "syning" in volunteer.search_text
    event = AuditEvent.objects.get(object_type="volunteers.volunteer", action="create")
    assert event.object_id == str(volunteer.pk) and event.object_label == "Bodil Østergaard"
    assert event.actor == coordinator


def test_choice_lists_are_kept_in_the_order_of_the_choices_and_once(coordinator, branch):
    volunteer = make_volunteer(
        coordinator, branch, languages=["ar", "da", "ar"], skills=["leisure", "homework"],
        roles=["job_mentor", "family_friend"],
    )
    assert volunteer.languages == ["da", "ar"]
    assert volunteer.skills == ["homework", "leisure"]
    assert volunteer.roles == ["family_friend", "job_mentor"]


def test_an_unknown_skill_is_refused(coordinator, branch):
    with pytest.raises(ValidationError):
        make_volunteer(coordinator, branch, skills=["juggling"])
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "outsider", "volunteer", "caseworker"])
def test_a_volunteer_cannot_be_registered_in_a_branch_outside_the_actors_scope(
    personas, other_branch, who
):
    with pytest.raises(ValidationError) as exc:
        make_volunteer(personas[who], other_branch)
    assert "cannot register volunteers in this branch" in messages_of(exc)
    assert not Volunteer.objects.exists()
    assert not AuditEvent.objects.filter(object_type="volunteers.volunteer").exists()


def test_an_organisation_administrator_registers_in_any_branch(personas, other_branch):
    volunteer = make_volunteer(personas["org_admin"], other_branch)
    assert volunteer.branch == other_branch


def test_moving_a_volunteer_to_a_branch_outside_the_actors_scope_is_refused(
    coordinator, branch, other_branch
):
    volunteer = make_volunteer(coordinator, branch)
    with pytest.raises(ValidationError):
        services.volunteer_update(actor=coordinator, volunteer=volunteer,
                                  values={"branch": other_branch})
    volunteer.refresh_from_db()
    assert volunteer.branch == branch


def test_the_login_must_be_a_volunteer_of_the_organisation(personas, branch):
    coordinator = personas["coordinator"]
    for user in (personas["caseworker"], personas["outsider"]):
        with pytest.raises(ValidationError) as exc:
            make_volunteer(coordinator, branch, user=user)
        assert "login of a volunteer" in messages_of(exc)
    volunteer = make_volunteer(coordinator, branch, user=personas["volunteer"])
    assert volunteer.user == personas["volunteer"]
    # One login, one profile.
    with pytest.raises(ValidationError):
        make_volunteer(coordinator, branch, first_name="Anden", user=personas["volunteer"])


def test_a_cpr_number_in_the_notes_is_refused(coordinator, branch):
    with pytest.raises(ValidationError) as exc:
        make_volunteer(coordinator, branch, notes="CPR 010203-1234")
    assert "CPR" in messages_of(exc)
    volunteer = make_volunteer(coordinator, branch)
    with pytest.raises(ValidationError):
        services.volunteer_update(actor=coordinator, volunteer=volunteer,
                                  values={"notes": "0102031234"})


@pytest.mark.parametrize("values", [{"capacity": 3}, {"status": "paused"},
                                    {"capacity": 4, "status": "stopped"}])
def test_a_new_capacity_or_status_bumps_the_version(coordinator, branch, values):
    volunteer = make_volunteer(coordinator, branch, capacity=2, status="active")
    updated = services.volunteer_update(actor=coordinator, volunteer=volunteer, values=values)
    assert updated.version == 2
    volunteer.refresh_from_db()
    assert volunteer.version == 2
    event = AuditEvent.objects.get(object_type="volunteers.volunteer", action="change")
    assert set(event.fields.split(",")) == set(values)


def test_other_changes_keep_the_version(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    services.volunteer_update(actor=coordinator, volunteer=volunteer,
                              values={"first_name": "Vibeke", "skills": ["danish"]})
    volunteer.refresh_from_db()
    assert volunteer.version == 1 and volunteer.first_name == "Vibeke"
    assert "vibeke" in volunteer.search_text


def test_saving_the_same_values_changes_nothing_and_logs_nothing(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    values = volunteer_values(branch)
    services.volunteer_update(actor=coordinator, volunteer=volunteer, values=values)
    volunteer.refresh_from_db()
    assert volunteer.version == 1
    assert not AuditEvent.objects.filter(action="change").exists()


# --- capacity against current load ------------------------------------------------------------

def test_capacity_below_the_current_load_is_refused_and_nothing_changes(
    coordinator, branch, household
):
    volunteer = make_volunteer(coordinator, branch, capacity=3)
    give_load(volunteer, household, 2)
    with pytest.raises(ValidationError) as exc:
        services.volunteer_update(actor=coordinator, volunteer=volunteer,
                                  values={"capacity": 1, "first_name": "Anden"})
    assert exc.value.message_dict["capacity"] == [
        "The volunteer has 2 families or parents now; the capacity cannot be lower."
    ]
    volunteer.refresh_from_db()
    assert (volunteer.capacity, volunteer.version, volunteer.first_name) == (3, 1, "Vera")
    assert not AuditEvent.objects.filter(action="change").exists()


def test_capacity_equal_to_the_load_is_accepted(coordinator, branch, household):
    volunteer = make_volunteer(coordinator, branch, capacity=3)
    give_load(volunteer, household, 1, state=EngagementState.ACTIVE)
    give_load(volunteer, household, 1)
    services.volunteer_update(actor=coordinator, volunteer=volunteer, values={"capacity": 2})
    volunteer.refresh_from_db()
    assert volunteer.capacity == 2 and volunteer.version == 2


def test_ended_and_waiting_engagements_do_not_count_as_load(coordinator, branch, household):
    volunteer = make_volunteer(coordinator, branch, capacity=3)
    give_load(volunteer, household, 2, state=EngagementState.ENDED)
    services.volunteer_update(actor=coordinator, volunteer=volunteer, values={"capacity": 1})
    assert Volunteer.objects.get().capacity == 1


def test_a_real_match_counts_as_load(coordinator, branch, household):
    volunteer = make_volunteer(coordinator, branch, capacity=1)
    certify(coordinator, volunteer, received_on=timezone.localdate() - datetime.timedelta(10))
    engagement = engagement_refer(actor=coordinator, household=household, type="family_friend")
    engagement_match(actor=coordinator, engagement=engagement, volunteer=volunteer)
    volunteer.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.volunteer_update(actor=coordinator, volunteer=volunteer,
                                  values={"capacity": 0})
    assert "has 1 family or parent now" in messages_of(exc)


# --- availability -----------------------------------------------------------------------------

@pytest.mark.parametrize("slots, expected", [
    ([Slot(0, T(16), T(18)), Slot(0, T(17), T(19))], [(0, 1)]),
    ([Slot(0, T(16), T(18)), Slot(0, T(16, 30), T(17))], [(0, 1)]),  # inside
    ([Slot(0, T(16), T(18)), Slot(0, T(16), T(18))], [(0, 1)]),  # the same
    ([Slot(0, T(17), T(19)), Slot(0, T(16), T(18))], [(0, 1)]),  # in either order
    ([Slot(0, T(16), T(18)), Slot(0, T(18), T(20))], []),  # touching
    ([Slot(0, T(16), T(18)), Slot(1, T(16), T(18))], []),  # another day
    ([Slot(2, T(9), T(12)), Slot(2, T(11), T(13)), Slot(2, T(12), T(14))], [(0, 1), (1, 2)]),
])
def test_overlapping_slots(slots, expected):
    assert overlapping_slots(slots) == expected


def test_availability_is_replaced_by_the_new_slots(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    services.availability_set(actor=coordinator, volunteer=volunteer,
                              slots=[Slot(0, T(16), T(18)), Slot(2, T(10), T(12))])
    services.availability_set(actor=coordinator, volunteer=volunteer,
                              slots=[Slot(4, T(9), T(11)), Slot(0, T(18), T(20)),
                                     Slot(0, T(16), T(18))])
    assert [str(s) for s in volunteer.availability.all()] == [
        "Monday 16:00–18:00", "Monday 18:00–20:00", "Friday 09:00–11:00",
    ]
    events = AuditEvent.objects.filter(object_type="volunteers.availabilityslot")
    assert events.count() == 2 and events.first().object_id == str(volunteer.pk)


def test_unchanged_availability_writes_no_audit_row(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    slots = [Slot(0, T(16), T(18))]
    services.availability_set(actor=coordinator, volunteer=volunteer, slots=slots)
    services.availability_set(actor=coordinator, volunteer=volunteer, slots=slots)
    assert AuditEvent.objects.filter(object_type="volunteers.availabilityslot").count() == 1


@pytest.mark.parametrize("slots, message", [
    ([Slot(0, T(16), T(18)), Slot(0, T(17), T(19))],
     "Monday 17:00–19:00 overlaps Monday 16:00–18:00 on the same day."),
    ([Slot(3, T(18), T(16))], "Thursday 18:00–16:00: The end time must be after the start time."),
    ([Slot(3, T(18), T(18))], "Thursday 18:00–18:00: The end time must be after the start time."),
])
def test_bad_availability_is_refused_and_the_old_slots_stay(coordinator, branch, slots,
                                                             message):
    volunteer = make_volunteer(coordinator, branch)
    services.availability_set(actor=coordinator, volunteer=volunteer,
                              slots=[Slot(5, T(10), T(12))])
    with pytest.raises(ValidationError) as exc:
        services.availability_set(actor=coordinator, volunteer=volunteer, slots=slots)
    assert message in exc.value.messages
    assert [str(s) for s in AvailabilitySlot.objects.all()] == ["Saturday 10:00–12:00"]


def test_availability_can_be_emptied(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    services.availability_set(actor=coordinator, volunteer=volunteer,
                              slots=[Slot(5, T(10), T(12))])
    services.availability_set(actor=coordinator, volunteer=volunteer, slots=[])
    assert not AvailabilitySlot.objects.exists()


# --- child-safety certificates ----------------------------------------------------------------

TODAY = D(2026, 6, 15)


def test_an_ordered_certificate_gets_a_consent_deadline_14_days_later(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    cert = services.certificate_record(actor=coordinator, volunteer=volunteer,
                                       requested_on=D(2026, 6, 1), today=TODAY)
    assert cert.consent_deadline == D(2026, 6, 15)
    assert cert.result == "pending" and cert.assessed_by is None and cert.valid_until is None
    event = AuditEvent.objects.get(object_type="volunteers.childcertificate")
    assert event.action == "create" and event.object_label == volunteer.full_name


def test_a_checked_certificate_is_valid_for_the_configured_months(coordinator, branch,
                                                                   settings):
    settings.CHILD_CERTIFICATE_VALID_MONTHS = 24
    volunteer = make_volunteer(coordinator, branch)
    cert = certify(coordinator, volunteer, received_on=D(2026, 5, 31))
    assert cert.result == "clear" and cert.assessed_by == coordinator
    assert cert.valid_until == D(2028, 5, 28)  # day capped at 28 (screening.py)
    settings.CHILD_CERTIFICATE_VALID_MONTHS = 36
    later = certify(coordinator, volunteer, received_on=D(2026, 6, 10))
    assert later.valid_until == D(2029, 6, 10)


def test_a_given_validity_is_kept(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    cert = certify(coordinator, volunteer, received_on=D(2026, 6, 1),
                   valid_until=D(2027, 1, 1))
    assert cert.valid_until == D(2027, 1, 1)


def test_a_certificate_with_remarks_has_no_validity(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    cert = certify(coordinator, volunteer, received_on=D(2026, 6, 1), result="remarks")
    assert cert.result == "remarks" and cert.valid_until is None
    assert cert.assessed_by == coordinator


BAD_CERTIFICATES = [
    ("requested in the future", {"requested_on": D(2026, 6, 16)}, "requested_on",
     "The date cannot be in the future."),
    ("received in the future", {"received_on": D(2026, 6, 16), "result": "clear"},
     "received_on", "The date cannot be in the future."),
    ("received before requested", {"received_on": D(2026, 5, 31), "result": "clear"},
     "received_on", "A certificate cannot be received before it was requested."),
    ("a result without a date", {"result": "clear"}, "received_on",
     "Enter the date the answer was received and checked."),
    ("received but no result", {"received_on": D(2026, 6, 10)}, "result",
     "Choose the result of the checked certificate."),
    ("a deadline before the request", {"consent_deadline": D(2026, 5, 1)}, "consent_deadline",
     "The consent deadline cannot be before the request."),
    ("a validity for remarks", {"received_on": D(2026, 6, 10), "result": "remarks",
                                "valid_until": D(2028, 1, 1)}, "valid_until",
     "Only a certificate without remarks has a validity."),
    ("a validity ending before the check", {"received_on": D(2026, 6, 10), "result": "clear",
                                            "valid_until": D(2026, 6, 10)}, "valid_until",
     "The validity must end after the certificate was checked."),
    ("a CPR number in the note", {"note": "cpr 0102031234"}, "note",
     "Do not write a CPR number here."),
]


@pytest.mark.parametrize("case, values, field, message", BAD_CERTIFICATES,
                         ids=[c[0] for c in BAD_CERTIFICATES])
def test_bad_certificate_facts_are_refused(coordinator, branch, case, values, field, message):
    volunteer = make_volunteer(coordinator, branch)
    data = {"requested_on": D(2026, 6, 1), **values}
    with pytest.raises(ValidationError) as exc:
        services.certificate_record(actor=coordinator, volunteer=volunteer, today=TODAY, **data)
    assert exc.value.message_dict[field] == [message]
    assert not ChildCertificate.objects.exists()
    assert not AuditEvent.objects.filter(object_type="volunteers.childcertificate").exists()


def test_the_answer_to_a_requested_certificate_is_recorded_once(coordinator, branch, personas):
    volunteer = make_volunteer(coordinator, branch)
    cert = services.certificate_record(actor=coordinator, volunteer=volunteer,
                                       requested_on=D(2026, 6, 1), today=TODAY)
    assessor = personas["org_admin"]
    services.certificate_assess(actor=assessor, certificate=cert, received_on=D(2026, 6, 12),
                                result="clear", note="Ingen anmærkninger", today=TODAY)
    cert.refresh_from_db()
    assert (cert.result, cert.received_on, cert.assessed_by) == ("clear", D(2026, 6, 12),
                                                                  assessor)
    assert cert.valid_until == D(2028, 6, 12) and cert.note == "Ingen anmærkninger"
    event = AuditEvent.objects.get(object_type="volunteers.childcertificate", action="change")
    assert {"result", "received_on", "assessed_by"} <= set(event.fields.split(","))
    with pytest.raises(ValidationError) as exc:
        services.certificate_assess(actor=coordinator, certificate=cert,
                                    received_on=D(2026, 6, 13), result="remarks", today=TODAY)
    assert "already been assessed" in messages_of(exc)
    cert.refresh_from_db()
    assert cert.result == "clear"


def test_an_answer_needs_a_result_and_a_possible_date(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    cert = services.certificate_record(actor=coordinator, volunteer=volunteer,
                                       requested_on=D(2026, 6, 1), today=TODAY)
    with pytest.raises(ValidationError):
        services.certificate_assess(actor=coordinator, certificate=cert,
                                    received_on=D(2026, 6, 12), result="pending", today=TODAY)
    with pytest.raises(ValidationError):
        services.certificate_assess(actor=coordinator, certificate=cert,
                                    received_on=D(2026, 5, 30), result="clear", today=TODAY)
    cert.refresh_from_db()
    assert cert.result == "pending" and cert.received_on is None


def test_certificate_status_moves_from_missing_to_expired(coordinator, branch, settings):
    """One volunteer through a certificate's life, with the date frozen at each step."""
    from samspil.volunteers.screening import volunteer_certificate_status as status

    settings.CHILD_CERTIFICATE_VALID_MONTHS = 24
    settings.CHILD_CERTIFICATE_WARN_DAYS = 60
    volunteer = make_volunteer(coordinator, branch)
    assert status(volunteer, today=D(2026, 1, 1)).state == "missing"

    first = services.certificate_record(actor=coordinator, volunteer=volunteer,
                                        requested_on=D(2026, 1, 5), today=D(2026, 1, 5))
    assert status(volunteer, today=D(2026, 1, 10)).state == "pending"
    assert not status(volunteer, today=D(2026, 1, 10)).allows_children

    services.certificate_assess(actor=coordinator, certificate=first,
                                received_on=D(2026, 1, 15), result="clear",
                                today=D(2026, 1, 15))
    valid = status(volunteer, today=D(2026, 1, 15))
    assert valid.state == "valid" and valid.valid_until == D(2028, 1, 15)
    assert valid.allows_children
    assert status(volunteer, today=D(2027, 11, 15)).state == "valid"  # 61 days left
    assert status(volunteer, today=D(2027, 11, 16)).state == "expiring"  # 60 days left
    assert status(volunteer, today=D(2027, 11, 16)).allows_children
    assert status(volunteer, today=D(2028, 1, 15)).state == "expiring"  # the last day
    assert status(volunteer, today=D(2028, 1, 16)).state == "expired"
    assert not status(volunteer, today=D(2028, 1, 16)).allows_children

    # A renewal is ordered after it expired: awaited, not expired.
    renewal = services.certificate_record(actor=coordinator, volunteer=volunteer,
                                          requested_on=D(2028, 1, 20), today=D(2028, 1, 20))
    assert status(volunteer, today=D(2028, 1, 21)).state == "pending"
    services.certificate_assess(actor=coordinator, certificate=renewal,
                                received_on=D(2028, 2, 1), result="remarks",
                                today=D(2028, 2, 1))
    rejected = status(volunteer, today=D(2028, 2, 1))
    assert rejected.state == "rejected" and not rejected.allows_children


# --- confidentiality and training -------------------------------------------------------------

def test_the_confidentiality_declaration_and_training_are_recorded(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    services.screening_record(actor=coordinator, volunteer=volunteer,
                              confidentiality_signed_on=D(2026, 6, 1),
                              training_completed_on=None, today=TODAY)
    volunteer.refresh_from_db()
    assert volunteer.confidentiality_signed_on == D(2026, 6, 1)
    assert volunteer.training_completed_on is None and volunteer.version == 1
    event = AuditEvent.objects.get(object_type="volunteers.volunteer", action="change")
    assert event.fields == "confidentiality_signed_on"
    services.screening_record(actor=coordinator, volunteer=volunteer,
                              confidentiality_signed_on=D(2026, 6, 1),
                              training_completed_on=None, today=TODAY)
    assert AuditEvent.objects.filter(action="change").count() == 1


def test_screening_dates_cannot_be_in_the_future(coordinator, branch):
    volunteer = make_volunteer(coordinator, branch)
    with pytest.raises(ValidationError) as exc:
        services.screening_record(actor=coordinator, volunteer=volunteer,
                                  confidentiality_signed_on=D(2026, 6, 1),
                                  training_completed_on=D(2026, 6, 16), today=TODAY)
    assert list(exc.value.message_dict) == ["training_completed_on"]
    volunteer.refresh_from_db()
    assert volunteer.confidentiality_signed_on is None


def test_a_volunteer_user_can_be_linked_by_an_organisation_administrator(personas, branch):
    login = make_user("ny.frivillig", personas["org_admin"].organisation, Role.VOLUNTEER)
    volunteer = make_volunteer(personas["org_admin"], branch, user=login)
    assert login.volunteer == volunteer


def test_a_volunteer_with_families_cannot_be_stopped_but_can_be_paused(coordinator, branch,
                                                                       household):
    volunteer = make_volunteer(coordinator, branch, capacity=2, status="active")
    give_load(volunteer, household, 2, state="active")
    with pytest.raises(ValidationError) as exc:
        services.volunteer_update(actor=coordinator, volunteer=volunteer,
                                  values={"status": "stopped"})
    assert exc.value.message_dict["status"] == [
        "The volunteer still has 2 families or parents. End or move those engagements before "
        "stopping her; pausing is possible."
    ]
    volunteer.refresh_from_db()
    assert volunteer.status == "active"
    paused = services.volunteer_update(actor=coordinator, volunteer=volunteer,
                                       values={"status": "paused"})
    assert paused.status == "paused"


def test_a_volunteer_whose_families_have_ended_can_be_stopped(coordinator, branch, household):
    volunteer = make_volunteer(coordinator, branch, status="active")
    give_load(volunteer, household, 1, state="ended")
    stopped = services.volunteer_update(actor=coordinator, volunteer=volunteer,
                                        values={"status": "stopped"})
    assert stopped.status == "stopped"
