"""Routines' part of the daily reminder (``core.reminders``): for editors and managers, how many routines of
their units are past their review date. A count and the overdue-review page (``reviewable_routines``)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from core.reminders import REMINDER_SOURCES, Reminder, ReminderSource
from routines.access import reviewable_routines, reviewer_units
from routines.selectors import overdue_versions


def routine_reminders(user: Any) -> list[Reminder]:
    if not reviewer_units(user).exists():
        return []
    overdue = len(overdue_versions(routines=reviewable_routines(user)))
    if not overdue:
        return []
    text = ngettext(
        "%(count)d routine in your units is past its review date.",
        "%(count)d routines in your units are past their review date.",
        overdue,
    ) % {"count": overdue}
    return [Reminder(text=text, path=reverse("routines:overdue"), count=overdue)]


def register() -> None:
    REMINDER_SOURCES.register(ReminderSource(order=60, reminders=routine_reminders, name="routines"))
