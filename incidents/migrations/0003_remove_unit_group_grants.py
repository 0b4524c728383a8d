"""Issue 16: a unit's managers see its reports through their memberships (``incidents.selectors.visible_incidents``), so the
grant of every report to its unit's manager group (``unit:<pk>:manager``) is no longer read. This removes
those rows. The reverse recreates them from the reports' units (one grant per report and permission), for a
return to the code before issue 16; the groups themselves are removed and recreated by accounts' migration
0006."""

from django.db import migrations

APP, MODEL, GRANTS = "incidents", "Incident", "IncidentGroupObjectPermission"
CODENAMES = ["view_incident", "change_incident"]


def remove_unit_group_grants(apps, schema_editor):
    grants = apps.get_model(APP, GRANTS)
    grants.objects.filter(group__name__startswith="unit:").delete()


def recreate_unit_group_grants(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grants = apps.get_model(APP, GRANTS)
    records = apps.get_model(APP, MODEL)
    perms = list(Permission.objects.filter(content_type__app_label=APP, codename__in=CODENAMES))
    groups = {}
    rows = []
    for pk, unit_id in records.objects.values_list("pk", "unit_id").iterator():
        if unit_id not in groups:
            groups[unit_id], _created = Group.objects.get_or_create(name=f"unit:{unit_id}:manager")
        rows += [grants(group=groups[unit_id], permission=perm, content_object_id=pk) for perm in perms]
        if len(rows) >= 5000:
            grants.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    grants.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_retention_anonymise"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(remove_unit_group_grants, recreate_unit_group_grants)]
