"""Safety plans' first-run content (``core.bootstrap``): the shipped checklist (safety_plans/checklist.py);
items that exist already, reworded or retired by editors, are left alone."""

from core.bootstrap import BOOTSTRAP_STEPS, BootstrapStep
from safety_plans.checklist import ITEMS, ensure_checklist
from safety_plans.models import ChecklistItem


def load_checklist(*, unit_slug: str | None = None) -> str:
    before = ChecklistItem.objects.count()
    ensure_checklist()
    added = ChecklistItem.objects.count() - before
    return f"checklist: {added} item(s) added, {len(ITEMS) - added} of the {len(ITEMS)} shipped there already"


def register() -> None:
    BOOTSTRAP_STEPS.register(BootstrapStep(order=40, name="safety plans", run=load_checklist))
