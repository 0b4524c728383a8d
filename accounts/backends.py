"""An authentication backend that authenticates nobody and only reads a person's model permissions."""

from typing import Any

from django.contrib.auth.models import Permission


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
            fields = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(*fields).order_by()
            else:
                own = Permission.objects.filter(user=user_obj).values_list(*fields).order_by()
                rows = own.union(Permission.objects.filter(group__user=user_obj).values_list(*fields).order_by())
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
