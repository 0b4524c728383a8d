"""Contacts over time on a case: stays, day visits and phone conversations after an intake, and the person's
registration for the annual statistics. All of it belongs to the intake (the case): same readers, same
retention, deleted with it. The anonymous statistics these lead to live in ``annual_report`` and hold no link
back (docs/statistics.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from intake.models import Intake, TreeVersion


class CaseContact(models.Model):
    """One contact with the person: a stay (arrival to departure), a day visit, or a phone conversation."""

    class Kind(models.TextChoices):
        STAY = "stay", _("Stay")
        DAY_VISIT = "day-visit", _("Day visit")
        PHONE = "phone", _("Phone conversation")

    class WentTo(models.TextChoices):
        # Where a resident went after the stay, in the categories the annual report counts.
        OWN_HOME = "own-home", _("A new home of their own")
        BACK_TO_PERPETRATOR = "back-to-perpetrator", _("Back to the perpetrator")
        FAMILY_FRIENDS = "family-friends", _("Family or friends")
        OTHER_SHELTER = "other-shelter", _("Another crisis centre or shelter")
        OTHER = "other", _("Somewhere else")
        UNKNOWN = "unknown", _("Not known")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("intake"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind of contact"), max_length=16, choices=Kind.choices)
    started_on = models.DateField(_("date"))  # a stay's arrival
    ended_on = models.DateField(_("departure"), null=True, blank=True)  # stays only
    went_to = models.CharField(_("where to afterwards"), max_length=32, choices=WentTo.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    # True once the anonymous statistics of this contact are written (annual_report). A flag, not a link.
    counted = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        ordering = ["-started_on", "-recorded_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["intake", "-started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="contact_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"contact {self.pk}"

    @property
    def is_stay(self) -> bool:
        return self.kind == self.Kind.STAY

    @property
    def days(self) -> int | None:
        """Days of stay: nights from arrival to departure, at least one (a stay left the same day counts as a
        day); None while the person is still staying."""
        if not self.is_stay or self.ended_on is None:
            return None
        return max((self.ended_on - self.started_on).days, 1)


# Whole sentences per kind: "Record a {kind}" cannot be translated well (en/et in Norwegian).
RECORD_LABELS = {
    CaseContact.Kind.STAY: _("Record a stay"),
    CaseContact.Kind.DAY_VISIT: _("Record a day visit"),
    CaseContact.Kind.PHONE: _("Record a phone conversation"),
}


class StayChild(models.Model):
    """A child staying with the person, by age only (the report counts children by age group)."""

    contact = models.ForeignKey(CaseContact, on_delete=models.CASCADE, related_name="children")
    age = models.PositiveSmallIntegerField(_("age"))

    class Meta:
        ordering = ["-age", "pk"]
        verbose_name = _("child staying")
        verbose_name_plural = _("children staying")

    def __str__(self) -> str:
        return f"child {self.pk}"


class Registration(models.Model):
    """The person's registration for the annual statistics, once per case: consent, and the answers to the
    registration Questionnaire (a question tree like the intake's, pinned by version).

    The stable attributes (birth year, gender, initials) are what the per-year pseudonym is computed from
    (annual_report.pseudonyms). They stay here, on the case, under its access rules and retention; the
    statistics hold only the keyed hash.
    """

    class Consent(models.TextChoices):
        GIVEN = "given", _("Consent given")
        DECLINED = "declined", _("Consent declined")

    class ConsentHow(models.TextChoices):
        WRITTEN = "written", _("In writing")
        ORAL = "oral", _("Orally")

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="registration")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    consent = models.CharField(_("consent"), max_length=16, choices=Consent.choices)
    consent_how = models.CharField(_("how consent was given"), max_length=16, choices=ConsentHow.choices, blank=True)
    tree_version = models.ForeignKey(
        TreeVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("form version")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=16, blank=True)
    initials = models.CharField(_("initials"), max_length=8, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    # Which years and groups this case has been counted in ("2026:resident"): a flag, not a link.
    counted = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("registration for statistics")
        verbose_name_plural = _("registrations for statistics")

    def __str__(self) -> str:
        return f"registration {self.pk}"

    @property
    def consented(self) -> bool:
        return self.consent == self.Consent.GIVEN
