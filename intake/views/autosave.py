"""Autosave of an intake step (static/js/intake.js): the step's answers are saved in the background while the
counsellor types, through the same service as "Save and continue" (``intake_save_step``, with its revision
check), so an expired session loses nothing that could be saved.

What is saved: every question on the step whose answer validates, as a normal save would store it; a
question whose answer does not validate yet (a number field holding "abc", a date out of range) keeps its
previously saved answer, and stays as typed on the page. Required questions may still be empty: this is a
draft, and "Save and continue" still asks for them. A change that would clear answers on other steps (a
condition that no longer holds) is held back until the counsellor saves the step herself, which says what it
cleared.

Which values are saved is ``intake.wizard.autosave_values``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake import navigation
from intake.access import get_intake_for_user, intake_role_required
from intake.evaluator import Evaluation
from intake.expressions import has_expressions, launch_context
from intake.questionnaire import Tree
from intake.repeats import shape_from_data
from intake.services import RevisionConflict, intake_save_step
from intake.wizard import autosave_values, step_form_class


@require_POST
@never_cache
@intake_role_required
def intake_step_autosave(request: HttpRequest, pk: Any, step: str) -> JsonResponse:
    intake = get_intake_for_user(request.user, pk, for_change=True)
    tree = Tree(intake.tree_version.questionnaire)
    current = navigation.find_step(tree, step)
    if current is None:
        raise Http404
    if not intake.is_draft or current not in navigation.applicable_steps(tree, intake.answers):
        # Finalized, or the step no longer applies: nothing to autosave; the normal save says why.
        return JsonResponse({"saved": False, "reason": "closed"}, status=409)
    evaluation = Evaluation(tree, intake.answers, launch=launch_context(intake.unit)) if has_expressions(tree) else None
    form = step_form_class(tree, current, shape_from_data(current, request.POST), evaluation=evaluation)(request.POST)
    form.is_valid()
    revision = form.cleaned_data.get("revision")
    if revision is None:
        return JsonResponse({"saved": False, "reason": "invalid"}, status=400)
    values, unsaved = autosave_values(tree, current, form, intake.answers, evaluation)
    try:
        saved = intake_save_step(
            intake=intake,
            user=request.user,
            step=current.link_id,
            values=values,
            revision=revision,
            next_step=current.link_id,
            autosave=True,
        )
    except RevisionConflict:
        # Saved from another tab since this page was loaded: never overwrite it in the background.
        return JsonResponse({"saved": False, "reason": "conflict"}, status=409)
    except ValidationError:
        return JsonResponse({"saved": False, "reason": "closed"}, status=409)
    if saved.held_back:
        return JsonResponse({"saved": False, "reason": "would_clear", "revision": saved.intake.revision})
    return JsonResponse(
        {"saved": True, "changed": saved.changed, "revision": saved.intake.revision, "unsaved": len(unsaved)}
    )
