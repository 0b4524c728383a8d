"""The annual report's card, for managers."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.home import HOME_SECTIONS, Card, HomeSection


def report_cards(user: Any) -> list[Card]:
    if not user.has_perm("annual_report.view_personcount"):
        return []
    return [
        Card(
            title=_("Annual report"),
            text=_("Residents, day users, phone conversations and children in the year, for the yearly report."),
            url=reverse("annual_report:report"),
        )
    ]


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=55, cards=report_cards, name="annual report"))
