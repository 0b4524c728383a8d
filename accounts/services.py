"""Granting and removing roles. Each membership keeps three things in step:

- the ``Membership`` row (what the UI shows),
- the global role group (model permissions: which features the person may use),
- the unit's role group ``unit:<pk>:<role>`` (guardian object permissions: which records).

Records a unit owns are granted to the unit's role group, so removing a membership removes access to all of
them at once, on the person's next request.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from guardian.shortcuts import assign_perm

from accounts.models import Membership, Unit
from accounts.roles import ROLE_PERMISSIONS, UNIT_OBJECT_PERMISSIONS, Role


def role_group(role: str) -> Group:
    """The global group for a role, with exactly the model permissions ROLE_PERMISSIONS gives it."""
    group, _created = Group.objects.get_or_create(name=role)
    wanted = ROLE_PERMISSIONS[role]
    perms = [
        Permission.objects.get(content_type__app_label=label.split(".")[0], codename=label.split(".")[1])
        for label in wanted
    ]
    group.permissions.set(perms)
    return group


def unit_role_group(unit: Unit, role: str) -> Group:
    """The group holding one unit's object permissions for one role."""
    group, created = Group.objects.get_or_create(name=unit.role_group_name(role))
    if created:
        for codename in UNIT_OBJECT_PERMISSIONS.get(role, []):
            assign_perm(codename, group, unit)
    return group


@transaction.atomic
def membership_grant(*, user, unit: Unit, role: str) -> Membership:
    """Give ``user`` ``role`` in ``unit``. Safe to repeat."""
    role = Role(role)
    membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    user.groups.add(role_group(role), unit_role_group(unit, role))
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Remove one role in one unit; the person loses its access on their next request."""
    user, unit, role = membership.user, membership.unit, membership.role
    membership.delete()
    user.groups.remove(unit_role_group(unit, role))
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(role_group(role))
