import copy
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from core.mail import send_mail_later
from routines.content import LANGS, validate_content
from routines.models import PrintOrder, PrintOrderEvent, Routine, RoutineVersion

REVIEW_INTERVAL = timedelta(days=365)


def _search_text(content: dict, lang: str) -> str:
    parts = []
    for section in content.get("sections", []):
        parts.append(section.get("title", {}).get(lang, ""))
        parts.extend(step.get(lang, "") for step in section.get("steps", []))
    for contact in content.get("contacts", []):
        parts.extend([contact.get("label", {}).get(lang, ""), contact.get("number", "")])
    for item in content.get("agenda", []):
        parts.extend([item.get("title", {}).get(lang, ""), item.get("say", {}).get(lang, "")])
        parts.extend(q.get(lang, "") for q in item.get("questions", []))
    return "\n".join(p for p in parts if p)


@transaction.atomic
def routine_version_create(
    *, routine: Routine, user, title_nb: str, title_en: str, summary_nb: str, summary_en: str, content: dict
) -> RoutineVersion:
    """A new draft, numbered after the routine's latest version. Published versions are never touched."""
    latest = routine.versions.select_for_update().aggregate(n=Max("number"))["n"] or 0
    fields = {f"search_text_{lang}": _search_text(content, lang) for lang in LANGS}
    return RoutineVersion.objects.create(
        routine=routine,
        number=latest + 1,
        title_nb=title_nb,
        title_en=title_en,
        summary_nb=summary_nb,
        summary_en=summary_en,
        content=content,
        created_by=user,
        **fields,
    )


@transaction.atomic
def routine_version_publish(*, version: RoutineVersion, user, next_review=None) -> RoutineVersion:
    """Approve and publish a draft. Raises ValidationError listing what to fix first."""
    if version.status != RoutineVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = validate_content(version.content)
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    version.status = RoutineVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.approved_by = user
    version.approved_at = today
    version.next_review = next_review or today + REVIEW_INTERVAL
    version.save(update_fields=["status", "published_at", "approved_by", "approved_at", "next_review"])
    audit_log(actor=user, action="routine.published", target=version, unit=version.routine.owner_unit)
    return version


@transaction.atomic
def routine_create(
    *, user, slug: str, category: str, kind: str, owner_unit, staff_only: bool, title_nb: str, title_en: str
) -> RoutineVersion:
    """A new routine with an empty first draft. Returns the draft."""
    routine = Routine.objects.create(
        slug=slug, category=category, kind=kind, owner_unit=owner_unit, staff_only=staff_only, editor=user
    )
    audit_log(actor=user, action="routine.created", target=routine, unit=owner_unit)
    return routine_version_create(
        routine=routine, user=user, title_nb=title_nb, title_en=title_en, summary_nb="", summary_en="", content={}
    )


@transaction.atomic
def routine_draft_start(*, routine: Routine, user) -> RoutineVersion:
    """The routine's open draft, or a new one copied from its latest version (published or not)."""
    latest = routine.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.status == RoutineVersion.Status.DRAFT:
        return latest
    source = latest or RoutineVersion(title_nb="", title_en="", summary_nb="", summary_en="", content={})
    draft = routine_version_create(
        routine=routine,
        user=user,
        title_nb=source.title_nb,
        title_en=source.title_en,
        summary_nb=source.summary_nb,
        summary_en=source.summary_en,
        content=copy.deepcopy(source.content),
    )
    audit_log(actor=user, action="routine.draft_created", target=draft, unit=routine.owner_unit)
    return draft


@transaction.atomic
def routine_version_update(
    *,
    version: RoutineVersion,
    user,
    title_nb: str,
    title_en: str,
    summary_nb: str,
    summary_en: str,
    content: dict,
    base_token: str,
) -> RoutineVersion:
    """Save an edited draft made from the state named by ``base_token`` (RoutineVersion.state_token). A
    published version is never changed, and a draft someone else saved meanwhile is not overwritten."""
    version = RoutineVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != RoutineVersion.Status.DRAFT:
        raise ValidationError(_("A published version never changes. Make a new draft instead."))
    if base_token != version.state_token():
        raise ValidationError(
            _(
                "Someone else saved this draft while you were editing it. Your text is still in the form: "
                "open the preview in a new tab to see their version, then save again to replace it with yours."
            ),
            code="conflict",
        )
    version.title_nb, version.title_en = title_nb, title_en
    version.summary_nb, version.summary_en = summary_nb, summary_en
    version.content = content
    for lang in LANGS:
        setattr(version, f"search_text_{lang}", _search_text(content, lang))
    version.save()
    audit_log(actor=user, action="routine.edited", target=version, unit=version.routine.owner_unit)
    return version


# --- Print orders ------------------------------------------------------------------------------------------
# E-mails say only that there is an order or a new status, and link to it: no names, no addresses.


def _print_shop_emails() -> list[str]:
    from accounts.models import Membership
    from accounts.roles import Role

    return sorted(
        set(
            Membership.objects.filter(role=Role.PRINTSHOP, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _order_url(order: PrintOrder) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("print_order_detail", args=[order.pk])


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
    *, user, version: RoutineVersion, lang: str, quantity: int, delivery_unit, delivery_address: str, wanted_by
) -> PrintOrder:
    """Order a print run of ``version``'s folder (the order is pinned to it) and tell the print shop."""
    order = PrintOrder.objects.create(
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
def print_order_advance(*, order: PrintOrder, user, note: str = "") -> PrintOrder:
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
def print_order_reissue(*, order: PrintOrder, user, version: RoutineVersion) -> PrintOrder:
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
    )
    old.status = PrintOrder.Status.SUPERSEDED
    old.superseded_by = new
    old.save(update_fields=["status", "superseded_by"])
    PrintOrderEvent.objects.create(order=old, status=old.status, by=user)
    audit_log(actor=user, action="print_order.reissued", target=old, unit=old.delivery_unit)
    return new
