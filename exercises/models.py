"""Exercises (øvelser) of a routine: a practice run, what worked and what did not. Its findings become actions
(``incidents.IncidentAction`` with ``exercise`` set), and it can mark the routine as needing revision.

An exercise is about how a routine works, never about the people the centres help: it holds the roles that
took part and a head count, not names (the free texts say so on the form)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from routines.models import Routine, RoutineVersion


class Exercise(models.Model):
    class Kind(models.TextChoices):
        TABLE_TOP = "table_top", _("Table-top exercise")
        FULL = "full", _("Full-scale exercise")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    routine = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="exercises", verbose_name=_("routine"))
    # The version that was practised: the current one when the exercise was recorded.
    version = models.ForeignKey(
        RoutineVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("version")
    )
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind of exercise"), max_length=16, choices=Kind.choices)
    # Role titles (from the routine's role cards, or typed) that were filled in the exercise: roles, not names.
    roles_present = models.JSONField(_("roles that took part"), default=list, blank=True)
    participant_count = models.PositiveSmallIntegerField(_("number of participants"))
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not = models.TextField(_("what did not work"), blank=True)
    needs_revision = models.BooleanField(_("the routine needs revision"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        indexes = [models.Index(fields=["routine", "-held_on"], name="exercise_routine_held")]

    def __str__(self) -> str:
        # Never free text: this string may end up in logs and admin breadcrumbs.
        return f"{self.routine.slug} {self.held_on.isoformat()}"
