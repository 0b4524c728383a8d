"""What the home page offers each person: only what their roles let them do.

The cards come from ``core.home.HOME_SECTIONS``, which every app fills from its own ``home.py``; this module
adds accounts' own (the units one manages, administration, the password, two-factor login) and says what
each role is for.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_units
from accounts.roles import Role
from core.home import HOME_SECTIONS, Card, HomeSection, cards_for

ROLE_DESCRIPTIONS = {
    Role.STAFF: _("Look up emergency routines and report incidents."),
    Role.COUNSELLOR: _("Guide first-contact intakes and make safety plans with the people you help."),
    Role.MANAGER: _("Follow up incident reports in your units and see who works there."),
    Role.EDITOR: _("Write, review and publish routines, intake question trees and the safety-plan checklist."),
    Role.PRINTSHOP: _("Collect print-ready folder PDFs of the routines."),
}


def home_cards(user: Any) -> list[Card]:
    """The actions this user can take now, in the order a person would look for them."""
    return cards_for(user)


def unit_cards(user: Any) -> list[Card]:
    """A card per unit the person manages."""
    if not user.has_perm("accounts.view_membership"):
        return []
    return [
        Card(
            title=unit.name,
            text=_("See who works in this unit and in which role."),
            url=reverse("unit_detail", args=[unit.slug]),
        )
        for unit in visible_units(user)
    ]


def administration_cards(user: Any) -> list[Card]:
    if not user.is_superuser:
        return []
    return [Card(title=_("Administration"), text=_("Manage people, units and roles."), url=reverse("admin:index"))]


def password_cards(user: Any) -> list[Card]:
    return [
        Card(title=_("Your password"), text=_("Change the password you log in with."), url=reverse("password_change"))
    ]


def preferences_cards(user: Any) -> list[Card]:
    return [
        Card(
            title=_("Your preferences"),
            text=_("Your language and the daily reminder e-mail."),
            url=reverse("account"),
        )
    ]


def two_factor_cards(user: Any) -> list[Card]:
    # Goes to the two-factor app's own home.py when it is split out of accounts.
    return [
        Card(
            title=_("Two-factor login"),
            text=_("A code from your phone after your password; your recovery codes."),
            url=reverse("twofactor:account"),
        )
    ]


def register() -> None:
    """Called once, from ``AccountsConfig.ready()``."""
    HOME_SECTIONS.register(HomeSection(order=50, cards=unit_cards, name="units"))
    HOME_SECTIONS.register(HomeSection(order=90, cards=administration_cards, name="administration"))
    HOME_SECTIONS.register(HomeSection(order=100, cards=password_cards, name="password"))
    HOME_SECTIONS.register(HomeSection(order=105, cards=preferences_cards, name="preferences"))
    HOME_SECTIONS.register(HomeSection(order=110, cards=two_factor_cards, name="two-factor login"))
