"""Print orders: placing one, the print shop's steps, and re-issuing one for a newer version.

E-mails say only that there is an order or a new status, and link to it: no names, no addresses.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Unit
from accounts.roles import Role
from audit.services import audit_log
from core.mail import send_mail_later
from printing.models import PrintOrder, PrintOrderEvent
from routines.models import RoutineVersion


def _print_shop_emails() -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(role=Role.PRINTSHOP, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _order_url(order: PrintOrder) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("printing:detail", args=[order.pk])


def _mail_print_shop_new_order(order: PrintOrder) -> None:
    recipients = _print_shop_emails()
    if recipients:
        send_mail_later(
            to=recipients,
            subject=_("New print order"),
            body=_("A new print order is waiting in the print-shop queue:\n%(url)s") % {"url": _order_url(order)},
        )


def _mail_orderer_status(order: PrintOrder) -> None:
    if order.ordered_by.email:
        status = order.get_status_display()
        send_mail_later(
            to=[order.ordered_by.email],
            subject=_("Your print order: %(status)s") % {"status": status},
            body=_("Your print order is now: %(status)s.\n%(url)s") % {"status": status, "url": _order_url(order)},
        )


@transaction.atomic
def print_order_create(
    *,
    user: User,
    version: RoutineVersion,
    lang: str,
    quantity: int,
    delivery_unit: Unit,
    delivery_address: str,
    wanted_by: date,
    paper: str = PrintOrder.Paper.SILK_170,
    proof: str = PrintOrder.Proof.PDF,
    contact_name: str = "",
    contact_phone: str = "",
    billing_reference: str = "",
) -> PrintOrder:
    """Order a print run of ``version``'s folder (the order is pinned to it) and tell the print shop."""
    order = PrintOrder.objects.create(
        paper=paper,
        proof=proof,
        contact_name=contact_name,
        contact_phone=contact_phone,
        billing_reference=billing_reference,
        routine=version.routine,
        version=version,
        lang=lang,
        quantity=quantity,
        delivery_unit=delivery_unit,
        delivery_address=delivery_address,
        wanted_by=wanted_by,
        ordered_by=user,
    )
    PrintOrderEvent.objects.create(order=order, status=order.status, by=user)
    audit_log(actor=user, action="print_order.created", target=order, unit=delivery_unit)
    transaction.on_commit(lambda: _mail_print_shop_new_order(order))
    return order


@transaction.atomic
def print_order_advance(*, order: PrintOrder, user: User, note: str = "") -> PrintOrder:
    """Move the order one step (new -> accepted -> printed -> delivered), with the print shop's note."""
    order = PrintOrder.objects.select_for_update().select_related("ordered_by").get(pk=order.pk)
    if order.next_status is None:
        raise ValidationError(_("This order has no next step."))
    order.status = order.next_status
    order.save(update_fields=["status"])
    PrintOrderEvent.objects.create(order=order, status=order.status, note=note, by=user)
    audit_log(actor=user, action="print_order.status_changed", target=order, unit=order.delivery_unit)
    transaction.on_commit(lambda: _mail_orderer_status(order))
    return order


@transaction.atomic
def print_order_reissue(*, order: PrintOrder, user: User, version: RoutineVersion) -> PrintOrder:
    """A new order like ``order`` pinned to ``version`` (the current one); the old order is superseded."""
    old = PrintOrder.objects.select_for_update().get(pk=order.pk)
    if old.status in (PrintOrder.Status.DELIVERED, PrintOrder.Status.SUPERSEDED):
        raise ValidationError(_("A delivered or superseded order cannot be re-issued."))
    if version.pk == old.version_id:
        raise ValidationError(_("This order is already for the current version."))
    new = print_order_create(
        user=user,
        version=version,
        lang=old.lang,
        quantity=old.quantity,
        delivery_unit=old.delivery_unit,
        delivery_address=old.delivery_address,
        wanted_by=max(old.wanted_by, timezone.localdate()),
        paper=old.paper,
        proof=old.proof,
        contact_name=old.contact_name,
        contact_phone=old.contact_phone,
        billing_reference=old.billing_reference,
    )
    old.status = PrintOrder.Status.SUPERSEDED
    old.superseded_by = new
    old.save(update_fields=["status", "superseded_by"])
    PrintOrderEvent.objects.create(order=old, status=old.status, by=user)
    audit_log(actor=user, action="print_order.reissued", target=old, unit=old.delivery_unit)
    return new
