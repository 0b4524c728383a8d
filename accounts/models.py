from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.roles import Role


class Unit(models.Model):
    """An organisational unit that owns records: a crisis centre, a university section, ..."""

    class Kind(models.TextChoices):
        CRISIS_CENTRE = "crisis_centre", _("Crisis centre")
        UNIVERSITY_SECTION = "university_section", _("University section")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One role a person holds in one unit. A person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["unit__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.unit}"


class UnitUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key permission model for units (fast joins, real FK integrity)."""

    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)


class Preferences(models.Model):
    """A person's own settings: the language of the mail she gets and whether she gets the daily reminder.
    No row means the defaults (bokmål, reminders on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("user")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE, db_default="nb"
    )
    daily_reminder = models.BooleanField(_("daily reminder e-mail"), default=True, db_default=True)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return str(self.user)


class ReminderDigest(models.Model):
    """That the daily reminder of ``day`` was taken in hand for ``user``: the unique row that makes
    ``send_reminders`` send once a day however often, and on however many servers, it runs. No content."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="unique_reminder_digest_per_day")]
        indexes = [models.Index(fields=["day"], name="reminder_digest_day")]
