"""What the home page offers each person: only what their roles let them do.

Features add their cards here as they land.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from guardian.shortcuts import get_objects_for_user

from accounts.audit_review import may_review_audit
from accounts.models import Unit
from accounts.roles import Role

ROLE_DESCRIPTIONS = {
    Role.STAFF: _("Look up emergency routines and report incidents."),
    Role.COUNSELLOR: _("Guide first-contact intakes and make safety plans with the people you help."),
    Role.MANAGER: _("Follow up incident reports in your units and see who works there."),
    Role.EDITOR: _("Write, review and publish routines, intake question trees and the safety-plan checklist."),
    Role.PRINTSHOP: _("Collect print-ready folder PDFs of the routines."),
}


@dataclass(frozen=True)
class Card:
    title: str
    text: str
    url: str


def home_cards(user) -> list[Card]:
    """The actions this user can take now, in the order a person would look for them."""
    cards: list[Card] = [
        Card(
            title=_("Routines"),
            text=_("What to do and whom to call when something serious happens."),
            url=reverse("routine_list"),
        )
    ]
    if user.has_perm("incidents.add_incident"):
        cards.append(
            Card(
                title=_("Report an incident"),
                text=_("Register a deviation report, and follow the reports you have filed."),
                url=reverse("incident_new"),
            )
        )
        cards.append(
            Card(
                title=_("My reports"),
                text=_("Your reports and the actions you are responsible for."),
                url=reverse("incident_mine"),
            )
        )
    if user.has_perm("incidents.view_incident"):
        cards.append(
            Card(
                title=_("Incident reports"),
                text=_("Follow up, close and get an overview of your units' reports."),
                url=reverse("incident_list"),
            )
        )
    from intake.selectors import uses_intakes  # intake depends on accounts, not back

    # Not for a superuser as such: being an administrator gives no access to intakes.
    if uses_intakes(user):
        cards.append(
            Card(
                title=_("Intakes"),
                text=_("Start a first-contact intake, or resume a draft."),
                url=reverse("intake_list"),
            )
        )
    cards.extend(safety_plan_cards(user))
    if user.has_perm("accounts.view_membership"):
        for unit in get_objects_for_user(user, "accounts.view_unit", klass=Unit, accept_global_perms=False):
            cards.append(
                Card(
                    title=unit.name,
                    text=_("See who works in this unit and in which role."),
                    url=reverse("unit_detail", args=[unit.slug]),
                )
            )
    cards.extend(routine_cards(user))
    cards.extend(print_order_cards(user))
    if may_review_audit(user):
        cards.append(
            Card(
                title=_("Access log"),
                text=_("Who opened, changed, printed or shared which record, and the periodic access review."),
                url=reverse("audit_event_list"),
            )
        )
    if user.is_superuser:
        cards.append(
            Card(
                title=_("Administration"),
                text=_("Manage people, units and roles."),
                url=reverse("admin:index"),
            )
        )
    cards.append(
        Card(title=_("Your password"), text=_("Change the password you log in with."), url=reverse("password_change"))
    )
    cards.append(
        Card(
            title=_("Two-factor login"),
            text=_("A code from your phone after your password; your recovery codes."),
            url=reverse("twofactor:account"),
        )
    )
    return cards


def routine_cards(user) -> list[Card]:
    """Editing routines for their editors; the overdue-review list for editors and managers."""
    from routines.access import editor_units, reviewer_units  # routines depends on accounts, not back

    cards = []
    if editor_units(user).exists():
        cards.append(
            Card(
                title=_("Edit routines"),
                text=_("Write new versions, preview and publish them."),
                url=reverse("routine_editor_list"),
            )
        )
    if reviewer_units(user).exists():
        cards.append(
            Card(
                title=_("Overdue reviews"),
                text=_("Routines in your units whose review date has passed."),
                url=reverse("routine_overdue"),
            )
        )
    return cards


def print_order_cards(user) -> list[Card]:
    """The queue for the print shop; ordering and one's own orders for editors and managers."""
    from routines.access import is_print_shop, may_order_prints  # routines depends on accounts, not back

    if is_print_shop(user):
        return [
            Card(
                title=_("Print-shop queue"),
                text=_("Print orders to accept, print and deliver, with the print PDFs."),
                url=reverse("print_order_list"),
            )
        ]
    if may_order_prints(user):
        return [
            Card(
                title=_("Print orders"),
                text=_("Order printed routine folders and follow your orders."),
                url=reverse("print_order_list"),
            )
        ]
    return []


def safety_plan_cards(user) -> list[Card]:
    """Safety plans for those who use them, with how many of their plans are due for review; the checklist
    editor for editors."""
    from safety_plans.selectors import plans_due_count, uses_safety_plans  # safety_plans depends on accounts

    cards = []
    # As with intakes, being an administrator gives no access to safety plans.
    if uses_safety_plans(user):
        text = str(_("Make and review safety plans with the people you help."))
        due = plans_due_count(user)
        if due:
            text += " " + ngettext("%(count)d plan is due for review.", "%(count)d plans are due for review.", due) % {
                "count": due
            }
        cards.append(Card(title=_("Safety plans"), text=text, url=reverse("safety_plan_list")))
    if user.has_perm("safety_plans.change_checklistitem"):
        cards.append(
            Card(
                title=_("Safety-plan checklist"),
                text=_("Word the checklist items offered on safety plans, in bokmål and English."),
                url=reverse("checklist_item_list"),
            )
        )
    return cards
