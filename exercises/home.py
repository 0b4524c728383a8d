"""Exercises' home card: for editors and managers, the exercises of their units' routines."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.home import HOME_SECTIONS, Card, HomeSection
from exercises.access import may_use_exercises


def exercise_cards(user: Any) -> list[Card]:
    if not may_use_exercises(user):
        return []
    return [
        Card(
            title=_("Exercises"),
            text=_("Record an exercise of a routine, and follow up what it found."),
            url=reverse("exercises:list"),
        )
    ]


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=65, cards=exercise_cards, name="exercises"))
