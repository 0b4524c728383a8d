"""The idle dialog's two endpoints (static/js/idle.js): how long the session has left, and "stay signed in"."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.middleware import leave_session_untouched
from accounts.sessions import absolute_seconds_left, stored_seconds_left


def _answer(*, remaining: int, absolute: int, status: int = 200) -> JsonResponse:
    """``remaining``: seconds until the session ends; ``limited``: it ends at the absolute limit, so staying
    signed in cannot extend it."""
    return JsonResponse(
        {
            "authenticated": remaining > 0,
            "remaining": remaining,
            "limited": remaining > 0 and absolute <= remaining,
        },
        status=status,
    )


@require_safe
@never_cache
@leave_session_untouched
def session_status(request: HttpRequest) -> JsonResponse:
    """The time left as the server sees it, without renewing it: another tab may have kept the session alive
    (the page asks before it opens its warning), or it may already have ended."""
    if not request.user.is_authenticated:
        return _answer(remaining=0, absolute=0)
    absolute = absolute_seconds_left(request.session)
    return _answer(remaining=min(stored_seconds_left(request.session), absolute), absolute=absolute)


@require_POST
@never_cache
def session_keep_alive(request: HttpRequest) -> JsonResponse:
    """"Stay signed in": this request itself renews the idle timeout (SESSION_SAVE_EVERY_REQUEST), never past
    the absolute limit (SessionLifetimeMiddleware ends the session there however active it is)."""
    if not request.user.is_authenticated:
        return _answer(remaining=0, absolute=0, status=401)
    absolute = absolute_seconds_left(request.session)
    request.session.modified = True  # saved with a new expiry even if SESSION_SAVE_EVERY_REQUEST is turned off
    return _answer(remaining=min(settings.SESSION_COOKIE_AGE, absolute), absolute=absolute)
