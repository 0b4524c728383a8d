"""Access helpers that need units and memberships. The building blocks every app uses (``RecordNotFound``,
``get_or_not_found``, ``permission_required_or_404``, ``role_required``) are in ``core.access``.

Each helper returns the object, or raises Http404 for anyone with no right to know it exists, so an outsider
cannot tell "forbidden" from "does not exist".
"""

from typing import Any

from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from accounts.models import Membership, Unit
from accounts.roles import Role


def get_unit_for_user(user: Any, slug: str) -> Unit:
    """A unit page is for the unit's managers (and admins)."""
    units = get_objects_for_user(user, "accounts.view_unit", klass=Unit, accept_global_perms=False)
    return get_object_or_404(units, slug=slug)


def uses_case_records(user: Any, *, add_perm: str, view_perm: str) -> bool:
    """Whether the pages of a kind of record about people (intakes, safety plans) exist for this person: those
    whose role makes (``add_perm``: counsellors) or reads (``view_perm``: managers) them. A superuser "has"
    every permission, so for one only a real counsellor or manager membership counts: being an administrator
    gives no access to these records."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return Membership.objects.filter(user=user, role__in=[Role.COUNSELLOR, Role.MANAGER]).exists()
    return bool(user.has_perm(add_perm) or user.has_perm(view_perm))
