"""Access helpers for exercises: the only way a view reaches one.

An exercise belongs to its routine's owner unit: its editors and managers (``routines.access.reviewer_units``)
record and read it, superusers too. Anyone else gets 404, so nothing confirms that an exercise exists.
"""

from typing import Any

from django.db.models import QuerySet

from core.access import get_or_not_found
from exercises.models import Exercise
from incidents.models import IncidentAction
from routines.access import get_routine_for_reviewer, reviewable_routines, reviewer_units
from routines.models import Routine


def may_use_exercises(user: Any) -> bool:
    """Whether exercises are a feature of this person's role at all (editors and managers)."""
    return reviewer_units(user).exists()


def visible_exercises(user: Any) -> QuerySet[Exercise]:
    return Exercise.objects.filter(routine__in=reviewable_routines(user))


def get_routine_for_exercises(user: Any, slug: str) -> Routine:
    """The routine, if this person may record its exercises; else 404."""
    return get_routine_for_reviewer(user, slug)


def get_exercise_for_user(user: Any, pk: Any) -> Exercise:
    """The exercise, if this person may see it; else 404 (a refusal in the audit log)."""
    return get_or_not_found(visible_exercises(user).select_related("routine__owner_unit", "version"), pk=pk)


def get_exercise_action(exercise: Exercise, action_pk: Any) -> IncidentAction:
    """One action of this exercise; 404 for any other (an incident's action included)."""
    return get_or_not_found(IncidentAction.objects.filter(exercise=exercise), pk=action_pk)
