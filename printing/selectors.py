"""Reading print orders: what is newer than an order, what may be ordered, an order's history."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from printing.models import PrintOrder, PrintOrderEvent
from routines.models import RoutinePdf, RoutineVersion
from routines.pdf import routine_url
from routines.pdf_store import routine_pdf_get
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


@dataclass(frozen=True)
class PrintSpecification:
    """What a print shop needs to produce an order without phoning back: the finished product, from the
    folder's own layout (routines.pdf), and what the orderer chose."""

    pages: int | None  # None until the folder PDF has been made (the print shop's page makes it)
    qr_target: str

    @property
    def sheets(self) -> int | None:
        return self.pages // 4 if self.pages else None

    @property
    def saddle_stitched(self) -> bool:
        return bool(self.pages and self.pages >= 8)


def print_specification(order: PrintOrder, *, render: bool) -> PrintSpecification:
    """The order's specification. The page count comes from the folder PDF: made now if ``render`` (the print
    shop, who needs it), otherwise only read if it was made already."""
    if render:
        pages: int | None = routine_pdf_get(
            version=order.version, variant=RoutinePdf.Variant.FOLDER, lang=order.lang
        ).pages
    else:
        stored = RoutinePdf.objects.filter(
            version=order.version, variant=RoutinePdf.Variant.FOLDER, lang=order.lang
        ).first()
        pages = stored.pages if stored is not None else None
    return PrintSpecification(pages=pages, qr_target=routine_url(order.version))
