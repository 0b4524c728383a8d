from django.db import migrations, models


def mark_finalized(apps, schema_editor):
    # Since 0003 the only way to finalize an intake (intake.services.intake_finalize) writes its statistics row
    # in the same transaction, so every finalized intake already has one.
    apps.get_model("intake", "Intake").objects.filter(status="finalized").update(statistic_recorded=True)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_finalize_note_statistics"),
    ]

    operations = [
        migrations.AddField(
            model_name="intake",
            name="statistic_recorded",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_finalized, migrations.RunPython.noop),
    ]
