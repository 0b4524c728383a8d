"""Give the manager role group the annual report's permission on an existing installation (a new one gets it when
the first manager is given her role: accounts.services.role_group). Reversible."""

from django.db import migrations

CODENAME = "view_personcount"


def _permission(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are made after migrations run; make this app's now, so the group can be given one.
    config = apps.get_app_config("annual_report")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="annual_report", codename=CODENAME)


def forward(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="manager").first()
    if group is not None:
        group.permissions.add(_permission(apps))


def backward(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="manager").first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="annual_report", codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [
        ("annual_report", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
