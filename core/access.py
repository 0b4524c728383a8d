"""Access building blocks shared by every app. Each app's own ``access.py`` has the one helper per protected
model; these are the pieces those helpers and the views are made of."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def role_required(uses: Callable[[Any], bool]) -> Callable[[View], View]:
    """The pages of a feature exist only for people whose role uses it (``uses(user)``): for anyone else they
    are "not found", like the records themselves. The logged-out are sent to log in first."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not uses(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator
