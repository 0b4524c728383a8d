"""The annual report's card, for managers."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from annual_report.access import report_units
from core.home import HOME_SECTIONS, Card, HomeSection


def report_cards(user: Any) -> list[Card]:
    # The report covers units she manages: an administrator, who has every permission, manages none of them
    # for being one, and would find an empty page (a 404).
    if not user.has_perm("annual_report.view_personcount") or not report_units(user):
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
