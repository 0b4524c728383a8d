"""The counsellor's wizard: the list of intakes, starting one, resuming it, and its steps."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from core.pagination import CappedPaginator
from intake import navigation
from intake.access import get_intake_for_user, intake_role_required
from intake.evaluator import Evaluation
from intake.finalize import risk_summary
from intake.forms import CoverLabelForm
from intake.models import Intake
from intake.questionnaire import Item, Tree
from intake.selectors import (
    counsellor_unit_for,
    intake_list_for_user,
    intake_tree_version,
    may_change_intake,
)
from intake.services import RevisionConflict, intake_create, intake_save_step, intake_set_cover_label
from intake.wizard import (
    answers_display,
    answers_from,
    initial_for,
    step_form_class,
    step_nodes,
    step_questions,
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
    return render(
        request,
        "intake/list.html",
        {"page": page, "can_start": request.user.has_perm("intake.add_intake")},
    )


@require_POST
@intake_role_required
def intake_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("intake.add_intake"):
        raise Http404
    unit = counsellor_unit_for(request.user)
    version = intake_tree_version(get_language())
    if unit is None or version is None:
        messages.error(request, _("No question tree is published yet. Ask an editor to publish one."))
        return redirect("intake:list")
    intake = intake_create(user=request.user, unit=unit, tree_version=version)
    return redirect(step_url(intake, intake.current_step))


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
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    evaluation = Evaluation(tree, intake.answers)
    steps = evaluation.steps()
    position = navigation.step_index(steps, step)
    saved_here = [
        (item, answers_display(item, evaluation.answers[item.link_id]))
        for item in step_questions(step)
        if evaluation.answers.get(item.link_id)
    ]
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
            "nodes": step_nodes(tree, step, form, intake.answers),
            "conflict": conflict,
            "saved_here": saved_here,
            "risk": risk_summary(tree, evaluation) if show_risk else None,
        },
        status=status,
    )


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
    form_class = step_form_class(tree, current)
    if request.method != "POST":
        audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
        form = form_class(initial={**initial_for(tree, current, intake.answers), "revision": intake.revision})
        return _render_step(request, intake, tree, current, form)

    form = form_class(request.POST, request.FILES)
    action = navigation.Action.parse(request.POST.get("action"))
    if not form.is_valid():
        return _render_step(request, intake, tree, current, form)
    values = answers_from(tree, current, form.cleaned_data)
    move = navigation.move(tree, current, {**intake.answers, **values}, action)
    if move.blocked:
        for item in move.missing:
            form.add_error(f"q{item.index}", _("Please answer this question."))
        return _render_step(request, intake, tree, current, form)
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
        form = form_class(data)
        form.is_valid()
        return _render_step(request, intake, tree, current, form, conflict=True, status=409)
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
