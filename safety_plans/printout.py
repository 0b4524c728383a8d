"""The discreet printout of a safety plan: what the person chooses to carry, and nothing else.

The person decides what is on it: a neutral title of their own, the items and phone numbers they pick (nothing
is ticked at first), each chosen item under the person's own words if they reword it, notes only if asked for,
the centre's name only if asked for. Never the plan's label, the counsellor, a logo or the site's name. The form (``safety_plans.forms.PrintoutForm``) only validates; ``card_for`` turns its choices into
what the card shows, and the page's preview and the PDF render that same card (templates/safety_plans/_card.html).
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.phone import dial_format, tel_href
from safety_plans.models import SafetyPlan

A6, A4 = "a6", "a4"
SIZES = [(A6, _("A6 pocket card")), (A4, _("A4 page"))]
# The printout's title and each item's reworded title: short enough for a line on a pocket card.
TITLE_MAX = ITEM_TITLE_MAX = 60


def default_title() -> str:
    return gettext("Reminders")


@dataclass
class Card:
    """What one printout shows, in the order it shows it."""

    title: str
    size: str
    centre: str = ""
    contacts: list[dict[str, str]] = field(default_factory=list)
    items: list[dict[str, str]] = field(default_factory=list)


def card_for(plan: SafetyPlan, data: dict[str, Any]) -> Card:
    """The card for a valid form's ``cleaned_data``: numbers formatted for dialling with tel: links, items in
    the plan's order under the person's own title where they gave one (``item_titles``, by PlanItem pk; the
    checklist's wording otherwise), notes only when asked for."""
    chosen_items = {i.pk for i in data["items"]}
    chosen_contacts = {c.pk for c in data["contacts"]}
    own_titles = data.get("item_titles", {})
    return Card(
        title=data["title"],
        size=data["size"],
        centre=plan.unit.name if data["show_centre"] else "",
        contacts=[
            {"label": c.label, "number": dial_format(c.number), "tel": tel_href(c.number)}
            for c in plan.contacts.all()
            if c.pk in chosen_contacts
        ],
        items=[
            {"title": own_titles.get(i.pk) or i.item.title, "note": i.note.strip() if data["include_notes"] else ""}
            for i in plan.items.select_related("item")
            if i.pk in chosen_items
        ],
    )
