"""Reading exercises: a person's list, one exercise's actions, and who can be given an action."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.roles import Role
from exercises.access import visible_exercises
from exercises.models import Exercise
from incidents.models import IncidentAction
from routines.models import Routine
from routines.selectors import current_versions


def exercise_list(user: Any) -> QuerySet[Exercise]:
    """The exercises of every routine this person may review, newest first, with their open actions counted."""
    return (
        visible_exercises(user)
        .select_related("routine", "version", "recorded_by")
        .annotate(open_actions=Count("actions", filter=Q(actions__status=IncidentAction.Status.OPEN)))
    )


def exercise_actions(exercise: Exercise) -> list[IncidentAction]:
    return list(exercise.actions.select_related("responsible").order_by("deadline", "created_at"))


def exercise_people(routine: Routine) -> QuerySet[User]:
    """Who can be made responsible for an exercise's action: the editors and managers of the routine's unit,
    the people who can open the exercise."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__unit=routine.owner_unit_id,
            memberships__role__in=[Role.EDITOR, Role.MANAGER],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def routine_role_titles(routine: Routine, lang: str) -> list[str]:
    """The role cards' titles of the routine's current version, in ``lang``: what an exercise's roles are
    picked from."""
    versions = current_versions(routine=routine)
    if not versions:
        return []
    titles = [(role.get("title") or {}).get(lang, "") for role in versions[0].content.get("roles", [])]
    return [title for title in titles if title]


def my_exercise_actions_due(user: Any) -> int:
    """Open actions from exercises this person is responsible for, due today or earlier, on exercises she may
    see."""
    return IncidentAction.objects.filter(
        responsible=user,
        status=IncidentAction.Status.OPEN,
        deadline__lte=timezone.localdate(),
        exercise__in=visible_exercises(user).values("pk"),
    ).count()
