"""The audit log as a hash chain: tamper-evident, append-only, prunable.

Every entry stores the hash of the entry before it (``prev_hash``) and its own ``hash``: an
HMAC-SHA256, keyed with ``settings.AUDIT_CHAIN_KEY``, over the previous hash and the entry's
content. Changing, inserting or deleting a row in the middle breaks the chain at that row, and
without the key nobody can recompute a consistent chain. ``verify`` walks the chain in id order
and reports the first broken link (``manage.py verify_audit``).

Concurrent writers: appending reads the newest entry's hash and inserts the next one, so two
writers must not interleave. On PostgreSQL a transaction-level advisory lock serialises them
(held until the surrounding transaction commits, so the next writer sees the committed entry);
on SQLite (development and the demo only) a process-wide lock covers threads of one process;
several processes writing to one SQLite file at once could fork the chain, which verify_audit
would then report.

Retention (``prune``) deletes a prefix of the chain (everything up to the newest entry older
than the cut-off) and inserts a signed ``AuditCheckpoint`` with the id and hash of the last
deleted entry; verification then starts from the newest checkpoint.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from samspil.core import rows
from samspil.core.models import AuditCheckpoint, AuditEvent

# Any constant: the key of the advisory lock that serialises appends on PostgreSQL.
ADVISORY_LOCK_KEY = 7_142_009
_local_lock = threading.Lock()

CONTENT_FIELDS = ("at", "actor_id", "organisation_id", "action", "object_type", "object_id",
                  "household_id", "object_label", "fields", "summary", "purpose")

TEXT_FIELDS = {"action", "object_type", "object_id", "object_label", "fields", "summary",
               "purpose"}


def _key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def _content(event: AuditEvent) -> str:
    values = {}
    for name in CONTENT_FIELDS:
        value = getattr(event, name)
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        elif name in TEXT_FIELDS:
            value = "" if value is None else str(value)  # as the database gives it back
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)


def entry_hash(event: AuditEvent, prev_hash: str) -> str:
    message = f"{prev_hash}\n{_content(event)}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def checkpoint_signature(*, last_id: int, last_hash: str, deleted: int) -> str:
    message = f"checkpoint\n{last_id}\n{last_hash}\n{deleted}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _head_hash() -> str:
    """The newest entry's hash, else the newest checkpoint's: always one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE("
            "(SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1), "
            "(SELECT last_hash FROM core_auditcheckpoint ORDER BY last_id DESC LIMIT 1), '')")
        return cursor.fetchone()[0]


def _lock_and_read_head() -> str:
    """Take the chain's lock (PostgreSQL: held until the transaction ends) and read its head.

    On PostgreSQL both happen in one statement, the function of migration 0006 (its read gets
    a snapshot taken after the lock is granted); on SQLite the process-wide lock the callers
    hold is the only lock."""
    if connection.vendor != "postgresql":
        return _head_hash()
    with connection.cursor() as cursor:
        cursor.execute("SELECT samspil_audit_chain_head(%s)", [ADVISORY_LOCK_KEY])
        return cursor.fetchone()[0]


def append(event: AuditEvent) -> AuditEvent:
    """Link the (unsaved) event to the chain and insert it."""
    # No savepoint: the append is one statement after the lock, and the caller's transaction
    # (if any) decides about both.
    with _local_lock, transaction.atomic(savepoint=False):
        event.prev_hash = _lock_and_read_head()
        event.hash = entry_hash(event, event.prev_hash)
        rows.insert(event)
    return event


def link_for_bulk_insert(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain unsaved events for one bulk_create (seeding, benchmarks) in list order. The caller
    must be the only writer while it runs (no lock is held across the bulk insert)."""
    return _link(events, _head_hash())


def _link(events: list[AuditEvent], prev: str) -> list[AuditEvent]:
    for event in events:
        event.prev_hash = prev
        event.hash = prev = entry_hash(event, prev)
    return events


def bulk_append(events: list[AuditEvent], *, batch_size: int | None = None) -> None:
    """Link many unsaved events to the chain and insert them, under the chain's lock (imports):
    the lock is held until the caller's transaction commits, as for append()."""
    with _local_lock, transaction.atomic(savepoint=False):
        _link(events, _lock_and_read_head())
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)


@dataclass
class Verification:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(*, batch: int = 5000) -> Verification:
    """Walk the chain from the newest checkpoint; the first entry that does not fit is reported."""
    checkpoint = AuditCheckpoint.objects.order_by("-last_id").first()
    prev, start = "", 0
    if checkpoint is not None:
        expected = checkpoint_signature(last_id=checkpoint.last_id,
                                        last_hash=checkpoint.last_hash,
                                        deleted=checkpoint.deleted)
        if not hmac.compare_digest(expected, checkpoint.signature):
            return Verification(False, 0, checkpoint.last_id, "checkpoint signature is wrong")
        prev, start = checkpoint.last_hash, checkpoint.last_id
    checked = 0
    last_id = start
    while True:
        entries = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not entries:
            break
        for event in entries:
            if event.prev_hash != prev:
                return Verification(False, checked, event.pk,
                                    "does not point to the entry before it (deleted or inserted)")
            if not hmac.compare_digest(entry_hash(event, prev), event.hash):
                return Verification(False, checked, event.pk, "content was changed")
            prev = event.hash
            checked += 1
            last_id = event.pk
    return Verification(True, checked)


def prune(*, before: datetime.datetime, dry_run: bool = False) -> int:
    """Delete entries older than ``before`` (a prefix of the chain), leaving a checkpoint."""
    with _local_lock, transaction.atomic():
        _lock_and_read_head()
        newest_old = (AuditEvent.objects.filter(at__lt=before).order_by("-id")
                      .values_list("id", flat=True).first())
        if newest_old is None:
            return 0
        doomed = AuditEvent.objects.filter(id__lte=newest_old)
        count = doomed.count()
        if dry_run:
            return count
        last_hash = AuditEvent.objects.get(pk=newest_old).hash
        doomed._raw_delete(doomed.db)
        AuditCheckpoint.objects.create(
            last_id=newest_old, last_hash=last_hash, deleted=count,
            signature=checkpoint_signature(last_id=newest_old, last_hash=last_hash,
                                           deleted=count),
        )
    return count
