"""Consent has effect: withdrawing a purpose's consent stops what depended on it, one test per
purpose (municipality sharing, evaluation exports, contact about follow-up help)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samspil.conftest import client_for, make_household, make_user
from samspil.core.models import Organisation, Role
from samspil.households import services as household_services
from samspil.outcomes.export import consenting_persons
from samspil.partners.models import Partner
from samspil.partners.selectors import caseworker_household_list_for
from samspil.partners.tests.factories import refer

TODAY = timezone.localdate()


def _consent(actor, household, purpose):
    return household_services.consent_record(
        actor=actor, household=household, person=None, purpose=purpose, given_by="Anna",
        given_on=TODAY - datetime.timedelta(days=30))


def _withdraw(actor, consent):
    household_services.consent_withdraw(actor=actor, consent=consent, withdrawn_on=TODAY)


def test_withdrawn_municipality_consent_stops_sharing_and_referrals(coordinator, branch, org):
    rodovre = Organisation.objects.create(name="Rødovre Kommune", kind="municipality",
                                          municipality_id="0175")
    caseworker = make_user("jens", rodovre, Role.CASEWORKER)
    job_centre = Partner.objects.create(organisation=org, kind="job_centre",
                                        name="Jobcenter Rødovre", municipality_id="0175",
                                        linked_organisation=rodovre)
    household = make_household(coordinator, branch, last="Delesen")
    consent = _consent(coordinator, household, "municipality")
    assert household in caseworker_household_list_for(user=caseworker)
    refer(coordinator, household, job_centre, direction="out", help_kind="job_support",
          sent_on=TODAY, consent_given_on=TODAY)
    _withdraw(coordinator, consent)
    assert household not in caseworker_household_list_for(user=caseworker)
    with pytest.raises(ValidationError) as refused:
        refer(coordinator, household, job_centre, direction="out", help_kind="housing_support",
              sent_on=TODAY, consent_given_on=TODAY)
    assert refused.value.code == "no_consent"


def test_withdrawn_evaluation_consent_leaves_the_evaluator_export(coordinator, branch, org):
    household = make_household(coordinator, branch, last="Forsker")
    consent = _consent(coordinator, household, "evaluation")
    assert consenting_persons(org.pk).filter(household=household).count() == 3
    _withdraw(coordinator, consent)
    assert not consenting_persons(org.pk).filter(household=household).exists()


def test_withdrawn_followup_consent_stops_offers_of_follow_up_help(personas, org, branch):
    from samspil.christmas import services as christmas_services
    from samspil.christmas.tests.factories import make_application, make_round

    coordinator, admin = personas["coordinator"], personas["org_admin"]
    now = timezone.now()
    round_ = make_round(org, opens_at=now - datetime.timedelta(days=5),
                        closes_at=now + datetime.timedelta(days=5))
    first = make_application(round_, submitted=now)
    second = make_application(round_, first="Lene", last="Berg", postcode="2610",
                              address="Bøgevej 3", phone="+4520999999", submitted=now)
    for application in (first, second):
        christmas_services.application_grant(actor=admin, application=application)
        application.refresh_from_db()
    christmas_services.followup_offer(actor=coordinator, application=first, kind="camp",
                                      offered_on=TODAY)
    # The family withdraws through the household's privacy page.
    response = client_for(coordinator).post(
        f"/privacy/households/{second.household_id}/follow-up/withdraw/")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.consent_followup is False
    with pytest.raises(ValidationError) as refused:
        christmas_services.followup_offer(actor=coordinator, application=second, kind="camp",
                                          offered_on=TODAY)
    assert refused.value.code == "no_consent"
