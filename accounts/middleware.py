import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
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


class LanguageMiddleware(LocaleMiddleware):
    """Bokmål unless the person has chosen English with the language switcher.

    Django's own LocaleMiddleware also follows the browser's Accept-Language; here the product's language is
    bokmål first, so a browser set to English still gets bokmål until the person switches.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivatePagesMiddleware:
    """Nothing a signed-in person sees is kept in a browser or proxy cache.

    On a shared office computer, the back button after logging out must not bring an intake back, and a
    proxy must never hand one person's page to another. A response that already says how it may be cached
    (the public routine PDFs, with their ETag) keeps its own header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
            patch_vary_headers(response, ["Cookie"])
        return response
