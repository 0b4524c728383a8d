"""Reads for safety plans. ``get_plan_for_user`` is the only way a view reaches a plan."""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.access import uses_case_records
from core.access import RecordNotFound
from safety_plans.models import ChecklistItem, PlanItem, SafetyPlan


def uses_safety_plans(user) -> bool:
    """Whether the safety-plan pages exist for this person: counsellors and managers."""
    return uses_case_records(user, add_perm="safety_plans.add_safetyplan", view_perm="safety_plans.view_safetyplan")


def plans_for_user(user, perm: str = "safety_plans.view_safetyplan") -> QuerySet[SafetyPlan]:
    """The plans granted to ``user`` (owner, colleague shared with, the unit's manager). Superusers get
    nothing for being one (with_superuser=False), as with intakes."""
    return get_objects_for_user(user, perm, klass=SafetyPlan, accept_global_perms=False, with_superuser=False)


def get_plan_for_user(user, pk, *, for_change: bool = False) -> SafetyPlan:
    """The plan, or RecordNotFound (404) for anyone with no right to know it exists; PermissionDenied (403) for a reader
    who may see it but not change it (a manager)."""
    plan = plans_for_user(user).select_related("unit", "owner", "declined_services_by").filter(pk=pk).first()
    if plan is None:
        raise RecordNotFound
    if for_change and not user.has_perm("safety_plans.change_safetyplan", plan):
        raise PermissionDenied
    return plan


def plan_list_for_user(user) -> list[SafetyPlan]:
    """Plans due for review first (earliest due first), then the rest, most recently saved first."""
    today = timezone.localdate()
    due_first = Case(When(next_review_on__lte=today, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        plans_for_user(user)
        .select_related("owner", "unit")
        .order_by(due_first, F("next_review_on").asc(nulls_last=True), "-updated_at")
    )


def tasks_for_user(user) -> list[PlanItem]:
    """Items that need help on the plans this person may change: her tasks."""
    plans = plans_for_user(user, "safety_plans.change_safetyplan")
    return list(
        PlanItem.objects.filter(plan__in=plans, status=PlanItem.Status.NEEDS_HELP)
        .select_related("plan", "item")
        .order_by("plan__label", "item__order")
    )


def checklist_items_with_use() -> list:
    """Every checklist item in order, offered and retired, each with ``plan_count``: how many plans have it."""
    uses = (
        PlanItem.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("plan", distinct=True))
        .values("n")
    )
    return list(ChecklistItem.objects.annotate(plan_count=Coalesce(Subquery(uses), 0)).order_by("order", "code"))


def plans_due_count(user) -> int:
    """How many of the plans this person may change are due for review today or earlier (one query)."""
    today = timezone.localdate()
    return plans_for_user(user, "safety_plans.change_safetyplan").filter(next_review_on__lte=today).count()
