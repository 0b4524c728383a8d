"""UserSession now belongs to usersessions (its 0001 takes over the model); only the state changes here, the
table and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_auditevent_moved_to_audit"),
        ("usersessions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="UserSession")],
            database_operations=[],
        ),
    ]
