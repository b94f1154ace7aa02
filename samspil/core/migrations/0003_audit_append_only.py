"""The audit log refuses UPDATE in the database itself, on SQLite and on PostgreSQL alike.

DELETE is refused by the model and its queryset; the database keeps DELETE open only so that a
documented retention command (issue: privacy) can remove entries past their retention period.
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION core_auditevent_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse_update();
"""


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_reference_data")]
    operations = [migrations.RunPython(up, down)]
