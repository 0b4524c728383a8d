"""Intake's card, for counsellors and managers."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.home import HOME_SECTIONS, Card, HomeSection
from intake.selectors import uses_intakes


def intake_cards(user: Any) -> list[Card]:
    # Not for a superuser as such: being an administrator gives no access to intakes.
    if not uses_intakes(user):
        return []
    return [
        Card(
            title=_("Intakes"),
            text=_("Start a first-contact intake, or resume a draft."),
            url=reverse("intake:list"),
        )
    ]


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=30, cards=intake_cards, name="intakes"))
