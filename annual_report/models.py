"""The anonymous statistics of the annual report, and the per-year keys of the pseudonyms.

Nothing here points to a case or a person: no foreign key but the unit, no ids of case records, no dates
finer than the year, no free text, random primary keys (an increasing id would follow the order of the
audit log's events and so lead back to the case). docs/statistics.md has the threat model.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit


class YearKey(models.Model):
    """The secret of one unit's pseudonyms for one year. Kept in its own table, never in the statistics
    rows, and destroyed once the year's report is made: after that nobody, holding the attributes of a
    person or not, can tell which pseudonym is whose."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    secret = models.BinaryField(null=True, editable=False)  # 32 random bytes; None once destroyed
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        verbose_name = _("pseudonym key")
        verbose_name_plural = _("pseudonym keys")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_pseudonym_key_per_unit_year")]

    def __str__(self) -> str:
        return f"key {self.unit_id}/{self.year}"

    @property
    def is_destroyed(self) -> bool:
        return self.secret is None


class Group(models.TextChoices):
    RESIDENT = "resident", _("Residents")
    DAY_USER = "day-user", _("Day users")


class PersonCount(models.Model):
    """One person in one group (residents, day users) at one unit in one year.

    ``pseudonym``: the keyed hash (annual_report.pseudonyms) when the person consented, so the same person
    registered twice in a year is one row; empty when consent was declined: counted, with no other answer.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.CharField(_("group"), max_length=16, choices=Group.choices)
    pseudonym = models.CharField(_("pseudonym"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("person in the statistics")
        verbose_name_plural = _("people in the statistics")
        indexes = [models.Index(fields=["unit", "year", "group"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "group", "pseudonym"],
                condition=~models.Q(pseudonym=""),
                name="one_person_per_pseudonym_and_group",
            )
        ]

    def __str__(self) -> str:
        return f"person {self.pk}"


class PersonAnswer(models.Model):
    """One answer (a code) of a counted person to one dimension of the registration form."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(PersonCount, on_delete=models.CASCADE, related_name="answers")
    dimension = models.CharField(_("dimension"), max_length=64)  # the registration form's linkId
    code = models.CharField(_("code"), max_length=64)

    class Meta:
        verbose_name = _("answer in the statistics")
        verbose_name_plural = _("answers in the statistics")
        indexes = [models.Index(fields=["dimension", "code"])]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class ContactCount(models.Model):
    """One contact (a stay, a day visit, a phone conversation) in one year, with a stay's days and where
    the resident went. A stay is counted in the year it ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of contact"), max_length=16)
    days = models.PositiveIntegerField(_("days of stay"), null=True)
    went_to = models.CharField(_("where to afterwards"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("contact in the statistics")
        verbose_name_plural = _("contacts in the statistics")
        indexes = [models.Index(fields=["unit", "year", "kind"])]

    def __str__(self) -> str:
        return f"contact count {self.pk}"


class ChildCount(models.Model):
    """One child at one stay, by age group, with the stay's days (children are reported on separately)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    age_group = models.CharField(_("age group"), max_length=16)
    days = models.PositiveIntegerField(_("days of stay"))

    class Meta:
        verbose_name = _("child in the statistics")
        verbose_name_plural = _("children in the statistics")
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"child count {self.pk}"
