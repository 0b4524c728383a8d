"""What contacts tell the audit log. Every event names the intake (the case) as its target, so the periodic
review judges reads of contacts as it judges reads of the intake (its owner and those it is shared with)."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, Action, Kind

ACTION_CODES: dict[str, Action] = {
    "contact.list_viewed": Action(_("Opened a case's contacts"), Kind.VIEWED),
    "contact.recorded": Action(_("Recorded a contact"), Kind.CHANGED),
    "contact.changed": Action(_("Changed a contact"), Kind.CHANGED),
    "contact.deleted": Action(_("Deleted a contact"), Kind.CHANGED),
    "registration.recorded": Action(_("Registered a person for the statistics"), Kind.CHANGED),
    "registration.opened": Action(_("Opened a registration to correct it"), Kind.VIEWED),
    "registration.corrected": Action(_("Corrected a registration for the statistics"), Kind.CHANGED),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
