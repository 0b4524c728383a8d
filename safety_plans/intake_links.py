"""The safety plans started from an intake, for the intake's review page (registered in ``apps.py`` with
``intake.extensions.related_records``: intake never imports safety plans)."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from intake.extensions import RelatedLink, RelatedRecords
from intake.models import Intake
from intake.selectors import may_change_intake
from safety_plans.selectors import plans_for_user


def plan_links(user: Any, intake: Intake) -> list[RelatedLink]:
    """The plans started from ``intake`` that ``user`` may see, oldest first."""
    plans = plans_for_user(user).filter(intake=intake).order_by("created_at")
    return [RelatedLink(label=plan.label, url=reverse("safety_plans:detail", args=[plan.pk])) for plan in plans]


def start_plan_link(user: Any, intake: Intake) -> RelatedLink | None:
    """Who may start plans and change the intake may start a plan from it."""
    if not (user.has_perm("safety_plans.add_safetyplan") and may_change_intake(user, intake)):
        return None
    return RelatedLink(
        label=str(_("Start a safety plan from this intake")),
        url=f"{reverse('safety_plans:new')}?{urlencode({'intake': str(intake.pk)})}",
    )


SAFETY_PLANS = RelatedRecords(key="plans", heading=_("Safety plan"), links=plan_links, start=start_plan_link)
