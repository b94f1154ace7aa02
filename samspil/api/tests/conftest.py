"""API tests: a token per persona, a client that sends it, and a small world of organisation A."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from samspil.activities.tests import factories as activity_factories
from samspil.api import services
from samspil.conftest import make_household
from samspil.engagements.tests.factories import make_volunteer, walk_to
from samspil.outcomes.tests import factories as outcome_factories
from samspil.partners.models import Partner
from samspil.partners.tests.factories import refer


class ApiClient:
    """Calls the API with `Authorization: Bearer <token>`, answers parsed JSON."""

    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, params=None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path: str, data):
        return self.client.post(path, data, content_type="application/json",
                                headers=self.headers)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_for(personas):
    def make(role: str) -> ApiClient:
        _, key = services.token_create(actor=personas[role], name=f"{role} test")
        return ApiClient(key)
    return make


@pytest.fixture
def world(personas, branch, other_branch):
    """One household with an active family-friend engagement in Rødovre (Frida's), one
    household in Aarhus, and a household of the other organisation."""
    coordinator = personas["coordinator"]
    household = make_household(coordinator, branch, last="Hemmeligsen", address="Skjultvej 7")
    frida = make_volunteer(branch, user=personas["volunteer"], first="Frida")
    engagement = walk_to("active", actor=coordinator, household=household, volunteer=frida)
    aarhus = make_household(personas["other_branch_coordinator"], other_branch, last="Aarhusen",
                            postcode="8000")
    # Frida is in charge of a family café the Hemmeligsens signed up for and came to.
    activity = activity_factories.make_activity(
        branch, title="Hemmeligsens café", sessions=(datetime.date(2026, 5, 20),))
    activity.volunteers.add(frida)
    signup = activity_factories.signed_up(activity, household)
    activity_factories.mark(activity.sessions.get(), signup.participants.first())
    partner = Partner.objects.create(organisation=branch.organisation, kind="school",
                                     name="Islev Skole")
    referral = refer(coordinator, household, partner, direction="out",
                     help_kind="school_support")
    questionnaire = outcome_factories.answered(
        engagement, outcome_factories.parent(household), "who5", "start",
        outcome_factories.who5(48), datetime.date(2026, 5, 1))
    programme = outcome_factories.programme(branch.organisation)
    return {"household": household, "engagement": engagement, "volunteer": frida,
            "aarhus": aarhus, "activity": activity, "referral": referral,
            "questionnaire": questionnaire, "programme": programme}
