"""Granting and removing roles. Each membership keeps two things in step:

- the ``Membership`` row: which records of which units the person sees (the ``visible_<things>`` selectors
  read it on every request; see ``accounts.access.visible_records``),
- the global role group (model permissions: which features the person may use).

No record is granted to a unit: removing a membership removes access to everything the unit owns on the
person's next request, with no grant rows to touch.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Membership, Unit
from accounts.roles import ROLE_PERMISSIONS, Role


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


@transaction.atomic
def membership_grant(*, user, unit: Unit, role: str) -> Membership:
    """Give ``user`` ``role`` in ``unit``. Safe to repeat."""
    role = Role(role)
    membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    user.groups.add(role_group(role))
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Remove one role in one unit; the person loses its access on their next request."""
    user, role = membership.user, membership.role
    membership.delete()
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(role_group(role))
