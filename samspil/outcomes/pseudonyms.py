"""Keyed pseudonyms for the evaluator's exports.

pseudonym = HMAC-SHA256(key, "<kind>:<id>"), first 20 hex digits, where
key = HMAC-SHA256(OUTCOMES_PSEUDONYM_SECRET, "samspil-export:<evaluator id>:<programme id>").

So the same person gets the same pseudonym in every export to the same evaluator for the same
programme (baseline and follow-up files join), while two evaluators' (or two programmes')
pseudonyms cannot be linked without the secret, which never leaves the server. Rotating the
secret breaks the joins with earlier exports (docs/outcomes.md).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def export_key(*, evaluator_id: int, programme_id: int) -> bytes:
    secret = settings.OUTCOMES_PSEUDONYM_SECRET.encode()
    return hmac.new(secret, f"samspil-export:{evaluator_id}:{programme_id}".encode(),
                    hashlib.sha256).digest()


class Pseudonymiser:
    def __init__(self, key: bytes):
        self._key = key
        self._cache: dict[str, dict[int | None, str]] = {}

    def __call__(self, kind: str, pk: int | None) -> str:
        cache = self._cache.setdefault(kind, {None: ""})
        found = cache.get(pk)
        if found is None:
            found = hmac.new(self._key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()[:20]
            cache[pk] = found
        return found

    def many(self, kind: str, ids: list) -> list[str]:
        """The pseudonyms of many ids (an export's column): cached ones without a call each."""
        get = self._cache.setdefault(kind, {None: ""}).get
        return [found if (found := get(pk)) is not None else self(kind, pk) for pk in ids]
