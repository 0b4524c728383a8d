"""Reading incidents: the managers' list, a person's own reports and actions, the overview's figures, and the
parts of one report its pages show. They never write. The one way a view reaches a report is
``incidents.access``."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.access import may_change_record, visible_records
from accounts.models import Unit
from accounts.roles import Role
from incidents.models import (
    ChecklistStep,
    Incident,
    IncidentAction,
    IncidentAttachment,
    IncidentTransition,
    IncidentType,
    IncidentUserObjectPermission,
)
from incidents.risk import cause_categories


def visible_incidents(
    user: Any, *, for_change: bool = False, manager_unit_ids: list[int] | None = None
) -> QuerySet[Incident]:
    """The reports this person may see (``for_change``: follow up). The managers of a report's unit see and
    follow it up (their memberships); its reporter and the owners of its actions see it (their own guardian
    grants, ``view_incident``). Administrators see every report. Read on every request: a membership added or
    removed counts from the next one. ``manager_unit_ids``: her manager units, when the caller has just read
    them (``managed_units``), so they are not read twice."""
    return visible_records(
        Incident,
        IncidentUserObjectPermission,
        user,
        codename="change_incident" if for_change else "view_incident",
        unit_role=Role.MANAGER,
        superuser_sees_all=True,
        unit_ids=manager_unit_ids,
    )


def may_change_incident(user: Any, incident: Incident) -> bool:
    """Whether this person may follow up this report, by the rule of ``visible_incidents``."""
    return may_change_record(
        user, incident, IncidentUserObjectPermission, codename="change_incident", unit_role=Role.MANAGER
    )


def managed_incidents(user: Any) -> QuerySet[Incident]:
    """Every incident this user may follow up (their units' reports)."""
    return visible_incidents(user, for_change=True)


def unit_role_members(unit: Unit, role: str) -> QuerySet[User]:
    """The active people holding ``role`` in ``unit`` (their memberships)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=unit.memberships.filter(role=role).values("user_id"),
        )
        .order_by("pk")
    )


def unit_managers(unit: Unit) -> QuerySet[User]:
    """The unit's active managers: who may be responsible for a report, and who hears of a new one."""
    return unit_role_members(unit, Role.MANAGER)


def unit_people(unit: Unit) -> QuerySet[User]:
    """Everyone with a membership in the unit, by first name: who may be given an action or a step."""
    people = get_user_model().objects.filter(memberships__unit=unit).distinct()
    return people.order_by("first_name", "username")


def incident_copy(incident: Incident) -> Incident:
    """The report read again as a separate instance, for a form to fill while validating, so the one the view
    holds stays as saved."""
    return Incident.objects.get(pk=incident.pk)


def incident_actions(incident: Incident) -> list[IncidentAction]:
    """The report's actions with their responsible person."""
    return list(incident.actions.select_related("responsible"))


def open_actions(incident: Incident) -> list[IncidentAction]:
    """The report's actions still open: what stands between it and closing."""
    return list(incident.actions.filter(status=IncidentAction.Status.OPEN).select_related("responsible"))


def incident_action(incident: Incident, action_pk: UUID | str) -> IncidentAction | None:
    """One action of this report, or None (also for an action of another report)."""
    return IncidentAction.objects.filter(pk=action_pk, incident=incident).first()


def incident_transitions(incident: Incident) -> QuerySet[IncidentTransition]:
    """The report's change log with who made each change."""
    return incident.transitions.select_related("by")


def incident_steps(incident: Incident) -> list[ChecklistStep]:
    """The exchange-student checklist steps of the report with their responsible person."""
    return list(incident.steps.select_related("responsible"))


def incident_step(incident: Incident, number: int) -> ChecklistStep | None:
    """One checklist step of the report by its number, or None."""
    return incident.steps.filter(number=number).first()


def managed_units(user: Any) -> QuerySet[Unit]:
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__role="manager").distinct()


def _overdue_actions(today: date) -> QuerySet[IncidentAction]:
    return IncidentAction.objects.filter(status=IncidentAction.Status.OPEN, deadline__lt=today)


def _late(now: datetime) -> Q:
    """Reports nobody has taken by their response deadline."""
    return Q(state=Incident.State.REPORTED, response_deadline__lt=now)


@dataclass(frozen=True)
class ManagerTodo:
    """What waits for a manager: new reports to take, those past their response deadline, overdue actions."""

    new_reports: int
    late_reports: int
    overdue_actions: int


def manager_todo(user: Any, *, now: datetime | None = None) -> ManagerTodo:
    """The counts on a manager's home page, over the reports she may follow up. Two queries after the grant's."""
    now = now or timezone.now()
    incidents = managed_incidents(user)
    counts = incidents.aggregate(
        new=Count("pk", filter=Q(state=Incident.State.REPORTED)),
        late=Count("pk", filter=_late(now)),
    )
    overdue = _overdue_actions(timezone.localdate(now)).filter(incident__in=incidents.values("pk")).count()
    return ManagerTodo(new_reports=counts["new"], late_reports=counts["late"], overdue_actions=overdue)


@dataclass(frozen=True)
class ListFilters:
    state: str = ""
    type: str = ""
    unit: int | None = None
    overdue: bool = False
    late: bool = False
    risk: str = ""


def incident_list(
    user: Any, filters: ListFilters, *, today: date | None = None, units: list[Unit] | None = None
) -> QuerySet[Incident]:
    """The managers' list, newest first. Without the overdue flag: a page reads it with its rows
    (``list_page_columns``), the export for all of them (``with_overdue_flag``). ``units``: her
    ``managed_units``, when the caller has read them already (the list page shows them)."""
    today = today or timezone.localdate()
    unit_ids = None if units is None else [unit.pk for unit in units]
    incidents = visible_incidents(user, for_change=True, manager_unit_ids=unit_ids)
    if filters.state:
        incidents = incidents.filter(state=filters.state)
    if filters.type:
        incidents = incidents.filter(type=filters.type)
    if filters.unit:
        incidents = incidents.filter(unit_id=filters.unit)
    if filters.overdue:
        incidents = incidents.filter(Exists(_overdue_actions(today).filter(incident=OuterRef("pk"))))
    if filters.risk:
        incidents = incidents.filter(risk_level=filters.risk)
    if filters.late:
        incidents = incidents.filter(_late(timezone.now()))
    return incidents.select_related("unit", "assigned_to").order_by("-occurred_at", "pk")


# What a page of the list shows (``incidents.views.lists._rows``): the report's free text, its closing notes and
# the responsible manager's account fields are not read for it.
LIST_PAGE_COLUMNS = (
    "id",
    "type",
    "occurred_at",
    "state",
    "risk_level",
    "risk_confirmed_at",
    "pii_overridden",
    "unit__name",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def list_page_columns(incidents: QuerySet[Incident], *, today: date | None = None) -> QuerySet[Incident]:
    """``incident_list`` reading only the columns a page of the list shows, with ``overdue_action`` on each
    report: the id of one of its open actions past their deadline, or None.

    The flag is a scalar subquery (``LIMIT 1`` on the action table's ``incident_id`` index), which PostgreSQL
    evaluates after the page's ``LIMIT``, for its 25 rows only: one query for the page and its flags. As an
    ``EXISTS`` it was hashed over every overdue action in the database for each page (docs/performance.md), and
    as a second query by the page's ids it cost a round trip."""
    today = today or timezone.localdate()
    overdue = _overdue_actions(today).filter(incident=OuterRef("pk")).order_by().values("pk")[:1]
    return incidents.only(*LIST_PAGE_COLUMNS).annotate(overdue_action=Subquery(overdue))


def with_overdue_flag(incidents: QuerySet[Incident], *, today: date | None = None) -> QuerySet[Incident]:
    """``incident_list`` with ``has_overdue`` on each report, for reading every row (the export): PostgreSQL
    answers it with one hashed pass over the overdue actions."""
    today = today or timezone.localdate()
    return incidents.annotate(has_overdue=Exists(_overdue_actions(today).filter(incident=OuterRef("pk"))))


def my_reports(user: Any) -> QuerySet[Incident]:
    return Incident.objects.filter(reporter=user).select_related("unit").order_by("-reported_at")


def my_actions(user: Any) -> QuerySet[IncidentAction]:
    return (
        IncidentAction.objects.filter(responsible=user, status=IncidentAction.Status.OPEN, incident__isnull=False)
        .select_related("incident")
        .order_by("deadline")
    )


def last_months(today: date, count: int = 12) -> list[date]:
    """The first day of each of the last ``count`` months, oldest first, ending with this month."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def per_month_by_type(incidents: QuerySet[Incident], today: date) -> tuple[list[date], dict[str, list[int]]]:
    months = last_months(today)
    counts = {t: [0] * len(months) for t in IncidentType.values}
    rows = (
        incidents.filter(occurred_at__date__gte=months[0])
        .annotate(month=TruncMonth("occurred_at"))
        .values("month", "type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    index = {m: i for i, m in enumerate(months)}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        i = index.get(month.replace(day=1))
        if i is not None:
            counts[row["type"]][i] += row["n"]
    return months, counts


def per_month_by_cause(incidents: QuerySet[Incident], today: date) -> tuple[list[date], dict[str, list[int]]]:
    """Reports closed in each of the last twelve months, by the cause category given on closing (the
    configured categories, in their order; a code no longer configured counts under its code). One query."""
    months = last_months(today)
    counts: dict[str, list[int]] = {code: [0] * len(months) for code, _label in cause_categories()}
    rows = (
        incidents.filter(state=Incident.State.CLOSED, closed_at__date__gte=months[0])
        .exclude(cause_category="")
        .annotate(month=TruncMonth("closed_at"))
        .values("month", "cause_category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    index = {m: i for i, m in enumerate(months)}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        i = index.get(month.replace(day=1))
        if i is not None:
            counts.setdefault(row["cause_category"], [0] * len(months))[i] += row["n"]
    return months, counts


AGE_BUCKETS = [(0, 7), (8, 30), (31, 90), (91, None)]


def open_by_age(incidents: QuerySet[Incident], today: date) -> list[int]:
    """Open reports (not closed) by days since reported, in AGE_BUCKETS. One query."""
    aggregates = {}
    for i, (low, high) in enumerate(AGE_BUCKETS):
        q = Q(reported_at__date__lte=today - timedelta(days=low))
        if high is not None:
            q &= Q(reported_at__date__gte=today - timedelta(days=high))
        aggregates[f"b{i}"] = Count("pk", filter=q)
    result = incidents.exclude(state=Incident.State.CLOSED).aggregate(**aggregates)
    return [result[f"b{i}"] for i in range(len(AGE_BUCKETS))]


def overdue_by_unit(incidents: QuerySet[Incident], today: date) -> list[tuple[str, int]]:
    rows = (
        _overdue_actions(today)
        .filter(incident__in=incidents.values("pk"))
        .values("incident__unit__name")
        .annotate(n=Count("pk"))
        .order_by("incident__unit__name")
    )
    return [(row["incident__unit__name"], row["n"]) for row in rows]


def risk_matrix(incidents: QuerySet[Incident]) -> dict[tuple[int, int], int]:
    """Reports per (consequence, probability), confirmed values first, else the reporter's suggestion. One
    query."""
    rows = (
        incidents.annotate(
            c=Coalesce("consequence", "suggested_consequence"), p=Coalesce("probability", "suggested_probability")
        )
        .filter(c__isnull=False, p__isnull=False)
        .values("c", "p")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["c"], row["p"]): row["n"] for row in rows}


def incident_attachments(incident: Incident) -> QuerySet[IncidentAttachment]:
    """The report's files (its own and its actions'), oldest first, with who added them."""
    return incident.attachments.select_related("uploaded_by", "action")
