"""Incidents' part of the daily reminder (``core.reminders``): the actions a person is responsible for that are
due today or overdue, and for a manager the reports in her units nobody has taken yet and the overdue actions
on them. Counts and list pages only, through ``visible_incidents``."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from core.reminders import REMINDER_SOURCES, Reminder, ReminderSource
from incidents.models import IncidentAction
from incidents.selectors import manager_todo, visible_incidents


def my_actions_due_count(user: Any) -> int:
    """Open actions this person is responsible for, due today or earlier, on reports she may see."""
    return IncidentAction.objects.filter(
        responsible=user,
        status=IncidentAction.Status.OPEN,
        deadline__lte=timezone.localdate(),
        incident__in=visible_incidents(user).values("pk"),
    ).count()


def incident_reminders(user: Any) -> list[Reminder]:
    reminders = []
    due = my_actions_due_count(user)
    reminders.append(
        Reminder(
            text=ngettext(
                "%(count)d action you are responsible for is due or overdue.",
                "%(count)d actions you are responsible for are due or overdue.",
                due,
            )
            % {"count": due},
            path=reverse("incidents:mine"),
            count=due,
        )
    )
    if user.has_perm("incidents.view_incident"):
        todo = manager_todo(user)
        list_url = reverse("incidents:list")
        reminders.append(
            Reminder(
                text=ngettext(
                    "%(count)d new report in your units to take.",
                    "%(count)d new reports in your units to take.",
                    todo.new_reports,
                )
                % {"count": todo.new_reports},
                path=f"{list_url}?state=reported",
                count=todo.new_reports,
            )
        )
        reminders.append(
            Reminder(
                text=ngettext(
                    "%(count)d overdue action on your units' reports.",
                    "%(count)d overdue actions on your units' reports.",
                    todo.overdue_actions,
                )
                % {"count": todo.overdue_actions},
                path=f"{list_url}?overdue=on",
                count=todo.overdue_actions,
            )
        )
    return [reminder for reminder in reminders if reminder.count]


def register() -> None:
    REMINDER_SOURCES.register(ReminderSource(order=20, reminders=incident_reminders, name="incidents"))
