"""An authentication backend that authenticates nobody and only reads a person's model permissions."""

from functools import cache
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


@cache
def _permissions_sql() -> tuple[str, str]:
    """(everyone's, one person's) model permissions as ``app_label, codename`` rows: plain SQL, table names from
    the models. Building the same query with the ORM (a union of two joins) cost twice what running it did."""
    permissions = Permission._meta.db_table
    content_types = ContentType._meta.db_table
    own = Permission.user_set.through._meta.db_table
    in_groups = Permission.group_set.through._meta.db_table
    members = Group.user_set.through._meta.db_table
    every = f"SELECT ct.app_label, p.codename FROM {permissions} p JOIN {content_types} ct ON ct.id = p.content_type_id"
    mine = (
        f"{every} WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %s"
        f" UNION SELECT gp.permission_id FROM {in_groups} gp JOIN {members} ug ON ug.group_id = gp.group_id"
        f" WHERE ug.user_id = %s)"
    )
    return every, mine


class PermissionsInOneQueryBackend:
    """Reads a person's model permissions (her own and her groups') in one query instead of Django's two.

    Listed before ``ModelBackend`` and ``SingleSignOnBackend``: it fills the per-request cache they read
    (``user._perm_cache``), so they answer from it and query nothing. Every page behind
    ``permission_required_or_404`` asks once; the second query was a tenth of the incident list's own work
    beyond the framework floor (docs/performance.md).

    It logs nobody in and loads nobody from a session: ``authenticate`` answers None, and there is no
    ``get_user`` (so the test client's ``force_login`` and the sessions keep naming the backend that did)."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            every, mine = _permissions_sql()
            with connection.cursor() as cursor:
                if user_obj.is_superuser:
                    cursor.execute(every)  # nosec B608 (table names from the models; the id is a parameter)
                else:
                    cursor.execute(mine, [user_obj.pk, user_obj.pk])  # nosec B608
                rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
