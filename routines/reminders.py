"""Routines' part of the daily reminder (``core.reminders``): for editors and managers, how many routines of
their units are past their review date or marked as needing revision. A count and the overdue-review page (``reviewable_routines``)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from core.reminders import REMINDER_SOURCES, Reminder, ReminderSource
from routines.access import reviewable_routines, reviewer_units
from routines.selectors import overdue_versions, routines_needing_revision


def routine_reminders(user: Any) -> list[Reminder]:
    if not reviewer_units(user).exists():
        return []
    routines = reviewable_routines(user)
    reminders = []
    overdue = len(overdue_versions(routines=routines))
    if overdue:
        text = ngettext(
            "%(count)d routine in your units is past its review date.",
            "%(count)d routines in your units are past their review date.",
            overdue,
        ) % {"count": overdue}
        reminders.append(Reminder(text=text, path=reverse("routines:overdue"), count=overdue))
    revision = len(routines_needing_revision(routines=routines))
    if revision:
        text = ngettext(
            "%(count)d routine in your units needs revision.",
            "%(count)d routines in your units need revision.",
            revision,
        ) % {"count": revision}
        reminders.append(Reminder(text=text, path=reverse("routines:overdue"), count=revision))
    return reminders


def register() -> None:
    REMINDER_SOURCES.register(ReminderSource(order=60, reminders=routine_reminders, name="routines"))
