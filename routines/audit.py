"""What routines tell the audit log: the action codes and the record types. Reads of routines are not
reviewed. Registered from ``RoutinesConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, RECORD_TYPES, Action, Kind, RecordType
from routines.models import Routine, RoutineVersion

ACTION_CODES: dict[str, Action] = {
    # Routines
    "routine.created": Action(_("Created a routine"), Kind.CHANGED),
    "routine.draft_created": Action(_("Started a routine draft"), Kind.CHANGED),
    "routine.edited": Action(_("Edited a routine draft"), Kind.CHANGED),
    "routine.submitted": Action(_("Asked for a routine version to be approved"), Kind.CHANGED),
    "routine.approved": Action(_("Approved a routine version"), Kind.CHANGED),
    "routine.published": Action(_("Published a routine version"), Kind.CHANGED),
    "routine.previewed": Action(_("Previewed a routine version"), Kind.VIEWED),
    "routine.revision_requested": Action(_("Marked a routine as needing revision"), Kind.CHANGED),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
    RECORD_TYPES.register(RecordType(model="routines.routine", label=Routine._meta.verbose_name, order=50))
    RECORD_TYPES.register(
        RecordType(model="routines.routineversion", label=RoutineVersion._meta.verbose_name, order=60)
    )
