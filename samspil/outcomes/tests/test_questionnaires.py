"""Scheduling, answering once, the family's personal link, and targets that make sense."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samspil.conftest import client_for, make_household
from samspil.core.models import AuditEvent
from samspil.engagements.tests.factories import make_volunteer, row
from samspil.outcomes import services
from samspil.outcomes.models import AnswerLink, Questionnaire, Target
from samspil.outcomes.tests import factories

d = datetime.date
WHO5_ANSWERS = {f"who5_{i}": 3 for i in range(1, 6)}


@pytest.fixture
def started(personas, branch):
    household = make_household(personas["coordinator"], branch, last="Hansen", children=2)
    volunteer = make_volunteer(branch, user=personas["volunteer"], first="Frida")
    engagement = row(household, volunteer, started=d(2026, 2, 1))
    return engagement


def test_a_started_family_friend_gets_its_questionnaires(started, org):
    created = services.questionnaires_schedule(organisation_id=org.pk)
    rows = set(Questionnaire.objects.values_list("instrument__code", "point", "due_on"))
    # One parent: WHO-5 and network at the start; two children: school level at +12, +24.
    assert created == 2 + 2 + 2
    assert ("who5", "start", d(2026, 2, 1)) in rows
    assert ("school_level", "m12", d(2027, 2, 1)) in rows
    assert ("school_level", "m24", d(2028, 2, 1)) in rows
    assert not any(point == "end" for _c, point, _d in rows)  # not ended yet
    assert services.questionnaires_schedule(organisation_id=org.pk) == 0  # safe to run again


def _who5(started):
    services.questionnaires_schedule(organisation_id=started.organisation_id)
    return Questionnaire.objects.get(instrument__code="who5", point="start")


def test_who5_is_scored_as_four_times_the_raw_sum(started, personas):
    q = services.questionnaire_answer(actor=personas["volunteer"], questionnaire=_who5(started),
                                      answers=WHO5_ANSWERS)
    assert q.score == 60 and q.answered_by == personas["volunteer"]
    assert AuditEvent.objects.filter(object_type="outcomes.questionnaire", action="create",
                                     household_id=started.household_id).exists()


def test_a_questionnaire_cannot_be_answered_twice(started, personas):
    q = _who5(started)
    services.questionnaire_answer(actor=personas["volunteer"], questionnaire=q,
                                  answers=WHO5_ANSWERS)
    with pytest.raises(ValidationError, match="already been answered"):
        services.questionnaire_answer(actor=personas["coordinator"], questionnaire=q,
                                      answers={f"who5_{i}": 0 for i in range(1, 6)})
    q.refresh_from_db()
    assert q.score == 60


@pytest.mark.parametrize("answers", [
    {**WHO5_ANSWERS, "who5_3": 6},  # out of range
    {**WHO5_ANSWERS, "who5_3": -1},
    {k: v for k, v in WHO5_ANSWERS.items() if k != "who5_5"},  # missing
    {**WHO5_ANSWERS, "who5_1": "a lot"},
])
def test_an_answer_that_does_not_fit_is_refused_and_nothing_is_saved(started, personas, answers):
    q = _who5(started)
    with pytest.raises(ValidationError):
        services.questionnaire_answer(actor=personas["volunteer"], questionnaire=q,
                                      answers=answers)
    q.refresh_from_db()
    assert q.answered_at is None and q.score is None


def test_the_volunteer_answers_on_the_page_and_a_second_post_changes_nothing(started, personas):
    q = _who5(started)
    client = client_for(personas["volunteer"])
    url = reverse("outcomes:answer", args=[q.pk])
    assert "cheerful" in client.get(url).content.decode()
    bad = client.post(url, {**WHO5_ANSWERS, "who5_2": "9"})
    assert bad.status_code == 200 and "The answer is out of range." in bad.content.decode()
    assert client.post(url, WHO5_ANSWERS).status_code == 302
    again = client.post(url, {f"who5_{i}": 0 for i in range(1, 6)})
    assert "already been answered" in again.content.decode()
    q.refresh_from_db()
    assert q.score == 60


def test_the_family_answers_through_its_link_once(started, personas, client):
    q = _who5(started)
    token = services.answer_link_create(actor=personas["coordinator"], questionnaire=q)
    assert AnswerLink.objects.get().token_hash != token  # only the hash is stored
    url = reverse("outcomes:family_answer", args=[token])
    page = client_for(None).get(url)
    assert page.status_code == 200 and "cheerful" in page.content.decode()
    done = client_for(None).post(url, WHO5_ANSWERS)
    assert done.status_code == 200 and "Your answers have been saved" in done.content.decode()
    q.refresh_from_db()
    assert q.by_family and q.answered_by is None and q.score == 60
    reused = client_for(None).post(url, {f"who5_{i}": 0 for i in range(1, 6)})
    assert reused.status_code == 410 and "already been used" in reused.content.decode()
    q.refresh_from_db()
    assert q.score == 60


def test_an_expired_or_unknown_link_is_refused(started, personas):
    q = _who5(started)
    token = services.answer_link_create(actor=personas["coordinator"], questionnaire=q)
    AnswerLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    url = reverse("outcomes:family_answer", args=[token])
    response = client_for(None).post(url, WHO5_ANSWERS)
    assert response.status_code == 410 and "expired" in response.content.decode()
    unknown = client_for(None).get(reverse("outcomes:family_answer", args=["nonsense"]))
    assert unknown.status_code == 410 and "not valid" in unknown.content.decode()
    q.refresh_from_db()
    assert q.answered_at is None


def test_a_new_link_replaces_the_old_one(started, personas):
    q = _who5(started)
    old = services.answer_link_create(actor=personas["coordinator"], questionnaire=q)
    services.answer_link_create(actor=personas["coordinator"], questionnaire=q)
    response = client_for(None).get(reverse("outcomes:family_answer", args=[old]))
    assert response.status_code == 410


def test_the_due_list_shows_due_and_overdue_for_the_coordinators_branch(started, personas):
    services.questionnaires_schedule(organisation_id=started.organisation_id)
    body = client_for(personas["coordinator"]).get(reverse("outcomes:due")).content.decode()
    assert "Hansen" in body  # the start questionnaires are overdue (2026-02-01)
    other = client_for(personas["other_branch_coordinator"]).get(reverse("outcomes:due"))
    assert "Hansen" not in other.content.decode()


@pytest.mark.parametrize("kpi, value, baseline, message", [
    ("work_attachment", "120", None, "more than 100%"),
    ("reach", "0", None, "more than zero"),
    ("networks", "75", "80", "below the target"),
])
def test_an_impossible_target_is_refused(personas, org, kpi, value, baseline, message):
    programme = factories.programme(org)
    before = list(Target.objects.values_list("kpi", "value", "baseline"))
    client = client_for(personas["org_admin"])
    response = client.post(reverse("outcomes:targets", args=[programme.pk]),
                           {"kpi": kpi, "value": value, "baseline": baseline or ""})
    assert response.status_code == 200 and message in response.content.decode()
    assert list(Target.objects.values_list("kpi", "value", "baseline")) == before


def test_a_programme_cannot_end_before_it_starts(personas, org):
    programme = factories.programme(org)
    response = client_for(personas["org_admin"]).post(
        reverse("outcomes:targets", args=[programme.pk]),
        {"starts_on": "2026-01-01", "ends_on": "2025-01-01"})
    assert "must end after it starts" in response.content.decode()
    programme.refresh_from_db()
    assert programme.ends_on == d(2028, 12, 31)


def test_a_target_is_saved_and_audited(personas, org):
    programme = factories.programme(org)
    client_for(personas["org_admin"]).post(reverse("outcomes:targets", args=[programme.pk]),
                                           {"kpi": "work_attachment", "value": "65"})
    assert Target.objects.get(programme=programme, kpi="work_attachment").value == Decimal("65")
    assert AuditEvent.objects.filter(object_type="outcomes.target", action="change").exists()
