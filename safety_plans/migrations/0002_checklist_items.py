"""Creates the safety-planning checklist (safety_plans.checklist.ITEMS) in a new database."""

from django.db import migrations

from safety_plans.checklist import ensure_checklist


def create_items(apps, schema_editor):
    ensure_checklist(apps.get_model("safety_plans", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("safety_plans", "0001_initial")]

    operations = [migrations.RunPython(create_items, migrations.RunPython.noop)]
