"""Routines' cards: the routines for everyone; the editor and the overdue-review list for editors and
managers; print orders (until they move to their own app) for the print shop, editors and managers."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.home import HOME_SECTIONS, Card, HomeSection
from routines.access import editor_units, is_print_shop, may_order_prints, reviewer_units


def routine_list_cards(user: Any) -> list[Card]:
    return [
        Card(
            title=_("Routines"),
            text=_("What to do and whom to call when something serious happens."),
            url=reverse("routine_list"),
        )
    ]


def routine_cards(user: Any) -> list[Card]:
    """Editing routines for their editors; the overdue-review list for editors and managers."""
    cards = []
    if editor_units(user).exists():
        cards.append(
            Card(
                title=_("Edit routines"),
                text=_("Write new versions, preview and publish them."),
                url=reverse("routine_editor_list"),
            )
        )
    if reviewer_units(user).exists():
        cards.append(
            Card(
                title=_("Overdue reviews"),
                text=_("Routines in your units whose review date has passed."),
                url=reverse("routine_overdue"),
            )
        )
    return cards


def print_order_cards(user: Any) -> list[Card]:
    """The queue for the print shop; ordering and one's own orders for editors and managers."""
    if is_print_shop(user):
        return [
            Card(
                title=_("Print-shop queue"),
                text=_("Print orders to accept, print and deliver, with the print PDFs."),
                url=reverse("print_order_list"),
            )
        ]
    if may_order_prints(user):
        return [
            Card(
                title=_("Print orders"),
                text=_("Order printed routine folders and follow your orders."),
                url=reverse("print_order_list"),
            )
        ]
    return []


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=10, cards=routine_list_cards, name="routines"))
    HOME_SECTIONS.register(HomeSection(order=60, cards=routine_cards, name="routine editor"))
    HOME_SECTIONS.register(HomeSection(order=70, cards=print_order_cards, name="print orders"))
