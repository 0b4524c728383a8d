"""Issue 16: what a person sees of a unit's records follows from her memberships (``accounts.access
.visible_records``), so the unit role groups ``unit:<pk>:<role>`` and their grants are no longer read: this
removes the unit pages' grants (view_unit to ``unit:<pk>:manager``), the groups and everyone's place in them
(the feature apps' own migrations remove their records' group grants; deleting a group would cascade to any
left). The reverse recreates a group per membership's unit and role, puts each member in it and gives the
manager groups view_unit on their unit, as ``membership_grant`` did before issue 16."""

from django.db import migrations


def remove_unit_role_groups(apps, schema_editor):
    apps.get_model("accounts", "UnitGroupObjectPermission").objects.filter(group__name__startswith="unit:").delete()
    apps.get_model("auth", "Group").objects.filter(name__startswith="unit:").delete()


def recreate_unit_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    Membership = apps.get_model("accounts", "Membership")
    UnitGroupObjectPermission = apps.get_model("accounts", "UnitGroupObjectPermission")
    view_unit = Permission.objects.filter(content_type__app_label="accounts", codename="view_unit").first()
    for user_id, unit_id, role in Membership.objects.values_list("user_id", "unit_id", "role"):
        group, created = Group.objects.get_or_create(name=f"unit:{unit_id}:{role}")
        User.groups.through.objects.get_or_create(user_id=user_id, group_id=group.pk)
        if role == "manager" and view_unit is not None:
            UnitGroupObjectPermission.objects.get_or_create(
                group=group, permission=view_unit, content_object_id=unit_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_move_usersession_to_usersessions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(remove_unit_role_groups, recreate_unit_role_groups)]
