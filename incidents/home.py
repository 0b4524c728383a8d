"""Incidents' cards: reporting and one's own reports for those who may report; the list for managers."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.home import HOME_SECTIONS, Card, HomeSection


def incident_cards(user: Any) -> list[Card]:
    cards = []
    if user.has_perm("incidents.add_incident"):
        cards.append(
            Card(
                title=_("Report an incident"),
                text=_("Register a deviation report, and follow the reports you have filed."),
                url=reverse("incidents:new"),
            )
        )
        cards.append(
            Card(
                title=_("My reports"),
                text=_("Your reports and the actions you are responsible for."),
                url=reverse("incidents:mine"),
            )
        )
    if user.has_perm("incidents.view_incident"):
        cards.append(
            Card(
                title=_("Incident reports"),
                text=_("Follow up, close and get an overview of your units' reports."),
                url=reverse("incidents:list"),
            )
        )
    return cards


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=20, cards=incident_cards, name="incidents"))
