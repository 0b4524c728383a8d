"""Who may see which unit's annual report: the managers of that unit (their memberships), nobody else; an
administrator is not given a unit's figures for being one."""

from typing import Any

from accounts.models import Membership, Unit
from accounts.roles import Role


def report_units(user: Any) -> list[Unit]:
    """The units whose annual report the user may see: those she manages."""
    return list(
        Unit.objects.filter(pk__in=Membership.objects.filter(user=user, role=Role.MANAGER).values("unit")).order_by(
            "name"
        )
    )
