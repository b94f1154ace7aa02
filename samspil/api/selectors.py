"""Reads for API tokens: a user sees and revokes only their own."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from samspil.api.models import ApiToken
from samspil.core.models import User

TOKEN_PREFIX = "sps_"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_list_for(*, user: User) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def token_get_for(*, user: User, pk: int) -> ApiToken | None:
    return token_list_for(user=user).filter(pk=pk).first()


def token_for_key(raw: str) -> ApiToken | None:
    """The active token with this key whose user may still log in; None otherwise."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (ApiToken.objects.select_related("user").filter(key_hash=key_hash(raw),
                                                          revoked_at__isnull=True).first())
    if token is None or not token.user.is_active or token.user.organisation_id is None:
        return None
    return token
