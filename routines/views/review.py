"""Reading a routine's past: its version history, the changes between two versions, and the routines whose
review date has passed. Editors and managers of the owner unit, and superusers; others get 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.http import AuthenticatedHttpRequest
from routines.access import get_routine_for_reviewer, may_edit, reviewable_routines, reviewer_units
from routines.diff import version_diff
from routines.selectors import overdue_versions, version_history, versions_by_number


@login_required
@require_safe
def routine_history(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    routine = get_routine_for_reviewer(request.user, slug)
    return render(
        request,
        "routines/history.html",
        {"routine": routine, "versions": version_history(routine), "can_edit": may_edit(request.user, routine)},
    )


@login_required
@require_safe
def routine_diff(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    routine = get_routine_for_reviewer(request.user, slug)
    versions = versions_by_number(routine)
    try:
        old, new = versions[int(request.GET.get("from", ""))], versions[int(request.GET.get("to", ""))]
    except (KeyError, ValueError):
        raise Http404 from None
    return render(
        request,
        "routines/diff.html",
        {"routine": routine, "old": old, "new": new, "groups": version_diff(old, new, get_language())},
    )


@login_required
@require_safe
def routine_overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not reviewer_units(request.user).exists():
        raise Http404
    versions = overdue_versions(routines=reviewable_routines(request.user))
    return render(request, "routines/overdue.html", {"versions": versions})
