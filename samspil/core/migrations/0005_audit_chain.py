"""The audit log becomes a hash chain (core/audit_chain.py) with checkpoints for retention.

Existing entries are linked in id order; the UPDATE trigger of 0003 is lifted for that one
backfill and put back at once (on SQLite it is recreated: adding columns rebuilds the table).
"""

import hashlib
import hmac
import json
import datetime

from django.conf import settings
from django.db import migrations, models
import django.utils.timezone

FIELDS = ("at", "actor_id", "organisation_id", "action", "object_type", "object_id",
          "household_id", "object_label", "fields", "summary", "purpose")


def _hash(row: dict, prev: str) -> str:
    values = {}
    for name in FIELDS:
        value = row[name]
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        values[name] = value
    content = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), f"{prev}\n{content}".encode(),
                    hashlib.sha256).hexdigest()


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update;")
    prev = ""
    with schema_editor.connection.cursor() as cursor:
        for row in AuditEvent.objects.order_by("id").values("id", *FIELDS).iterator():
            digest = _hash(row, prev)
            cursor.execute("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                           [prev, digest, row["id"]])
            prev = digest
    # On SQLite, adding the columns rebuilt the table and took the trigger with it: always
    # put it back.
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update;")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_public_form_hit")]
    operations = [
        migrations.AddField("auditevent", "prev_hash",
                            models.CharField(blank=True, editable=False, max_length=64)),
        migrations.AddField("auditevent", "hash",
                            models.CharField(blank=True, editable=False, max_length=64)),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_id", models.BigIntegerField()),
                ("last_hash", models.CharField(max_length=64)),
                ("deleted", models.PositiveIntegerField(default=0)),
                ("signature", models.CharField(max_length=64)),
            ],
            options={"ordering": ["-last_id"]},
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
