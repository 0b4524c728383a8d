import uuid

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

    def role_group_name(self, role: str) -> str:
        """Name of the group holding this unit's per-object grants for one role."""
        return f"unit:{self.pk}:{role}"


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


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event through the app."""


class AuditEventQuerySet(models.QuerySet):
    """Append-only: bulk updates and deletes are refused (on PostgreSQL a trigger refuses them as well)."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit events are never changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("Audit events are never changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit events are never deleted.")

    delete.queryset_only = True  # type: ignore[attr-defined]  # Django reads this flag off the method


class AuditEvent(models.Model):
    """Who did what to which record, and when. Never the record's content.

    Written only through accounts.audit.audit_log; the action is a stable dotted code
    (``auth.login``, ``unit.viewed``), the target an opaque type and id. Append-only: ``save`` inserts and
    never updates, ``delete`` and the queryset's ``update``/``delete`` raise ``AuditLogIsAppendOnly``, and
    on PostgreSQL a trigger (migration 0003) refuses UPDATE and DELETE of the table's rows from any client.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("record type"), max_length=64, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    objects = AuditEventQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events are never changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit events are never deleted.")
