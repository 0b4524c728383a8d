"""Reads about people, units and memberships, for the views. They never write."""

from typing import Any

from django.db.models import QuerySet

from accounts.models import Membership, Preferences, Unit


def memberships_of(user: Any) -> QuerySet[Membership]:
    """The person's memberships, with their units."""
    return Membership.objects.filter(user=user).select_related("unit")


def unit_members(unit: Unit) -> QuerySet[Membership]:
    """Who holds which role in the unit, by role and then username."""
    return unit.memberships.select_related("user").order_by("role", "user__username")


def preferences_of(user: Any) -> Preferences:
    """The person's preferences; the defaults (unsaved) when she has never changed them."""
    found = Preferences.objects.filter(user=user).first()
    return found if found is not None else Preferences(user=user)
