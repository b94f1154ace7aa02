"""Referral rules: consent at the moment of sending, partners of the organisation only, the
allowed moves with a history row each, and accepting a referral in starts an engagement
through the engagements services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from samspil.core.models import AuditEvent, Organisation
from samspil.engagements.models import Engagement
from samspil.households import services as household_services
from samspil.partners import services
from samspil.partners.models import Partner, Referral
from samspil.partners.tests.factories import SENT_ON, refer


def test_a_referral_in_is_received_with_its_consent_and_shared_fields(
        coordinator, shared_household, job_centre):
    referral = refer(coordinator, shared_household, job_centre)
    assert referral.status == "received" and referral.received_on == SENT_ON
    assert referral.shared_fields == ["names", "contact"]
    assert referral.municipality_consent.purpose == "municipality"
    assert [h.to_status for h in referral.history.all()] == ["received"]
    event = AuditEvent.objects.get(object_type="partners.referral", action="create")
    assert event.household_id == shared_household.pk and event.fields == "names,contact"


def test_a_referral_to_a_municipal_partner_needs_the_municipality_consent(
        coordinator, private_household, job_centre):
    with pytest.raises(ValidationError) as error:
        refer(coordinator, private_household, job_centre, direction="out",
              help_kind="assessment")
    assert "consent to share with the municipality" in str(error.value)
    assert not Referral.objects.exists()


def test_the_consent_is_checked_at_the_moment_of_sending(
        coordinator, shared_household, job_centre, today):
    consent = shared_household.consents.get(purpose="municipality")
    household_services.consent_withdraw(actor=coordinator, consent=consent, withdrawn_on=today)
    with pytest.raises(ValidationError):
        refer(coordinator, shared_household, job_centre, direction="out",
              help_kind="assessment")
    assert not Referral.objects.exists()


def test_a_school_referral_needs_no_municipality_consent_but_the_familys_word(
        coordinator, private_household, school):
    referral = refer(coordinator, private_household, school, direction="out",
                     help_kind="school_support")
    assert referral.status == "sent" and referral.municipality_consent is None
    with pytest.raises(ValidationError):
        refer(coordinator, private_household, school, direction="out",
              help_kind="school_support", consent_given_by="  ")
    with pytest.raises(ValidationError):
        refer(coordinator, private_household, school, direction="out",
              help_kind="school_support", consent_given_on=SENT_ON + datetime.timedelta(1))
    assert Referral.objects.count() == 1


def test_a_partner_of_another_organisation_is_refused(coordinator, shared_household, other_org):
    foreign = Partner.objects.create(organisation=other_org, kind="school", name="Fremmed")
    with pytest.raises(ValidationError) as error:
        refer(coordinator, shared_household, foreign, direction="out", help_kind="other")
    assert error.value.error_dict["partner"][0].code == "foreign_partner"
    assert not Referral.objects.exists()


def test_help_must_fit_the_direction_and_a_mentor_needs_a_parent(
        coordinator, shared_household, job_centre):
    with pytest.raises(ValidationError):
        refer(coordinator, shared_household, job_centre, direction="in", help_kind="assessment")
    child = shared_household.members.filter(role="child").first()
    with pytest.raises(ValidationError):
        refer(coordinator, shared_household, job_centre, help_kind="job_mentor", parent=child)
    with pytest.raises(ValidationError):
        refer(coordinator, shared_household, job_centre, shared_fields=[])
    with pytest.raises(ValidationError):
        refer(coordinator, shared_household, job_centre, shared_fields=["cpr"])
    assert not Referral.objects.exists()


def test_accepting_a_mentor_referral_in_starts_an_engagement(
        coordinator, shared_household, job_centre, today):
    referral = refer(coordinator, shared_household, job_centre)
    referral = services.referral_transition(actor=coordinator, referral=referral,
                                            to_status="accepted", on=today)
    engagement = Engagement.objects.get()
    assert referral.engagement == engagement and referral.decided_on == today
    assert (engagement.type, engagement.state, engagement.referred_on) == (
        "job_mentor", "referred", SENT_ON)
    assert engagement.parent == referral.parent
    assert engagement.job_centre == "Jobcenter Rødovre"
    assert [h.to_status for h in referral.history.all()] == ["received", "accepted"]


def test_a_network_referral_is_accepted_without_an_engagement(
        coordinator, shared_household, job_centre, today):
    referral = refer(coordinator, shared_household, job_centre, help_kind="network")
    services.referral_transition(actor=coordinator, referral=referral, to_status="accepted",
                                 on=today)
    assert not Engagement.objects.exists()


def test_declining_needs_a_reason_and_completing_an_outcome(
        coordinator, shared_household, job_centre, today):
    referral = refer(coordinator, shared_household, job_centre, direction="out",
                     help_kind="assessment")
    with pytest.raises(ValidationError):
        services.referral_transition(actor=coordinator, referral=referral,
                                     to_status="declined", on=today)
    referral.refresh_from_db()
    assert referral.status == "sent"
    services.referral_transition(actor=coordinator, referral=referral, to_status="accepted",
                                 on=today)
    with pytest.raises(ValidationError):
        services.referral_transition(actor=coordinator, referral=referral,
                                     to_status="completed", on=today)
    referral = services.referral_transition(actor=coordinator, referral=referral,
                                            to_status="completed", on=today,
                                            outcome="Familien har fået et forløb")
    assert referral.outcome == "Familien har fået et forløb"
    assert [h.to_status for h in referral.history.all()] == ["sent", "accepted", "completed"]


@pytest.mark.parametrize("start, to_status", [
    ("received", "sent"), ("received", "completed"), ("received", "received"),
])
def test_moves_outside_the_allowed_transitions_are_refused(
        coordinator, shared_household, job_centre, today, start, to_status):
    referral = refer(coordinator, shared_household, job_centre)
    assert referral.status == start
    with pytest.raises(ValidationError) as error:
        services.referral_transition(actor=coordinator, referral=referral,
                                     to_status=to_status, on=today)
    assert error.value.code == "illegal_transition"


def test_a_declined_referral_moves_no_more(coordinator, shared_household, job_centre, today):
    referral = refer(coordinator, shared_household, job_centre)
    services.referral_transition(actor=coordinator, referral=referral, to_status="declined",
                                 on=today, reason="Ingen mentor ledig")
    for status in ("accepted", "completed", "received"):
        with pytest.raises(ValidationError):
            services.referral_transition(actor=coordinator, referral=referral,
                                         to_status=status, on=today)


def test_a_move_cannot_be_dated_before_the_referral_or_in_the_future(
        coordinator, shared_household, job_centre, today):
    referral = refer(coordinator, shared_household, job_centre)
    for on in (SENT_ON - datetime.timedelta(days=1), today + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.referral_transition(actor=coordinator, referral=referral,
                                         to_status="accepted", on=on)
    assert not Engagement.objects.exists()


def test_the_referral_has_no_field_for_an_authority_decision():
    names = {f.name for f in Referral._meta.get_fields()}
    assert not {n for n in names if "decision" in n or "afgørelse" in n}


def test_a_partner_link_must_be_the_same_municipalitys_organisation(coordinator, kobenhavn):
    with pytest.raises(ValidationError):
        services.partner_create(actor=coordinator, values={
            "kind": "job_centre", "name": "Jobcenter X", "municipality_id": "0175",
            "linked_organisation": kobenhavn})
    with pytest.raises(ValidationError):
        services.partner_create(actor=coordinator, values={
            "kind": "school", "name": "Skole", "linked_organisation": kobenhavn})
    assert not Partner.objects.exists()
    assert Organisation.objects.filter(kind="municipality").count() == 1
