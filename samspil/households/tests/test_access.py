"""Walks every URL of the registry as every role and as an outsider: 404 or 403, never data."""

from __future__ import annotations

import pytest

from samspil.conftest import client_for, make_household
from samspil.core.models import AuditEvent


# Every URL with the kwargs it takes; the walk below fails if a new URL is missing here.
def _url_kwargs(household, consent):
    return {
        "households:list": {},
        "households:create": {},
        "households:member_row": {},
        "households:postcode_town": {},
        "households:detail": {"pk": household.pk},
        "households:edit": {"pk": household.pk},
        "households:members": {"pk": household.pk},
        "households:consents": {"pk": household.pk},
        "households:consent_withdraw": {"pk": household.pk, "consent_pk": consent.pk},
        "households:needs": {"pk": household.pk},
        "households:audit": {"pk": household.pk},
        "audit_log": {},
        "home": {},
        "login": {},
        "logout": {},
        "set_language": {},
    }


# Who may open what: (url name) -> roles that get the page. Others get 403, or 404 when the
# URL names one household they may not see.
ALLOWED = {
    "households:list": {"coordinator", "org_admin", "other_branch_coordinator", "outsider"},
    "households:create": {"coordinator", "org_admin", "other_branch_coordinator", "outsider"},
    "households:member_row": {"coordinator", "org_admin", "other_branch_coordinator",
                              "outsider"},
    "households:postcode_town": {"coordinator", "org_admin", "other_branch_coordinator",
                                 "outsider"},
    "households:detail": {"coordinator", "org_admin"},
    "households:edit": {"coordinator", "org_admin"},
    "households:members": {"coordinator", "org_admin"},
    "households:consents": {"coordinator", "org_admin"},
    "households:consent_withdraw": {"coordinator", "org_admin"},
    "households:needs": {"coordinator", "org_admin"},
    "households:audit": {"coordinator", "org_admin"},
    "audit_log": {"org_admin"},
}
PUBLIC_OR_SELF = {"home", "login", "logout", "set_language"}
ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]


@pytest.fixture
def world(personas, branch):
    household = make_household(personas["coordinator"], branch, last="Hemmeligsen",
                               address="Skjultvej 7")
    consent = household.consents.create(
        purpose="registration", given_by="Anna Hemmeligsen", given_on="2026-01-05",
        recorded_by=personas["coordinator"],
    )
    return household, consent


# Collected by samspil/core/tests/test_url_coverage.py, which fails on any URL no walk covers.
COVERED_URLS = set(ALLOWED) | PUBLIC_OR_SELF


def test_the_table_and_the_walk_agree(world):
    household, consent = world
    assert set(_url_kwargs(household, consent)) == COVERED_URLS


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, personas, world):
    from django.urls import reverse

    household, consent = world
    client = client_for(personas[role])
    for name, kwargs in _url_kwargs(household, consent).items():
        if name in PUBLIC_OR_SELF:
            continue
        url = reverse(name, kwargs=kwargs)
        method = client.post if name == "households:consent_withdraw" else client.get
        response = method(url, {"withdrawn_on": "2026-01-06"} if method == client.post else {})
        body = response.content.decode()
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert "Hemmeligsen" not in body and "Skjultvej" not in body, (role, name)
        # Lists show only what the role may see.
        if name == "households:list" and role not in ("coordinator", "org_admin"):
            assert "Hemmeligsen" not in body


def test_anonymous_users_are_sent_to_login(world):
    household, consent = world
    from django.urls import reverse

    client = client_for(None)
    for name, kwargs in _url_kwargs(household, consent).items():
        if name in PUBLIC_OR_SELF:
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_foreign_household_gives_404_and_is_logged(personas, world):
    household, _ = world
    outsider = personas["outsider"]
    response = client_for(outsider).get(f"/households/{household.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=outsider, action="denied")
    assert event.household_id == household.pk
    assert event.organisation_id == outsider.organisation_id
    # The owning branch sees the attempt in the household's log.
    owner_view = client_for(personas["coordinator"]).get(f"/households/{household.pk}/audit/")
    assert "Anders" in owner_view.content.decode()


def test_an_evaluator_gets_404_on_every_household_page(personas, world):
    from django.urls import reverse

    household, consent = world
    client = client_for(personas["evaluator"])
    for name, kwargs in _url_kwargs(household, consent).items():
        if name in PUBLIC_OR_SELF or name == "audit_log":
            continue
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_admin_site_is_closed_to_organisation_administrators(personas):
    response = client_for(personas["org_admin"]).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
