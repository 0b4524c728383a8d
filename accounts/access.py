"""Access helpers that need units and memberships. The building blocks every app uses (``RecordNotFound``,
``get_or_not_found``, ``permission_required_or_404``, ``role_required``) are in ``core.access``.

Each helper returns the object, or raises Http404 for anyone with no right to know it exists, so an outsider
cannot tell "forbidden" from "does not exist".
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404
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


def may_manage_unit(user: Any, unit: Unit) -> bool:
    """Whether ``user`` manages the people of ``unit``: a manager of the unit, or an administrator."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or Membership.objects.filter(user=user, unit=unit, role=Role.MANAGER).exists())


def get_managed_unit_for_user(user: Any, slug: str) -> Unit:
    """A unit whose people ``user`` may manage (see ``may_manage_unit``); "not found" for anyone else."""
    unit = get_object_or_404(Unit, slug=slug)
    if not may_manage_unit(user, unit):
        raise Http404
    return unit


def get_member_for_user(user: Any, unit: Unit, username: str) -> Any:
    """A person with a role in ``unit``, for one who manages the unit (the caller got the unit from
    ``get_managed_unit_for_user``); anyone else in the system is "not found" here."""
    members = get_user_model().objects.filter(pk__in=Membership.objects.filter(unit=unit).values("user"))
    return get_object_or_404(members, username=username)
