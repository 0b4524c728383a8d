"""The counsellor's wizard: the list of intakes, starting one, resuming it, and its steps."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audit.services import audit_log
from core.pagination import CappedPaginator
from intake import navigation
from intake.access import get_intake_for_user, intake_role_required
from intake.evaluator import Evaluation
from intake.expressions import has_expressions, launch_context, step_uses_expressions
from intake.finalize import risk_summary
from intake.forms import CoverLabelForm, NewIntakeForm
from intake.models import Intake
from intake.questionnaire import Item, Tree
from intake.repeats import (
    Shape,
    apply_action,
    count_name,
    has_rows,
    is_repeating_group,
    name,
    parse_action,
    shape_from_answers,
    shape_from_data,
)
from intake.selectors import (
    counsellor_unit_for,
    enabled_trees_for_unit,
    intake_list_for_user,
    may_change_intake,
    startable_tree_versions,
    tree_setting_units,
)
from intake.services import RevisionConflict, intake_create, intake_save_step, intake_set_cover_label
from intake.wizard import (
    answer_rows,
    answers_from,
    autosave_values,
    expression_initial,
    initial_for,
    step_form_class,
    step_nodes,
    uploads_from,
)

LIST_PAGE_SIZE = 25


def step_url(intake: Intake, step: str) -> str:
    """Where a step (or the review past the last one) of this intake is."""
    if step == navigation.REVIEW or not step:
        return reverse("intake:review", args=[intake.pk])
    return reverse("intake:step", args=[intake.pk, step])


@require_safe
@intake_role_required
def intake_list(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(intake_list_for_user(request.user), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    can_start = request.user.has_perm("intake.add_intake")
    unit = counsellor_unit_for(request.user) if can_start else None
    # One tree in use: the button starts it at once; several: the new-intake page asks which.
    choose_tree = unit is not None and len(enabled_trees_for_unit(unit)) > 1
    return render(
        request,
        "intake/list.html",
        {
            "page": page,
            "can_start": can_start,
            "choose_tree": choose_tree,
            "sets_trees": tree_setting_units(request.user).exists(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_new(request: HttpRequest) -> HttpResponse:
    """Start an intake with one of the trees in use at the counsellor's unit (the list's button posts here
    directly when there is only one), or from a QuestionnaireResponse file (intake.views.exchange)."""
    if not request.user.has_perm("intake.add_intake"):
        raise Http404
    unit = counsellor_unit_for(request.user)
    versions = startable_tree_versions(unit, get_language()) if unit is not None else []
    if unit is None or not versions:
        messages.error(request, _("No question tree is published yet. Ask an editor to publish one."))
        return redirect("intake:list")
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if "tree" not in data and len(versions) == 1:
            data["tree"] = versions[0].tree.slug
    form = NewIntakeForm(data, versions=versions)
    if data is not None and form.is_valid():
        intake = intake_create(user=request.user, unit=unit, tree_version=form.version())
        return redirect(step_url(intake, intake.current_step))
    return render(request, "intake/new.html", {"form": form, "unit": unit})


@require_safe
@intake_role_required
def intake_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """Resume: a draft opens where its counsellor left it; anything else opens its review page."""
    intake = get_intake_for_user(request.user, pk)
    if intake.is_draft and may_change_intake(request.user, intake):
        return redirect(step_url(intake, intake.current_step))
    return redirect("intake:review", pk=intake.pk)


def _render_step(
    request: HttpRequest,
    intake: Intake,
    tree: Tree,
    step: Item,
    form: Form,
    *,
    shape: Shape | None = None,
    conflict: bool = False,
    status: int = 200,
    focus: str = "",
) -> HttpResponse:
    evaluation = Evaluation(tree, intake.answers, launch=launch_context(intake.unit))
    steps = evaluation.steps()
    position = navigation.step_index(steps, step)
    summary = tree.risk_summary
    # The risk summary comes before the step that follows it in the tree (the assessment): its signs are
    # answered by then, and the counsellor sees the level before giving her own.
    show_risk = summary is not None and step.index > summary.index
    return render(
        request,
        "intake/step.html",
        {
            "intake": intake,
            "tree": tree,
            "step": step,
            "steps": steps,
            "position": position + 1,
            "count": len(steps),
            "is_first": position == 0,
            "form": form,
            "nodes": step_nodes(tree, step, form, intake.answers, shape, evaluation=evaluation),
            "can_update": step_uses_expressions(step),
            "conflict": conflict,
            "saved_here": answer_rows(step, evaluation.answers),
            "risk": risk_summary(tree, evaluation) if show_risk else None,
            "focus": focus,
        },
        status=status,
    )


def missing_message(missing: navigation.Missing) -> tuple[str, str]:
    """The field to put a "still to answer" error on, and the error."""
    item = missing.item
    if is_repeating_group(item):
        return count_name(item, missing.path), ngettext(
            "Fill in at least %(count)d; %(given)d so far.",
            "Fill in at least %(count)d; %(given)d so far.",
            missing.needed,
        ) % {"count": missing.needed, "given": missing.given}
    field = count_name(item, missing.path) if has_rows(item) else name(item, missing.path)
    if missing.needed <= 1:
        return field, _("Please answer this question.")
    return field, ngettext(
        "Give at least %(count)d answer; %(given)d so far.",
        "Give at least %(count)d answers; %(given)d so far.",
        missing.needed,
    ) % {"count": missing.needed, "given": missing.given}


def _step_row_action(request: HttpRequest, intake: Intake, tree: Tree, current: Item) -> HttpResponse:
    """ "Add another" or "Remove" on a repeating group or question: save what validates (as autosave does,
    answers needing correction keep their saved value and stay as typed), and show the step again with the
    row added or removed. Required answers are not asked for here. A tampered action changes nothing."""
    data: QueryDict = request.POST.copy()
    action = parse_action(data.get("action", ""), current, tree.items, shape_from_data(current, data))
    if action is not None:
        data = apply_action(data, action, tree.items)
    shape = shape_from_data(current, data)
    evaluation = Evaluation(tree, intake.answers, launch=launch_context(intake.unit)) if has_expressions(tree) else None
    form_class = step_form_class(tree, current, shape, evaluation=evaluation)
    form = form_class(data, initial=initial_for(tree, current, intake.answers))
    form.is_valid()
    revision = form.cleaned_data.get("revision")
    if revision is None:
        return _render_step(request, intake, tree, current, form, shape=shape)
    values, _unsaved = autosave_values(tree, current, form, intake.answers, evaluation)
    try:
        saved = intake_save_step(
            intake=intake,
            user=request.user,
            step=current.link_id,
            values=values,
            revision=revision,
            next_step=current.link_id,
        )
    except RevisionConflict as conflict:
        data = data.copy()
        data["revision"] = str(conflict.intake.revision)
        form = form_class(data, initial=initial_for(tree, current, conflict.intake.answers))
        form.is_valid()
        return _render_step(request, conflict.intake, tree, current, form, shape=shape, conflict=True, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:review", pk=intake.pk)
    data = data.copy()
    data["revision"] = str(saved.intake.revision)
    form = form_class(data)
    form.is_valid()
    focus = ""
    if action is not None and action.kind == "add":
        focus = f"{name(action.item, (*action.path, shape.of(action.item, action.path) - 1))}-row"
    elif action is not None:
        focus = f"{count_name(action.item, action.path)}-group"
    return _render_step(request, saved.intake, tree, current, form, shape=shape, focus=focus)


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_step(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if not intake.is_draft:
        return redirect("intake:review", pk=intake.pk)
    tree = Tree(intake.tree_version.questionnaire)
    current = navigation.find_step(tree, step)
    if current is None:
        raise Http404
    if current not in navigation.applicable_steps(tree, intake.answers):
        # A step whose conditions no longer hold: back to where the counsellor is.
        return redirect(step_url(intake, intake.current_step))
    launch = launch_context(intake.unit)
    # Of the saved answers, for the options an answerExpression computes; only a tree with expressions needs it.
    saved_evaluation = Evaluation(tree, intake.answers, launch=launch) if has_expressions(tree) else None
    if request.method != "POST":
        audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
        shape = shape_from_answers(current, intake.answers)
        initial = {
            **(expression_initial(tree, current, saved_evaluation) if saved_evaluation is not None else {}),
            **initial_for(tree, current, intake.answers),
            "revision": intake.revision,
        }
        form = step_form_class(tree, current, shape, evaluation=saved_evaluation)(initial=initial)
        return _render_step(request, intake, tree, current, form, shape=shape)

    if request.POST.get("action", "").startswith(("add:", "remove:")):
        return _step_row_action(request, intake, tree, current)
    shape = shape_from_data(current, request.POST)
    form_class = step_form_class(tree, current, shape, evaluation=saved_evaluation)
    form = form_class(request.POST, request.FILES, initial=initial_for(tree, current, intake.answers))
    action = navigation.Action.parse(request.POST.get("action"))
    if not form.is_valid():
        return _render_step(request, intake, tree, current, form, shape=shape)
    values = answers_from(tree, current, form.cleaned_data, shape, evaluation=saved_evaluation)
    move = navigation.move(tree, current, {**intake.answers, **values}, action, launch=launch)
    if move.blocked:
        for missing in move.where:
            form.add_error(*missing_message(missing))
        for failed, message in move.failed:
            field = f"q{failed.index}" if failed is not None and f"q{failed.index}" in form.fields else None
            form.add_error(field, message)
        return _render_step(request, intake, tree, current, form, shape=shape)
    try:
        saved = intake_save_step(
            intake=intake,
            user=request.user,
            step=current.link_id,
            values=values,
            revision=form.cleaned_data["revision"],
            next_step=move.target,
            uploads=uploads_from(current, form.cleaned_data),
        )
    except RevisionConflict as conflict:
        intake = conflict.intake
        data = request.POST.copy()
        # Keep what was typed; a second save is then a knowing choice over the newer answers shown.
        data["revision"] = str(intake.revision)
        form = form_class(data, initial=initial_for(tree, current, intake.answers))
        form.is_valid()
        return _render_step(request, intake, tree, current, form, shape=shape, conflict=True, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:review", pk=intake.pk)
    if saved.cleared:
        messages.info(
            request,
            ngettext(
                "%(count)d answer no longer applied and was cleared.",
                "%(count)d answers no longer applied and were cleared.",
                len(saved.cleared),
            )
            % {"count": len(saved.cleared)},
        )
    for _item, message in move.warnings:
        messages.warning(request, message)
    if action is navigation.Action.CLOSE:
        messages.success(request, _("Saved. You can resume this intake from the list."))
        return redirect("intake:list")
    return redirect(step_url(intake, move.target))


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_cover_label(request: HttpRequest, pk: Any) -> HttpResponse:
    """The draft's cover label, so it can be told apart in the list; then back to where the counsellor was."""
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if not intake.is_draft:
        return redirect("intake:review", pk=intake.pk)
    form = CoverLabelForm(request.POST or None, initial={"cover_label": intake.cover_label})
    if request.method == "POST" and form.is_valid():
        intake_set_cover_label(intake=intake, user=request.user, label=form.cleaned_data["cover_label"])
        messages.success(request, _("The cover label is saved."))
        return redirect("intake:detail", pk=intake.pk)
    return render(request, "intake/cover_label.html", {"intake": intake, "form": form})


@require_safe
@intake_role_required
def intake_attachment(request: HttpRequest, pk: Any, attachment_id: Any) -> FileResponse:
    """A file answering one of the intake's questions, for whoever may see the intake; 404 to anyone else."""
    intake = get_intake_for_user(request.user, pk)
    attachment = intake.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    audit_log(actor=request.user, action="intake.attachment_downloaded", target=intake, unit=intake.unit)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(attachment.name.rsplit('.', 1)[0]) or 'file'}.{attachment.extension}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
