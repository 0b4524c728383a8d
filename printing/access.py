"""Access to print orders: the only way the printing views reach an order.

One print shop serves every unit, so everyone with the print-shop role (and superusers) sees every order;
everyone else sees only the orders they placed. Anyone else asking for an order gets 404, also for a malformed
id, so the answer never tells whether an order exists.
"""

import uuid

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from accounts.models import Unit
from accounts.roles import Role
from core.access import RecordNotFound
from printing.models import PrintOrder

AnyUser = User | AnonymousUser


def is_print_shop(user: AnyUser) -> bool:
    return user.is_authenticated and user.has_perm("printing.change_printorder")


def may_order_prints(user: AnyUser) -> bool:
    return user.is_authenticated and user.has_perm("printing.add_printorder") and order_units(user).exists()


def order_units(user: AnyUser) -> QuerySet[Unit]:
    """The units a person may have a print run delivered to: those where they are an editor or manager."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__role__in=[Role.EDITOR, Role.MANAGER]).distinct()


def visible_print_orders(user: AnyUser) -> QuerySet[PrintOrder]:
    """The print shop (one shop serves every unit) and superusers see every order; orderers their own."""
    orders = PrintOrder.objects.select_related("routine", "version", "delivery_unit", "ordered_by")
    if not user.is_authenticated:
        return orders.none()
    if user.is_superuser or is_print_shop(user):
        return orders
    return orders.filter(ordered_by=user)


def get_print_order_for_user(user: AnyUser, pk: uuid.UUID | str) -> PrintOrder:
    """The order, if this user may see it; else 404 (also for a malformed id)."""
    try:
        return visible_print_orders(user).get(pk=pk)
    except (PrintOrder.DoesNotExist, ValueError, ValidationError):
        raise RecordNotFound from None
