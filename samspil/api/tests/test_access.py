"""Every URL of the API and the tokens page, as every role, for an object of organisation A."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspil.api.services import token_create
from samspil.api.tests.conftest import ApiClient
from samspil.conftest import client_for

ROLES = ["coordinator", "org_admin", "other_branch_coordinator", "volunteer", "caseworker",
         "evaluator", "outsider"]

# Who gets the object (200) at each detail URL; everyone else 404. Lists answer 200 to all,
# with only what the role may see (checked below).
DETAIL_ALLOWED = {
    "api:household_detail": {"coordinator", "org_admin"},
    "api:volunteer_detail": {"coordinator", "org_admin", "volunteer"},
    "api:engagement_detail": {"coordinator", "org_admin", "volunteer"},
    "api:meeting_list": {"coordinator", "org_admin", "volunteer"},
    "api:goal_list": {"coordinator", "org_admin", "volunteer"},
    "api:activity_detail": {"coordinator", "org_admin", "volunteer"},
    "api:signup_list": {"coordinator", "org_admin", "volunteer"},
    "api:attendance_list": {"coordinator", "org_admin", "volunteer"},
    "api:referral_detail": {"coordinator", "org_admin"},
    "api:questionnaire_detail": {"coordinator", "org_admin", "volunteer"},
    # A programme is the organisation's; the figures' policy decides what each one sees.
    "api:programme_figures": {"coordinator", "org_admin", "evaluator",
                              "other_branch_coordinator"},
}
LISTS = {"api:household_list": "household", "api:volunteer_list": "volunteer",
         "api:engagement_list": "engagement", "api:activity_list": "activity",
         "api:referral_list": "referral", "api:questionnaire_list": "questionnaire",
         "api:programme_list": "programme"}
# Who finds organisation A's object of each kind in the lists.
LIST_SEES = {
    "household": {"coordinator", "org_admin"},
    "volunteer": {"coordinator", "org_admin", "volunteer"},
    "engagement": {"coordinator", "org_admin", "volunteer"},
    "activity": {"coordinator", "org_admin", "volunteer"},
    "referral": {"coordinator", "org_admin"},
    "questionnaire": {"coordinator", "org_admin", "volunteer"},
    "programme": {"coordinator", "org_admin", "evaluator", "other_branch_coordinator"},
}
# meeting_create shares meeting_list's URL (POST); the documents are public, like a login page.
OTHER = {"api:meeting_create", "api:api-root", "api:openapi-json", "api:openapi-view",
         "api_tokens:list", "api_tokens:revoke"}
COVERED_URLS = set(DETAIL_ALLOWED) | set(LISTS) | OTHER


def _kwargs(world) -> dict[str, dict]:
    return {
        "api:household_detail": {"household_id": world["household"].pk},
        "api:volunteer_detail": {"volunteer_id": world["volunteer"].pk},
        "api:engagement_detail": {"engagement_id": world["engagement"].pk},
        "api:meeting_list": {"engagement_id": world["engagement"].pk},
        "api:goal_list": {"engagement_id": world["engagement"].pk},
        "api:activity_detail": {"activity_id": world["activity"].pk},
        "api:signup_list": {"activity_id": world["activity"].pk},
        "api:attendance_list": {"activity_id": world["activity"].pk},
        "api:referral_detail": {"referral_id": world["referral"].pk},
        "api:questionnaire_detail": {"questionnaire_id": world["questionnaire"].pk},
        "api:programme_figures": {"programme_id": world["programme"].pk},
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_api_url_as_every_role(role, personas, world):
    _, key = token_create(actor=personas[role], name="walk")
    client = ApiClient(key)
    for name, kwargs in _kwargs(world).items():
        response = client.get(reverse(name, kwargs=kwargs))
        expected = 200 if role in DETAIL_ALLOWED[name] else 404
        assert response.status_code == expected, (role, name, response.status_code)
        if expected == 404:
            assert "Hemmeligsen" not in response.content.decode()
    seen = {kind: {item["id"] for item in client.get(reverse(name)).json()["items"]}
            for name, kind in LISTS.items()}
    for kind, roles in LIST_SEES.items():
        if kind in ("household", "volunteer", "engagement"):
            continue  # below, with the other branch's household
        assert (world[kind].pk in seen[kind]) == (role in roles), (role, kind)
    sees_household = role in ("coordinator", "org_admin")
    assert (world["household"].pk in seen["household"]) == sees_household, role
    assert (world["engagement"].pk in seen["engagement"]) == (
        role in ("coordinator", "org_admin", "volunteer")), role
    if role in ("other_branch_coordinator", "caseworker", "evaluator", "outsider"):
        assert not seen["household"] - {world["aarhus"].pk}
        assert world["volunteer"].pk not in seen["volunteer"]


def test_the_tokens_page_is_for_every_logged_in_role_and_anonymous_users_log_in(personas):
    for role in ROLES:
        assert client_for(personas[role]).get(reverse("api_tokens:list")).status_code == 200
    response = client_for(None).get(reverse("api_tokens:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_documents_are_public_and_hold_no_data(world, client):
    for name in ("api:openapi-json", "api:openapi-view"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Hemmeligsen" not in response.content.decode()


def test_a_token_of_another_organisation_reads_nothing_of_ours(personas, world):
    """Every list of every area answers nothing of organisation A to the outsider (a
    coordinator of organisation B), with and without filters; every detail answers 404."""
    _, key = token_create(actor=personas["outsider"], name="outsider")
    client = ApiClient(key)
    branch = world["household"].branch_id
    for name in LISTS:
        for params in ({}, {"branch": branch}, {"page_size": 200}):
            body = client.get(reverse(name), params).json()
            assert body == {"items": [], "count": 0}, (name, params, body)
    for name, kwargs in _kwargs(world).items():
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, name
        assert response.json()["code"] == "not_found"
