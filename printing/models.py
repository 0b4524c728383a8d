import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from routines.models import Routine, RoutineVersion


class PrintOrder(models.Model):
    """A print run of a routine's folder, pinned to the version that was current when it was ordered.

    The print shop prints exactly that version; if a newer one is published meanwhile, the orderer is told and
    can re-issue the order (printing.services.print_order_reissue), which supersedes this one.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        PRINTED = "printed", _("Printed")
        DELIVERED = "delivered", _("Delivered")
        SUPERSEDED = "superseded", _("Superseded")

    # The print shop moves an order one step at a time.
    NEXT_STATUS: ClassVar[dict[str, str]] = {
        Status.NEW: Status.ACCEPTED,
        Status.ACCEPTED: Status.PRINTED,
        Status.PRINTED: Status.DELIVERED,
    }
    MIN_QUANTITY, MAX_QUANTITY = 1, 5000

    # Coated papers only: the folder's colours are separated for coated stock (FOGRA39, routines.pdf).
    class Paper(models.TextChoices):
        SILK_170 = "silk_170", _("170 g/m² silk-coated (matt), the usual folder paper")
        GLOSS_170 = "gloss_170", _("170 g/m² gloss-coated")
        SILK_130 = "silk_130", _("130 g/m² silk-coated (matt), lighter")

    class Proof(models.TextChoices):
        PDF = "pdf", _("A PDF proof by e-mail before printing")
        PRINTED = "printed", _("A printed proof before the run")
        NONE = "none", _("No proof: print from the PDF as it is")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    routine = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="print_orders")
    version = models.ForeignKey(RoutineVersion, on_delete=models.PROTECT, related_name="print_orders")
    lang = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    quantity = models.PositiveIntegerField(_("number of copies"))
    delivery_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="print_orders", verbose_name=_("deliver to unit")
    )
    delivery_address = models.TextField(_("delivery address"), max_length=500)
    wanted_by = models.DateField(_("wanted by"))
    paper = models.CharField(
        _("paper"), max_length=16, choices=Paper.choices, default=Paper.SILK_170, db_default=Paper.SILK_170
    )
    proof = models.CharField(_("proof"), max_length=16, choices=Proof.choices, default=Proof.PDF, db_default=Proof.PDF)
    # Whom the print shop asks about this order, and what it bills: so it never has to phone around.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, db_default="")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, db_default="")
    billing_reference = models.CharField(_("billing reference"), max_length=100, blank=True, db_default="")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    # Not fields: set on orders read through printing.selectors.mark_newer_versions.
    current_version: RoutineVersion | None
    newer_version_exists: bool

    class Meta:
        db_table = "routines_printorder"  # the table it had in routines; no data moved with the model
        ordering = ["wanted_by", "created_at"]
        verbose_name = _("print order")
        verbose_name_plural = _("print orders")

    def __str__(self) -> str:
        return f"print order {self.pk}"

    @property
    def next_status(self) -> str | None:
        return self.NEXT_STATUS.get(self.status)

    def get_next_status_label(self) -> str:
        return self.Status(self.next_status).label.lower() if self.next_status else ""


class PrintOrderEvent(models.Model):
    """One status change of a print order: to which status, who, when, and the note they wrote."""

    order = models.ForeignKey(PrintOrder, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=PrintOrder.Status.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        db_table = "routines_printorderevent"
        ordering = ["at", "pk"]
        verbose_name = _("print order event")
        verbose_name_plural = _("print order events")
