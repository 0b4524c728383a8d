"""Cached public pages served before the rest of the middleware runs.

An anonymous reader's routine page is the same bytes for every such reader (``core.http.cached_public_page``).
Through the whole stack, a cached page still paid for the session, CSRF, authentication, two-factor, messages
and audit middleware, about as much again as the page itself. ``EarlyPublicPageMiddleware`` sits just after
the static files and answers a request for such a page from the cache when it can, and hands everything else
on untouched. Feature apps say which addresses it may answer (``register``, from their ``AppConfig.ready``),
with a function that returns the page's cache key, the same key their view passes to ``cached_public_page``,
so a publish changes the key and the next request renders afresh through the view.

Reading the key is a database query, and that query (its round trip and planning) was most of what a cached
page still cost (0.65 of 1.28 ms in-process; docs/performance.md). So each process keeps a key it has read for
``PUBLIC_PAGE_KEY_SECONDS`` (``DJANGO_PUBLIC_PAGE_KEY_SECONDS``, default 1; 0 reads it on every request) and
forgets every key at once when this process saves a change the feature registers (``forget_keys``, from the
feature's signals). A change made in another process (another worker, another server) reaches this one's
readers within that second: no reader can tell that from having loaded the page a second earlier, and a
phone's offline copy is older than that anyway. Only keys of pages that exist are kept, so requests for
made-up addresses cannot grow the memo.

A cached response gets what the middleware it skips would have added to it: the language headers
(core.i18n.LanguageMiddleware), X-Frame-Options, the Content-Security-Policy and Content-Length; tests/core compares the
headers of a page served here with the same page served by its view.
"""

import re
from collections.abc import Callable
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils import translation

from core.http import mark_public_page, public_page_cache_key

# (path pattern, function of the pattern's named groups returning the page's cache key, or None when the page
# must go through its view: not published, staff-only, ...). Called with the reader's language active.
PageKey = Callable[..., str | None]
_pages: list[tuple[re.Pattern[str], PageKey]] = []
# (pattern, its named groups, language) -> (read at, per time.monotonic(); the key): keys read in this process.
_keys: dict[tuple[str, tuple[tuple[str, str], ...], str], tuple[float, str]] = {}


def register(pattern: str, key: PageKey) -> None:
    """Let ``EarlyPublicPageMiddleware`` answer requests whose path matches ``pattern`` (a regular expression
    matched whole against the path) from the cache, under the key ``key(**named groups)`` returns."""
    _pages.append((re.compile(pattern), key))


def forget_keys() -> None:
    """Read every page's key afresh on its next request: a feature calls this when this process has saved
    something its public pages show (routines: a version published, a routine made staff-only)."""
    _keys.clear()


def _page_key(pattern: re.Pattern[str], key_of: PageKey, groups: dict[str, str]) -> str | None:
    """``key_of(**groups)`` in the active language, from this process's memo while it is fresh."""
    seconds = settings.PUBLIC_PAGE_KEY_SECONDS
    if not seconds:
        return key_of(**groups)
    memo = (pattern.pattern, tuple(sorted(groups.items())), translation.get_language())
    now = monotonic()
    known = _keys.get(memo)
    if known is not None and now - known[0] < seconds:
        return known[1]
    key = key_of(**groups)
    if key is None:
        _keys.pop(memo, None)
    else:
        _keys[memo] = (now, key)
    return key


def _no_response(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only process_response is used")  # pragma: no cover


class EarlyPublicPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # What the middleware below this one adds to a response that does not come from a view; the CSP
        # middleware reads the response's own policy additions (the inline style's hash), kept in the cache.
        from csp.middleware import CSPMiddleware

        from core.i18n import LanguageMiddleware

        self.language = LanguageMiddleware(_no_response)
        self.csp = CSPMiddleware(_no_response)
        self.frame_options = XFrameOptionsMiddleware(_no_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self._cached(request) if _pages else None
        return response if response is not None else self.get_response(request)

    def _cached(self, request: HttpRequest) -> HttpResponseBase | None:
        # The same test as core.http.is_anonymous_reader, before there is a request.user: without a session
        # cookie nobody is signed in.
        if (
            request.method != "GET"
            or request.META.get("QUERY_STRING")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
        ):
            return None
        for pattern, key_of in _pages:
            match = pattern.fullmatch(request.path_info)
            if match is None:
                continue
            self.language.process_request(request)
            key = _page_key(pattern, key_of, match.groupdict())
            response: HttpResponse | None = cache.get(public_page_cache_key(key)) if key else None
            if response is None:
                translation.deactivate()  # the full stack sets the language again
                return None
            mark_public_page(response)
            response.headers.setdefault("Content-Length", str(len(response.content)))  # as CommonMiddleware
            framed = self.frame_options.process_response(request, response)
            self.csp.process_request(request)
            answer = self.csp.process_response(request, framed)
            return self.language.process_response(request, answer)
        return None
