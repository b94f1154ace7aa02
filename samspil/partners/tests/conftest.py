"""Fixtures for the partners tests: a fixed today, English messages, and the municipal world.

Organisation A (Familiehjælpen, branch Rødovre) has a job-centre partner linked to the
organisation "Rødovre Kommune", whose caseworker Jens may see A's consenting households in
Rødovre. Kirsten is a caseworker of København's organisation: another municipality.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from samspil.conftest import make_household, make_user
from samspil.core.models import Organisation, Role
from samspil.households import services as household_services
from samspil.partners.models import Partner

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return original(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def rodovre(db) -> Organisation:
    return Organisation.objects.create(name="Rødovre Kommune", kind="municipality",
                                       municipality_id="0175")


@pytest.fixture
def kobenhavn(db) -> Organisation:
    return Organisation.objects.create(name="Københavns Kommune", kind="municipality",
                                       municipality_id="0101")


@pytest.fixture
def caseworker(rodovre):
    return make_user("jens", rodovre, Role.CASEWORKER)


@pytest.fixture
def other_caseworker(kobenhavn):
    return make_user("kirsten", kobenhavn, Role.CASEWORKER)


@pytest.fixture
def job_centre(org, rodovre) -> Partner:
    return Partner.objects.create(organisation=org, kind="job_centre",
                                  name="Jobcenter Rødovre", municipality_id="0175",
                                  linked_organisation=rodovre)


@pytest.fixture
def school(org) -> Partner:
    return Partner.objects.create(organisation=org, kind="school", name="Islev Skole")


def give_consent(actor, household, purpose="municipality"):
    return household_services.consent_record(
        actor=actor, household=household, person=None, purpose=purpose,
        given_by="Anna", given_on=TODAY - datetime.timedelta(days=30))


@pytest.fixture
def shared_household(coordinator, branch):
    """The Delesens of Rødovre: consented to sharing with the municipality."""
    household = make_household(coordinator, branch, last="Delesen", address="Åbenvej 3")
    give_consent(coordinator, household)
    return household


@pytest.fixture
def private_household(coordinator, branch):
    """The Hemmeligsens of Rødovre: no consent to share with the municipality."""
    household = make_household(coordinator, branch, last="Hemmeligsen", address="Skjultvej 7")
    give_consent(coordinator, household, purpose="evaluation")
    return household
