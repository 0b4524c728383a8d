"""Incidents' cards: reporting and one's own reports for those who may report; for a manager, her to-dos with
counts (new reports to take, reports past their response deadline, overdue actions), the list and the
statistics."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.home import HOME_SECTIONS, Card, HomeSection
from incidents.selectors import manager_todo


def _manager_cards(user: Any) -> list[Card]:
    todo = manager_todo(user)
    list_url = reverse("incidents:list")
    cards = [
        Card(
            title=ngettext("%(count)d new report to take", "%(count)d new reports to take", todo.new_reports)
            % {"count": todo.new_reports},
            text=_("Reports nobody has taken yet. Take one to become its responsible manager."),
            url=f"{list_url}?state=reported",
        ),
        Card(
            title=ngettext(
                "%(count)d report past its response deadline",
                "%(count)d reports past their response deadline",
                todo.late_reports,
            )
            % {"count": todo.late_reports},
            text=_("New reports that should have been taken by now."),
            url=f"{list_url}?late=on",
        ),
        Card(
            title=ngettext("%(count)d overdue action", "%(count)d overdue actions", todo.overdue_actions)
            % {"count": todo.overdue_actions},
            text=_("Actions past their deadline on your units' reports."),
            url=f"{list_url}?overdue=on",
        ),
        Card(
            title=_("Incident reports"),
            text=_("Follow up, close and export your units' reports."),
            url=list_url,
        ),
        Card(
            title=_("Incident statistics"),
            text=_("Reports per month, open reports by age and overdue actions per unit."),
            url=reverse("incidents:overview"),
        ),
    ]
    return cards


def incident_cards(user: Any) -> list[Card]:
    cards = []
    if user.has_perm("incidents.view_incident"):
        cards.extend(_manager_cards(user))
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
                text=_("Your reports, the outcome of those that are closed, and the actions you are responsible for."),
                url=reverse("incidents:mine"),
            )
        )
    return cards


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=20, cards=incident_cards, name="incidents"))
