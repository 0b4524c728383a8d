"""Safety plans' part of the daily reminder (``core.reminders``): how many of the plans a person may change are
due for review. A count and the list page, through the plans' access rule (``plans_due_count``)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from core.reminders import REMINDER_SOURCES, Reminder, ReminderSource
from safety_plans.selectors import plans_due_count, uses_safety_plans


def safety_plan_reminders(user: Any) -> list[Reminder]:
    if not uses_safety_plans(user):
        return []
    due = plans_due_count(user)
    if not due:
        return []
    text = ngettext("%(count)d safety plan is due for review.", "%(count)d safety plans are due for review.", due) % {
        "count": due
    }
    return [Reminder(text=text, path=reverse("safety_plans:list"), count=due)]


def register() -> None:
    REMINDER_SOURCES.register(ReminderSource(order=40, reminders=safety_plan_reminders, name="safety plans"))
