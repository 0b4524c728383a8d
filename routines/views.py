from itertools import groupby

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from routines.content import localize
from routines.models import Routine
from routines.selectors import get_published_routine, published_versions, related_routines


@require_safe
def routine_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    versions = published_versions(user=request.user, query=query, lang=get_language())
    order = list(Routine.Category.values)
    versions.sort(key=lambda v: (order.index(v.routine.category), v.title))
    groups = [
        (Routine.Category(category).label, list(items))
        for category, items in groupby(versions, key=lambda v: v.routine.category)
    ]
    return render(request, "routines/list.html", {"groups": groups, "query": query, "count": len(versions)})


@require_safe
def routine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = get_published_routine(slug)
    if version.routine.staff_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "routines/detail.html",
        {
            "version": version,
            "routine": version.routine,
            "content": localize(version.content, get_language()),
            "related": related_routines(version, user=request.user),
            "show_review_banner": version.is_overdue()
            and (request.user.has_perm("routines.change_routine") or request.user.has_perm("accounts.view_membership")),
        },
    )
