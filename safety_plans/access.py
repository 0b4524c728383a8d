"""The one way a view reaches a safety plan, and the role check in front of every safety-plan page."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied

from core.access import RecordNotFound, role_required
from safety_plans.models import SafetyPlan
from safety_plans.selectors import may_change_plan, uses_safety_plans, visible_plans

plan_role_required = role_required(uses_safety_plans)


def get_plan_for_user(user: Any, pk: UUID | str, *, for_change: bool = False) -> SafetyPlan:
    """The plan, or RecordNotFound (404) for anyone with no right to know it exists; PermissionDenied (403) for a reader
    who may see it but not change it (a manager)."""
    plan = visible_plans(user).select_related("unit", "owner", "declined_services_by").filter(pk=pk).first()
    if plan is None:
        raise RecordNotFound
    if for_change and not may_change_plan(user, plan):
        raise PermissionDenied
    return plan
