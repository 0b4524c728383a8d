"""Routines' cards: the routines for everyone; the editor and the overdue-review list for editors and
managers."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.home import HOME_SECTIONS, Card, HomeSection
from routines.access import editor_units, reviewer_units


def routine_list_cards(user: Any) -> list[Card]:
    return [
        Card(
            title=_("Routines"),
            text=_("What to do and whom to call when something serious happens."),
            url=reverse("routines:list"),
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
                url=reverse("routines:editor_list"),
            )
        )
    if reviewer_units(user).exists():
        cards.append(
            Card(
                title=_("Overdue reviews"),
                text=_("Routines in your units whose review date has passed."),
                url=reverse("routines:overdue"),
            )
        )
    return cards


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=10, cards=routine_list_cards, name="routines"))
    HOME_SECTIONS.register(HomeSection(order=60, cards=routine_cards, name="routine editor"))
