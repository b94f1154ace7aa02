"""Writes for organisations, users and the audit log."""

from __future__ import annotations

import re

from samspil.core import audit_chain
from samspil.core.models import AuditEvent, User

# Anything shaped like a CPR number is masked before a search term is written to the log.
_CPR_LIKE = re.compile(r"\d{6}-?\d{4}")


def mask_cpr_like(text: str) -> str:
    return _CPR_LIKE.sub("******-****", text)


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object = "",
    household_id: int | None = None,
    object_label: str = "",
    fields: list[str] | tuple[str, ...] = (),
    summary: str = "",
    purpose: str = "",
) -> AuditEvent:
    """Append one event to the access log. Call it inside the transaction of the write it logs.

    object_type is a model label ("households.person"), so the log can show it translated.
    """
    organisation_id = getattr(actor, "organisation_id", None) if actor else None
    event = AuditEvent(
        actor=actor if actor and actor.is_authenticated else None,
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:40],
        household_id=household_id,
        object_label=object_label[:200],
        fields=",".join(fields)[:500],
        summary=mask_cpr_like(summary)[:500],
        purpose=purpose[:100],
    )
    return audit_chain.append(event)
