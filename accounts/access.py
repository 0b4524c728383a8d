"""Access helpers: the only way views reach protected objects.

Each returns the object, or raises Http404 for anyone with no right to know it exists, so an outsider
cannot tell "forbidden" from "does not exist".
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from accounts.models import Membership, Unit
from accounts.roles import Role


class RecordNotFound(Http404):
    """Raised by the access helpers of case records (intakes, safety plans, incidents, print orders): "not
    found" to the person, a refusal in the audit log (accounts.audit_middleware)."""


def get_unit_for_user(user, slug: str) -> Unit:
    """A unit page is for the unit's managers (and admins)."""
    units = get_objects_for_user(user, "accounts.view_unit", klass=Unit, accept_global_perms=False)
    return get_object_or_404(units, slug=slug)


def permission_required_or_404(perm: str):
    """Like Django's ``permission_required``, but someone without the feature gets "not found": a page that
    answers 403 would tell the print shop, say, that incident reports exist here. Put it under
    ``login_required`` so the logged-out are sent to log in first."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def uses_case_records(user, *, add_perm: str, view_perm: str) -> bool:
    """Whether the pages of a kind of record about people (intakes, safety plans) exist for this person: those
    whose role makes (``add_perm``: counsellors) or reads (``view_perm``: managers) them. A superuser "has"
    every permission, so for one only a real counsellor or manager membership counts: being an administrator
    gives no access to these records."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return Membership.objects.filter(user=user, role__in=[Role.COUNSELLOR, Role.MANAGER]).exists()
    return user.has_perm(add_perm) or user.has_perm(view_perm)
