"""What the annual report tells the audit log (anonymous figures: no record is named)."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, Action, Kind

ACTION_CODES: dict[str, Action] = {
    "statistics.report_viewed": Action(_("Opened the annual report"), Kind.VIEWED),
    "statistics.report_downloaded": Action(_("Downloaded the annual report"), Kind.EXPORTED),
    "statistics.key_destroyed": Action(_("Destroyed a year's pseudonym key"), Kind.CHANGED),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
