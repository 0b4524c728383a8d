"""Access building blocks shared by every app. Each app's own ``access.py`` has the one helper per protected
model; these are the pieces those helpers and the views are made of."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

View = Callable[..., HttpResponseBase]
M = TypeVar("M", bound=Model)


def role_required(uses: Callable[[Any], bool]) -> Callable[[View], View]:
    """The pages of a feature exist only for people whose role uses it (``uses(user)``): for anyone else they
    are "not found", like the records themselves. The logged-out are sent to log in first.

    The refusal is a ``RecordNotFound``, so that on a page about one record (a removed counsellor opening her
    intake's step) the audit log has it as a refused access, as when the record's own access helper refuses."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not uses(request.user):
                raise RecordNotFound
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


class RecordNotFound(Http404):
    """Raised by the access helpers of records about people (intakes, safety plans, incidents, print orders):
    "not found" to the person, and a refusal in the audit log (``audit.middleware``), which tells it from any
    other 404 by this class."""


def get_or_not_found(queryset: QuerySet[M], **lookups: Any) -> M:
    """The one object of ``queryset`` (already scoped to what the person may see) matching ``lookups``, or
    ``RecordNotFound``: also for a malformed id, so a typo and a forbidden record answer alike. The base of an
    app's access helper (``get_<thing>_for_user``)."""
    try:
        return queryset.get(**lookups)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise RecordNotFound from None


def permission_required_or_404(perm: str) -> Callable[[View], View]:
    """Like Django's ``permission_required``, but someone without the feature gets "not found": a page that
    answers 403 would tell the print shop, say, that incident reports exist here. Put it under
    ``login_required`` so the logged-out are sent to log in first."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
