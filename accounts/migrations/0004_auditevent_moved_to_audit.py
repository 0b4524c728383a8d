"""AuditEvent now lives in the audit app (audit.0001): removed from accounts' state only. The table, its rows
and its append-only trigger (0003) are untouched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_auditevent_append_only_trigger"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
