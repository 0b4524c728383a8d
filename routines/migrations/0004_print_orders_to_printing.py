"""Print orders moved to the printing app (printing 0001 takes them over with their tables): here they only
leave the routines app's state. No table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("routines", "0003_print_order"),
        ("printing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PrintOrderEvent"),
                migrations.DeleteModel(name="PrintOrder"),
            ],
            database_operations=[],
        ),
    ]
