"""Reading print orders: what is newer than an order, what may be ordered, an order's history."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from printing.models import PrintOrder, PrintOrderEvent
from routines.models import RoutineVersion
from routines.selectors import current_versions, published_versions

DONE = frozenset({PrintOrder.Status.DELIVERED, PrintOrder.Status.SUPERSEDED})


def mark_newer_versions(orders: Iterable[PrintOrder]) -> list[PrintOrder]:
    """Set ``order.current_version`` and ``order.newer_version_exists`` on each print order (one query)."""
    orders = list(orders)
    current = {v.routine_id: v for v in current_versions(routine__in={o.routine_id for o in orders})}
    for order in orders:
        order.current_version = current.get(order.routine_id)
        order.newer_version_exists = (
            order.current_version is not None and order.current_version.number > order.version.number
        )
    return orders


def open_and_closed(orders: Iterable[PrintOrder]) -> tuple[list[PrintOrder], list[PrintOrder]]:
    """The orders still to be worked on, and those delivered or superseded, each in the given order."""
    orders = list(orders)
    return [o for o in orders if o.status not in DONE], [o for o in orders if o.status in DONE]


def orderable_versions(user: User | AnonymousUser) -> dict[str, RoutineVersion]:
    """{slug: current version} of every routine this person may open: what a print run may be ordered of."""
    return {v.routine.slug: v for v in published_versions(user=user)}


def order_events(order: PrintOrder) -> QuerySet[PrintOrderEvent]:
    """The order's status changes, oldest first, with who made them."""
    return order.events.select_related("by")
