"""What exercises tell the audit log: the action codes and the record type. Registered from
``ExercisesConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, RECORD_TYPES, Action, Kind, RecordType
from exercises.models import Exercise

ACTION_CODES: dict[str, Action] = {
    "exercise.recorded": Action(_("Recorded an exercise of a routine"), Kind.CHANGED),
    "exercise.action_added": Action(_("Added an action after an exercise"), Kind.CHANGED),
    "exercise.action_changed": Action(_("Changed an action after an exercise"), Kind.CHANGED),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
    RECORD_TYPES.register(
        RecordType(model="exercises.exercise", label=Exercise._meta.verbose_name, pages_in="exercises", order=65)
    )
