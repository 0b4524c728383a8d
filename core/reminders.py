"""The daily reminder: what waits for each person, as counts and links, never content.

Each feature registers a ``ReminderSource`` from its ``AppConfig.ready()`` (in its own ``reminders.py``): a
function ``user -> list[Reminder]`` that counts, through the feature's own ``visible_*`` selectors, what waits
for her (an action due, a report to take, a review due) and gives a sentence with the count and the page where
she finds it. Core never imports the features it reminds of; ``accounts.reminders`` sends the digest (one
task per person and day) and keeps the preference to receive it.

A reminder's text is rendered in the language active when the source is asked (the person's own): a source
uses ``ngettext``/``gettext`` and returns a plain string with a count, never a name, title or free text from a
record.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from core.registry import Registry


@dataclass(frozen=True)
class Reminder:
    """One thing waiting: a sentence with its count (``"2 actions are due or overdue"``) and the site path of
    the page that lists them (made absolute when mailed)."""

    text: str
    path: str
    count: int

    @property
    def url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.path


@dataclass(frozen=True)
class ReminderSource:
    """A feature's reminders (``reminders(user)``: empty when nothing waits or she does not use it) and their
    place in the mail (lowest ``order`` first, the home page's tens: 20 incidents, 40 safety plans, 60
    routines)."""

    order: int
    reminders: Callable[[Any], list[Reminder]]
    name: str = ""


REMINDER_SOURCES: Registry[ReminderSource] = Registry("reminder sources")


def reminders_for(user: Any) -> list[Reminder]:
    """Every source's reminders for ``user`` with a count above zero, in the sources' order."""
    sources = sorted(REMINDER_SOURCES, key=lambda source: source.order)
    return [reminder for source in sources for reminder in source.reminders(user) if reminder.count > 0]
