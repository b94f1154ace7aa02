"""Walks every URL of the engagements area as every role and as an outsider: 404 or 403,
never data; a volunteer reaches only her own families."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.conftest import client_for, make_household
from samspil.engagements import services
from samspil.engagements.models import EngagementState
from samspil.engagements.tests.factories import walk_to

ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]
COORDINATORS = {"coordinator", "org_admin"}
ANY_COORDINATOR = {"coordinator", "org_admin", "other_branch_coordinator", "outsider"}

# Who may open what: (url name) -> roles that get the page. Others get 403, or 404 when the
# URL names an engagement or household they may not see.
ALLOWED = {
    "engagements:list": ANY_COORDINATOR,
    "engagements:waiting": ANY_COORDINATOR,
    "engagements:figures": ANY_COORDINATOR,
    "engagements:hours": ANY_COORDINATOR,
    "engagements:refer": COORDINATORS,
    "engagements:detail": COORDINATORS,
    "engagements:wait": COORDINATORS,
    "engagements:match": COORDINATORS,
    "engagements:start": COORDINATORS,
    "engagements:end": COORDINATORS,
    "engagements:goal_add": COORDINATORS,
    "engagements:goal_update": COORDINATORS | {"volunteer"},
    "engagements:mine": {"volunteer"},
    "engagements:my_detail": {"volunteer"},
    "engagements:log_meeting": {"volunteer"},
}
POST_ONLY = {"engagements:wait", "engagements:match", "engagements:start", "engagements:end",
             "engagements:goal_add", "engagements:goal_update"}
# Collected by samspil/core/tests/test_url_coverage.py, which fails on any URL no walk covers.
COVERED_URLS = set(ALLOWED)


def _url_kwargs(engagement, goal) -> dict[str, dict]:
    one = {"pk": engagement.pk}
    return {
        "engagements:list": {},
        "engagements:waiting": {},
        "engagements:figures": {},
        "engagements:hours": {},
        "engagements:refer": {"household_pk": engagement.household_id},
        "engagements:detail": one,
        "engagements:wait": one,
        "engagements:match": one,
        "engagements:start": one,
        "engagements:end": one,
        "engagements:goal_add": one,
        "engagements:goal_update": {"pk": engagement.pk, "goal_pk": goal.pk},
        "engagements:mine": {},
        "engagements:my_detail": one,
        "engagements:log_meeting": one,
    }


@pytest.fixture
def world(personas, branch, volunteer):
    """Frida's active engagement with the Hemmeligsens, with one goal."""
    coordinator = personas["coordinator"]
    household = make_household(coordinator, branch, last="Hemmeligsen", address="Skjultvej 7")
    engagement = walk_to(EngagementState.ACTIVE, actor=coordinator, household=household,
                         volunteer=volunteer)
    goal = services.goal_add(actor=coordinator, engagement=engagement, area="work",
                             text="Søge tre job")
    return engagement, goal


def test_the_table_and_the_walk_agree(world):
    assert set(_url_kwargs(*world)) == COVERED_URLS == set(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, personas, world):
    engagement, goal = world
    client = client_for(personas[role])
    for name, kwargs in _url_kwargs(engagement, goal).items():
        url = reverse(name, kwargs=kwargs)
        # Empty posts: the forms refuse them, so the walk changes nothing.
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        body = response.content.decode()
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert "Hemmeligsen" not in body and "Skjultvej" not in body, (role, name)
        if name in ("engagements:list", "engagements:waiting") and role not in COORDINATORS:
            assert "Hemmeligsen" not in body, (role, name)
    engagement.refresh_from_db()
    goal.refresh_from_db()
    assert (engagement.state, goal.status) == (EngagementState.ACTIVE, "open")
    assert not engagement.meetings.exists()


def test_the_pages_really_show_the_family_to_those_allowed(personas, world):
    engagement, _goal = world
    for role, name in [("coordinator", "engagements:list"), ("org_admin", "engagements:detail"),
                       ("volunteer", "engagements:mine"), ("volunteer", "engagements:my_detail")]:
        kwargs = {} if name.endswith(("list", "mine")) else {"pk": engagement.pk}
        body = client_for(personas[role]).get(reverse(name, kwargs=kwargs)).content.decode()
        assert "Hemmeligsen" in body, (role, name)


def test_the_volunteer_sees_the_address_and_phone_only_while_it_runs(personas, world):
    engagement, _goal = world
    client = client_for(personas["volunteer"])
    url = reverse("engagements:my_detail", args=[engagement.pk])
    body = client.get(url).content.decode()
    assert "Skjultvej 7" in body and 'href="tel:+4520123456"' in body
    assert "Barn0 (14 years)" in body and "Barn1 (13 years)" in body
    services.engagement_transition(actor=personas["coordinator"], engagement=engagement,
                                   to_state=EngagementState.ENDED, end_reason="moved")
    body = client.get(url).content.decode()
    assert "Skjultvej 7" not in body and "+4520123456" not in body
    assert "This engagement ended on" in body


def test_anonymous_users_are_sent_to_login(world):
    client = client_for(None)
    for name, kwargs in _url_kwargs(*world).items():
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_the_menu_offers_each_role_its_own_entry(personas):
    coordinator = client_for(personas["coordinator"]).get(reverse("engagements:list"))
    assert f'href="{reverse("engagements:list")}"' in coordinator.content.decode()
    volunteer = client_for(personas["volunteer"]).get(reverse("engagements:mine"))
    body = volunteer.content.decode()
    assert f'href="{reverse("engagements:mine")}"' in body
    assert f'href="{reverse("engagements:list")}"' not in body
