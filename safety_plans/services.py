"""Writes for safety plans. Each function is one user action, atomic and logged (the log holds no content)."""

from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Membership, Unit
from accounts.roles import Role
from audit.services import audit_log
from intake.models import Intake
from safety_plans.models import ChecklistItem, PlanContact, PlanItem, PlanReview, SafetyPlan
from safety_plans.snapshots import ITEM_FIELDS, SECTION_FIELDS, plan_snapshot

# Numbers every new plan starts with (from the source routines); the counsellor removes or adds as needed.
DEFAULT_CONTACTS = (("police", "112"), ("ambulance", "113"), ("out_of_hours", "116 117"))


class RevisionConflict(Exception):
    """The plan was saved from another page (another tab, a colleague) since this one was loaded."""

    def __init__(self, plan: SafetyPlan):
        super().__init__("revision conflict")
        self.plan = plan


def default_contact_label(code: str) -> str:
    return {"police": _("Police"), "ambulance": _("Ambulance"), "out_of_hours": _("Out-of-hours medical service")}[code]


def intake_carry_over(intake: Intake) -> dict[str, dict[str, str]]:
    """What an intake already knows that belongs on a plan: earlier police contact, children, weapons.

    Returns ``{"sections": {field: value}, "items": {code: note}}``; only answers that were given count."""
    answers = intake.answers or {}

    def code_of(link_id: str) -> str:
        values = answers.get(link_id) or []
        return values[0].get("code", "") if values and isinstance(values[0], dict) else ""

    def first(link_id: str) -> Any:
        values = answers.get(link_id) or []
        return values[0] if values else None

    sections: dict[str, str] = {}
    items: dict[str, str] = {}
    police = code_of("police")
    if police == "now":
        items["police"] = _("From the intake: the police are involved now.")
    elif police == "before":
        items["police"] = _("From the intake: the police have been involved before.")
    elif police == "never":
        items["police"] = _("From the intake: the police have not been involved.")
    has_children = first("has-children")
    if has_children is True:
        sections["children_affected"] = SafetyPlan.Children.YES
        count = first("children-count")
        where = {
            "with-person": _("with the person"),
            "perpetrator": _("with the perpetrator"),
            "others": _("with others"),
            "unknown": _("not known"),
        }.get(code_of("children-where"))
        parts = [_("From the intake: the person has children.")]
        if isinstance(count, int):
            parts.append(_("Number of children: %(count)d.") % {"count": count})
        if where:
            parts.append(_("Where the children are now: %(where)s.") % {"where": where})
        sections["dependents_note"] = " ".join(parts)
    elif has_children is False:
        sections["children_affected"] = SafetyPlan.Children.NO
    if code_of("weapons") == "yes":
        items["weapons"] = _("From the intake: the perpetrator has access to weapons.")
    return {"sections": sections, "items": items}


def _grant(plan: SafetyPlan, user: Any) -> None:
    assign_perm("safety_plans.view_safetyplan", user, plan)
    assign_perm("safety_plans.change_safetyplan", user, plan)


@transaction.atomic
def safety_plan_create(
    *,
    user: Any,
    unit: Unit,
    label: str,
    intake: Intake | None = None,
    next_review_on: date | None = None,
    pk: UUID | str | None = None,
) -> SafetyPlan:
    """A new plan owned by ``user`` with every offered checklist item (not discussed yet) and the standard
    numbers; granted to its owner (view, change); the unit's managers read it through their memberships. From an intake, it carries
    over what the intake knows. With ``next_review_on``, the first review date is set in the same transaction
    (never a plan without the date asked for with it). ``pk`` is for demo data and tests that need a known id."""
    label = label.strip()
    if not label:
        raise ValidationError(_("Give the plan a label you will recognise. It does not have to be a name."))
    if intake is not None and intake.unit_id != unit.pk:
        raise ValidationError(_("A plan can only be started from an intake in its own unit."))
    carried = intake_carry_over(intake) if intake is not None else {"sections": {}, "items": {}}
    plan = SafetyPlan.objects.create(
        **({"id": pk} if pk else {}), owner=user, unit=unit, label=label, intake=intake, **carried["sections"]
    )
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, item=item, note=carried["items"].get(item.code, ""))
        for item in ChecklistItem.objects.filter(active=True)
    )
    PlanContact.objects.bulk_create(
        PlanContact(plan=plan, label=default_contact_label(code), number=number, order=i)
        for i, (code, number) in enumerate(DEFAULT_CONTACTS)
    )
    _grant(plan, user)
    audit_log(actor=user, action="safety_plan.created", target=plan, unit=unit)
    if next_review_on:
        plan = safety_plan_set_next_review(plan=plan, user=user, next_review_on=next_review_on)
    return plan


def safety_plan_add_missing_items(*, plan: SafetyPlan) -> None:
    """Items an editor added after the plan was made join it as "not discussed"."""
    have = plan.items.values("item")
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, item=item) for item in ChecklistItem.objects.filter(active=True).exclude(pk__in=have)
    )


@transaction.atomic
def safety_plan_save(
    *,
    plan: SafetyPlan,
    user: Any,
    revision: int,
    sections: dict[str, Any],
    items: dict[int, dict[str, Any]],
    contacts: list[dict[str, str]],
) -> SafetyPlan:
    """Save the whole plan from the edit page: sections, every item's status, note, next step and who does
    it (``items`` by PlanItem pk), and the phone numbers in order (replacing the old list).

    Refused with RevisionConflict if the plan was saved since the page was loaded, unless nothing would change.
    """
    locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    plan_items = {pi.pk: pi for pi in locked.items.select_related("item")}
    # The snapshot copies the values, so the changes below do not touch it.
    before = plan_snapshot(locked, items=plan_items.values())
    for name, value in sections.items():
        if name not in SECTION_FIELDS:
            raise ValueError(f"not a plan section: {name}")
        setattr(locked, name, value)
    changed_items = []
    for pk, values in items.items():
        plan_item = plan_items.get(pk)
        if plan_item is None:
            continue  # an item of another plan: ignored, never written
        for name in ITEM_FIELDS:
            setattr(plan_item, name, values.get(name, getattr(plan_item, name)))
        changed_items.append(plan_item)
    if plan_snapshot(locked, items=plan_items.values(), contacts=contacts) == before:
        return locked
    if revision != locked.revision:
        raise RevisionConflict(locked)
    locked.revision += 1
    locked.updated_at = timezone.now()
    locked.save()
    PlanItem.objects.bulk_update(changed_items, list(ITEM_FIELDS))
    locked.contacts.all().delete()
    PlanContact.objects.bulk_create(
        PlanContact(plan=locked, label=c["label"], number=c["number"], order=i) for i, c in enumerate(contacts)
    )
    audit_log(actor=user, action="safety_plan.changed", target=locked, unit=locked.unit)
    return locked


@transaction.atomic
def safety_plan_review(*, plan: SafetyPlan, user: Any, next_review_on: date, note: str = "") -> PlanReview:
    """Record a review with the person: a dated snapshot of the plan, and when to look at it again."""
    if next_review_on <= timezone.localdate():
        raise ValidationError(_("The next review must be after today."))
    locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    now = timezone.now()
    review = PlanReview.objects.create(
        plan=locked,
        reviewed_at=now,
        reviewed_by=user,
        next_review_on=next_review_on,
        note=note.strip(),
        snapshot=plan_snapshot(locked),
    )
    locked.last_reviewed_at = now
    locked.next_review_on = next_review_on
    locked.revision += 1
    locked.updated_at = now
    locked.save(update_fields=["last_reviewed_at", "next_review_on", "revision", "updated_at"])
    audit_log(actor=user, action="safety_plan.reviewed", target=locked, unit=locked.unit)
    return review


@transaction.atomic
def safety_plan_set_next_review(*, plan: SafetyPlan, user: Any, next_review_on: date) -> SafetyPlan:
    """Set or move the next review date without reviewing (when the plan is first made, say)."""
    if next_review_on <= timezone.localdate():
        raise ValidationError(_("The next review must be after today."))
    locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    locked.next_review_on = next_review_on
    locked.save(update_fields=["next_review_on"])
    audit_log(actor=user, action="safety_plan.changed", target=locked, unit=locked.unit)
    return locked


@transaction.atomic
def safety_plan_record_declined(*, plan: SafetyPlan, user: Any, declined: bool) -> SafetyPlan:
    """Document that the person does not want involvement from services (when, and who recorded it), or take
    that back. Recording it twice keeps the first date."""
    locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    if declined and locked.declined_services_at is None:
        locked.declined_services_at, locked.declined_services_by = timezone.now(), user
    elif not declined:
        locked.declined_services_at, locked.declined_services_by = None, None
    else:
        return locked
    locked.revision += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["declined_services_at", "declined_services_by", "revision", "updated_at"])
    audit_log(
        actor=user,
        action="safety_plan.declined_recorded" if declined else "safety_plan.declined_withdrawn",
        target=locked,
        unit=locked.unit,
    )
    return locked


@transaction.atomic
def safety_plan_share(*, plan: SafetyPlan, by: Any, with_user: Any) -> None:
    """Let a colleague in the plan's unit see and change it. Only counsellors of the same unit qualify."""
    if not Membership.objects.filter(user=with_user, unit=plan.unit, role=Role.COUNSELLOR).exists():
        raise ValidationError(_("A safety plan can only be shared with a counsellor in its own unit."))
    _grant(plan, with_user)
    audit_log(actor=by, action="safety_plan.shared", target=plan, unit=plan.unit)


@transaction.atomic
def safety_plan_unshare(*, plan: SafetyPlan, by: Any, with_user: Any) -> None:
    """Take a colleague's access away again. The owner's own grants are never removed here."""
    if with_user.pk == plan.owner_id:
        raise ValidationError(_("The plan's own counsellor keeps her access."))
    remove_perm("safety_plans.view_safetyplan", with_user, plan)
    remove_perm("safety_plans.change_safetyplan", with_user, plan)
    audit_log(actor=by, action="safety_plan.unshared", target=plan, unit=plan.unit)


@transaction.atomic
def printout_titles_save(*, plan: SafetyPlan, user: Any, titles: dict[int, str]) -> int:
    """Keep the person's own wording of the plan's items for the discreet printout (``titles`` by PlanItem pk;
    empty: the checklist's wording), so the next printout starts from it. Items of another plan are ignored.
    Not a change of the plan itself (no new revision: a page editing the plan is not put in conflict). Logged
    without content when something changed; returns how many items changed."""
    changed = []
    for plan_item in PlanItem.objects.select_for_update().filter(plan=plan, pk__in=list(titles)):
        title = titles[plan_item.pk].strip()
        if plan_item.card_title != title:
            plan_item.card_title = title
            changed.append(plan_item)
    if changed:
        PlanItem.objects.bulk_update(changed, ["card_title"])
        audit_log(actor=user, action="safety_plan.printout_titles_changed", target=plan, unit=plan.unit)
    return len(changed)


CHECKLIST_ITEM_FIELDS = ("order", "title_nb", "title_en", "help_nb", "help_en", "active")


@transaction.atomic
def checklist_item_save(*, item: ChecklistItem | None, user: Any, data: dict[str, Any]) -> ChecklistItem:
    """Create a checklist item (``item`` None; ``data`` has its ``code``) or change one's order, wording and
    whether new plans are offered it. The code never changes and items are never deleted: plans made with an
    item keep it, so retiring is ``active`` off. Checklists are not about people; the log has no unit."""
    values = {name: data[name] for name in CHECKLIST_ITEM_FIELDS if name in data}
    for name in ("title_nb", "title_en", "help_nb", "help_en"):
        if name in values:
            values[name] = values[name].strip()
    if not values.get("title_nb", item.title_nb if item else "") or not values.get(
        "title_en", item.title_en if item else ""
    ):
        raise ValidationError(_("Write the item's text in both bokmål and English."))
    if item is None:
        code = (data.get("code") or "").strip().lower()
        if not code:
            raise ValidationError(_("Give the item a short name."))
        validate_slug(code)
        if ChecklistItem.objects.filter(code=code).exists():
            raise ValidationError(
                _("An item with the short name “%(code)s” exists already. Choose another short name."),
                params={"code": code},
            )
        saved = ChecklistItem.objects.create(code=code, **values)
        audit_log(actor=user, action="safety_plan_checklist.created", target=saved)
        return saved
    locked = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    audit_log(actor=user, action="safety_plan_checklist.changed", target=locked)
    return locked
