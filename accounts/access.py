"""Access helpers that need units and memberships. The building blocks every app uses (``RecordNotFound``,
``get_or_not_found``, ``permission_required_or_404``, ``role_required``) are in ``core.access``.

Each helper returns the object, or raises Http404 for anyone with no right to know it exists, so an outsider
cannot tell "forbidden" from "does not exist".
"""

from functools import cache
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Unit, UnitUserObjectPermission
from accounts.roles import Role

M = TypeVar("M", bound=models.Model)


def role_unit_ids(user: Any, role: str) -> QuerySet[Membership, Any]:
    """The ids of the units where ``user`` holds ``role``, as a subquery (``unit_id IN (...)``). Read on every
    request, so a membership added or removed counts from the person's very next request."""
    return Membership.objects.filter(user_id=user.pk, role=role).values("unit_id")


# A person's grants on records outside her units are read into the query as literal ids up to this many;
# beyond it (someone given thousands of reports of other units) the query asks per row instead.
OUTSIDE_GRANTS_INLINE = 1000


def visible_records(
    model: type[M],
    grants: type[Any],
    user: Any,
    *,
    codename: str,
    unit_role: str | None,
    superuser_sees_all: bool,
    unit_field: str = "unit_id",
    unit_ids: list[int] | None = None,
) -> QuerySet[M]:
    """What ``user`` may see (or change: ``codename``) of ``model``, from her memberships and her own grants.

    The one rule behind every ``visible_<things>`` selector: a record is visible when its unit is one where
    she holds ``unit_role`` (a membership), or when she holds ``codename`` on it herself (a row of guardian's
    direct user-grant model ``grants``: owner, colleague shared with, reporter, action owner). Nobody else's
    grants are read, and the query is shaped so that PostgreSQL can drive it from an index whichever source
    dominates:

    - her units are read first (one small query) and go in as literals, ``unit_id IN (3, 7)``, which the
      planner sees through its statistics (a unit with 2 000 of 100 000 rows, or most of them);
    - with no units, the grants are a plain ``EXISTS`` (a semi-join: an index walk in the list's order
      probing her grants, or her grants first, as the planner finds cheaper);
    - with units, only her grants on records *outside* those units are added (usually none or a few, read
      as literal ids, ``OR id IN (...)``); more than ``OUTSIDE_GRANTS_INLINE`` fall back to ``OR EXISTS``.

    ``superuser_sees_all``: administrators see every record (incidents, units), or only what their own
    memberships and grants give them (intakes and safety plans: an administrator is not given conversations
    with people exposed to violence for being one)."""
    records: QuerySet[M] = model._default_manager.all()
    if not getattr(user, "is_authenticated", False):
        return records.none()
    if superuser_sees_all and user.is_superuser:
        return records
    if unit_role is None:
        units: list[int] = []
    elif unit_ids is not None:
        units = list(unit_ids)
    else:
        units = list(role_unit_ids(user, unit_role).values_list("unit_id", flat=True))
    if not units:
        return records.filter(_granted(model, grants, user, codename))
    in_units = Q(**{f"{unit_field}__in": units})
    outside = _grants_outside(model, grants, user, codename=codename, unit_field=unit_field, units=units)
    if len(outside) > OUTSIDE_GRANTS_INLINE:
        return records.filter(in_units | Q(_granted(model, grants, user, codename)))
    if not outside:
        return records.filter(in_units)
    return records.filter(in_units | Q(pk__in=outside))


def _granted(model: type[models.Model], grants: type[Any], user: Any, codename: str) -> Exists:
    """Whether she holds ``codename`` on the record herself, for ``records.filter``: an ``EXISTS`` on her grants."""
    # The permission as a scalar subquery, not a join: with ``permission_id = $1`` PostgreSQL sees that guardian's
    # unique (user, permission, object) index makes each record's grant unique, and can stop a count after the
    # first rows instead of collecting and de-duplicating all of a person's grants (1.9 s, then 0.3 s, for a
    # counsellor's 100 000 intakes; 11 ms this way: docs/performance.md).
    permission = Permission.objects.filter(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name, codename=codename
    )
    own = grants.objects.filter(user_id=user.pk, permission_id=Subquery(permission.order_by().values("pk")[:1]))
    return Exists(own.filter(content_object_id=OuterRef("pk")))


def _grants_outside(
    model: type[models.Model],
    grants: type[models.Model],
    user: Any,
    *,
    codename: str,
    unit_field: str,
    units: list[int],
) -> list[Any]:
    """The ids of the records outside ``units`` (or in no unit) on which she holds ``codename`` herself, up to
    ``OUTSIDE_GRANTS_INLINE + 1`` of them. Plain SQL: this runs on every list page, and the ORM spent longer
    building the query (a join, an exclusion and the permission's subquery) than PostgreSQL spent answering it."""
    sql = _grants_outside_sql(model, grants, unit_field).format(units=", ".join(["%s"] * len(units)))
    params = [user.pk, model._meta.app_label, model._meta.model_name, codename, *units, OUTSIDE_GRANTS_INLINE + 1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


@cache
def _grants_outside_sql(model: type[models.Model], grants: type[models.Model], unit_field: str) -> str:
    """``_grants_outside``'s query, with ``{units}`` for the units' placeholders. Table and column names from the
    models; every value is a parameter. A record in no unit (a null column) is outside every unit."""
    meta = model._meta

    def column(options: Any, name: str) -> str:
        return str(options.pk.column if name == "pk" else options.get_field(name).column)

    unit_column, target = column(meta, unit_field), column(grants._meta, "content_object")
    quote = connection.ops.quote_name
    return (
        f"SELECT g.{quote(target)} FROM {quote(grants._meta.db_table)} g"  # nosec B608
        f" JOIN {quote(meta.db_table)} r ON r.{quote(column(meta, 'pk'))} = g.{quote(target)}"
        f" WHERE g.{quote(column(grants._meta, 'user'))} = %s"
        f" AND g.{quote(column(grants._meta, 'permission'))} = ("
        f"SELECT p.id FROM {quote(Permission._meta.db_table)} p"
        f" JOIN {quote(ContentType._meta.db_table)} ct ON ct.id = p.content_type_id"
        f" WHERE ct.app_label = %s AND ct.model = %s AND p.codename = %s LIMIT 1)"
        f" AND (r.{quote(unit_column)} IS NULL OR r.{quote(unit_column)} NOT IN ({{units}}))"
        f" LIMIT %s"
    )


def may_change_record(
    user: Any, record: models.Model, grants: type[Any], *, codename: str, unit_role: str | None
) -> bool:
    """The object check views make (was ``user.has_perm(perm, record)``), by the same rule as
    ``visible_records``. An active superuser may, as Django's ``has_perm`` always answered for one; what she
    can reach at all is still decided by the selector in front."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if grants.objects.filter(user_id=user.pk, permission__codename=codename, content_object_id=record.pk).exists():
        return True
    unit_id = getattr(record, "unit_id", None)
    if unit_role is None or unit_id is None:
        return False
    return Membership.objects.filter(user_id=user.pk, unit_id=unit_id, role=unit_role).exists()


def visible_units(user: Any) -> QuerySet[Unit]:
    """The units whose page this person may open: where she is a manager (administrators: all)."""
    return visible_records(
        Unit,
        UnitUserObjectPermission,
        user,
        codename="view_unit",
        unit_role=Role.MANAGER,
        superuser_sees_all=True,
        unit_field="pk",
    )


def get_unit_for_user(user: Any, slug: str) -> Unit:
    """A unit page is for the unit's managers (and admins)."""
    return get_object_or_404(visible_units(user), slug=slug)


def uses_case_records(user: Any, *, add_perm: str, view_perm: str) -> bool:
    """Whether the pages of a kind of record about people (intakes, safety plans) exist for this person: those
    whose role makes (``add_perm``: counsellors) or reads (``view_perm``: managers) them. A superuser "has"
    every permission, so for one only a real counsellor or manager membership counts: being an administrator
    gives no access to these records."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return Membership.objects.filter(user=user, role__in=[Role.COUNSELLOR, Role.MANAGER]).exists()
    return bool(user.has_perm(add_perm) or user.has_perm(view_perm))


def may_manage_unit(user: Any, unit: Unit) -> bool:
    """Whether ``user`` manages the people of ``unit``: a manager of the unit, or an administrator."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or Membership.objects.filter(user=user, unit=unit, role=Role.MANAGER).exists())


def get_managed_unit_for_user(user: Any, slug: str) -> Unit:
    """A unit whose people ``user`` may manage (see ``may_manage_unit``); "not found" for anyone else."""
    unit = get_object_or_404(Unit, slug=slug)
    if not may_manage_unit(user, unit):
        raise Http404
    return unit


def get_member_for_user(user: Any, unit: Unit, username: str) -> Any:
    """A person with a role in ``unit``, for one who manages the unit (the caller got the unit from
    ``get_managed_unit_for_user``); anyone else in the system is "not found" here."""
    members = get_user_model().objects.filter(pk__in=Membership.objects.filter(unit=unit).values("user"))
    return get_object_or_404(members, username=username)
