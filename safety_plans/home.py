"""Safety plans' cards: the plans for those who use them, with how many of their plans are due for review;
the checklist editor for editors."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.home import HOME_SECTIONS, Card, HomeSection
from safety_plans.selectors import plans_due_count, uses_safety_plans


def safety_plan_cards(user: Any) -> list[Card]:
    cards = []
    # As with intakes, being an administrator gives no access to safety plans.
    if uses_safety_plans(user):
        text = str(_("Make and review safety plans with the people you help."))
        due = plans_due_count(user)
        if due:
            text += " " + ngettext("%(count)d plan is due for review.", "%(count)d plans are due for review.", due) % {
                "count": due
            }
        cards.append(Card(title=_("Safety plans"), text=text, url=reverse("safety_plans:list")))
    if user.has_perm("safety_plans.change_checklistitem"):
        cards.append(
            Card(
                title=_("Safety-plan checklist"),
                text=_("Word the checklist items offered on safety plans, in bokmål and English."),
                url=reverse("safety_plans:checklist_item_list"),
            )
        )
    return cards


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=40, cards=safety_plan_cards, name="safety plans"))
