"""Reading a routine's past: its version history, the changes between two versions, and the routines whose
review date has passed. Editors and managers of the owner unit, and superusers; others get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.http import AuthenticatedHttpRequest
from routines.access import get_routine_for_reviewer, may_edit, reviewable_routines, reviewer_units
from routines.diff import version_diff
from routines.forms import ApprovalForm
from routines.models import RoutineVersion
from routines.selectors import (
    overdue_versions,
    related_titles,
    routines_needing_revision,
    version_history,
    versions_by_number,
)
from routines.services import publish_problems, routine_version_approve, version_number_changes


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
        {
            "routine": routine,
            "old": old,
            "new": new,
            "groups": version_diff(old, new, get_language(), titles=related_titles([old, new])),
        },
    )


@login_required
@require_safe
def routine_overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not reviewer_units(request.user).exists():
        raise Http404
    routines = reviewable_routines(request.user)
    return render(
        request,
        "routines/overdue.html",
        {
            "versions": overdue_versions(routines=routines),
            "needing_revision": routines_needing_revision(routines=routines),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def routine_version_approve_view(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """The second person's screen: what changed against the published version, contacts and phone numbers
    first, and the approval that publishes it. Editors and managers of the owner unit; others get 404."""
    routine = get_routine_for_reviewer(request.user, slug)
    versions = versions_by_number(routine)
    version = versions.get(number)
    if version is None:
        raise Http404
    if version.status != RoutineVersion.Status.DRAFT:
        messages.info(request, _("Version %(number)s is published already.") % {"number": number})
        return redirect("routines:history", slug=routine.slug)
    published = [v for v in versions.values() if v.status == RoutineVersion.Status.PUBLISHED and v.number < number]
    current = max(published, key=lambda v: v.number) if published else None
    changes = version_number_changes(version)
    form = ApprovalForm(request.POST if request.method == "POST" else None, with_numbers=bool(changes))
    refused: list[str] = []
    if request.method == "POST" and version.awaiting_approval and form.is_valid():
        try:
            routine_version_approve(
                version=version,
                user=request.user,
                numbers_confirmed=form.cleaned_data.get("numbers_confirmed", False),
                next_review=form.cleaned_data["next_review"],
            )
        except ValidationError as error:
            refused = error.messages
        else:
            messages.success(request, _("Version %(number)s is approved and published.") % {"number": version.number})
            return redirect("routines:history", slug=routine.slug)
    elif request.method == "POST" and not version.awaiting_approval:
        refused = [_("This draft is not waiting for approval. Its editor must send it for approval first.")]
    empty = RoutineVersion(routine=routine, title_nb="", title_en="", summary_nb="", summary_en="", content={})
    return render(
        request,
        "routines/approve.html",
        {
            "routine": routine,
            "version": version,
            "current": current,
            "number_changes": changes,
            "groups": version_diff(
                current or empty,
                version,
                get_language(),
                contacts_first=True,
                titles=related_titles([current or empty, version]),
            ),
            "problems": publish_problems(version.content),
            "own_request": version.submitted_by_id == request.user.pk,
            "form": form,
            "refused": refused,
        },
    )
