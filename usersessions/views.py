"""The idle dialog's two endpoints (static/js/idle.js): how long the session has left, and "stay signed in";
and the page where a person sees their other sessions and ends them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import ConfirmPasswordForm
from core.http import AuthenticatedHttpRequest
from usersessions.middleware import leave_session_untouched
from usersessions.selectors import absolute_seconds_left, other_sessions_last_active, stored_seconds_left
from usersessions.services import end_sessions


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
def status(request: HttpRequest) -> JsonResponse:
    """The time left as the server sees it, without renewing it: another tab may have kept the session alive
    (the page asks before it opens its warning), or it may already have ended."""
    if not request.user.is_authenticated:
        return _answer(remaining=0, absolute=0)
    absolute = absolute_seconds_left(request.session)
    return _answer(remaining=min(stored_seconds_left(request.session), absolute), absolute=absolute)


@require_POST
@never_cache
def keep_alive(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": this request itself renews the idle timeout (SESSION_SAVE_EVERY_REQUEST), never past
    the absolute limit (SessionLifetimeMiddleware ends the session there however active it is)."""
    if not request.user.is_authenticated:
        return _answer(remaining=0, absolute=0, status=401)
    absolute = absolute_seconds_left(request.session)
    request.session.modified = True  # saved with a new expiry even if SESSION_SAVE_EVERY_REQUEST is turned off
    return _answer(remaining=min(settings.SESSION_COOKIE_AGE, absolute), absolute=absolute)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def others(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's other signed-in sessions (when each was last active; no device or address is stored), and
    "Log out everywhere else" after entering the password again."""
    form = ConfirmPasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        count = end_sessions(request.user, actor=request.user, keep=request.session.session_key)
        messages.success(
            request,
            ngettext("%(count)d other session was ended.", "%(count)d other sessions were ended.", count)
            % {"count": count},
        )
        return redirect("usersessions:others")
    last_active = other_sessions_last_active(user=request.user, keep=request.session.session_key)
    return render(request, "usersessions/sessions.html", {"form": form, "last_active": last_active})
