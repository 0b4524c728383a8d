"""The one way a view reaches an intake, and the role check in front of every intake page."""

from typing import Any

from django.core.exceptions import PermissionDenied

from accounts.models import Unit
from core.access import RecordNotFound, role_required
from intake.models import Intake
from intake.selectors import intakes_for_user, may_change_intake, tree_setting_units, uses_intakes

# The intake pages exist only for those whose role uses intakes (counsellors and managers).
intake_role_required = role_required(uses_intakes)


def get_intake_for_user(user: Any, pk: Any, *, for_change: bool = False) -> Intake:
    """The intake, or RecordNotFound (404) for anyone with no right to know it exists; PermissionDenied (403) for a
    reader who may see it but not change it (a manager)."""
    intake = intakes_for_user(user).select_related("tree_version", "unit", "owner").filter(pk=pk).first()
    if intake is None:
        raise RecordNotFound
    if for_change and not may_change_intake(user, intake):
        raise PermissionDenied
    return intake


def get_unit_for_tree_setting(user: Any, slug: str) -> Unit:
    """A unit whose question trees this person may choose (she is its editor or manager), or RecordNotFound
    (404) for anyone else, whether the unit exists or not."""
    unit = tree_setting_units(user).filter(slug=slug).first()
    if unit is None:
        raise RecordNotFound
    return unit
