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
        self._cache: dict[tuple[str, int], str] = {}

    def __call__(self, kind: str, pk: int | None) -> str:
        if pk is None:
            return ""
        found = self._cache.get((kind, pk))
        if found is None:
            found = hmac.new(self._key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()[:20]
            self._cache[(kind, pk)] = found
        return found
