"""Print orders' cards: the queue for the print shop; ordering and one's own orders for editors and
managers."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.home import HOME_SECTIONS, Card, HomeSection
from printing.access import is_print_shop, may_order_prints


def print_order_cards(user: Any) -> list[Card]:
    """The queue for the print shop; ordering and one's own orders for editors and managers."""
    if is_print_shop(user):
        return [
            Card(
                title=_("Print-shop queue"),
                text=_("Print orders to accept, print and deliver, with the print PDFs."),
                url=reverse("printing:list"),
            )
        ]
    if may_order_prints(user):
        return [
            Card(
                title=_("Print orders"),
                text=_("Order printed routine folders and follow your orders."),
                url=reverse("printing:list"),
            )
        ]
    return []


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=70, cards=print_order_cards, name="print orders"))
