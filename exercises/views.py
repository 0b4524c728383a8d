"""Exercises of routines: the list, recording one, one exercise with its actions. Editors and managers of the
routine's owner unit, and superusers; everyone else gets 404 (exercises.access)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.http import AuthenticatedHttpRequest
from exercises import services
from exercises.access import (
    get_exercise_action,
    get_exercise_for_user,
    get_routine_for_exercises,
    may_use_exercises,
)
from exercises.forms import ExerciseForm
from exercises.models import Exercise
from exercises.selectors import exercise_actions, exercise_list, exercise_people, routine_role_titles
from incidents.forms import ActionForm, ActionUpdateForm
from routines.access import reviewable_routines
from routines.selectors import routines_with_latest_version


@login_required
@require_safe
def exercise_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_use_exercises(request.user):
        raise Http404
    return render(
        request,
        "exercises/list.html",
        {
            "exercises": exercise_list(request.user)[:200],
            "routines": routines_with_latest_version(reviewable_routines(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    routine = get_routine_for_exercises(request.user, slug)
    form = ExerciseForm(request.POST or None, role_titles=routine_role_titles(routine, get_language() or "nb"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exercise = services.exercise_record(
                routine=routine,
                user=request.user,
                held_on=data["held_on"],
                kind=data["kind"],
                roles_present=form.roles(),
                participant_count=data["participant_count"],
                what_worked=data["what_worked"],
                what_did_not=data["what_did_not"],
                needs_revision=data["needs_revision"],
                revision_note=data["revision_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The exercise is recorded. Turn what did not work into actions below."))
            return redirect("exercises:detail", pk=exercise.pk)
    return render(request, "exercises/new.html", {"routine": routine, "form": form})


def _detail(
    request: AuthenticatedHttpRequest,
    exercise: Exercise,
    *,
    action_form: ActionForm | None = None,
    update_forms: dict[object, ActionUpdateForm] | None = None,
) -> HttpResponse:
    """The exercise's page; with a form that did not validate, shown again with its errors (400)."""
    update_forms = update_forms or {}
    return render(
        request,
        "exercises/detail.html",
        {
            "exercise": exercise,
            "rows": [
                (action, update_forms.get(action.pk) or ActionUpdateForm(instance=action, prefix=str(action.pk)))
                for action in exercise_actions(exercise)
            ],
            "action_form": action_form or ActionForm(people=exercise_people(exercise.routine), prefix="new"),
            "today": timezone.localdate(),
        },
        status=400 if action_form or update_forms else 200,
    )


@login_required
@require_safe
def exercise_detail(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    return _detail(request, get_exercise_for_user(request.user, pk))


@login_required
@require_POST
def exercise_action_add(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    exercise = get_exercise_for_user(request.user, pk)
    form = ActionForm(request.POST, people=exercise_people(exercise.routine), prefix="new")
    if form.is_valid():
        try:
            services.exercise_action_add(
                exercise=exercise,
                user=request.user,
                description=form.cleaned_data["description"],
                responsible=form.cleaned_data["responsible"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action is added."))
            return redirect("exercises:detail", pk=exercise.pk)
    return _detail(request, exercise, action_form=form)


@login_required
@require_POST
def exercise_action_update(request: AuthenticatedHttpRequest, pk: str, action_pk: str) -> HttpResponse:
    exercise = get_exercise_for_user(request.user, pk)
    action = get_exercise_action(exercise, action_pk)
    form = ActionUpdateForm(request.POST, instance=action, prefix=str(action.pk))
    if form.is_valid():
        try:
            services.exercise_action_update(
                action=action,
                user=request.user,
                status=form.cleaned_data["status"],
                evaluation=form.cleaned_data["evaluation"],
                status_reason=form.cleaned_data["status_reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("exercises:detail", pk=exercise.pk)
    return _detail(request, exercise, update_forms={action.pk: form})
