"""What routines (and print orders, until they move to their own app) tell the audit log: the action codes,
and the record types. Reads of routines and print orders are not reviewed. Registered from
``RoutinesConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, RECORD_TYPES, Action, Kind, RecordType
from routines.models import PrintOrder, Routine, RoutineVersion

ACTION_CODES: dict[str, Action] = {
    # Routines
    "routine.created": Action(_("Created a routine"), Kind.CHANGED),
    "routine.draft_created": Action(_("Started a routine draft"), Kind.CHANGED),
    "routine.edited": Action(_("Edited a routine draft"), Kind.CHANGED),
    "routine.published": Action(_("Published a routine version"), Kind.CHANGED),
    "routine.previewed": Action(_("Previewed a routine version"), Kind.VIEWED),
    # Print orders
    "print_order.created": Action(_("Ordered a print run"), Kind.CHANGED),
    "print_order.status_changed": Action(_("Changed a print order's status"), Kind.CHANGED),
    "print_order.reissued": Action(_("Reissued a print order"), Kind.CHANGED),
    "print_order.viewed": Action(_("Opened a print order"), Kind.VIEWED),
    "print_order.pdf_downloaded": Action(_("Downloaded a print PDF"), Kind.EXPORTED),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
    # A print order's pages are the routines app's only pages that take a ``pk``.
    RECORD_TYPES.register(
        RecordType(model="routines.printorder", label=PrintOrder._meta.verbose_name, pages_in="routines", order=40)
    )
    RECORD_TYPES.register(RecordType(model="routines.routine", label=Routine._meta.verbose_name, order=50))
    RECORD_TYPES.register(
        RecordType(model="routines.routineversion", label=RoutineVersion._meta.verbose_name, order=60)
    )
