"""Access helpers for routine editing: the only way editor and review views reach a routine.

Published routines are public (routines.selectors); everything about drafts, history and review is for the
people responsible for a routine: editors in its owner unit (who also hold ``routines.change_routine``),
managers in its owner unit for reading history and review dates, and superusers. Anyone else gets 404, so
the editor pages do not even confirm that a draft exists.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Unit
from accounts.roles import Role
from core.access import RecordNotFound
from routines.models import PrintOrder, Routine, RoutineVersion


def editor_units(user) -> QuerySet[Unit]:
    """The units whose routines this user may edit."""
    if not user.is_authenticated or not user.has_perm("routines.change_routine"):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__role=Role.EDITOR).distinct()


def reviewer_units(user) -> QuerySet[Unit]:
    """The units whose routines' history and review dates this user may read: editors and managers."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    roles = [Role.MANAGER]
    if user.has_perm("routines.change_routine"):
        roles.append(Role.EDITOR)
    return Unit.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def editable_routines(user) -> QuerySet[Routine]:
    return Routine.objects.filter(owner_unit__in=editor_units(user))


def reviewable_routines(user) -> QuerySet[Routine]:
    return Routine.objects.filter(owner_unit__in=reviewer_units(user))


def get_routine_for_editor(user, slug: str) -> Routine:
    """The routine, if this user may edit it; else 404."""
    routine = editable_routines(user).select_related("owner_unit").filter(slug=slug).first()
    if routine is None:
        raise Http404
    return routine


def get_routine_for_reviewer(user, slug: str) -> Routine:
    """The routine, if this user may read its history; else 404."""
    routine = reviewable_routines(user).select_related("owner_unit").filter(slug=slug).first()
    if routine is None:
        raise Http404
    return routine


def get_version_for_editor(user, slug: str, number: int) -> RoutineVersion:
    routine = get_routine_for_editor(user, slug)
    version = routine.versions.select_related("approved_by", "created_by").filter(number=number).first()
    if version is None:
        raise Http404
    version.routine = routine
    return version


# --- Print orders ------------------------------------------------------------------------------------------


def is_print_shop(user) -> bool:
    return user.is_authenticated and user.has_perm("routines.change_printorder")


def may_order_prints(user) -> bool:
    return user.is_authenticated and user.has_perm("routines.add_printorder") and order_units(user).exists()


def order_units(user) -> QuerySet[Unit]:
    """The units a person may have a print run delivered to: those where they are an editor or manager."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__role__in=[Role.EDITOR, Role.MANAGER]).distinct()


def visible_print_orders(user) -> QuerySet[PrintOrder]:
    """The print shop (one shop serves every unit) and superusers see every order; orderers their own."""
    orders = PrintOrder.objects.select_related("routine", "version", "delivery_unit", "ordered_by")
    if not user.is_authenticated:
        return orders.none()
    if user.is_superuser or is_print_shop(user):
        return orders
    return orders.filter(ordered_by=user)


def get_print_order_for_user(user, pk) -> PrintOrder:
    """The order, if this user may see it; else 404 (also for a malformed id)."""
    try:
        return visible_print_orders(user).get(pk=pk)
    except (PrintOrder.DoesNotExist, ValueError, ValidationError):
        raise RecordNotFound from None
