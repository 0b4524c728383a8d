"""The home page's cards: what each person can do now, offered only by the apps whose features she uses.

Each app registers a ``HomeSection`` from its ``AppConfig.ready()`` (in its own ``home.py``): a function
``user -> list[Card]`` and a place on the page. The page (``accounts.home.home_cards``) asks every section,
lowest ``order`` first, and shows what they return; core never imports the apps it shows.

The places, in tens so a section can come between two: 10 routines, 20 incidents, 30 intakes, 40 safety plans,
50 units, 60 the routine editor, 70 print orders, 80 the access log, 90 administration, 100 the password,
105 one's preferences, 110 two-factor login.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from core.registry import Registry


@dataclass(frozen=True)
class Card:
    """One thing a person can do: a title, a sentence about it, where it is."""

    title: str | Promise
    text: str | Promise
    url: str


@dataclass(frozen=True)
class HomeSection:
    """An app's cards (``cards(user)``, empty for someone whose roles do not use them) and their place."""

    order: int
    cards: Callable[[Any], list[Card]]
    name: str = ""  # for people reading the registry, e.g. "intake"


HOME_SECTIONS: Registry[HomeSection] = Registry("home sections")


def cards_for(user: Any) -> list[Card]:
    """Every section's cards for ``user``, in the sections' order (registration order among equals)."""
    sections = sorted(HOME_SECTIONS, key=lambda section: section.order)
    return [card for section in sections for card in section.cards(user)]
