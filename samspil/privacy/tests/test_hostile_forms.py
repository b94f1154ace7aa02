"""Property-based tests (Hypothesis) of every public form — Christmas-aid application, activity
sign-up link, the family's questionnaire link — with hostile input: never a 500, and a refused
post changes nothing it should not."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samspil.conftest import make_household

# Anything a client can send as a form value: unicode (no lone surrogates, which no client can
# encode), control characters, NUL, markup, SQL, huge numbers, dates that do not exist.
HOSTILE = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
    st.sampled_from(["", " ", "\x00", "'; DROP TABLE households_household; --",
                     "<script>alert(1)</script>", "9" * 400, "-1", "0", "1e309", "NaN",
                     "2023-02-30", "0000-00-00", "9999-99-99", "010203-1234", "٣", "on",
                     "x" * 20000, "%00", "../../etc/passwd", "{{ 7*7 }}", "\u202e"]),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
)
RUNS = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _fields(**names):
    return st.fixed_dictionaries({}, optional={name: HOSTILE for name in names})


def _token(client, url):
    page = client.get(url).content.decode()
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def _post(client, url, data, token):
    payload = dict(data)
    if token and "submission_token" not in payload:
        payload["submission_token"] = token
    response = client.post(url, payload)
    assert response.status_code < 500, (data, response.status_code)
    return response


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.PUBLIC_FORM_MAX_SUBMISSIONS = 10**9


CHRISTMAS_FIELDS = ("first_name", "last_name", "birth_date", "cpr", "address", "postcode",
                    "phone", "email", "other_first_name", "other_last_name", "other_birth_date",
                    "children_birth_years", "income", "description", "consent",
                    "consent_followup", "website", "submission_token", "language")


@RUNS
@given(data=_fields(**dict.fromkeys(CHRISTMAS_FIELDS)))
def test_the_christmas_application_form(christmas_url, data):
    client = Client()
    _post(client, christmas_url, data, _token(client, christmas_url))


@pytest.fixture
def christmas_url(org, branch):
    from samspil.christmas.tests.factories import make_round

    now = timezone.now()
    round_ = make_round(org, opens_at=now - datetime.timedelta(days=5),
                        closes_at=now + datetime.timedelta(days=5))
    return f"/christmas/apply/{round_.slug}/"


SIGNUP_FIELDS = ("contact_name", "phone", "email", "adults", "children_ages", "language",
                 "note", "website", "submission_token", "consent")


@pytest.fixture
def signup_url(branch):
    from samspil.activities.tests.factories import make_activity

    day = timezone.localdate() + datetime.timedelta(days=10)
    activity = make_activity(branch, public_signup=True, sessions=(day,))
    return f"/activities/join/{activity.public_key}/"


@RUNS
@given(data=_fields(**dict.fromkeys(SIGNUP_FIELDS)))
def test_the_activity_signup_link(signup_url, data):
    client = Client()
    _post(client, signup_url, data, _token(client, signup_url))


@pytest.fixture
def answer_url(coordinator, branch):
    from samspil.engagements.tests.factories import make_volunteer, row
    from samspil.outcomes import services
    from samspil.outcomes.models import Instrument, Questionnaire

    household = make_household(coordinator, branch, last="Svarsen")
    engagement = row(household, make_volunteer(branch, first="Vera"),
                     started=timezone.localdate() - datetime.timedelta(days=10))
    questionnaire = Questionnaire.objects.create(
        engagement=engagement, person=household.members.filter(role="parent").first(),
        instrument=Instrument.objects.get(code="who5", is_current=True), point="start",
        due_on=timezone.localdate())
    token = services.answer_link_create(actor=coordinator, questionnaire=questionnaire)
    return f"/outcomes/answer/{token}/"


@RUNS
@given(data=_fields(**{f"who5_{i}": None for i in range(1, 6)}, extra=None))
def test_the_questionnaire_link(answer_url, data):
    _post(Client(), answer_url, data, "")


@RUNS
@given(token=st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1,
                     max_size=200).filter(lambda t: "/" not in t and "\x00" not in t))
def test_a_hostile_questionnaire_token(db, token):
    from urllib.parse import quote

    response = Client().get(f"/outcomes/answer/{quote(token, safe='')}/")
    assert response.status_code in (404, 410)
