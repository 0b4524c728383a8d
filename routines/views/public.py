"""The pages everyone opens: the routine list and search, a routine, a facilitator guide's session mode and the
routine's PDFs. Public unless a routine is staff-only."""

from itertools import groupby
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.http import cached_public_page, is_anonymous_reader
from routines.content import localize
from routines.models import Routine, RoutineVersion
from routines.pdf_store import LANGS, routine_pdf_get
from routines.selectors import (
    get_published_routine,
    publication_stamp,
    published_page_key,
    published_versions,
    related_routines,
)

# The rendered content of a published version is cached for a day; a new version has a new cache key.
PAGE_CACHE_SECONDS = 24 * 60 * 60
# Whole pages for anonymous readers (core.http.cached_public_page): keyed on what is published, so a new version
# shows at once; the timeout only bounds what a change outside publishing (a routine made staff-only in the
# admin) leaves in a related-routines list.
PUBLIC_PAGE_SECONDS = 10 * 60


@require_safe
def routine_list(request: HttpRequest) -> HttpResponse:
    def page() -> HttpResponse:
        query = request.GET.get("q", "").strip()[:200]
        versions = published_versions(user=request.user, query=query, lang=get_language())
        order = list(Routine.Category.values)
        versions.sort(key=lambda v: (order.index(v.routine.category), v.title))
        groups = [
            (Routine.Category(category).label, list(items))
            for category, items in groupby(versions, key=lambda v: v.routine.category)
        ]
        return render(request, "routines/list.html", {"groups": groups, "query": query, "count": len(versions)})

    # A search has a query string and is never cached; the whole list is, for anonymous readers.
    key = f"routines:list.{publication_stamp()}.{get_language()}" if is_anonymous_reader(request) else ""
    return cached_public_page(request, key=key, timeout=PUBLIC_PAGE_SECONDS, render=page)


def page_context(request: HttpRequest, version: RoutineVersion, *, preview: bool = False) -> dict[str, Any]:
    """What ``routines/detail.html`` needs, for the published page and for an editor's preview."""
    lang = get_language()
    return {
        "version": version,
        "routine": version.routine,
        # Lazy: when the page's fragments come from the cache, the content is never rendered at all.
        "content": SimpleLazyObject(lambda: localize(version.content, lang)),
        "related": related_routines(version, user=request.user),
        "preview": preview,
        # A published version never changes, so its pk and publication time name its content for good.
        # A preview is never cached (timeout 0) and has a key no published page can have.
        "cache_key": f"{version.pk}.{version.published_at.timestamp() if version.published_at else 'draft'}.{lang}",
        "cache_seconds": 0 if preview else PAGE_CACHE_SECONDS,
        "show_review_banner": not preview
        and version.is_overdue()
        and (request.user.has_perm("routines.change_routine") or request.user.has_perm("accounts.view_membership")),
    }


def detail_page_key(slug: str) -> str | None:
    """The cache key of the routine's public page in the active language, or None if it has no public page
    (not published, or staff-only). What core.public_pages answers early with, and this view caches under."""
    found = published_page_key(slug)
    if found is None or found[1]:
        return None
    return f"routines:detail.{found[0]}.{get_language()}"


def session_page_key(slug: str) -> str | None:
    """The cache key of a public facilitator guide's session page in the active language, or None."""
    found = published_page_key(slug)
    if found is None or found[1] or found[2] != Routine.Kind.FACILITATOR_GUIDE:
        return None
    return f"routines:session.{found[0]}.{get_language()}"


@require_safe
def routine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = published_page_key(slug)
    if found is None:
        raise Http404
    key, staff_only, _kind = found
    if staff_only:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, "routines/detail.html", page_context(request, get_published_routine(slug)))
    return cached_public_page(
        request,
        key=f"routines:detail.{key}.{get_language()}",  # as detail_page_key
        timeout=PUBLIC_PAGE_SECONDS,
        render=lambda: render(request, "routines/detail.html", page_context(request, get_published_routine(slug))),
    )


@require_safe
def routine_session(request: HttpRequest, slug: str) -> HttpResponse:
    """A facilitator guide's agenda, one step at a time with a countdown (static/js/session.js); without
    JavaScript, the plain agenda list."""
    found = published_page_key(slug)
    if found is None or found[2] != Routine.Kind.FACILITATOR_GUIDE:
        raise Http404
    key, staff_only, _kind = found
    if staff_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())

    def page() -> HttpResponse:
        version = get_published_routine(slug)
        context = {"version": version, "routine": version.routine, "content": localize(version.content, get_language())}
        return render(request, "routines/session.html", context)

    if staff_only:
        return page()
    return cached_public_page(
        request, key=f"routines:session.{key}.{get_language()}", timeout=PUBLIC_PAGE_SECONDS, render=page
    )


@require_safe
def routine_pdf(request: HttpRequest, slug: str, variant: str) -> HttpResponseBase:
    """The print folder or the A4 print of the current version, rendered once and then served from storage,
    with an ETag so a browser that has it gets 304. Same access as the routine page."""
    version = get_published_routine(slug)
    if version.routine.staff_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lang = request.GET.get("lang")
    if lang not in LANGS:
        lang = get_language() if get_language() in LANGS else LANGS[0]
    pdf = routine_pdf_get(version=version, variant=variant, lang=lang)
    etag = f'"{pdf.sha256}"'
    response: HttpResponseBase
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = FileResponse(
            default_storage.open(pdf.file_name, "rb"),
            as_attachment=True,
            filename=pdf.download_name,
            content_type="application/pdf",
        )
    response["ETag"] = etag
    # Public content, but always revalidated: the ETag makes that cheap, and a new version shows at once.
    response["Cache-Control"] = "no-cache"
    return response
