"""On PostgreSQL, a trigger refuses UPDATE and DELETE of audit events from any client, not only the app.

The app already refuses both (accounts.models.AuditEvent); the trigger also covers a raw SQL session with the
app's database role. It does not cover TRUNCATE (which needs the table owner's rights, and which the test
runner uses to empty tables) nor someone who can drop the trigger: see docs/architecture.md, "The audit log".
SQLite has no such protection; it is for development and tests only.

A later migration that has to rewrite audit rows must disable the trigger for that step
(ALTER TABLE ... DISABLE TRIGGER accounts_auditevent_append_only) and enable it again.
"""

from django.db import migrations

FUNCTION = "accounts_auditevent_refuse_change"
TRIGGER = "accounts_auditevent_append_only"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("accounts", "AuditEvent")._meta.db_table)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$ LANGUAGE plpgsql
        """,
        params=None,  # no placeholders: the % is PL/pgSQL's
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("accounts", "AuditEvent")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_session")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
