"""Consent records and needs assessments over time."""

from __future__ import annotations

import datetime

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.households.models import Consent, NeedsAssessment


def test_recording_and_withdrawing_consent(coordinator, household):
    client = client_for(coordinator)
    response = client.post(f"/households/{household.pk}/consents/", {
        "purpose": "municipality", "person": "", "given_by": "Anna Jensen",
        "given_on": "2026-03-01", "note": "",
    })
    assert response.status_code == 302
    consent = Consent.objects.get(purpose="municipality")
    assert consent.is_active and consent.recorded_by == coordinator
    detail = client.get(f"/households/{household.pk}/").content.decode()
    assert "Sharing with the municipality" in detail

    client.post(f"/households/{household.pk}/consents/{consent.pk}/withdraw/",
                {"withdrawn_on": "2026-04-01"})
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2026, 4, 1)
    detail = client.get(f"/households/{household.pk}/").content.decode()
    assert "Sharing with the municipality" not in detail
    assert AuditEvent.objects.filter(object_type="households.consent", action="change").exists()


def test_consent_cannot_be_withdrawn_before_it_was_given(coordinator, household):
    consent = Consent.objects.create(household=household, purpose="photos", given_by="Anna",
                                     given_on=datetime.date(2026, 3, 1),
                                     recorded_by=coordinator)
    response = client_for(coordinator).post(
        f"/households/{household.pk}/consents/{consent.pk}/withdraw/",
        {"withdrawn_on": "2026-02-01"}, follow=True)
    assert "cannot be withdrawn before it was given" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_consent_in_the_future_is_refused(coordinator, household):
    response = client_for(coordinator).post(f"/households/{household.pk}/consents/", {
        "purpose": "photos", "given_by": "Anna", "given_on": "2099-01-01"})
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert not Consent.objects.exists()


def test_consent_for_a_member_of_another_household_is_refused(coordinator, household, branch):
    from samspil.conftest import make_household

    other = make_household(coordinator, branch, last="Hansen")
    stranger = other.members.first()
    response = client_for(coordinator).post(f"/households/{household.pk}/consents/", {
        "purpose": "photos", "person": stranger.pk, "given_by": "Anna",
        "given_on": "2026-01-01"})
    assert response.status_code == 200
    assert not Consent.objects.exists()


def test_needs_assessments_show_change_over_time(coordinator, household):
    client = client_for(coordinator)
    for date, level in [("2026-01-10", "3"), ("2026-06-10", "1")]:
        response = client.post(f"/households/{household.pk}/needs/", {
            "assessed_on": date, "level_economy": level, "text_economy": "Rykkere",
            "level_housing": "0"})
        assert response.status_code == 302
    assert NeedsAssessment.objects.count() == 2
    page = client.get(f"/households/{household.pk}/needs/").content.decode()
    row = page.split("Economy and debt</th>")[1].split("</tr>")[0]
    assert row.index("Major need") < row.index("Some need")  # oldest first, left to right


def test_a_needs_text_without_level_is_refused(coordinator, household):
    response = client_for(coordinator).post(f"/households/{household.pk}/needs/", {
        "assessed_on": "2026-01-10", "text_work": "Søger job"})
    assert "Choose a level" in response.content.decode()
    assert not NeedsAssessment.objects.exists()


def test_an_empty_assessment_is_refused(coordinator, household):
    response = client_for(coordinator).post(f"/households/{household.pk}/needs/",
                                            {"assessed_on": "2026-01-10"})
    assert "Assess at least one life area" in response.content.decode()
