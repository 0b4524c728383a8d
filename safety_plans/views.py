from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safety_plans.selectors import plan_list_for_user, tasks_for_user, uses_safety_plans


@require_safe
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not uses_safety_plans(request.user):
        raise Http404
    return render(
        request,
        "safety_plans/list.html",
        {"plans": plan_list_for_user(request.user), "tasks": tasks_for_user(request.user)},
    )
