"""Changing exercises: recording one, turning its findings into actions, following the actions up. Each
writes the audit log; a person given an action gets a link by e-mail (no content)."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.mail import send_mail_later
from exercises.models import Exercise
from exercises.selectors import exercise_people
from incidents.models import IncidentAction
from incidents.services import action_create, action_status_set
from routines.models import Routine
from routines.selectors import current_versions
from routines.services import routine_revision_request


def _link(exercise: Exercise) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("exercises:detail", args=[exercise.pk])


@transaction.atomic
def exercise_record(
    *,
    routine: Routine,
    user: User,
    held_on: date,
    kind: str,
    roles_present: list[str],
    participant_count: int,
    what_worked: str,
    what_did_not: str,
    needs_revision: bool,
    revision_note: str = "",
) -> Exercise:
    """Record an exercise of ``routine``, held on ``held_on`` (today or earlier), of its current version. With
    ``needs_revision`` the routine goes on its unit's review list with ``revision_note`` until a new version is
    published. Raises ValidationError saying what to fix."""
    if held_on > timezone.localdate():
        raise ValidationError(_("An exercise is recorded after it is held: choose today or an earlier date."))
    if kind not in Exercise.Kind.values:
        raise ValidationError(_("Choose the kind of exercise."))
    if needs_revision and not revision_note.strip():
        raise ValidationError(_("Say in a few words what in the routine needs revision."))
    versions = current_versions(routine=routine)
    exercise = Exercise.objects.create(
        routine=routine,
        version=versions[0] if versions else None,
        held_on=held_on,
        kind=kind,
        roles_present=[role.strip() for role in roles_present if role.strip()],
        participant_count=participant_count,
        what_worked=what_worked.strip(),
        what_did_not=what_did_not.strip(),
        needs_revision=needs_revision,
        recorded_by=user,
    )
    audit_log(actor=user, action="exercise.recorded", target=exercise, unit=routine.owner_unit)
    if needs_revision:
        routine_revision_request(routine=routine, user=user, note=revision_note)
    return exercise


@transaction.atomic
def exercise_action_add(
    *, exercise: Exercise, user: User, description: str, responsible: User, deadline: date
) -> IncidentAction:
    """Turn a finding into an action (tiltak) with a responsible person of the routine's unit (an editor or
    manager, who can open the exercise) and a deadline today or later."""
    if not exercise_people(exercise.routine).filter(pk=responsible.pk).exists():
        raise ValidationError(_("Only an editor or manager of the routine's unit can be responsible."))
    action = action_create(exercise=exercise, description=description, responsible=responsible, deadline=deadline)
    audit_log(actor=user, action="exercise.action_added", target=exercise, unit=exercise.routine.owner_unit)
    if responsible.email:
        send_mail_later(
            to=[responsible.email],
            subject=_("You have been given an action"),
            body=_("You are responsible for an action after an exercise of a routine:\n%(url)s\n")
            % {"url": _link(exercise)},
        )
    return action


@transaction.atomic
def exercise_action_update(
    *, action: IncidentAction, user: User, status: str, evaluation: str, status_reason: str = ""
) -> IncidentAction:
    """Change an exercise action's status; carrying it over or cancelling it needs a reason."""
    exercise = action.exercise
    if exercise is None:
        raise ValueError("not an exercise's action: incidents.services changes those")
    action_status_set(action=action, status=status, evaluation=evaluation, status_reason=status_reason)
    audit_log(actor=user, action="exercise.action_changed", target=exercise, unit=exercise.routine.owner_unit)
    return action
