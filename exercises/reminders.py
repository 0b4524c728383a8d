"""Exercises' part of the daily reminder (``core.reminders``): the actions from exercises a person is
responsible for that are due today or overdue. A count and the exercises page."""

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from core.reminders import REMINDER_SOURCES, Reminder, ReminderSource
from exercises.access import may_use_exercises
from exercises.selectors import my_exercise_actions_due


def exercise_reminders(user: Any) -> list[Reminder]:
    if not may_use_exercises(user):
        return []
    due = my_exercise_actions_due(user)
    if not due:
        return []
    text = ngettext(
        "%(count)d action after an exercise you are responsible for is due or overdue.",
        "%(count)d actions after exercises you are responsible for are due or overdue.",
        due,
    ) % {"count": due}
    return [Reminder(text=text, path=reverse("exercises:list"), count=due)]


def register() -> None:
    REMINDER_SOURCES.register(ReminderSource(order=65, reminders=exercise_reminders, name="exercises"))
