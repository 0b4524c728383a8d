"""HTTP habits every page shares."""

import hashlib
import os
from collections.abc import Callable
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers


class AuthenticatedHttpRequest(HttpRequest):
    """For type checking only: the request of a view behind ``login_required``, whose user is signed in
    (django-stubs' documented pattern; nothing checks it at run time)."""

    user: User


class PrivatePagesMiddleware:
    """Nothing a signed-in person sees is kept in a browser or proxy cache.

    On a shared office computer, the back button after logging out must not bring an intake back, and a
    proxy must never hand one person's page to another. A response that already says how it may be cached
    (the public routine PDFs, with their ETag) keeps its own header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            response[SIGNED_IN_HEADER] = "1"
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
                patch_vary_headers(response, ["Cookie"])
        return response


# A response that carries this header may be kept by the service worker (static/js/sw.js) for reading offline:
# only public pages rendered for an anonymous reader get it (``cached_public_page``). Signed-in responses carry
# SIGNED_IN_HEADER instead, so the service worker knows to go to the network first (PrivatePagesMiddleware).
OFFLINE_COPY_HEADER = "X-Offline-Copy"
SIGNED_IN_HEADER = "X-Signed-In"


def is_anonymous_reader(request: HttpRequest) -> bool:
    """A GET without a query string from someone not signed in and with no session (so no messages waiting):
    the page they get is the page every such visitor gets."""
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


CODE_ROOT = Path(__file__).resolve().parent.parent
CODE_SUFFIXES = {".py", ".html", ".css", ".js", ".po"}
NOT_CODE = {".venv", "var", "tests", ".git", "node_modules", "benchmarks"}


@once
def release_stamp() -> str:
    """A digest of this release's code, templates, styles and translations, computed once per process: part
    of every cached page's key, so a shared cache (Redis) never hands out a page the previous release rendered
    (with its templates and its static file names)."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(CODE_ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in NOT_CODE and not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in CODE_SUFFIXES:
                digest.update(str(path.relative_to(CODE_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_public_page(
    request: HttpRequest, *, key: str, timeout: int, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The whole response from ``render()``, kept in the cache under ``key`` for anonymous readers.

    ``key`` must name everything the page shows (the caller builds it from what it reads from the database
    first, e.g. the published version and the language), so a change makes a new key and is shown on the next
    read of the key, in every process, whatever the cache backend (core.public_pages keeps a read key for a
    second). Anyone else (signed in, with a session, with a query string)
    gets ``render()`` as before. The response is stored before any middleware adds its headers (CSP, Vary), so
    those are added to a cached response as to a fresh one. Browsers may keep it but must ask again each time
    (``no-cache``); it varies by Cookie (the language, a session).
    """
    if not is_anonymous_reader(request):
        return render()
    cache_key = public_page_cache_key(key)
    response: HttpResponse | None = cache.get(cache_key)
    if response is None:
        response = render()
        if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
            return response
        cache.set(cache_key, response, timeout)
    return mark_public_page(response)


def public_page_cache_key(key: str) -> str:
    """Where ``cached_public_page`` keeps the page named ``key`` (core.public_pages reads it from there)."""
    return f"public-page:{release_stamp()}:{key}"


def mark_public_page(response: HttpResponse) -> HttpResponse:
    """The headers of a page every anonymous reader gets alike: browsers ask again each time, it varies by
    Cookie, and the service worker may keep it."""
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    response[OFFLINE_COPY_HEADER] = "public"
    return response
