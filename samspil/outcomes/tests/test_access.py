"""Walks every URL of outcomes as every role and as an outsider: 404 or 403, never data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.conftest import client_for, make_household
from samspil.engagements.tests.factories import make_volunteer, row
from samspil.outcomes import services
from samspil.outcomes.models import Questionnaire
from samspil.outcomes.tests import factories

ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]
DASHBOARD = {"coordinator", "org_admin", "other_branch_coordinator", "evaluator"}
ALLOWED = {
    "outcomes:dashboard": DASHBOARD | {"outsider"},  # the outsider sees "no programme"
    "outcomes:report_pdf": DASHBOARD,
    "outcomes:report_xlsx": DASHBOARD,
    "outcomes:report_csv": DASHBOARD,
    "outcomes:figures_refresh": DASHBOARD,
    "outcomes:targets": {"org_admin"},
    "outcomes:due": {"coordinator", "org_admin", "other_branch_coordinator", "volunteer",
                     "outsider"},
    "outcomes:schedule": {"coordinator", "org_admin", "other_branch_coordinator", "outsider"},
    "outcomes:answer": {"coordinator", "org_admin", "volunteer"},
    "outcomes:link_create": {"coordinator", "org_admin"},
    "outcomes:exports": {"evaluator"},
    "outcomes:household": {"coordinator", "org_admin"},
    "outcomes:export_detail": {"evaluator"},
    "outcomes:export_download": {"evaluator"},
}
POST_ONLY = {"outcomes:schedule", "outcomes:link_create", "outcomes:figures_refresh"}
PUBLIC = {"outcomes:family_answer"}  # the link is the key; tested in test_questionnaires
# Collected by samspil/core/tests/test_url_coverage.py, which fails on any URL no walk covers.
COVERED_URLS = set(ALLOWED) | PUBLIC


@pytest.fixture
def world(personas, branch, org, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    programme = factories.programme(org)
    household = make_household(personas["coordinator"], branch, last="Hemmeligsen",
                               address="Skjultvej 7")
    volunteer = make_volunteer(branch, user=personas["volunteer"], first="Frida")
    import datetime

    row(household, volunteer, started=datetime.date(2026, 2, 1))
    services.questionnaires_schedule(organisation_id=org.pk)
    questionnaire = Questionnaire.objects.filter(instrument__code="who5").first()
    export = services.export_request(actor=personas["evaluator"], programme=programme)
    from samspil.outcomes import export as export_module

    export_module.build(export)
    export.status = "done"
    export.save()
    return programme, questionnaire, export


def _url_kwargs(programme, questionnaire, export):
    p, q, e = {"pk": programme.pk}, {"pk": questionnaire.pk}, {"pk": export.pk}
    return {
        "outcomes:dashboard": {}, "outcomes:report_pdf": p, "outcomes:report_xlsx": p,
        "outcomes:report_csv": p, "outcomes:figures_refresh": p, "outcomes:targets": p,
        "outcomes:due": {},
        "outcomes:schedule": {}, "outcomes:answer": q, "outcomes:link_create": q,
        "outcomes:household": {"household_pk": questionnaire.engagement.household_id},
        "outcomes:exports": {}, "outcomes:export_detail": e, "outcomes:export_download": e,
        "outcomes:family_answer": {"token": "not-a-token"},
    }


def test_the_table_and_the_walk_agree(world):
    assert set(_url_kwargs(*world)) == COVERED_URLS


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, personas, world):
    client = client_for(personas[role])
    for name, kwargs in _url_kwargs(*world).items():
        if name in PUBLIC:
            continue
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        body = b"" if name.startswith("outcomes:report") or name.endswith("download") else \
            response.content
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
        if role not in ("coordinator", "org_admin", "volunteer"):
            assert b"Hemmeligsen" not in body, (role, name)


def test_anonymous_users_are_sent_to_login(world):
    client = client_for(None)
    for name, kwargs in _url_kwargs(*world).items():
        if name in PUBLIC:
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_an_evaluator_gets_404_for_the_household_tab(personas, world):
    _p, questionnaire, _e = world
    url = reverse("outcomes:household", args=[questionnaire.engagement.household_id])
    assert client_for(personas["evaluator"]).get(url).status_code == 404


def test_the_household_tab_lists_its_questionnaires_in_a_fixed_number_of_queries(
        personas, world, django_assert_max_num_queries):
    _p, questionnaire, _e = world
    client = client_for(personas["coordinator"])
    url = reverse("outcomes:household", args=[questionnaire.engagement.household_id])
    with django_assert_max_num_queries(25):
        body = client.get(url).content.decode()
    assert "WHO-5" in body and reverse("outcomes:answer", args=[questionnaire.pk]) in body
