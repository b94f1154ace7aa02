"""The audit log is a keyed hash chain: verification finds the first broken link, pruning keeps
a signed checkpoint, concurrent writers never fork the chain (PostgreSQL, threads)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from samspil.core import audit_chain
from samspil.core.models import AuditCheckpoint, AuditEvent
from samspil.core.services import audit_record


def _log(actor, n, **extra):
    return [audit_record(actor=actor, action="view", object_type="households.household",
                         object_id=i, household_id=i, **extra) for i in range(n)]


def _tamper(sql, params):
    """What an attacker with database access does: around the UPDATE trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        else:
            cursor.execute("SET session_replication_role = replica")  # triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_each_entry_points_to_the_one_before(coordinator):
    events = _log(coordinator, 3)
    assert events[0].prev_hash == "" or AuditEvent.objects.filter(id__lt=events[0].pk).exists()
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert audit_chain.verify().ok


def test_a_changed_entry_is_found(coordinator):
    events = _log(coordinator, 4)
    _tamper("UPDATE core_auditevent SET summary = 'nothing to see' WHERE id = %s",
            [events[2].pk])
    result = audit_chain.verify()
    assert not result.ok and result.broken_id == events[2].pk
    with pytest.raises(CommandError, match=f"entry {events[2].pk}"):
        call_command("verify_audit")


def test_a_deleted_entry_is_found(coordinator):
    events = _log(coordinator, 4)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    result = audit_chain.verify()
    assert not result.ok and result.broken_id == events[2].pk


def test_a_recomputed_chain_without_the_key_is_found(coordinator):
    import hashlib
    import hmac

    events = _log(coordinator, 2)
    _tamper("UPDATE core_auditevent SET summary = 'forged' WHERE id = %s", [events[1].pk])
    forged_event = AuditEvent.objects.get(pk=events[1].pk)
    message = f"{forged_event.prev_hash}\n{audit_chain._content(forged_event)}".encode()
    forged = hmac.new(b"the attacker's guess", message, hashlib.sha256).hexdigest()
    _tamper("UPDATE core_auditevent SET hash = %s WHERE id = %s", [forged, events[1].pk])
    result = audit_chain.verify()
    assert not result.ok and result.broken_id == events[1].pk


def test_pruning_keeps_verification_intact(coordinator, capsys):
    old = _log(coordinator, 3)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    # Entries from long ago: inserted through the chain with an old time.
    old_events = []
    for i in range(3):
        event = AuditEvent(actor=coordinator, organisation_id=coordinator.organisation_id,
                           action="view", object_type="households.household", object_id=i,
                           at=long_ago + datetime.timedelta(minutes=i))
        old_events.append(audit_chain.append(event))
    new = _log(coordinator, 2)
    cutoff = timezone.now() - datetime.timedelta(days=180)
    assert audit_chain.prune(before=cutoff, dry_run=True) == len(old) + 3
    assert audit_chain.prune(before=cutoff) == len(old) + 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old_events]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in new]).count() == 2
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.last_id == old_events[-1].pk
    assert audit_chain.verify().ok
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
    # New entries continue the chain after the checkpoint.
    _log(coordinator, 1)
    assert audit_chain.verify().ok


def test_a_forged_checkpoint_is_found(coordinator):
    _log(coordinator, 2)
    audit_chain.prune(before=timezone.now() + datetime.timedelta(seconds=1))
    AuditCheckpoint.objects.create(last_id=10**9, last_hash="0" * 64, deleted=1,
                                   signature="f" * 64)
    assert not audit_chain.verify().ok


def test_checkpoints_cannot_be_changed(coordinator):
    _log(coordinator, 1)
    audit_chain.prune(before=timezone.now() + datetime.timedelta(seconds=1))
    checkpoint = AuditCheckpoint.objects.get()
    checkpoint.deleted = 0
    with pytest.raises(PermissionError):
        checkpoint.save()


@pytest.mark.postgres_only
@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                    reason="needs PostgreSQL (concurrent connections)")
# serialized_rollback: a transactional test empties every table afterwards; the reference data
# (municipalities, postcodes) from the migrations comes back with it, and the next such test
# does not meet content types the flush created again.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_never_fork_the_chain(coordinator):
    from django.db import transaction

    barrier = threading.Barrier(8)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=coordinator, action="view",
                                 object_type="households.household", object_id=n * 100 + i)
        except BaseException as error:  # noqa: BLE001 - asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.filter(object_type="households.household").count() >= 80
    hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes)), "two entries point to the same predecessor"
    assert audit_chain.verify().ok


def test_bulk_inserted_entries_are_chained(coordinator):
    _log(coordinator, 1)
    events = [AuditEvent(actor=coordinator, organisation_id=coordinator.organisation_id,
                         action="create", object_type="households.household", object_id=i)
              for i in range(5)]
    AuditEvent.objects.bulk_create(audit_chain.link_for_bulk_insert(events))
    _log(coordinator, 1)
    assert audit_chain.verify().ok
