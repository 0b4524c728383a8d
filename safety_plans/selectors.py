"""Reads for safety plans. They never write. The one way a view reaches a plan is ``safety_plans.access``."""

from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import may_change_record, uses_case_records, visible_records
from accounts.models import Membership, Unit
from accounts.roles import Role
from intake.models import Intake
from intake.selectors import intakes_for_user
from safety_plans.models import (
    ChecklistItem,
    PlanContact,
    PlanItem,
    PlanReview,
    SafetyPlan,
    SafetyPlanUserObjectPermission,
)


def uses_safety_plans(user: Any) -> bool:
    """Whether the safety-plan pages exist for this person: counsellors and managers."""
    return uses_case_records(user, add_perm="safety_plans.add_safetyplan", view_perm="safety_plans.view_safetyplan")


def visible_plans(user: Any, *, for_change: bool = False) -> QuerySet[SafetyPlan]:
    """The plans this person may see (``for_change``: change): her own and those shared with her (her guardian
    user grants), and, to read only, every plan of the units she manages (her memberships). Superusers get
    nothing for being one, as with intakes."""
    return visible_records(
        SafetyPlan,
        SafetyPlanUserObjectPermission,
        user,
        codename="change_safetyplan" if for_change else "view_safetyplan",
        unit_role=None if for_change else Role.MANAGER,
        superuser_sees_all=False,
    )


def may_change_plan(user: Any, plan: SafetyPlan) -> bool:
    """Whether this person may change this plan (its counsellor, a colleague it is shared with)."""
    return may_change_record(user, plan, SafetyPlanUserObjectPermission, codename="change_safetyplan", unit_role=None)


def plans_for_user(user: Any, perm: str = "safety_plans.view_safetyplan") -> QuerySet[SafetyPlan]:
    """``visible_plans`` by permission name (``safety_plans.view_safetyplan`` or ``.change_safetyplan``)."""
    if perm not in ("safety_plans.view_safetyplan", "safety_plans.change_safetyplan"):
        raise ValueError(perm)
    return visible_plans(user, for_change=perm == "safety_plans.change_safetyplan")


def plan_list_for_user(user: Any) -> list[SafetyPlan]:
    """Plans due for review first (earliest due first), then the rest, most recently saved first."""
    today = timezone.localdate()
    due_first = Case(When(next_review_on__lte=today, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        plans_for_user(user)
        .select_related("owner", "unit")
        .order_by(due_first, F("next_review_on").asc(nulls_last=True), "-updated_at")
    )


def tasks_for_user(user: Any) -> list[PlanItem]:
    """Items that need help on the plans this person may change: her tasks."""
    plans = plans_for_user(user, "safety_plans.change_safetyplan")
    return list(
        PlanItem.objects.filter(plan__in=plans, status=PlanItem.Status.NEEDS_HELP)
        .select_related("plan", "item")
        .order_by("plan__label", "item__order")
    )


def counsellor_unit(user: Any) -> Unit | None:
    """The unit a plan started on its own belongs to: the first, by name, where ``user`` is a counsellor."""
    membership = (
        Membership.objects.filter(user=user, role=Role.COUNSELLOR).select_related("unit").order_by("unit__name").first()
    )
    return membership.unit if membership is not None else None


def plan_items(plan: SafetyPlan) -> list[PlanItem]:
    """The plan's checklist items with their item, in the checklist's order."""
    return list(plan.items.select_related("item"))


def plan_reviews(plan: SafetyPlan) -> list[PlanReview]:
    """The plan's reviews with who made them, newest first."""
    return list(plan.reviews.select_related("reviewed_by"))


def plan_contacts(plan: SafetyPlan) -> list[PlanContact]:
    """The plan's phone numbers in their order."""
    return list(plan.contacts.all())


def plan_intake_for_user(plan: SafetyPlan, user: Any) -> Intake | None:
    """The intake the plan was started from, if there is one and ``user`` may see it."""
    if plan.intake_id is None:
        return None
    return intakes_for_user(user).filter(pk=plan.intake_id).first()


def checklist_items_with_use() -> list[ChecklistItem]:
    """Every checklist item in order, offered and retired, each with ``plan_count``: how many plans have it."""
    uses = (
        PlanItem.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("plan", distinct=True))
        .values("n")
    )
    return list(ChecklistItem.objects.annotate(plan_count=Coalesce(Subquery(uses), 0)).order_by("order", "code"))


def checklist_item_by_code(code: str) -> ChecklistItem | None:
    """The checklist item with this short name, or None. The checklist is not about people: no access check."""
    return ChecklistItem.objects.filter(code=code).first()


def checklist_item_plan_count(item: ChecklistItem) -> int:
    """How many plans have the item."""
    return PlanItem.objects.filter(item=item).values("plan").distinct().count()


def plans_due_count(user: Any) -> int:
    """How many of the plans this person may change are due for review today or earlier (one query)."""
    today = timezone.localdate()
    return plans_for_user(user, "safety_plans.change_safetyplan").filter(next_review_on__lte=today).count()
