"""Retention: records about people are deleted or anonymised when their period (settings.RETENTION) is over.

Run daily by ``manage.py purge_expired``. Per kind:

- **intake drafts** nobody saved for ``intake_draft_days``: deleted.
- **finalized intakes** (with the journal note and its addenda) ``intake_days`` after the case's last
  activity: deleted. Their anonymous ``IntakeStatistic`` rows were written at finalizing and have no link to
  the intake, so they stay; an intake whose row is missing (``statistic_recorded`` false) gets it written
  from its answers before it is deleted.
- **safety plans** (items, phone numbers, reviews) ``safety_plan_days`` after their last activity: deleted.
- **closed incident reports** ``incident_days`` after closing: anonymised. Free text is emptied, the people
  (reporter, responsible manager, who closed it, action owners, checklist step owners) are unlinked, the change
  log (who, when, why) is deleted and so are the personal grants; type, unit, dates, state, counts, codes
  and the unit managers' grant stay, so the overview's figures and the list's counts do not change.

An intake and the safety plans started from it are one case: neither expires while the other is in use.
Guardian's direct foreign-key permission rows go with a deleted record (ON DELETE CASCADE). The audit log is
kept: each deleted or anonymised record gets one ``retention.purged`` / ``retention.anonymised`` event with
no actor (the system), its type, id and unit, so a review of the log can tell what became of a record.
Logs carry counts only.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.audit import audit_log
from incidents.models import ChecklistStep, Incident, IncidentAction, IncidentTransition, IncidentUserObjectPermission
from intake.evaluator import Evaluation
from intake.finalize import statistic_fields
from intake.models import Intake, IntakeNoteAddendum, IntakeStatistic
from intake.questionnaire import Tree
from safety_plans.models import PlanReview, SafetyPlan

logger = logging.getLogger(__name__)

PERIODS = ("intake_draft_days", "intake_days", "safety_plan_days", "incident_days")
BATCH_SIZE = 200
# pg_try_advisory_lock's key: any fixed 64-bit number no other code of ours uses ("purge" in ASCII).
LOCK_KEY = 0x7075726765


@dataclass(frozen=True)
class Cutoffs:
    """The moment before which a record's last activity makes it expired, per kind."""

    now: datetime
    intake_draft: datetime
    intake: datetime
    safety_plan: datetime
    incident: datetime


@dataclass
class PurgeResult:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)  # kind -> records deleted or anonymised (or would be)
    statistics_written: int = 0  # statistics rows that were missing and were written before deleting
    locked_out: bool = False  # another run holds the lock: nothing was done


# The order the kinds run and print in, with what happens to them.
KINDS = [
    ("intake_drafts", "delete"),
    ("intakes", "delete"),
    ("safety_plans", "delete"),
    ("incidents", "anonymise"),
]


def retention_periods() -> dict[str, int]:
    """settings.RETENTION, checked: every period a whole number of days from 1 up (the settings module reads
    them from the environment and already refuses bad values; this catches a settings override)."""
    periods = getattr(settings, "RETENTION", None)
    if not isinstance(periods, dict):
        raise ImproperlyConfigured("settings.RETENTION must be a dict of retention periods in days.")
    for name in PERIODS:
        value = periods.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= settings.RETENTION_MAX_DAYS:
            raise ImproperlyConfigured(
                f"settings.RETENTION[{name!r}] must be a whole number of days from 1 to "
                f"{settings.RETENTION_MAX_DAYS} (got {value!r})."
            )
    return {name: periods[name] for name in PERIODS}


def cutoffs(now: datetime | None = None) -> Cutoffs:
    now = now or timezone.now()
    days = retention_periods()
    return Cutoffs(
        now=now,
        intake_draft=now - timedelta(days=days["intake_draft_days"]),
        intake=now - timedelta(days=days["intake_days"]),
        safety_plan=now - timedelta(days=days["safety_plan_days"]),
        incident=now - timedelta(days=days["incident_days"]),
    )


# --- What is in use ------------------------------------------------------------------------------------------
# "In use" is a record's own activity since the cutoff. An intake and the plans started from it look at each
# other's own activity only (never at each other's "in use"), so the answer does not depend on which kind is
# purged first, and a dry run counts exactly what a real run deletes.


def _intake_own_activity(since: datetime) -> Q:
    addenda = IntakeNoteAddendum.objects.filter(intake=OuterRef("pk"), created_at__gte=since)
    return Q(updated_at__gte=since) | Q(finalized_at__gte=since) | Q(note_finalized_at__gte=since) | Q(Exists(addenda))


def _plan_own_activity(since: datetime) -> Q:
    reviews = PlanReview.objects.filter(plan=OuterRef("pk"), reviewed_at__gte=since)
    return (
        Q(updated_at__gte=since)
        | Q(last_reviewed_at__gte=since)
        | Q(declined_services_at__gte=since)
        # A review planned after the cutoff keeps the plan: it is still meant to be used.
        | Q(next_review_on__gte=timezone.localdate(since))
        | Q(Exists(reviews))
    )


def _intake_in_use(c: Cutoffs) -> QuerySet[Intake]:
    """Intakes whose own activity keeps them (and the plans started from them)."""
    return Intake.objects.filter(
        (Q(status=Intake.Status.DRAFT) & _intake_own_activity(c.intake_draft))
        | (Q(status=Intake.Status.FINALIZED) & _intake_own_activity(c.intake))
    )


def _expired_intakes(status: str, cutoff, c: Cutoffs) -> QuerySet[Intake]:
    """Intakes in ``status`` with no activity since ``cutoff`` and no plan started from them still in use."""
    plans_in_use = SafetyPlan.objects.filter(_plan_own_activity(c.safety_plan), intake=OuterRef("pk"))
    return Intake.objects.filter(status=status).exclude(_intake_own_activity(cutoff)).exclude(Exists(plans_in_use))


def expired_intake_drafts(c: Cutoffs) -> QuerySet[Intake]:
    return _expired_intakes(Intake.Status.DRAFT, c.intake_draft, c)


def expired_intakes(c: Cutoffs) -> QuerySet[Intake]:
    return _expired_intakes(Intake.Status.FINALIZED, c.intake, c)


def expired_safety_plans(c: Cutoffs) -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.exclude(_plan_own_activity(c.safety_plan)).exclude(
        Exists(_intake_in_use(c).filter(pk=OuterRef("intake_id")))
    )


def expired_incidents(c: Cutoffs) -> QuerySet[Incident]:
    """Closed reports whose closing is older than the period and that are not anonymised yet. Open reports
    are still being followed up and are never touched."""
    return Incident.objects.filter(state=Incident.State.CLOSED, closed_at__lt=c.incident, anonymised_at__isnull=True)


# --- When a record goes (shown on its page) --------------------------------------------------------------------


def _latest(*moments) -> datetime:
    return max(m for m in moments if m is not None)


def _intake_own_last(intake: Intake) -> datetime:
    addenda = (
        IntakeNoteAddendum.objects.filter(intake=intake).order_by("-created_at").values_list("created_at", flat=True)
    )
    return _latest(intake.updated_at, intake.finalized_at, intake.note_finalized_at, addenda.first())


def _plan_own_last(plan: SafetyPlan) -> datetime:
    reviews = PlanReview.objects.filter(plan=plan).order_by("-reviewed_at").values_list("reviewed_at", flat=True)
    planned = None
    if plan.next_review_on is not None:
        # A planned review keeps the plan through that whole day (expired_safety_plans compares dates).
        day_after = datetime.combine(plan.next_review_on + timedelta(days=1), datetime.min.time())
        planned = timezone.make_aware(day_after) - timedelta(microseconds=1)
    return _latest(plan.updated_at, plan.last_reviewed_at, plan.declined_services_at, planned, reviews.first())


def _intake_period(intake: Intake, days: dict[str, int]) -> timedelta:
    return timedelta(days=days["intake_draft_days" if intake.is_draft else "intake_days"])


def intake_deleted_after(intake: Intake):
    """The local date after which the nightly run deletes this intake if nobody works on it (or on a plan
    started from it) before then."""
    days = retention_periods()
    ends = [_intake_own_last(intake) + _intake_period(intake, days)]
    ends += [_plan_own_last(plan) + timedelta(days=days["safety_plan_days"]) for plan in intake.safety_plans.all()]
    return timezone.localdate(max(ends))


def safety_plan_deleted_after(plan: SafetyPlan):
    """The local date after which the nightly run deletes this plan if nobody works on it (or on the intake
    it was started from) before then."""
    days = retention_periods()
    ends = [_plan_own_last(plan) + timedelta(days=days["safety_plan_days"])]
    if plan.intake is not None:
        ends.append(_intake_own_last(plan.intake) + _intake_period(plan.intake, days))
    return timezone.localdate(max(ends))


def incident_anonymised_after(incident: Incident):
    """The local date after which a closed report is anonymised; None while it is open or once it is done."""
    if incident.state != Incident.State.CLOSED or incident.closed_at is None or incident.anonymised_at is not None:
        return None
    return timezone.localdate(incident.closed_at + timedelta(days=retention_periods()["incident_days"]))


# --- The statistics guard -------------------------------------------------------------------------------------


def _ensure_statistics(intakes: list[Intake], *, write: bool) -> int:
    """Make sure the finalized intakes about to be deleted leave their anonymous statistics behind.

    Finalizing writes the statistics row and sets ``statistic_recorded`` in one transaction, so normally
    nothing is missing. A finalized intake without the flag (made some other way) gets its row written here
    from its own answers, exactly as finalizing would have, before it is deleted. Returns how many rows were
    missing (written unless ``write`` is false).
    """
    missing = [i for i in intakes if i.status == Intake.Status.FINALIZED and not i.statistic_recorded]
    if write and missing:
        IntakeStatistic.objects.bulk_create(
            IntakeStatistic(
                unit_id=intake.unit_id,
                **statistic_fields(
                    Evaluation(Tree(intake.tree_version.questionnaire), intake.answers),
                    offered_help=intake.offered_help,
                    when=timezone.localdate(intake.finalized_at or intake.updated_at),
                ),
            )
            for intake in missing
        )
    return len(missing)


# --- Purging ---------------------------------------------------------------------------------------------------


def _in_batches(queryset: QuerySet, handle, *, batch_size: int, related=()) -> None:
    """Call ``handle(rows)`` on the expired records, a batch at a time, each batch in its own transaction,
    until none are left. On PostgreSQL the rows are locked first (a record someone is saving at this moment is
    skipped and looked at again on the next run), and expiry is evaluated inside the transaction, so a record
    saved since the run began is kept. ``handle`` must take the rows out of ``queryset`` (delete or mark them)."""
    seen: set = set()
    while True:
        with transaction.atomic():
            rows = list(
                queryset.select_related(*related)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return
            if seen.intersection(row.pk for row in rows):
                raise RuntimeError("purge_expired: a handled record is still expired; stopping")
            seen.update(row.pk for row in rows)
            handle(rows)


def _delete(kind: str, queryset: QuerySet, *, batch_size: int, result: PurgeResult, related=()) -> None:
    def handle(rows):
        if kind in ("intakes", "intake_drafts"):
            result.statistics_written += _ensure_statistics(rows, write=True)
        for row in rows:
            audit_log(actor=None, action="retention.purged", target=row, unit=row.unit)
        # Cascades to the addenda / items, phone numbers and reviews, and guardian's permission rows. A plan
        # started from a deleted intake keeps going on its own (SET_NULL).
        type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).delete()
        result.counts[kind] += len(rows)

    _in_batches(queryset, handle, batch_size=batch_size, related=related)


def _anonymise_incidents(queryset: QuerySet, *, now: datetime, batch_size: int, result: PurgeResult) -> None:
    def handle(rows):
        pks = [row.pk for row in rows]
        Incident.objects.filter(pk__in=pks).update(
            place="",
            what_happened="",
            evaluation_summary="",
            learning_points="",
            reporter=None,
            assigned_to=None,
            closed_by=None,
            form_token=None,
            anonymised_at=now,
            # An edit form opened before this now meets a conflict instead of writing text back.
            version=F("version") + 1,
        )
        # Actions keep status and deadline (the overview counts overdue ones), steps keep when they were done.
        IncidentAction.objects.filter(incident__in=pks).update(description="", evaluation="", responsible=None)
        ChecklistStep.objects.filter(incident__in=pks).update(responsible=None)
        # The change log is who did what and why (free text): it goes. The audit log keeps the bare events.
        IncidentTransition.objects.filter(incident__in=pks).delete()
        # Grants to people (the reporter, action owners) go; the unit managers' group grant stays, so the
        # report still counts in their list and overview.
        IncidentUserObjectPermission.objects.filter(content_object__in=pks).delete()
        for row in rows:
            audit_log(actor=None, action="retention.anonymised", target=row, unit=row.unit)
        result.counts["incidents"] += len(rows)

    _in_batches(queryset, handle, batch_size=batch_size, related=("unit",))


@contextmanager
def run_lock():
    """One run at a time: on PostgreSQL a session advisory lock, taken without waiting (yields False when
    another run holds it). SQLite serialises writers itself and is for one machine only: always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        obtained = cursor.fetchone()[0]
    try:
        yield obtained
    finally:
        if obtained:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def purge_expired(*, dry_run: bool, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> PurgeResult:
    """Delete or anonymise every record past its retention period (see the module docstring). With
    ``dry_run`` nothing is written: the counts say what a real run would do. Logs counts only."""
    c = cutoffs(now)
    result = PurgeResult(dry_run=dry_run, counts={kind: 0 for kind, _what in KINDS})
    queries = {
        "intake_drafts": expired_intake_drafts(c),
        "intakes": expired_intakes(c),
        "safety_plans": expired_safety_plans(c),
        "incidents": expired_incidents(c),
    }
    if dry_run:
        for kind, queryset in queries.items():
            result.counts[kind] = queryset.count()
        result.statistics_written = queries["intakes"].filter(statistic_recorded=False).count()
        _log_result(result)
        return result
    with run_lock() as obtained:
        if not obtained:
            result.locked_out = True
            logger.info("purge_expired: another run holds the lock; nothing done")
            return result
        related = ("unit", "tree_version")
        _delete("intake_drafts", queries["intake_drafts"], batch_size=batch_size, result=result, related=related)
        _delete("intakes", queries["intakes"], batch_size=batch_size, result=result, related=related)
        _delete("safety_plans", queries["safety_plans"], batch_size=batch_size, result=result, related=("unit",))
        _anonymise_incidents(queries["incidents"], now=c.now, batch_size=batch_size, result=result)
    _log_result(result)
    return result


def summary_lines(result: PurgeResult) -> list[str]:
    """One line per kind, counts only: "intakes: deleted 3" (or "would delete 3" in a dry run)."""
    verbs = {"delete": ("would delete", "deleted"), "anonymise": ("would anonymise", "anonymised")}
    return [f"{kind}: {verbs[what][0 if result.dry_run else 1]} {result.counts[kind]}" for kind, what in KINDS]


def _log_result(result: PurgeResult) -> None:
    logger.info("purge_expired%s: %s", " (dry run)" if result.dry_run else "", "; ".join(summary_lines(result)))
    if result.statistics_written:
        logger.warning(
            "purge_expired: %d intake statistics row(s) were missing and %s",
            result.statistics_written,
            "would be written" if result.dry_run else "were written before deleting",
        )
