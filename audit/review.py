"""Reading the audit log: who may review whose events, and the periodic review of reads.

The log is for managers and administrators. A manager reviews the events of the units she manages (the
event's unit is one of them) and every event of the people who hold a membership in those units (their
logins, and what they did elsewhere); an administrator reviews everything. Everyone else gets 404.

``flagged_reads`` is the periodic review the sector's norms ask for (Normen: access to health and personal
data is checked after the fact). It looks at the *reads* (actions of the kinds viewed, printed, exported;
``core.auditing.READ_KINDS``) of the record types registered with ``read_facts`` (``core.auditing.RECORD_TYPES``:
each app says who reads a record of its own as their own case), and flags those outside the reader's own cases
or unit. Today that is:

- intakes and safety plans (``intake.intake``, ``safety_plans.safetyplan``): a read is *own case* if the
  reader is the record's owner or the record is shared with her (a guardian user grant of its view
  permission). Otherwise it is flagged "not own case" when the reader holds a membership in the record's
  unit (a manager reading her unit's records: legitimate, but to be looked at), and "outside own unit" when
  she holds none (serious: that should not be possible).
- incidents (``incidents.incident``): flagged "outside own unit" if the reader is not the reporter, not the
  responsible manager, not responsible for one of its actions, and holds no membership in its unit.
- a record that no longer exists (deleted after its retention period): judged by the event's unit; "outside
  own unit" if the reader holds no membership in it; otherwise, for an intake or a safety plan, "record no
  longer exists" (whether it was her own case cannot be told any more; an incident read by a member of its
  unit is not flagged). With no unit on the event either, "record no longer exists".

Grants and memberships are judged as they are *now*, not as they were at the time of the read (the log does
not record with whom a record was shared): a share taken back since makes an old read show as flagged, which
errs on the side of looking. Reads of other kinds of record (routines, print orders, units) are not reviewed.

The work is a constant number of queries whatever the period: the reads, then each kind of record's facts
(``RecordType.read_facts``) and the readers' memberships, each fetched once in bulk.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import ResolverMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Unit
from accounts.roles import Role
from audit.catalogue import ACTIONS, Kind, codes_of_kind, describe, read_codes
from audit.models import AuditEvent
from core.auditing import RECORD_TYPES, ReadFacts, RecordType


def record_type_for_page(match: ResolverMatch | None) -> RecordType | None:
    """The record type a page is about, when it is a page about one record: a view taking a ``pk`` in the app
    a record type names as its pages' (``RecordType.pages_in``). None for any other page."""
    if match is None or "pk" not in match.kwargs:
        return None
    view = getattr(match.func, "view_class", match.func)
    return RECORD_TYPES.for_pages_in(view.__module__.split(".")[0])


NOT_OWN_CASE = "not_own_case"
OUTSIDE_UNIT = "outside_unit"
GONE = "gone"
REASONS = {
    NOT_OWN_CASE: _("not own case"),
    OUTSIDE_UNIT: _("outside own unit"),
    GONE: _("record no longer exists"),
}


def filterable_record_types() -> list[RecordType]:
    """The record types a person may filter the log on, in the order they are offered."""
    return [entry for entry in RECORD_TYPES if entry.filterable]


def record_type_label(label_lower: str) -> str:
    """The translated name of a record type (``intake.intake`` -> "intake"), or the code itself if unknown."""
    if not label_lower:
        return ""
    registered = RECORD_TYPES.get(label_lower)
    if registered is not None and registered.label is not None:
        return str(registered.label)
    try:
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower


def short_id(target_id: str) -> str:
    """Enough of a record's id to tell records apart and to search for, and nothing about its content."""
    return target_id[:8]


# Who may review whom


def reviewer_units(user) -> QuerySet[Unit] | None:
    """The units whose events ``user`` reviews: None for an administrator (all of them), the units she manages
    for a manager, and Http404 for everyone else."""
    if not user.is_authenticated:
        raise Http404
    if user.is_superuser:
        return None
    units = Unit.objects.filter(memberships__user=user, memberships__role=Role.MANAGER).distinct()
    if not units.exists():
        raise Http404
    return units


def may_review_audit(user) -> bool:
    try:
        reviewer_units(user)
    except Http404:
        return False
    return True


def events_of_units(units) -> QuerySet[AuditEvent]:
    """Events in ``units``, and the events of a member of ``units`` that belong to no unit (logging in and out,
    refused records); None: every event. What a member did in another unit is that unit's to review."""
    events = AuditEvent.objects.all()
    if units is None:
        return events
    unit_ids = units.values("pk")
    members = Membership.objects.filter(unit__in=unit_ids).values("user_id")
    return events.filter(Q(unit__in=unit_ids) | Q(actor__in=members, unit__isnull=True))


def events_for_reviewer(user) -> QuerySet[AuditEvent]:
    """The events ``user`` may review; Http404 for someone who reviews nobody."""
    return events_of_units(reviewer_units(user))


def people_for_reviewer(user) -> QuerySet:
    """The people whose events ``user`` may review: everyone for an administrator; for a manager, the members
    of her units and whoever acted in them."""
    units = reviewer_units(user)
    people = get_user_model().objects.all()
    if units is not None:
        unit_ids = units.values("pk")
        acted = AuditEvent.objects.filter(unit__in=unit_ids, actor__isnull=False).values("actor_id")
        members = Membership.objects.filter(unit__in=unit_ids).values("user_id")
        people = people.filter(Q(pk__in=members) | Q(pk__in=acted))
    return people.order_by("username")


# The periodic review


@dataclass(frozen=True)
class FlaggedRead:
    at: datetime
    actor: object  # a user, or None
    action: str
    target_type: str
    target_id: str
    unit: Unit | None
    reason: str

    @property
    def action_label(self) -> str:
        return str(describe(self.action).label)

    @property
    def type_label(self) -> str:
        return record_type_label(self.target_type)

    @property
    def short_id(self) -> str:
        return short_id(self.target_id)

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])


class _Read(NamedTuple):
    at: datetime
    actor_id: int | None
    action: str
    target_type: str
    target_id: str
    unit_id: int | None


@dataclass(frozen=True)
class Review:
    since: date
    until: date | None
    examined: int  # reads of reviewed record types in the period and scope
    flagged: list[FlaggedRead]


def local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def until_end_of(day: date) -> dict[str, datetime]:
    """The filter for events up to the end of local ``day``; none for the last day a date can hold (a form
    accepts 9999-12-31, and the day after it does not exist)."""
    if day >= date.max:
        return {}
    return {"at__lt": local_day_start(day + timedelta(days=1))}


def _judge(read: _Read, kind: RecordType, facts: ReadFacts | None, member) -> str | None:
    """Why a read is flagged, or None. See the module's docstring."""
    reader = read.actor_id
    if facts is None:  # the record no longer exists: judged by the event's unit
        if read.unit_id is None:
            return GONE
        if not member(reader, read.unit_id):
            return OUTSIDE_UNIT
        return None if kind.unit_members_own_it else GONE
    if reader in facts.own_readers:
        return None
    if member(reader, facts.unit_id):
        return None if kind.unit_members_own_it else NOT_OWN_CASE
    return OUTSIDE_UNIT


def flagged_reads(*, since: date, until: date | None = None, units=None) -> Review:
    """The reads from ``since`` to ``until`` (local dates, both included) of the reviewed record types in the
    scope of ``units`` (None: everything; otherwise as ``events_of_units``) that fall outside the reader's own
    cases or unit, oldest first. See the module's docstring for the rules."""
    reviewed = {kind.model: kind for kind in RECORD_TYPES.reviewed()}
    events = events_of_units(units).filter(
        action__in=read_codes(), target_type__in=list(reviewed), at__gte=local_day_start(since)
    )
    if until is not None:
        events = events.filter(**until_end_of(until))
    # Plain tuples, not model instances: a year's review may hold a hundred thousand reads.
    fields = ("at", "actor_id", "action", "target_type", "target_id", "unit_id")
    reads = [_Read(*values) for values in events.order_by("at", "pk").values_list(*fields)]

    ids_by_type: dict[str, set[str]] = {label: set() for label in reviewed}
    for read in reads:
        ids_by_type[read.target_type].add(read.target_id)
    facts: dict[str, dict[str, ReadFacts]] = {}
    for label, ids in ids_by_type.items():
        read_facts = reviewed[label].read_facts
        if ids and read_facts is not None:
            facts[label] = read_facts(ids)
    readers = {read.actor_id for read in reads if read.actor_id}
    memberships = set(Membership.objects.filter(user__in=readers).values_list("user_id", "unit_id"))
    people = get_user_model().objects.in_bulk(readers)
    unit_objects = Unit.objects.in_bulk({read.unit_id for read in reads if read.unit_id})

    def member(user_id, unit_id) -> bool:
        return user_id is not None and unit_id is not None and (user_id, unit_id) in memberships

    flagged = []
    for read in reads:
        reason = _judge(read, reviewed[read.target_type], facts[read.target_type].get(read.target_id), member)
        if reason:
            flagged.append(
                FlaggedRead(
                    at=read.at,
                    actor=people.get(read.actor_id),
                    action=read.action,
                    target_type=read.target_type,
                    target_id=read.target_id,
                    unit=unit_objects.get(read.unit_id),
                    reason=reason,
                )
            )
    return Review(since=since, until=until, examined=len(reads), flagged=flagged)


# The log's filters


def filter_events(events: QuerySet[AuditEvent], data: dict) -> QuerySet[AuditEvent]:
    """Apply the cleaned data of ``audit.forms.AuditFilterForm`` to ``events``."""
    if data.get("person"):
        events = events.filter(actor=data["person"])
    if data.get("kind"):
        codes = codes_of_kind(data["kind"])
        if data["kind"] == Kind.OTHER:
            events = events.filter(Q(action__in=codes) | ~Q(action__in=list(ACTIONS)))
        else:
            events = events.filter(action__in=codes)
    record = data.get("record")
    record_type = data.get("record_type") or (record.type if record else "")
    if record_type:
        events = events.filter(target_type=record_type)
    if record:
        events = events.filter(target_id=record.id) if record.exact else events.filter(target_id__startswith=record.id)
    if data.get("date_from"):
        events = events.filter(at__gte=local_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(**until_end_of(data["date_to"]))
    return events


@dataclass(frozen=True)
class Row:
    """One line of the log as a person reads it: never the record's content."""

    at: datetime
    actor: object
    action: str
    action_label: str
    kind: str
    target_type: str
    type_label: str
    target_id: str
    short_id: str
    unit: Unit | None


def rows(events) -> list[Row]:
    return list(iter_rows(events))


def iter_rows(events):
    """The log's rows for ``events``, one at a time (the CSV export streams them)."""
    for event in events:
        action = describe(event.action)
        yield Row(
            at=event.at,
            actor=event.actor,
            action=event.action,
            action_label=str(action.label),
            kind=action.kind,
            target_type=event.target_type,
            type_label=record_type_label(event.target_type),
            target_id=event.target_id,
            short_id=short_id(event.target_id),
            unit=event.unit,
        )
