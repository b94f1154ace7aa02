"""The pages through the real HTTP interface: what people do, what they see, what is saved."""

from __future__ import annotations

import datetime

from django.urls import reverse

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.engagements import services as engagement_services
from samspil.engagements.models import Engagement, EngagementState
from samspil.engagements.tests.factories import make_volunteer, walk_to
from samspil.households import services as household_services
from samspil.partners import services
from samspil.partners.models import Agreement, Partner, PlanAction, Referral
from samspil.partners.tests.factories import refer


def referral_post(partner, **extra):
    data = {"partner": partner.pk, "help_kind": "job_mentor", "sent_on": "2026-06-10",
            "message": "Anna ønsker en mentor", "shared_fields": ["names", "work"],
            "consent": "on", "consent_given_by": "Anna Delesen",
            "consent_given_on": "2026-06-09"}
    data.update(extra)
    return data


def test_a_coordinator_registers_a_partner_with_a_contact_and_an_agreement(coordinator, rodovre):
    client = client_for(coordinator)
    response = client.post(reverse("partners:create"), {
        "kind": "job_centre", "name": "Jobcenter Rødovre", "municipality": "0175",
        "linked_organisation": rodovre.pk, "phone": "36 37 70 00", "active": "on"})
    partner = Partner.objects.get()
    assert response.status_code == 302 and partner.phone == "+4536377000"
    assert partner.organisation == coordinator.organisation
    url = reverse("partners:contact_add", args=[partner.pk])
    client.post(url, {"contact-name": "Lise Jobkonsulent", "contact-title": "Konsulent"})
    client.post(reverse("partners:agreement_add", args=[partner.pk]), {
        "agreement-title": "Samarbejdsaftale 2026", "agreement-starts_on": "2026-01-01",
        "agreement-ends_on": "2026-12-31"})
    body = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert "Lise Jobkonsulent" in body and "Samarbejdsaftale 2026" in body and "Current" in body


def test_a_job_centre_without_municipality_gets_a_message(coordinator):
    response = client_for(coordinator).post(reverse("partners:create"), {
        "kind": "job_centre", "name": "Jobcenter", "active": "on"})
    assert response.status_code == 200
    assert "Choose the municipality" in response.content.decode()
    assert not Partner.objects.exists()


def test_an_agreement_ending_before_it_starts_is_refused(coordinator, school):
    response = client_for(coordinator).post(
        reverse("partners:agreement_add", args=[school.pk]),
        {"agreement-title": "A", "agreement-starts_on": "2026-05-01",
         "agreement-ends_on": "2026-04-01"})
    assert "cannot end before it starts" in response.content.decode()
    assert not Agreement.objects.exists()


def test_referral_in_then_accept_starts_the_engagement(coordinator, shared_household,
                                                       job_centre):
    client = client_for(coordinator)
    parent = shared_household.members.get(role="parent")
    response = client.post(reverse("partners:refer_in", args=[shared_household.pk]),
                           referral_post(job_centre, parent=parent.pk))
    assert response.status_code == 302, response.content.decode()
    referral = Referral.objects.get()
    assert referral.status == "received" and referral.shared_fields == ["names", "work"]
    body = client.get(reverse("partners:referral_detail", args=[referral.pk])).content.decode()
    assert "Accepting this referral starts an engagement" in body
    assert "no field for a decision" in body
    response = client.post(reverse("partners:referral_move", args=[referral.pk]),
                           {"move": "accept", "on": "2026-06-12"})
    assert response.status_code == 302
    referral.refresh_from_db()
    engagement = Engagement.objects.get()
    assert referral.status == "accepted" and referral.engagement == engagement
    body = client.get(reverse("partners:referral_detail", args=[referral.pk])).content.decode()
    assert reverse("engagements:detail", args=[engagement.pk]) in body


def test_a_referral_without_consent_is_refused_and_audited(coordinator, shared_household,
                                                           school):
    data = referral_post(school, help_kind="school_support")
    del data["consent"]
    response = client_for(coordinator).post(
        reverse("partners:refer_out", args=[shared_household.pk]), data)
    assert response.status_code == 200
    assert "Without the family&#x27;s consent the referral cannot be sent." in \
        response.content.decode()
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="partners.referral",
                                     household_id=shared_household.pk).exists()


def test_a_referral_to_a_municipality_without_its_consent_shows_why(
        coordinator, private_household, job_centre):
    response = client_for(coordinator).post(
        reverse("partners:refer_out", args=[private_household.pk]),
        referral_post(job_centre, help_kind="assessment"))
    body = response.content.decode()
    assert response.status_code == 200 and "Record the consent" in body
    assert not Referral.objects.exists()
    event = AuditEvent.objects.get(action="denied", object_type="partners.referral")
    assert "no_consent" in event.summary


def test_a_referral_to_another_organisations_partner_is_refused_and_audited(
        coordinator, shared_household, other_org):
    foreign = Partner.objects.create(organisation=other_org, kind="school", name="Fremmed")
    response = client_for(coordinator).post(
        reverse("partners:refer_out", args=[shared_household.pk]),
        referral_post(foreign, help_kind="school_support"))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="partners.partner",
                                     object_id=str(foreign.pk)).exists()


def test_declining_without_a_reason_shows_a_message(coordinator, shared_household,
                                                    job_centre):
    referral = refer(coordinator, shared_household, job_centre)
    response = client_for(coordinator).post(
        reverse("partners:referral_move", args=[referral.pk]),
        {"move": "decline", "on": "2026-06-12", "reason": ""})
    assert response.status_code == 200
    assert "Write why the referral is declined." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "received"


def test_an_unknown_move_changes_nothing(coordinator, shared_household, job_centre):
    referral = refer(coordinator, shared_household, job_centre)
    response = client_for(coordinator).post(
        reverse("partners:referral_move", args=[referral.pk]), {"move": "approve"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "received"


def test_the_household_tab_lists_referrals_both_ways(coordinator, shared_household,
                                                     job_centre, school):
    refer(coordinator, shared_household, job_centre)
    refer(coordinator, shared_household, school, direction="out", help_kind="school_support")
    body = client_for(coordinator).get(
        reverse("partners:household", args=[shared_household.pk])).content.decode()
    assert "Jobcenter Rødovre" in body and "Islev Skole" in body
    assert "has consented to sharing with the municipality" in body
    detail = client_for(coordinator).get(
        reverse("households:detail", args=[shared_household.pk])).content.decode()
    assert reverse("partners:household", args=[shared_household.pk]) in detail


def test_the_plan_page_adds_goals_actions_and_reviews(coordinator, shared_household):
    client = client_for(coordinator)
    url = reverse("partners:plan", args=[shared_household.pk])
    assert "The plan has no goals yet." in client.get(url).content.decode()
    client.post(reverse("partners:plan_goal_add", args=[shared_household.pk]),
                {"goal-area": "work", "goal-text": "Anna i praktik"})
    goal = shared_household.plan.goals.get()
    parent = shared_household.members.filter(role="parent").first()
    response = client.post(reverse("partners:plan_action_add", args=[shared_household.pk]), {
        "action-goal": goal.pk, "action-text": "Skrive CV", "action-owner": f"member:{parent.pk}",
        "action-due_on": "2026-07-01"})
    assert response.status_code == 302
    action = PlanAction.objects.get()
    client.post(reverse("partners:plan_action_update", args=[shared_household.pk, action.pk]),
                {"status": "done"})
    client.post(reverse("partners:plan_review_add", args=[shared_household.pk]), {
        "review-held_on": "2026-06-14", "review-participants": "Anna, Karen",
        "review-record": "CV er skrevet", "review-next_review_on": "2026-08-14"})
    body = client.get(url).content.decode()
    assert "Skrive CV" in body and "CV er skrevet" in body and "Anna Delesen" in body
    assert "Review recorded" in body
    action.refresh_from_db()
    assert action.status == "done"


def test_an_action_owner_outside_the_plan_is_refused_and_audited(
        coordinator, shared_household, other_caseworker):
    client = client_for(coordinator)
    client.post(reverse("partners:plan_goal_add", args=[shared_household.pk]),
                {"goal-area": "work", "goal-text": "Mål"})
    goal = shared_household.plan.goals.get()
    response = client.post(reverse("partners:plan_action_add", args=[shared_household.pk]), {
        "action-goal": goal.pk, "action-text": "X", "action-owner": f"user:{other_caseworker.pk}",
        "action-due_on": "2026-07-01"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not PlanAction.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="partners.planaction").exists()


def test_the_plan_prints_as_a_pdf(coordinator, shared_household):
    client = client_for(coordinator)
    assert client.get(reverse("partners:plan_pdf", args=[shared_household.pk])
                      ).status_code == 404  # no plan yet
    client.post(reverse("partners:plan_goal_add", args=[shared_household.pk]),
                {"goal-area": "work", "goal-text": "Anna i praktik"})
    response = client.get(reverse("partners:plan_pdf", args=[shared_household.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="partners.familyplan").exists()


# --- the caseworker ----------------------------------------------------------------------------

def test_the_caseworker_sees_status_start_end_and_attendance_but_no_notes(
        caseworker, coordinator, shared_household, private_household, job_centre, branch,
        today):
    volunteer = make_volunteer(branch, first="Vera")
    engagement = walk_to(EngagementState.ACTIVE, actor=coordinator, household=shared_household,
                         volunteer=volunteer)
    Engagement.objects.filter(pk=engagement.pk).update(note="HEMMELIG-FORLØBSNOTE")
    engagement_services.meeting_log(actor=coordinator, engagement=engagement,
                                    date=today - datetime.timedelta(days=2), minutes=90,
                                    kind="home_visit", note="HEMMELIG-MØDENOTE")
    engagement_services.goal_add(actor=coordinator, engagement=engagement, area="work",
                                 text="HEMMELIGT-DELMÅL")
    household_services.needs_assessment_record(
        actor=coordinator, household=shared_household, assessed_on=today,
        ratings=[("economy", 3, "HEMMELIG-BEHOVSTEKST")])
    refer(coordinator, shared_household, job_centre)
    client = client_for(caseworker)
    listing = client.get(reverse("partners:caseworker_households")).content.decode()
    assert "Anna Delesen" in listing and "Hemmeligsen" not in listing
    body = client.get(reverse("partners:caseworker_household",
                              args=[shared_household.pk])).content.decode()
    assert "Jobcenter Rødovre" in body and "Active" in body and "1.5" in body
    for secret in ("HEMMELIG", "HEMMELIGT", "Åbenvej"):
        assert secret not in body, secret


def test_withdrawing_consent_shuts_the_caseworker_out_at_once(
        caseworker, coordinator, shared_household, job_centre, today):
    client = client_for(caseworker)
    url = reverse("partners:caseworker_household", args=[shared_household.pk])
    assert client.get(url).status_code == 200
    client_for(coordinator).post(
        reverse("households:consent_withdraw", args=[
            shared_household.pk, shared_household.consents.get(purpose="municipality").pk]),
        {"withdrawn_on": today.isoformat()})
    for name in ("partners:caseworker_household", "partners:plan"):
        assert client.get(reverse(name, args=[shared_household.pk])).status_code == 404, name
    assert "Anna Delesen" not in client.get(
        reverse("partners:caseworker_households")).content.decode()
    assert AuditEvent.objects.filter(actor=caseworker, action="denied",
                                     household_id=shared_household.pk).count() == 2


def test_the_caseworker_works_in_the_plan(caseworker, coordinator, shared_household,
                                          job_centre):
    client = client_for(caseworker)
    client.post(reverse("partners:plan_goal_add", args=[shared_household.pk]),
                {"goal-area": "work", "goal-text": "Job inden sommer"})
    goal = shared_household.plan.goals.get()
    response = client.post(reverse("partners:plan_action_add", args=[shared_household.pk]), {
        "action-goal": goal.pk, "action-text": "Samtale på jobcentret",
        "action-owner": f"user:{caseworker.pk}", "action-due_on": "2026-07-01"})
    assert response.status_code == 302
    assert PlanAction.objects.get().owner_kind == "caseworker"
    body = client.get(reverse("partners:plan", args=[shared_household.pk])).content.decode()
    assert "Samtale på jobcentret" in body
    assert reverse("households:detail", args=[shared_household.pk]) not in body


def test_a_household_with_referrals_and_a_plan_can_be_erased(coordinator, shared_household,
                                                             job_centre, today):
    refer(coordinator, shared_household, job_centre)
    goal = services.plan_goal_add(actor=coordinator, household=shared_household, area="work",
                                  text="Mål")
    parent = shared_household.members.filter(role="parent").first()
    services.plan_action_add(actor=coordinator, household=shared_household, goal=goal,
                             text="X", owner=f"member:{parent.pk}", due_on=today)
    shared_household.delete()
    assert not Referral.objects.exists() and not PlanAction.objects.exists()
