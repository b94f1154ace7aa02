"""Walks every URL of the partners area as every role, as municipal caseworkers of the right
and of another municipality, and as an outsider: 404 or 403, never data. Then the caseworker
walk: every URL with and without consent, and after withdrawal, every refusal audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.households import services as household_services
from samspil.partners import services
from samspil.partners.models import PlanAction, Referral
from samspil.partners.tests.factories import refer

ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider", "municipal_caseworker", "other_municipality_caseworker"]
COORDINATORS = {"coordinator", "org_admin"}
ORG_COORDINATORS = COORDINATORS | {"other_branch_coordinator"}
ANY_COORDINATOR = ORG_COORDINATORS | {"outsider"}
PLAN = COORDINATORS | {"municipal_caseworker"}
CASEWORKERS = {"caseworker", "municipal_caseworker", "other_municipality_caseworker"}

# Who may open what: (url name) -> roles that get the page. Others get 403, or 404 when the
# URL names a partner, referral or household they may not see.
ALLOWED = {
    "partners:list": ANY_COORDINATOR,
    "partners:create": ANY_COORDINATOR,
    "partners:detail": ORG_COORDINATORS,
    "partners:edit": ORG_COORDINATORS,
    "partners:contact_add": ORG_COORDINATORS,
    "partners:agreement_add": ORG_COORDINATORS,
    "partners:referrals": ANY_COORDINATOR,
    "partners:referral_detail": COORDINATORS,
    "partners:referral_move": COORDINATORS,
    "partners:household": COORDINATORS,
    "partners:refer_in": COORDINATORS,
    "partners:refer_out": COORDINATORS,
    "partners:plan": PLAN,
    "partners:plan_goal_add": PLAN,
    "partners:plan_action_add": PLAN,
    "partners:plan_action_update": PLAN,
    "partners:plan_review_add": PLAN,
    "partners:plan_pdf": PLAN,
    "partners:caseworker_households": CASEWORKERS,
    "partners:caseworker_household": {"municipal_caseworker"},
}
POST_ONLY = {"partners:contact_add", "partners:agreement_add", "partners:referral_move",
             "partners:plan_goal_add", "partners:plan_action_add",
             "partners:plan_action_update", "partners:plan_review_add"}
# The pages that name a household: a caseworker without access gets 404 and an audit row.
HOUSEHOLD_URLS = {name for name in ALLOWED if name.startswith("partners:plan")} | {
    "partners:caseworker_household"}
# Collected by samspil/core/tests/test_url_coverage.py, which fails on any URL no walk covers.
COVERED_URLS = set(ALLOWED)


def _url_kwargs(referral, action) -> dict[str, dict]:
    partner = {"pk": referral.partner_id}
    household = {"household_pk": referral.household_id}
    return {
        "partners:list": {}, "partners:create": {},
        "partners:detail": partner, "partners:edit": partner,
        "partners:contact_add": partner, "partners:agreement_add": partner,
        "partners:referrals": {},
        "partners:referral_detail": {"pk": referral.pk},
        "partners:referral_move": {"pk": referral.pk},
        "partners:household": household, "partners:refer_in": household,
        "partners:refer_out": household,
        "partners:plan": household, "partners:plan_goal_add": household,
        "partners:plan_action_add": household,
        "partners:plan_action_update": {**household, "action_pk": action.pk},
        "partners:plan_review_add": household, "partners:plan_pdf": household,
        "partners:caseworker_households": {},
        "partners:caseworker_household": household,
    }


@pytest.fixture
def everyone(personas, caseworker, other_caseworker):
    return {**personas, "municipal_caseworker": caseworker,
            "other_municipality_caseworker": other_caseworker}


@pytest.fixture
def world(personas, shared_household, job_centre, today):
    """The Delesens: a referral in from the job centre and a plan with one action."""
    coordinator = personas["coordinator"]
    referral = refer(coordinator, shared_household, job_centre)
    goal = services.plan_goal_add(actor=coordinator, household=shared_household, area="work",
                                  text="Delesens mål")
    parent = shared_household.members.filter(role="parent").first()
    action = services.plan_action_add(actor=coordinator, household=shared_household, goal=goal,
                                      text="Delesens handling", owner=f"member:{parent.pk}",
                                      due_on=today)
    return referral, action


def walk(client, referral, action, names=None):
    for name, kwargs in _url_kwargs(referral, action).items():
        if names is not None and name not in names:
            continue
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        yield name, response


def test_the_table_and_the_walk_agree(world):
    assert set(_url_kwargs(*world)) == COVERED_URLS == set(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, everyone, world):
    referral, action = world
    for name, response in walk(client_for(everyone[role]), referral, action):
        body = response.content.decode(errors="replace")
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert "Delesen" not in body and "Jobcenter" not in body, (role, name)
        if name in ("partners:referrals", "partners:caseworker_households") and \
                role not in COORDINATORS | {"municipal_caseworker"}:
            assert "Delesen" not in body, (role, name)
    referral.refresh_from_db()
    action.refresh_from_db()
    assert (referral.status, action.status) == ("received", "open")
    assert Referral.objects.count() == 1 and PlanAction.objects.count() == 1


def test_the_pages_really_show_the_family_to_those_allowed(everyone, world):
    referral, action = world
    for role, name in [("coordinator", "partners:referrals"),
                       ("org_admin", "partners:referral_detail"),
                       ("municipal_caseworker", "partners:caseworker_households"),
                       ("municipal_caseworker", "partners:caseworker_household"),
                       ("municipal_caseworker", "partners:plan")]:
        response = dict(walk(client_for(everyone[role]), referral, action, {name}))[name]
        assert "Delesen" in response.content.decode(), (role, name)


def test_a_caseworker_without_consent_reaches_no_household_page_and_each_try_is_audited(
        caseworker, world, personas, shared_household, today):
    referral, action = world
    consent = shared_household.consents.get(purpose="municipality")
    household_services.consent_withdraw(actor=personas["coordinator"], consent=consent,
                                        withdrawn_on=today)
    client = client_for(caseworker)
    before = AuditEvent.objects.filter(actor=caseworker, action="denied").count()
    for name, response in walk(client, referral, action, HOUSEHOLD_URLS):
        assert response.status_code == 404, name
        assert "Delesen" not in response.content.decode(errors="replace"), name
    denied = AuditEvent.objects.filter(actor=caseworker, action="denied",
                                       household_id=shared_household.pk)
    assert denied.count() - before == len(HOUSEHOLD_URLS)
    listing = dict(walk(client, referral, action, {"partners:caseworker_households"}))
    assert "Delesen" not in listing["partners:caseworker_households"].content.decode()


def test_consent_given_again_opens_the_door_again(caseworker, world, personas,
                                                  shared_household, today):
    referral, action = world
    consent = shared_household.consents.get(purpose="municipality")
    household_services.consent_withdraw(actor=personas["coordinator"], consent=consent,
                                        withdrawn_on=today)
    client = client_for(caseworker)
    url = reverse("partners:caseworker_household", args=[shared_household.pk])
    assert client.get(url).status_code == 404
    household_services.consent_record(actor=personas["coordinator"], household=shared_household,
                                      person=None, purpose="municipality", given_by="Anna",
                                      given_on=today)
    assert client.get(url).status_code == 200


def test_another_municipalitys_caseworker_is_refused_and_audited(other_caseworker, world):
    referral, action = world
    client = client_for(other_caseworker)
    for name, response in walk(client, referral, action, HOUSEHOLD_URLS):
        assert response.status_code == 404, name
    assert AuditEvent.objects.filter(actor=other_caseworker, action="denied",
                                     household_id=referral.household_id).count() == len(
        HOUSEHOLD_URLS)


def test_a_caseworker_asking_for_an_absent_household_gets_404(caseworker, world):
    response = client_for(caseworker).get(
        reverse("partners:caseworker_household", args=[999999]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=caseworker, action="denied",
                                     object_id="999999").exists()


def test_anonymous_users_are_sent_to_login(world):
    client = client_for(None)
    for name, response in walk(client, *world):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_the_menu_offers_each_role_its_own_entry(everyone):
    coordinator = client_for(everyone["coordinator"]).get(reverse("partners:list"))
    assert f'href="{reverse("partners:list")}"' in coordinator.content.decode()
    caseworker = client_for(everyone["municipal_caseworker"]).get(reverse("home"))
    body = caseworker.content.decode()
    assert f'href="{reverse("partners:caseworker_households")}"' in body
    assert f'href="{reverse("partners:list")}"' not in body
