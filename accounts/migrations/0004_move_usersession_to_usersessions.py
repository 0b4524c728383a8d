"""UserSession now belongs to usersessions (its 0001 takes over the model); only the state changes here, the
table and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_auditevent_append_only_trigger"),
        ("usersessions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="UserSession")],
            database_operations=[],
        ),
    ]
