"""Access helpers: the only way views reach protected objects.

Each returns the object, or raises Http404 for anyone with no right to know it exists, so an outsider
cannot tell "forbidden" from "does not exist".
"""

from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from accounts.models import Unit


def get_unit_for_user(user, slug: str) -> Unit:
    """A unit page is for the unit's managers (and admins)."""
    units = get_objects_for_user(user, "accounts.view_unit", klass=Unit, accept_global_perms=False)
    return get_object_or_404(units, slug=slug)
