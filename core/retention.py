"""Retention: records about people are deleted or anonymised when their period (``settings.RETENTION``) is over.

Run daily by ``manage.py purge_expired``. Core runs it and knows nothing of the records: each app registers a
``Purger`` per kind of record from its ``AppConfig.ready()`` (in its own ``retention.py``), saying which
records are expired now, what it does to a batch of them (delete or anonymise, writing one
``retention.purged`` / ``retention.anonymised`` audit event per record), and which models' personal data that
covers (tests/tooling/test_personal_data.py fails on a model with personal data no purger covers). The model
is pretix's data shredders: the core never imports what it shreds.

The runner takes a PostgreSQL advisory lock (one run at a time), and works in batches of ``BATCH_SIZE``, each
in its own transaction, with the rows locked ``SKIP LOCKED`` and expiry evaluated again inside each
transaction. A dry run only counts. Logs carry counts only.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.registry import AlreadyRegistered, Registry

logger = logging.getLogger("core.retention")

BATCH_SIZE = 200
# pg_try_advisory_lock's key: any fixed 64-bit number no other code of ours uses ("purge" in ASCII).
LOCK_KEY = 0x7075726765


@dataclass(frozen=True)
class Cutoffs:
    """The moment before which a record's last activity makes it expired, per period of settings.RETENTION."""

    now: datetime
    days: dict[str, int]

    def before(self, period: str) -> datetime:
        """``now`` less the period (a key of settings.RETENTION, e.g. ``"intake_days"``)."""
        return self.now - timedelta(days=self.days[period])


@dataclass(frozen=True)
class Purger:
    """What the retention run does to one kind of record.

    - ``kind``: its name in the counts and the summary ("intakes").
    - ``verb``: "delete" or "anonymise", for the summary.
    - ``order``: when it runs and prints (lowest first).
    - ``periods``: the keys of settings.RETENTION it reads (checked before every run).
    - ``expired(cutoffs)``: the records past their period now (a queryset the runner locks and batches).
    - ``purge(rows, cutoffs)``: delete or anonymise one batch (inside the runner's transaction) and write an
      audit event per record; the rows must leave ``expired``. Returns how many anonymous statistics rows it
      had to write first (intake's guard), usually 0.
    - ``missing_statistics(queryset)``: for a dry run, how many such rows ``purge`` would write; None: none.
    - ``covers``: the models whose personal data this removes: the record and what goes with it.
    - ``related``: ``select_related`` for a batch.
    """

    kind: str
    verb: Literal["delete", "anonymise"]
    order: int
    periods: tuple[str, ...]
    expired: Callable[[Cutoffs], QuerySet[Any]]
    purge: Callable[[list[Any], Cutoffs], int]
    covers: tuple[type[Model], ...]
    related: tuple[str, ...] = ()
    missing_statistics: Callable[[QuerySet[Any]], int] | None = None


class Purgers(Registry[Purger]):
    """The purgers, in their ``order``; one per kind."""

    def register(self, entry: Purger) -> Purger:
        if any(existing.kind == entry.kind for existing in self):
            raise AlreadyRegistered(f"a purger of {entry.kind!r} is registered already")
        return super().register(entry)

    def __iter__(self) -> Iterator[Purger]:
        return iter(sorted(super().__iter__(), key=lambda entry: entry.order))


PURGERS = Purgers("retention purgers")


@dataclass
class PurgeResult:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)  # kind -> records deleted or anonymised (or would be)
    statistics_written: int = 0  # anonymous statistics rows that were missing and were written before deleting
    locked_out: bool = False  # another run holds the lock: nothing was done


def retention_periods() -> dict[str, int]:
    """settings.RETENTION, checked: every period a purger reads a whole number of days from 1 up (the settings
    module reads them from the environment and already refuses bad values; this catches a settings override)."""
    periods = getattr(settings, "RETENTION", None)
    if not isinstance(periods, dict):
        raise ImproperlyConfigured("settings.RETENTION must be a dict of retention periods in days.")
    names = list(dict.fromkeys(name for purger in PURGERS for name in purger.periods))
    for name in names:
        value = periods.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= settings.RETENTION_MAX_DAYS:
            raise ImproperlyConfigured(
                f"settings.RETENTION[{name!r}] must be a whole number of days from 1 to "
                f"{settings.RETENTION_MAX_DAYS} (got {value!r})."
            )
    return {name: periods[name] for name in names}


def cutoffs(now: datetime | None = None) -> Cutoffs:
    return Cutoffs(now=now or timezone.now(), days=retention_periods())


def _in_batches(purger: Purger, queryset: QuerySet[Any], c: Cutoffs, *, batch_size: int, result: PurgeResult) -> None:
    """Purge the expired records a batch at a time, each batch in its own transaction, until none are left. On
    PostgreSQL the rows are locked first (a record someone is saving at this moment is skipped and looked at
    again on the next run), and expiry is evaluated inside the transaction, so a record saved since the run
    began is kept."""
    seen: set[Any] = set()
    while True:
        with transaction.atomic():
            rows = list(
                queryset.select_related(*purger.related)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return
            if seen.intersection(row.pk for row in rows):
                raise RuntimeError("purge_expired: a handled record is still expired; stopping")
            seen.update(row.pk for row in rows)
            result.statistics_written += purger.purge(rows, c)
            result.counts[purger.kind] += len(rows)


@contextmanager
def run_lock() -> Iterator[bool]:
    """One run at a time: on PostgreSQL a session advisory lock, taken without waiting (yields False when
    another run holds it). SQLite serialises writers itself and is for one machine only: always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        row = cursor.fetchone()
        obtained = bool(row and row[0])
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
    purgers = list(PURGERS)
    result = PurgeResult(dry_run=dry_run, counts={purger.kind: 0 for purger in purgers})
    if dry_run:
        for purger in purgers:
            queryset = purger.expired(c)
            result.counts[purger.kind] = queryset.count()
            if purger.missing_statistics is not None:
                result.statistics_written += purger.missing_statistics(queryset)
        _log_result(result)
        return result
    with run_lock() as obtained:
        if not obtained:
            result.locked_out = True
            logger.info("purge_expired: another run holds the lock; nothing done")
            return result
        for purger in purgers:
            _in_batches(purger, purger.expired(c), c, batch_size=batch_size, result=result)
    _log_result(result)
    return result


def summary_lines(result: PurgeResult) -> list[str]:
    """One line per kind, counts only: "intakes: deleted 3" (or "would delete 3" in a dry run)."""
    verbs = {"delete": ("would delete", "deleted"), "anonymise": ("would anonymise", "anonymised")}
    return [
        f"{purger.kind}: {verbs[purger.verb][0 if result.dry_run else 1]} {result.counts[purger.kind]}"
        for purger in PURGERS
        if purger.kind in result.counts
    ]


def _log_result(result: PurgeResult) -> None:
    logger.info("purge_expired%s: %s", " (dry run)" if result.dry_run else "", "; ".join(summary_lines(result)))
    if result.statistics_written:
        logger.warning(
            "purge_expired: %d intake statistics row(s) were missing and %s",
            result.statistics_written,
            "would be written" if result.dry_run else "were written before deleting",
        )
