"""PostgreSQL: take the audit chain's lock and read its head in one statement.

Appending to the chain (core/audit_chain.py) takes a transaction-level advisory lock and then
reads the newest entry's hash. As two statements that is one more database round trip for
every audited request. In a PL/pgSQL function each statement gets a fresh snapshot (READ
COMMITTED), so the read after the lock sees the entry the previous holder committed: the same
guarantee in one round trip. SQLite has no such function and needs none (no advisory lock).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION samspil_audit_chain_head(lock_key bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN COALESCE(
        (SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1),
        (SELECT last_hash FROM core_auditcheckpoint ORDER BY last_id DESC LIMIT 1),
        '');
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS samspil_audit_chain_head(bigint);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_chain")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
