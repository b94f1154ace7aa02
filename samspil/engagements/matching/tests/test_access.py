"""Walks every matching URL as every role and as an outsider: 404 or 403, never data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.conftest import client_for
from samspil.engagements.matching import services, tasks
from samspil.engagements.matching.tests import factories as f
from samspil.engagements.models import MatchPlan

POSTS = {"matching:match", "matching:plan_create", "matching:proposal_remove",
         "matching:plan_confirm", "matching:plan_discard"}
STAFF = {"coordinator", "org_admin", "other_branch_coordinator", "outsider"}
# Who gets the page: (url name) -> roles. Others get 403, or 404 when the URL names something
# of a branch or organisation they may not see.
ALLOWED = {
    "matching:index": STAFF,
    "matching:plan_create": STAFF,  # each for her own branches (test_plans checks that)
    "matching:suggestions": {"coordinator", "org_admin"},
    "matching:match": {"coordinator", "org_admin"},
    "matching:plan_pending": {"coordinator"},  # the one who started it
    "matching:plan": {"coordinator", "org_admin"},
    "matching:proposal": {"coordinator", "org_admin"},
    "matching:proposal_remove": {"coordinator", "org_admin"},
    "matching:plan_confirm": {"coordinator", "org_admin"},
    "matching:plan_discard": {"coordinator", "org_admin"},
}
ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]
# Collected by samspil/core/tests/test_url_coverage.py, which fails on any URL no walk covers.
COVERED_URLS = set(ALLOWED)


@pytest.fixture
def world(personas, branch):
    coordinator = personas["coordinator"]
    household = f.household(branch, name="Hemmeligsen", assessor=coordinator)
    engagement = f.engagement(household)
    volunteer = f.volunteer(branch, first="Skjult", last="Frivillig")
    plan = services.match_plan_create(actor=coordinator, branch=branch)
    proposal = plan.proposals.get()
    queued = tasks.plan_all.enqueue(actor_id=coordinator.pk, branch_id=branch.pk)
    return {
        "matching:index": {},
        "matching:plan_create": {},
        "matching:suggestions": {"pk": engagement.pk},
        "matching:match": {"pk": engagement.pk},
        "matching:plan_pending": {"task_id": queued.id},
        "matching:plan": {"pk": plan.pk},
        "matching:proposal": {"pk": plan.pk, "proposal_pk": proposal.pk},
        "matching:proposal_remove": {"pk": plan.pk, "proposal_pk": proposal.pk},
        "matching:plan_confirm": {"pk": plan.pk},
        "matching:plan_discard": {"pk": plan.pk},
    }, volunteer


def test_the_table_and_the_walk_agree(world):
    urls, _volunteer = world
    assert set(urls) == COVERED_URLS


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(role, personas, world, branch):
    urls, volunteer = world
    client = client_for(personas[role])
    for name, kwargs in urls.items():
        url = reverse(name, kwargs=kwargs)
        if name in POSTS:
            # Followed, so that the message it leaves is shown (and checked) on its own page.
            data = {"volunteer": volunteer.pk, "scope": branch.pk}
            response = client.post(url, data, follow=True)
        else:
            response = client.get(url)
        body = response.content.decode()
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert "Hemmeligsen" not in body and "Skjult" not in body, (role, name)
        if name == "matching:index" and role not in ("coordinator", "org_admin"):
            assert "Hemmeligsen" not in body
    if role not in ("coordinator", "org_admin"):
        # Nothing was matched, confirmed or discarded by someone who may not.
        assert MatchPlan.objects.filter(status=MatchPlan.Status.PROPOSED).count() == 1
        assert not volunteer.engagements.exists()


def test_anonymous_users_are_sent_to_login(world):
    urls, _volunteer = world
    client = client_for(None)
    for name, kwargs in urls.items():
        url = reverse(name, kwargs=kwargs)
        response = client.post(url) if name in POSTS else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_a_plan_for_the_whole_organisation_is_for_administrators_only(personas, branch):
    household = f.household(branch, name="Hemmeligsen")
    f.engagement(household)
    plan = services.match_plan_create(actor=personas["org_admin"], branch=None)
    assert client_for(personas["org_admin"]).get(f"/matching/plans/{plan.pk}/").status_code == 200
    for role in ("coordinator", "other_branch_coordinator", "outsider"):
        response = client_for(personas[role]).get(f"/matching/plans/{plan.pk}/")
        assert response.status_code == 404, role
