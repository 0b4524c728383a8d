"""A plan as plain data, and what changed between two such snapshots.

A review stores ``plan_snapshot(plan)``; the plan page compares the plan as it is now with the last review's
snapshot. Snapshots hold codes and the text typed, never display strings, so an old snapshot still reads
right after an editor rewords an item or the page is shown in the other language.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from safety_plans.models import ChecklistItem, PlanItem, SafetyPlan

SECTION_FIELDS = (
    "label",
    "contact_channel",
    "contact_times",
    "contact_if_other_answers",
    "protective_measures",
    "children_affected",
    "dependents_note",
)
ITEM_FIELDS = ("status", "note", "next_step", "responsible")


def plan_snapshot(
    plan: SafetyPlan, *, items: Iterable[PlanItem] | None = None, contacts: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The plan as data. ``items`` (PlanItems with their item) and ``contacts`` (label/number dicts) are for a
    plan being changed in memory; by default both are read from the database."""
    if items is None:
        items = plan.items.select_related("item")
    if contacts is None:
        contacts = [{"label": c.label, "number": c.number} for c in plan.contacts.all()]
    return {
        "sections": {name: getattr(plan, name) for name in SECTION_FIELDS},
        "declined_services": plan.declined_services,
        "items": {plan_item.item.code: {name: getattr(plan_item, name) for name in ITEM_FIELDS} for plan_item in items},
        "contacts": [{"label": c["label"], "number": c["number"]} for c in contacts],
    }


@dataclass(frozen=True)
class Change:
    """One line of "changed since the last review": what, and the value before and after (display text)."""

    what: str
    before: str
    after: str


def _field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """One of the model's own fields (the snapshot's names are never relations or generic keys)."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def _field_label(name: str) -> str:
    return str(_field(SafetyPlan, name).verbose_name).capitalize()


def _display(model: type[models.Model], name: str, value: Any) -> str:
    field = _field(model, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or "")) if value else ""
    return value or ""


def snapshot_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """What differs between two snapshots, in the plan's own order: sections, checklist items, numbers."""
    changes: list[Change] = []
    for name in SECTION_FIELDS:
        old, new = before.get("sections", {}).get(name, ""), after.get("sections", {}).get(name, "")
        if old != new:
            changes.append(Change(_field_label(name), _display(SafetyPlan, name, old), _display(SafetyPlan, name, new)))
    if before.get("declined_services", False) != after.get("declined_services", False):
        yes_no = {True: str(_("Recorded")), False: str(_("Not recorded"))}
        changes.append(
            Change(
                str(_("Does not want involvement from services")),
                yes_no[before.get("declined_services", False)],
                yes_no[after.get("declined_services", False)],
            )
        )
    old_items, new_items = before.get("items", {}), after.get("items", {})
    titles = {item.code: item.title for item in ChecklistItem.objects.filter(code__in={*old_items, *new_items})}
    for code in titles:  # the checklist's order
        old, new = old_items.get(code, {}), new_items.get(code, {})
        for name in ITEM_FIELDS:
            # An item added to the checklist since the review starts as "not discussed": no change to show.
            newly_added = name == "status" and not old and new.get(name) == PlanItem.Status.NOT_DISCUSSED
            if old.get(name, "") != new.get(name, "") and not newly_added:
                label = str(_field(PlanItem, name).verbose_name)
                changes.append(
                    Change(
                        f"{titles[code]}: {label}",
                        _display(PlanItem, name, old.get(name, "")),
                        _display(PlanItem, name, new.get(name, "")),
                    )
                )
    old_numbers = [f"{c['label']}: {c['number']}" for c in before.get("contacts", [])]
    new_numbers = [f"{c['label']}: {c['number']}" for c in after.get("contacts", [])]
    for line in new_numbers:
        if line not in old_numbers:
            changes.append(Change(str(_("Phone number added")), "", line))
    for line in old_numbers:
        if line not in new_numbers:
            changes.append(Change(str(_("Phone number removed")), line, ""))
    return changes
