"""Writes for API tokens: create (the key is shown once) and revoke. Both are audited."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.api.models import ApiToken
from samspil.api.selectors import TOKEN_PREFIX, key_hash
from samspil.core.models import AuditEvent, User
from samspil.core.services import audit_record

# How long "last used" may lag behind: one write per token per minute at most.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor; returns it and its key, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. what it is used for.")})
    active = ApiToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("You have %(n)s active tokens. Revoke one first.")
                              % {"n": MAX_ACTIVE_TOKENS})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, prefix=raw[:10], key_hash=key_hash(raw))
    token.full_clean()
    token.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, object_type="api.apitoken",
                 object_id=token.pk, object_label=token.name)
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditEvent.Action.CHANGE,
                     object_type="api.apitoken", object_id=token.pk, object_label=token.name,
                     fields=["revoked_at"])
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record that the token was used (at most once a minute, without a lock)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
