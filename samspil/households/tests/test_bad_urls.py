"""Odd URLs and parameters get a clear answer, never a server error."""

import pytest

from samspil.conftest import client_for


@pytest.mark.parametrize("url", [
    "/households/99999999999999999999999/",
    "/households/99999999999999999999999/audit/",
    "/households/?page=abc",
    "/households/?page=99999",
    "/households/member-row/?index=abc",
    "/households/?q=" + "x" * 500,
])
def test_odd_requests_do_not_fail(coordinator, household, url):
    response = client_for(coordinator).get(url)
    assert response.status_code in (200, 404)


def test_a_withdrawal_of_an_unknown_consent_is_404(coordinator, household):
    response = client_for(coordinator).post(
        f"/households/{household.pk}/consents/999999/withdraw/", {"withdrawn_on": "2026-01-01"})
    assert response.status_code == 404


def test_a_withdrawal_without_a_date_changes_nothing(coordinator, household):
    consent = household.consents.create(purpose="photos", given_by="Anna",
                                        given_on="2026-01-01", recorded_by=coordinator)
    response = client_for(coordinator).post(
        f"/households/{household.pk}/consents/{consent.pk}/withdraw/", {"withdrawn_on": "x"},
        follow=True)
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_absurd_ids_in_forms_are_a_field_error(coordinator, household):
    client = client_for(coordinator)
    response = client.post(f"/households/{household.pk}/consents/", {
        "purpose": "photos", "person": "99999999999999999999999", "given_by": "Anna",
        "given_on": "2026-01-01"})
    assert response.status_code == 200
    response = client.post("/households/new/", {"branch": "99999999999999999999999"})
    assert response.status_code == 200
