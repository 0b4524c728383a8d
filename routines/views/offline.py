"""Offline on the phone: the service worker, the web app manifest and the list of what it keeps.

The service worker (static/js/sw.js) is served from the site root so its scope is the whole site; it keeps
only the public routine pages, as their anonymous responses mark them (core.http.cached_public_page).
"""

import json
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from routines.models import Routine
from routines.selectors import current_versions

THEME_COLOR = "#7a1010"  # the emergency bar's background (static/css/app.css)


@cache
def _service_worker_source() -> bytes:
    path = finders.find("js/sw.js")
    if not isinstance(path, str):
        raise RuntimeError("static/js/sw.js is missing")
    with open(path, "rb") as handle:
        return handle.read()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at /sw.js: a worker's scope is at most the folder it is served from."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every visit; it must never be served stale.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def web_manifest(request: HttpRequest) -> HttpResponse:
    """What makes the site installable on a phone's home screen, opening on the routine list."""
    manifest = {
        "name": _("Crisis support"),
        "short_name": _("Crisis support"),
        "description": _("Emergency routines with the numbers to call, also without a network."),
        "lang": get_language(),
        "start_url": reverse("routines:list"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline_list(request: HttpRequest) -> JsonResponse:
    """The pages and files the service worker keeps: the routine list, every published routine an anonymous
    reader may open (staff-only ones never), a facilitator guide's session mode, and the scripts and icons
    those pages use. The same for everyone, signed in or not: it lists only public addresses."""
    versions = current_versions(user=AnonymousUser())
    pages = [reverse("routines:list")]
    for version in sorted(versions, key=lambda v: v.routine.slug):
        pages.append(reverse("routines:detail", args=[version.routine.slug]))
        if version.routine.kind == Routine.Kind.FACILITATOR_GUIDE:
            pages.append(reverse("routines:session", args=[version.routine.slug]))
    assets = [
        static(name)
        for name in ("js/offline.js", "js/session.js", "favicon.svg", "icons/icon-192.png", "icons/icon-512.png")
    ]
    response = JsonResponse({"pages": pages, "assets": assets})
    response["Cache-Control"] = "no-cache"
    return response
