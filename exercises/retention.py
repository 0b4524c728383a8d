"""What the retention run does to exercises (registered with ``core.retention`` from
``ExercisesConfig.ready()``).

**Exercises** ``exercise_days`` after they were held (five years by default: long enough to show a routine has
been practised over several review periods): deleted with their actions. They hold no one the centres help,
but their free texts and the people responsible for actions are staff's words and names, which need not stay
for good. An exercise with an action still open is being followed up and is kept until it is closed.
"""

from django.db.models import Exists, OuterRef, QuerySet

from audit.services import audit_log
from core.retention import PURGERS, Cutoffs, Purger
from exercises.models import Exercise
from incidents.models import IncidentAction

PERIODS = ("exercise_days",)


def expired_exercises(c: Cutoffs) -> QuerySet[Exercise]:
    """Exercises held before the period, with no open action."""
    open_actions = IncidentAction.objects.filter(exercise=OuterRef("pk"), status=IncidentAction.Status.OPEN)
    return Exercise.objects.filter(held_on__lt=c.before("exercise_days").date()).filter(~Exists(open_actions))


def delete_exercises(rows: list[Exercise], c: Cutoffs) -> int:
    """Delete a batch of expired exercises and their actions; one audit event each."""
    for row in rows:
        audit_log(actor=None, action="retention.purged", target=row, unit=row.routine.owner_unit)
    IncidentAction.objects.filter(exercise__in=rows).delete()
    Exercise.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return 0


def register() -> None:
    PURGERS.register(
        Purger(
            kind="exercises",
            verb="delete",
            order=45,
            periods=PERIODS,
            expired=expired_exercises,
            purge=delete_exercises,
            covers=(Exercise,),
            related=("routine__owner_unit",),
        )
    )
