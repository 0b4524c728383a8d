"""What print orders tell the audit log: the action codes and the record type. Reads of print orders are not
reviewed. Registered from ``PrintingConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, RECORD_TYPES, Action, Kind, RecordType
from printing.models import PrintOrder

ACTION_CODES: dict[str, Action] = {
    "print_order.created": Action(_("Ordered a print run"), Kind.CHANGED),
    "print_order.status_changed": Action(_("Changed a print order's status"), Kind.CHANGED),
    "print_order.reissued": Action(_("Reissued a print order"), Kind.CHANGED),
    "print_order.viewed": Action(_("Opened a print order"), Kind.VIEWED),
    "print_order.pdf_downloaded": Action(_("Downloaded a print PDF"), Kind.EXPORTED),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
    # A print order's pages are the printing app's only pages that take a ``pk``.
    RECORD_TYPES.register(
        RecordType(model="printing.printorder", label=PrintOrder._meta.verbose_name, pages_in="printing", order=40)
    )
