"""The API tokens page: make a token (shown once), see your own, revoke them."""

from __future__ import annotations

import pytest

from samspil.api.models import ApiToken
from samspil.api.services import MAX_ACTIVE_TOKENS, token_create
from samspil.conftest import client_for
from samspil.core.models import AuditEvent


def test_a_new_token_is_shown_once_and_works(personas):
    client = client_for(personas["coordinator"])
    response = client.post("/tokens/", {"name": "Medlemssystem"}, follow=True)
    assert response.redirect_chain == [("/tokens/", 302)]
    key = response.context["new_key"]
    assert key.startswith("sps_") and key in response.content.decode()
    token = ApiToken.objects.get(user=personas["coordinator"])
    assert token.name == "Medlemssystem"
    again = client.get("/tokens/").content.decode()
    assert key not in again and token.prefix in again and "Medlemssystem" in again
    assert response["Cache-Control"].startswith("max-age=0")
    api = client_for(None).get("/api/v1/households/", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200
    assert AuditEvent.objects.filter(action="create", object_type="api.apitoken").exists()


def test_a_token_needs_a_name_and_nothing_is_saved_without_one(personas):
    response = client_for(personas["coordinator"]).post("/tokens/", {"name": "  "})
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_at_most_ten_active_tokens(personas):
    user = personas["coordinator"]
    for i in range(MAX_ACTIVE_TOKENS):
        token_create(actor=user, name=f"t{i}")
    response = client_for(user).post("/tokens/", {"name": "one more"})
    assert "Revoke one first" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS


def test_revoking_a_token_ends_it_and_keeps_it_listed(personas):
    user = personas["coordinator"]
    token, key = token_create(actor=user, name="sync")
    response = client_for(user).post(f"/tokens/{token.pk}/revoke/", follow=True)
    assert "has been revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client_for(None).get("/api/v1/households/",
                                headers={"Authorization": f"Bearer {key}"}).status_code == 401


@pytest.mark.parametrize("role", ["org_admin", "volunteer", "outsider", "caseworker"])
def test_nobody_sees_or_revokes_another_users_token(personas, role):
    token, _ = token_create(actor=personas["coordinator"], name="Karens")
    client = client_for(personas[role])
    assert "Karens" not in client.get("/tokens/").content.decode()
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
