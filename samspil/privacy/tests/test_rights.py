"""The data subject's rights: access export, erasure that keeps the KPIs, restriction."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from samspil.conftest import client_for, make_household, member
from samspil.core.models import AuditEvent
from samspil.households import services as household_services
from samspil.households.models import Household, Person
from samspil.outcomes import kpis
from samspil.outcomes.tests import factories
from samspil.outcomes.tests.factories import ON
from samspil.privacy import services
from samspil.privacy.models import Erasure
from samspil.privacy.restriction import MESSAGE, HouseholdRestricted


@pytest.fixture
def family(personas, branch):
    household = make_household(personas["coordinator"], branch, last="Hemmeligsen",
                               address="Skjultvej 7")
    household_services.consent_record(
        actor=personas["coordinator"], household=household, person=None,
        purpose="evaluation", given_by="Anna Hemmeligsen", given_on="2026-01-05", note="")
    client_for(personas["coordinator"]).get(f"/households/{household.pk}/")  # a logged view
    return household


def test_the_access_export_holds_the_data_and_when_they_were_seen(personas, family):
    data = services.access_export(actor=personas["org_admin"], household=family)
    text = json.dumps(data, default=str)
    assert "Hemmeligsen" in text and "Skjultvej 7" in text
    assert "households.person" in data["data"] and "households.consent" in data["data"]
    assert data["access_log"], "the views of the household are in the export"
    # Staff are not named, and the CPR number is never in it in full.
    for user in personas.values():
        assert user.get_full_name() not in text
    assert "cpr_encrypted" not in text
    assert AuditEvent.objects.filter(action="export", household_id=family.pk).exists()


def test_the_export_downloads_as_json_and_pdf(personas, family):
    client = client_for(personas["org_admin"])
    response = client.get(f"/privacy/households/{family.pk}/export.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "Hemmeligsen" in response.content.decode()
    response = client.get(f"/privacy/households/{family.pk}/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_erasure_removes_personal_data(personas, family):
    services.household_erase(actor=personas["org_admin"], household=family)
    family.refresh_from_db()
    assert family.address == "" and family.phone == "" and family.display_name == ""
    assert not Household.objects.filter(search_text__contains="hemmeligsen").exists()
    for person in Person.objects.filter(household=family):
        assert person.first_name == "" and person.last_name == "" and person.cpr_encrypted == ""
        assert (person.birth_date.month, person.birth_date.day) == (1, 1)
    assert not family.consents.filter(withdrawn_on__isnull=True).exists()
    assert set(family.consents.values_list("given_by", flat=True)) == {""}
    assert Erasure.objects.filter(household_id=family.pk, ground="request").exists()
    assert AuditEvent.objects.filter(action="delete", household_id=family.pk).exists()
    with pytest.raises(ValidationError):
        services.household_erase(actor=personas["org_admin"], household=family)


def test_erasure_is_for_organisation_administrators(personas, family):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.household_erase(actor=personas["coordinator"], household=family)
    response = client_for(personas["coordinator"]).post(
        f"/privacy/households/{family.pk}/erase/", {"confirm": str(family.pk)})
    assert response.status_code == 403


def _figures(programme):
    return repr([
        kpis.reach(programme, ON).value(ON), kpis.reach(programme, ON).value(ON, group="child"),
        kpis.family_friend_families(programme, ON).value(ON),
        kpis.mentored_parents(programme, ON).value(ON),
        kpis.work_attachment(programme, ON).at(ON), kpis.school_better(programme, ON).at(ON),
        kpis.benefit_by_type(programme, ON), kpis.lengths_by_type(programme, ON),
        kpis.who5_change(programme, ON),
    ])


def test_the_kpis_do_not_change_after_erasure(personas, branch, other_branch, org):
    households, _engagements = factories.world(personas["coordinator"], branch, other_branch)
    programme = factories.programme(org)
    before = _figures(programme)
    for key in (1, 8, 9):  # households with answered questionnaires and ended engagements
        services.household_erase(actor=personas["org_admin"], household=households[key])
    assert _figures(programme) == before


def test_erasure_through_the_page(personas, family):
    client = client_for(personas["org_admin"])
    page = client.get(f"/privacy/households/{family.pk}/erase/")
    assert page.status_code == 200
    wrong = client.post(f"/privacy/households/{family.pk}/erase/", {"confirm": "1234567"})
    assert wrong.status_code == 200 and "does not match" in wrong.content.decode()
    family.refresh_from_db()
    assert family.address == "Skjultvej 7"
    done = client.post(f"/privacy/households/{family.pk}/erase/", {"confirm": str(family.pk)})
    assert done.status_code == 302
    family.refresh_from_db()
    assert family.address == ""


def test_a_restricted_household_refuses_writes_with_a_message(personas, family):
    coordinator = personas["coordinator"]
    services.restriction_set(actor=coordinator, household=family, reason="Disputed accuracy")
    with pytest.raises(HouseholdRestricted):
        household_services.household_members_save(
            actor=coordinator, household=family,
            changes=household_services.MemberChanges(
                created=[member("child", "Ny", "Hemmeligsen", "2020-01-01", school_grade="none")],
                changed=[], deleted=[]))
    client = client_for(coordinator)
    page = client.get(f"/households/{family.pk}/")
    assert "restricted" in page.content.decode()
    response = client.post(f"/households/{family.pk}/consents/", {
        "purpose": "photos", "person": "", "given_by": "Anna", "given_on": "2026-01-06",
        "note": ""}, follow=True)
    assert response.status_code == 200
    assert "data are restricted from processing" in response.content.decode(), MESSAGE
    assert not family.consents.filter(purpose="photos").exists()
    # The export still works; lifting is for the administrator.
    assert services.access_export(actor=coordinator, household=family)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.restriction_lift(actor=coordinator, household=family)
    services.restriction_lift(actor=personas["org_admin"], household=family)
    household_services.consent_record(
        actor=coordinator, household=family, person=None, purpose="photos", given_by="Anna",
        given_on="2026-01-06", note="")
    assert AuditEvent.objects.filter(household_id=family.pk,
                                     summary__in=["processing restricted",
                                                  "restriction lifted"]).count() == 2


def test_restriction_needs_a_reason(personas, family):
    with pytest.raises(ValidationError):
        services.restriction_set(actor=personas["coordinator"], household=family, reason=" ")
    response = client_for(personas["coordinator"]).post(
        f"/privacy/households/{family.pk}/restrict/", {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert "Write why processing is restricted." in response.content.decode()


def test_erasure_of_a_household_referred_to_the_municipality(personas, family, org):
    from samspil.core.models import Organisation
    from samspil.partners.models import Partner
    from samspil.partners.tests.factories import refer

    coordinator = personas["coordinator"]
    rodovre = Organisation.objects.create(name="Rødovre Kommune", kind="municipality",
                                          municipality_id="0175")
    job_centre = Partner.objects.create(organisation=org, kind="job_centre", name="Jobcenter",
                                        municipality_id="0175", linked_organisation=rodovre)
    household_services.consent_record(
        actor=coordinator, household=family, person=None, purpose="municipality",
        given_by="Anna Hemmeligsen", given_on="2026-01-05", note="")
    referral = refer(coordinator, family, job_centre, direction="out", help_kind="job_support",
                     sent_on=datetime.date(2026, 6, 1), consent_given_on=datetime.date(2026, 6, 1))
    services.household_erase(actor=personas["org_admin"], household=family)
    referral.refresh_from_db()
    assert referral.consent_given_by == "" and referral.message == ""
    assert referral.municipality_consent.withdrawn_on is not None
