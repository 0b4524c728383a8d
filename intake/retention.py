"""What the retention run does to intakes (registered with ``core.retention`` from ``IntakeConfig.ready()``).

- **intake drafts** nobody saved for ``intake_draft_days``: deleted.
- **finalized intakes** (with the journal note and its addenda) ``intake_days`` after the case's last
  activity: deleted. Their anonymous ``IntakeStatistic`` rows were written at finalizing and have no link to
  the intake, so they stay; an intake whose row is missing (``statistic_recorded`` false) gets it written
  from its answers before it is deleted (the statistics guard).

An intake and the records started from it (safety plans) are one case: neither expires while the other is in
use. The apps that start records from an intake say so through ``CASE_LINKS`` (safety_plans.retention), so
intake imports none of them. Guardian's direct foreign-key permission rows go with a deleted intake
(ON DELETE CASCADE).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.services import audit_log
from core.registry import Registry
from core.retention import PURGERS, Cutoffs, Purger, retention_periods
from intake.evaluator import Evaluation
from intake.finalize import statistic_fields
from intake.models import Intake, IntakeAttachment, IntakeNoteAddendum, IntakeStatistic, IntakeUserObjectPermission
from intake.questionnaire import Tree
from intake.services import intake_attachments_delete


@dataclass(frozen=True)
class CaseLink:
    """Records another app starts from an intake, which keep it while they are in use.

    - ``in_use(cutoffs)``: those records still in use, as a queryset with an ``intake`` foreign key.
    - ``ends(intake, days)``: when each of this intake's such records expires, by its own activity.
    """

    in_use: Callable[[Cutoffs], QuerySet[Any]]
    ends: Callable[[Intake, dict[str, int]], list[datetime]]


CASE_LINKS: Registry[CaseLink] = Registry("intake case links")

PERIODS = ("intake_draft_days", "intake_days")


# --- What is in use ------------------------------------------------------------------------------------------
# "In use" is a record's own activity since the cutoff. An intake and the plans started from it look at each
# other's own activity only (never at each other's "in use"), so the answer does not depend on which kind is
# purged first, and a dry run counts exactly what a real run deletes.


def intake_own_activity(since: datetime) -> Q:
    addenda = IntakeNoteAddendum.objects.filter(intake=OuterRef("pk"), created_at__gte=since)
    return Q(updated_at__gte=since) | Q(finalized_at__gte=since) | Q(note_finalized_at__gte=since) | Q(Exists(addenda))


def intakes_in_use(c: Cutoffs) -> QuerySet[Intake]:
    """Intakes whose own activity keeps them (and the records started from them)."""
    return Intake.objects.filter(
        (Q(status=Intake.Status.DRAFT) & intake_own_activity(c.before("intake_draft_days")))
        | (Q(status=Intake.Status.FINALIZED) & intake_own_activity(c.before("intake_days")))
    )


def _expired_intakes(status: str, cutoff: datetime, c: Cutoffs) -> QuerySet[Intake]:
    """Intakes in ``status`` with no activity since ``cutoff`` and no record started from them still in use."""
    expired = Intake.objects.filter(status=status).exclude(intake_own_activity(cutoff))
    for link in CASE_LINKS:
        expired = expired.exclude(Exists(link.in_use(c).filter(intake=OuterRef("pk"))))
    return expired


def expired_intake_drafts(c: Cutoffs) -> QuerySet[Intake]:
    return _expired_intakes(Intake.Status.DRAFT, c.before("intake_draft_days"), c)


def expired_intakes(c: Cutoffs) -> QuerySet[Intake]:
    return _expired_intakes(Intake.Status.FINALIZED, c.before("intake_days"), c)


# --- When an intake goes (shown on its page) --------------------------------------------------------------------


def latest(*moments: datetime | None) -> datetime:
    return max(m for m in moments if m is not None)


def intake_own_last(intake: Intake) -> datetime:
    addenda = (
        IntakeNoteAddendum.objects.filter(intake=intake).order_by("-created_at").values_list("created_at", flat=True)
    )
    return latest(intake.updated_at, intake.finalized_at, intake.note_finalized_at, addenda.first())


def intake_period(intake: Intake, days: dict[str, int]) -> timedelta:
    return timedelta(days=days["intake_draft_days" if intake.is_draft else "intake_days"])


def intake_deleted_after(intake: Intake) -> date:
    """The local date after which the nightly run deletes this intake if nobody works on it (or on a record
    started from it) before then."""
    days = retention_periods()
    ends = [intake_own_last(intake) + intake_period(intake, days)]
    for link in CASE_LINKS:
        ends += link.ends(intake, days)
    return timezone.localdate(max(ends))


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


def purge_intakes(rows: list[Intake], c: Cutoffs) -> int:
    """Delete a batch of expired intakes, after the statistics guard; one audit event each."""
    written = _ensure_statistics(rows, write=True)
    for row in rows:
        audit_log(actor=None, action="retention.purged", target=row, unit=row.unit)
    # The answers' files first: the rows would cascade, the files on disk would not.
    intake_attachments_delete(IntakeAttachment.objects.filter(intake__in=[row.pk for row in rows]))
    # Cascades to the addenda and guardian's permission rows. A plan started from a deleted intake keeps going
    # on its own (SET_NULL).
    Intake.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return written


def missing_statistics(queryset: QuerySet[Intake]) -> int:
    return queryset.filter(status=Intake.Status.FINALIZED, statistic_recorded=False).count()


def register() -> None:
    covers = (Intake, IntakeAttachment, IntakeNoteAddendum, IntakeUserObjectPermission)
    related = ("unit", "tree_version")
    PURGERS.register(
        Purger(
            kind="intake_drafts",
            verb="delete",
            order=10,
            periods=PERIODS,
            expired=expired_intake_drafts,
            purge=purge_intakes,
            covers=covers,
            related=related,
        )
    )
    PURGERS.register(
        Purger(
            kind="intakes",
            verb="delete",
            order=20,
            periods=PERIODS,
            expired=expired_intakes,
            purge=purge_intakes,
            covers=covers,
            related=related,
            missing_statistics=missing_statistics,
        )
    )
