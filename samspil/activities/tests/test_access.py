"""Walks every URL of the activities area as every role and as an outsider: 404 or 403, never
data; a volunteer reaches only the attendance of activities she runs; the public link needs no
login and shows no other family."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.activities import services
from samspil.activities.tests.factories import TODAY, make_activity, make_network
from samspil.conftest import client_for, make_household
from samspil.engagements.tests.factories import make_volunteer

ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]
COORDINATORS = {"coordinator", "org_admin"}
ANY_COORDINATOR = {"coordinator", "org_admin", "other_branch_coordinator", "outsider"}
EVERYONE = set(ROLES)

ALLOWED = {
    "activities:list": ANY_COORDINATOR,
    "activities:create": ANY_COORDINATOR,
    "activities:kinds": ANY_COORDINATOR,
    "activities:detail": COORDINATORS,
    "activities:edit": COORDINATORS,
    "activities:session_add": COORDINATORS,
    "activities:signup": COORDINATORS,
    "activities:cancel": COORDINATORS,
    "activities:link": COORDINATORS,
    "activities:networks": ANY_COORDINATOR,
    "activities:network_create": ANY_COORDINATOR,
    "activities:network_detail": COORDINATORS,
    "activities:network_edit": COORDINATORS,
    "activities:member_add": COORDINATORS,
    "activities:member_leave": COORDINATORS,
    "activities:participation": COORDINATORS,
    "activities:figures": {"org_admin"},
    "activities:attendance": COORDINATORS | {"volunteer"},
    "activities:mine": {"volunteer"},
    "activities:public_signup": EVERYONE,
}
POST_ONLY = {"activities:session_add", "activities:signup", "activities:cancel",
             "activities:link", "activities:member_add", "activities:member_leave"}
COVERED_URLS = set(ALLOWED)


@pytest.fixture
def world(personas, branch):
    coordinator = personas["coordinator"]
    household = make_household(coordinator, branch, last="Hemmeligsen", address="Skjultvej 7")
    frida = make_volunteer(branch, user=personas["volunteer"], first="Frida")
    activity = make_activity(branch, title="Sommercafé", sessions=(TODAY,), public_signup=True)
    activity.volunteers.set([frida])
    signup = services.signup_create(actor=coordinator, activity=activity, household=household,
                                    persons=list(household.members.all()))
    network = make_network(branch)
    membership = services.network_member_add(actor=coordinator, network=network,
                                             household=household, joined_on=TODAY)
    return {"activity": activity, "signup": signup, "network": network,
            "membership": membership, "household": household}


def _url_kwargs(w) -> dict[str, dict]:
    a = {"pk": w["activity"].pk}
    n = {"pk": w["network"].pk}
    return {
        "activities:list": {}, "activities:create": {}, "activities:kinds": {},
        "activities:detail": a, "activities:edit": a, "activities:session_add": a,
        "activities:signup": a,
        "activities:cancel": {**a, "signup_pk": w["signup"].pk},
        "activities:link": {**a, "signup_pk": w["signup"].pk},
        "activities:networks": {}, "activities:network_create": {},
        "activities:network_detail": n, "activities:network_edit": n,
        "activities:member_add": n,
        "activities:member_leave": {**n, "membership_pk": w["membership"].pk},
        "activities:participation": {"household_pk": w["household"].pk},
        "activities:figures": {},
        "activities:attendance": {**a, "session_pk": w["activity"].sessions.get().pk},
        "activities:mine": {},
        "activities:public_signup": {"key": w["activity"].public_key},
    }


def test_the_table_and_the_walk_agree(world):
    assert set(_url_kwargs(world)) == COVERED_URLS


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, personas, world):
    client = client_for(personas[role])
    for name, kwargs in _url_kwargs(world).items():
        if name == "activities:cancel":
            continue  # a real post; walked below without changing anything for the allowed
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        body = response.content.decode()
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert "Hemmeligsen" not in body and "Skjultvej" not in body, (role, name)
        if name in ("activities:list", "activities:networks", "activities:public_signup") \
                and role not in COORDINATORS:
            assert "Hemmeligsen" not in body, (role, name)
    if role not in COORDINATORS:
        url = reverse("activities:cancel", kwargs=_url_kwargs(world)["activities:cancel"])
        assert client.post(url).status_code in (403, 404)
    world["signup"].refresh_from_db()
    assert world["signup"].status == "confirmed"
    assert world["signup"].household_id == world["household"].pk
    assert world["membership"].__class__.objects.get(pk=world["membership"].pk).left_on is None


def test_the_volunteer_sees_first_names_and_ages_only(personas, world):
    session = world["activity"].sessions.get()
    url = reverse("activities:attendance", args=[world["activity"].pk, session.pk])
    body = client_for(personas["volunteer"]).get(url).content.decode()
    assert "Anna" in body and "Barn0" in body and "14 years" in body
    assert "Hemmeligsen" not in body and "Skjultvej" not in body and "+4520123456" not in body


def test_a_volunteer_not_in_charge_gets_404(personas, world, branch):
    world["activity"].volunteers.clear()
    session = world["activity"].sessions.get()
    url = reverse("activities:attendance", args=[world["activity"].pk, session.pk])
    assert client_for(personas["volunteer"]).get(url).status_code == 404


def test_the_public_link_needs_no_login_and_shows_no_family(world):
    url = reverse("activities:public_signup", args=[world["activity"].public_key])
    response = client_for(None).get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "Sommercafé" in body
    assert "Hemmeligsen" not in body and "Anna" not in body


def test_a_closed_link_is_404(world):
    world["activity"].public_signup = False
    world["activity"].save(update_fields=["public_signup"])
    url = reverse("activities:public_signup", args=[world["activity"].public_key])
    assert client_for(None).get(url).status_code == 404


def test_anonymous_users_are_sent_to_login(world):
    client = client_for(None)
    for name, kwargs in _url_kwargs(world).items():
        if name == "activities:public_signup":
            continue
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
