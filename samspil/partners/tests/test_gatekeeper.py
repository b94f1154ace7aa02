"""The one rule for caseworkers (selectors.caseworker_household_list_for), branch by branch."""

from __future__ import annotations

import datetime

from samspil.conftest import make_household, make_user
from samspil.core.models import Branch, Role
from samspil.households import services as household_services
from samspil.partners.selectors import caseworker_household_list_for
from samspil.partners.tests.conftest import give_consent


def visible(user):
    return set(caseworker_household_list_for(user=user).values_list("pk", flat=True))


def test_a_caseworker_sees_a_consenting_household_of_a_linked_partner(
        caseworker, job_centre, shared_household, private_household):
    assert visible(caseworker) == {shared_household.pk}


def test_without_a_linked_partner_the_caseworker_sees_nothing(caseworker, shared_household):
    assert visible(caseworker) == set()


def test_an_inactive_partner_gives_no_access(caseworker, job_centre, shared_household):
    job_centre.active = False
    job_centre.save()
    assert visible(caseworker) == set()


def test_another_municipalitys_caseworker_sees_nothing(
        other_caseworker, job_centre, shared_household):
    assert visible(other_caseworker) == set()


def test_a_household_in_another_municipality_is_not_shared(
        caseworker, job_centre, coordinator, branch):
    household = make_household(coordinator, branch, last="Flytsen", postcode="2600")  # Glostrup
    give_consent(coordinator, household)
    assert household.municipality_id != "0175"
    assert visible(caseworker) == set()


def test_a_withdrawn_consent_removes_access_at_once(
        caseworker, job_centre, shared_household, coordinator, today):
    assert visible(caseworker) == {shared_household.pk}
    consent = shared_household.consents.get(purpose="municipality")
    household_services.consent_withdraw(actor=coordinator, consent=consent, withdrawn_on=today)
    assert visible(caseworker) == set()


def test_a_consent_for_one_member_only_is_not_enough(
        caseworker, job_centre, coordinator, branch, today):
    household = make_household(coordinator, branch, last="Delvis")
    household_services.consent_record(
        actor=coordinator, household=household, person=household.members.first(),
        purpose="municipality", given_by="Anna", given_on=today)
    assert visible(caseworker) == set()


def test_a_consent_dated_in_the_future_is_not_yet_given(
        caseworker, job_centre, coordinator, branch, today):
    household = make_household(coordinator, branch, last="Senere")
    household_services.consent_record(
        actor=coordinator, household=household, person=None, purpose="municipality",
        given_by="Anna", given_on=today)
    household.consents.update(given_on=today + datetime.timedelta(days=3))
    assert visible(caseworker) == set()


def test_a_caseworker_of_a_charity_sees_nothing(personas, job_centre, shared_household):
    assert visible(personas["caseworker"]) == set()  # role caseworker, but not a municipality


def test_other_roles_get_nothing_from_the_caseworker_rule(personas, shared_household,
                                                          job_centre):
    for role in ("coordinator", "org_admin", "volunteer", "evaluator"):
        assert visible(personas[role]) == set(), role


def test_a_municipality_running_its_own_team_sees_its_own_consenting_households(
        rodovre, caseworker, today):
    team = Branch.objects.create(organisation=rodovre, name="Sammen om Familien",
                                 municipality_id="0175")
    team_coordinator = make_user("tina", rodovre, Role.COORDINATOR, [team])
    own = make_household(team_coordinator, team, last="Egensen")
    give_consent(team_coordinator, own)
    not_consented = make_household(team_coordinator, team, last="Ikkesen")
    assert visible(caseworker) == {own.pk}
    assert not_consented.pk not in visible(caseworker)


def test_an_inactive_caseworker_sees_nothing(caseworker, job_centre, shared_household):
    caseworker.is_active = False
    caseworker.save()
    assert visible(caseworker) == set()
