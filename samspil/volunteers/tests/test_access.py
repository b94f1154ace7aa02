"""Walks every URL of the volunteers app as every role and as an outsider: 404 or 403, never data.

A volunteer may read her own profile and nothing else; the other pages are for organisation
administrators (the whole organisation) and coordinators (their branches).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from samspil.conftest import client_for
from samspil.core.models import AuditEvent
from samspil.volunteers import services
from samspil.volunteers.tests.factories import make_volunteer


def _url_kwargs(volunteer, certificate):
    return {
        "volunteers:list": {},
        "volunteers:create": {},
        "volunteers:slot_row": {},
        "volunteers:certificates": {},
        "volunteers:detail": {"pk": volunteer.pk},
        "volunteers:edit": {"pk": volunteer.pk},
        "volunteers:availability": {"pk": volunteer.pk},
        "volunteers:screening": {"pk": volunteer.pk},
        "volunteers:screening_dates": {"pk": volunteer.pk},
        "volunteers:certificate_assess": {"pk": volunteer.pk, "certificate_pk": certificate.pk},
    }


STAFF_ANYWHERE = {"coordinator", "org_admin", "other_branch_coordinator", "outsider"}
OWNERS = {"coordinator", "org_admin"}  # the volunteer is in the coordinator's branch
# Who may open what: (url name) -> roles that get the page. Others get 403, or 404 when the
# URL names a volunteer they may not see.
ALLOWED = {
    "volunteers:list": STAFF_ANYWHERE,
    "volunteers:create": STAFF_ANYWHERE,
    "volunteers:slot_row": STAFF_ANYWHERE,
    "volunteers:certificates": STAFF_ANYWHERE,
    "volunteers:detail": OWNERS,
    "volunteers:edit": OWNERS,
    "volunteers:availability": OWNERS,
    "volunteers:screening": OWNERS,
    "volunteers:screening_dates": OWNERS,
    "volunteers:certificate_assess": OWNERS,
}
POSTS = {"volunteers:screening_dates": {"confidentiality_signed_on": "2026-01-06",
                                        "training_completed_on": ""}}
ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]

# Collected by samspil/core/tests/test_url_coverage.py, which fails on any URL no walk covers.
COVERED_URLS = set(ALLOWED)


@pytest.fixture
def world(personas, branch):
    volunteer = make_volunteer(personas["coordinator"], branch, first_name="Hemmelig",
                               last_name="Hemmeligsen", email="skjult@example.org")
    certificate = services.certificate_record(
        actor=personas["coordinator"], volunteer=volunteer,
        requested_on=datetime.date(2026, 1, 5),
    )
    return volunteer, certificate


def test_the_table_and_the_walk_agree(world):
    assert set(_url_kwargs(*world)) == COVERED_URLS


def test_every_url_of_the_app_is_in_the_table():
    from samspil.core.tests.test_url_coverage import all_named_urls

    assert {n for n in all_named_urls() if n.startswith("volunteers:")} == COVERED_URLS


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, personas, world):
    client = client_for(personas[role])
    for name, kwargs in _url_kwargs(*world).items():
        url = reverse(name, kwargs=kwargs)
        if name in POSTS:
            response = client.post(url, POSTS[name])
        else:
            response = client.get(url)
        body = response.content.decode()
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert "Hemmeligsen" not in body and "skjult@" not in body, (role, name)
        # Lists show only what the role may see.
        if role not in OWNERS:
            assert "Hemmeligsen" not in body, (role, name)


def test_anonymous_users_are_sent_to_login(world):
    client = client_for(None)
    for name, kwargs in _url_kwargs(*world).items():
        url = reverse(name, kwargs=kwargs)
        response = client.post(url) if name in POSTS else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_a_volunteer_reads_her_own_profile_and_nothing_else(personas, branch, world):
    other, _certificate = world
    frida = personas["volunteer"]
    own = make_volunteer(personas["coordinator"], branch, first_name="Frida", last_name="Egen",
                         user=frida, notes="Intern note fra koordinatoren")
    client = client_for(frida)
    page = client.get(f"/volunteers/{own.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Frida Egen" in html and "Hemmeligsen" not in html
    assert "Intern note" not in html  # coordinators' notes stay with the coordinators
    assert f"/volunteers/{own.pk}/edit/" not in html
    # Another volunteer's profile: the same answer as an id that does not exist.
    assert client.get(f"/volunteers/{other.pk}/").status_code == 404
    assert client.get("/volunteers/99999/").status_code == 404
    denied = AuditEvent.objects.filter(actor=frida, action="denied")
    assert {(e.object_type, e.object_id) for e in denied} == {
        ("volunteers.volunteer", str(other.pk)), ("volunteers.volunteer", "99999")}
    # Her own profile is read-only for her.
    for suffix in ("edit/", "availability/", "screening/"):
        assert client.get(f"/volunteers/{own.pk}/{suffix}").status_code == 403


def test_a_coordinator_of_another_branch_gets_404_and_it_is_logged(personas, world):
    volunteer, _certificate = world
    kim = personas["other_branch_coordinator"]
    response = client_for(kim).get(f"/volunteers/{volunteer.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=kim, action="denied")
    assert event.object_id == str(volunteer.pk)
    assert event.organisation_id == kim.organisation_id


def test_opening_a_profile_is_logged(personas, world):
    volunteer, _certificate = world
    client_for(personas["org_admin"]).get(f"/volunteers/{volunteer.pk}/")
    event = AuditEvent.objects.get(actor=personas["org_admin"], action="view")
    assert event.object_type == "volunteers.volunteer"
    assert event.object_label == "Hemmelig Hemmeligsen"
