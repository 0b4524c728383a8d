"""What the retention run does to safety plans (registered with ``core.retention`` from
``SafetyPlansConfig.ready()``).

**Safety plans** (items, phone numbers, reviews) ``safety_plan_days`` after their last activity: deleted. A
plan started from an intake is one case with it: neither expires while the other is in use, so this module
also tells intake's retention (``intake.retention.CASE_LINKS``) which plans keep an intake. Guardian's direct
foreign-key permission rows go with a deleted plan (ON DELETE CASCADE).
"""

from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.services import audit_log
from core.retention import PURGERS, Cutoffs, Purger, retention_periods
from intake.models import Intake
from intake.retention import CASE_LINKS, CaseLink, intake_own_last, intake_period, intakes_in_use, latest
from safety_plans.models import PlanContact, PlanItem, PlanReview, SafetyPlan, SafetyPlanUserObjectPermission

PERIODS = ("safety_plan_days",)


def plan_own_activity(since: datetime) -> Q:
    reviews = PlanReview.objects.filter(plan=OuterRef("pk"), reviewed_at__gte=since)
    return (
        Q(updated_at__gte=since)
        | Q(last_reviewed_at__gte=since)
        | Q(declined_services_at__gte=since)
        # A review planned after the cutoff keeps the plan: it is still meant to be used.
        | Q(next_review_on__gte=timezone.localdate(since))
        | Q(Exists(reviews))
    )


def plans_in_use(c: Cutoffs) -> QuerySet[SafetyPlan]:
    """Plans whose own activity keeps them (and the intake they were started from)."""
    return SafetyPlan.objects.filter(plan_own_activity(c.before("safety_plan_days")))


def expired_safety_plans(c: Cutoffs) -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.exclude(plan_own_activity(c.before("safety_plan_days"))).exclude(
        Exists(intakes_in_use(c).filter(pk=OuterRef("intake_id")))
    )


# --- When a plan goes (shown on its page) -----------------------------------------------------------------------


def plan_own_last(plan: SafetyPlan) -> datetime:
    reviews = PlanReview.objects.filter(plan=plan).order_by("-reviewed_at").values_list("reviewed_at", flat=True)
    planned = None
    if plan.next_review_on is not None:
        # A planned review keeps the plan through that whole day (expired_safety_plans compares dates).
        day_after = datetime.combine(plan.next_review_on + timedelta(days=1), datetime.min.time())
        planned = timezone.make_aware(day_after) - timedelta(microseconds=1)
    return latest(plan.updated_at, plan.last_reviewed_at, plan.declined_services_at, planned, reviews.first())


def safety_plan_deleted_after(plan: SafetyPlan) -> date:
    """The local date after which the nightly run deletes this plan if nobody works on it (or on the intake
    it was started from) before then."""
    days = retention_periods()
    ends = [plan_own_last(plan) + timedelta(days=days["safety_plan_days"])]
    if plan.intake is not None:
        ends.append(intake_own_last(plan.intake) + intake_period(plan.intake, days))
    return timezone.localdate(max(ends))


def _plan_ends(intake: Intake, days: dict[str, int]) -> list[datetime]:
    """When each plan started from ``intake`` expires by its own activity (it keeps the intake until then)."""
    return [plan_own_last(plan) + timedelta(days=days["safety_plan_days"]) for plan in intake.safety_plans.all()]


# --- Purging ---------------------------------------------------------------------------------------------------


def purge_safety_plans(rows: list[SafetyPlan], c: Cutoffs) -> int:
    """Delete a batch of expired plans; one audit event each."""
    for row in rows:
        audit_log(actor=None, action="retention.purged", target=row, unit=row.unit)
    # Cascades to the items, phone numbers and reviews, and guardian's permission rows.
    SafetyPlan.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return 0


def register() -> None:
    CASE_LINKS.register(CaseLink(in_use=plans_in_use, ends=_plan_ends))
    PURGERS.register(
        Purger(
            kind="safety_plans",
            verb="delete",
            order=30,
            periods=PERIODS,
            expired=expired_safety_plans,
            purge=purge_safety_plans,
            covers=(SafetyPlan, PlanItem, PlanContact, PlanReview, SafetyPlanUserObjectPermission),
            related=("unit",),
        )
    )
