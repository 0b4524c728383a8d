from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safety_plans.selectors import plan_list_for_user, tasks_for_user, uses_safety_plans


def plan_role_required(view):
    """The safety-plan pages exist only for people whose role uses them (counsellors, managers): for anyone
    else they are "not found", like the plans themselves."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not uses_safety_plans(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@require_safe
@plan_role_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "safety_plans/list.html",
        {"plans": plan_list_for_user(request.user), "tasks": tasks_for_user(request.user)},
    )
