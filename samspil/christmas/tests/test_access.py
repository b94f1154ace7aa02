"""Walks every URL of Christmas aid as every role and as an outsider: 404 or 403, never data;
coordinators reach only their own branches' applications."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.christmas import services
from samspil.christmas.models import Application, ApplicationLink, Status
from samspil.christmas.tests.factories import make_application
from samspil.conftest import client_for

ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]
STAFF = {"coordinator", "org_admin"}
ROUND_STAFF = {"coordinator", "org_admin", "other_branch_coordinator"}
PUBLIC = set(ROLES) | {"anonymous"}

ALLOWED = {
    "christmas:apply": PUBLIC,
    "christmas:receipt": set(),  # only with the signed link from the redirect (public form tests)
    "christmas:rounds": ROUND_STAFF | {"outsider"},
    "christmas:round_new": {"org_admin"},
    "christmas:queue": ROUND_STAFF,
    "christmas:round_edit": {"org_admin"},
    "christmas:allocate": ROUND_STAFF,
    "christmas:duplicates": ROUND_STAFF,
    "christmas:detect": ROUND_STAFF,
    "christmas:report": ROUND_STAFF,
    "christmas:linkage": {"org_admin"},
    "christmas:linkage_export": {"org_admin"},
    "christmas:link_decide": STAFF,
    "christmas:application": STAFF,
    "christmas:decide": STAFF,
    "christmas:delivery": STAFF,
    "christmas:offer_add": STAFF,
    "christmas:offer_update": STAFF,
}
POST_ONLY = {"christmas:allocate", "christmas:detect", "christmas:link_decide",
             "christmas:decide", "christmas:delivery", "christmas:offer_add",
             "christmas:offer_update"}
COVERED_URLS = set(ALLOWED)


@pytest.fixture
def world(round, coordinator):
    secret = make_application(round, first="Hemmelig", last="Skjultsen", address="Skjultvej 7")
    twin = make_application(round, first="Hemmelig", last="Skjultsen", address="Skjultvej 7")
    link = ApplicationLink.objects.create(first=secret, second=twin, probability=0.99,
                                          evidence=[["names", 5]])
    granted = make_application(round, first="Givet", last="Skjultsen")
    services.application_grant(actor=coordinator, application=granted)
    offer = services.followup_offer(actor=coordinator, application=granted, kind="camp",
                                    offered_on=round.closes_at.date())
    return round, secret, link, offer


def _kwargs(round, application, link, offer):
    return {
        "christmas:apply": {"slug": round.slug}, "christmas:receipt": {"slug": round.slug},
        "christmas:rounds": {}, "christmas:round_new": {},
        "christmas:queue": {"pk": round.pk}, "christmas:round_edit": {"pk": round.pk},
        "christmas:allocate": {"pk": round.pk}, "christmas:duplicates": {"pk": round.pk},
        "christmas:detect": {"pk": round.pk}, "christmas:report": {"pk": round.pk},
        "christmas:linkage": {"pk": round.pk}, "christmas:linkage_export": {"pk": round.pk},
        "christmas:link_decide": {"pk": link.pk},
        "christmas:application": {"pk": application.pk},
        "christmas:decide": {"pk": application.pk},
        "christmas:delivery": {"pk": application.pk},
        "christmas:offer_add": {"pk": application.pk},
        "christmas:offer_update": {"pk": offer.pk},
    }


def test_the_table_and_the_walk_agree(world):
    assert set(_kwargs(*world)) == COVERED_URLS


@pytest.mark.parametrize("role", ROLES + ["anonymous"])
def test_every_url_as_every_role(role, personas, world):
    round, application, link, offer = world
    client = client_for(personas.get(role))
    for name, kwargs in _kwargs(*world).items():
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        body = response.content.decode()
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302, 400), (role, name, response.status_code)
        elif role == "anonymous":
            assert response.status_code in (302, 404), (role, name)
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], name
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert "Skjultsen" not in body and "Skjultvej" not in body, (role, name)
        if name in ("christmas:queue", "christmas:duplicates") and role not in STAFF:
            assert "Skjultsen" not in body, (role, name)
    # The empty posts changed nothing.
    assert Application.objects.filter(status=Status.NEW).count() == 2
    link.refresh_from_db()
    offer.refresh_from_db()
    assert link.status == "proposed" and offer.response == "pending"


def test_the_pages_show_the_applications_to_those_allowed(personas, world):
    round, application, _link, _offer = world
    for role in STAFF:
        client = client_for(personas[role])
        queue = client.get(reverse("christmas:queue", args=[round.pk]))
        assert "Skjultsen" in queue.content.decode()
        assert "Skjultvej" in client.get(
            reverse("christmas:duplicates", args=[round.pk])).content.decode()


def test_the_menu_offers_christmas_aid_to_staff(personas):
    body = client_for(personas["coordinator"]).get(reverse("christmas:rounds")).content.decode()
    assert f'href="{reverse("christmas:rounds")}"' in body
