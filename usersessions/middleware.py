"""Session middleware: Django's, with reads that do not renew the idle timeout, and the absolute limit."""

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "auth_started_at"


def leave_session_untouched(view):
    """For a view that only reads the session (the idle dialog's status check): its request must not renew
    the idle timeout, or asking "how long is left?" would itself keep the session alive."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.leave_session_untouched = True
        return view(request, *args, **kwargs)

    return wrapped


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a request marked by ``leave_session_untouched`` does not save (renew) an unchanged
    session even with SESSION_SAVE_EVERY_REQUEST. A session changed during the request (ended, say) is still
    saved or deleted as usual."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if getattr(request, "leave_session_untouched", False) and session is not None and not session.modified:
            return response
        return super().process_response(request, response)


class SessionLifetimeMiddleware:
    """Ends a signed-in session SESSION_ABSOLUTE_MAX_AGE seconds after it began, however active it is.

    The idle limit is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST); this adds the
    absolute one, so a session left open on a shared computer cannot live for days.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED_KEY, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_MAX_AGE:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
