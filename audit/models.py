"""The audit log's one table. See ``audit.services.audit_log`` for how it is written."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit


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

    delete.queryset_only = True  # type: ignore[attr-defined]  # Django's way to keep it off the manager


class AuditEvent(models.Model):
    """Who did what to which record, and when. Never the record's content.

    Written only through audit.services.audit_log; the action is a stable dotted code
    (``auth.login``, ``unit.viewed``), the target an opaque type and id. Append-only: ``save`` inserts and
    never updates, ``delete`` and the queryset's ``update``/``delete`` raise ``AuditLogIsAppendOnly``, and
    on PostgreSQL a trigger refuses UPDATE and DELETE of the table's rows from any client (migration
    accounts.0003, made when the model lived in accounts; the table kept its name and its trigger).
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
        # The table, its index and its append-only trigger were made when the model lived in accounts.
        db_table = "accounts_auditevent"

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
