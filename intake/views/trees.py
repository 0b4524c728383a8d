"""Editors' screens for question trees: upload, versions, preview, publish, export, diff.

Trees are not records about people, so 404 here only hides the feature from those without it
(permission_required_or_404), like the routine editor."""

import io
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from core.access import permission_required_or_404
from intake import navigation
from intake.editor import tree_diff
from intake.evaluator import Evaluation, prune
from intake.expressions import has_expressions
from intake.finalize import outcome_name
from intake.forms import TerminologyUploadForm, UploadForm
from intake.models import TreeVersion
from intake.questionnaire import Tree, check_questionnaire, questionnaire_notices
from intake.repeats import apply_action, parse_action, shape_from_answers, shape_from_data
from intake.selectors import (
    code_systems_all,
    get_tree_version,
    tree_setting_units,
    tree_versions_all,
    tree_versions_of,
    tree_versions_other,
    value_sets_all,
)
from intake.services import terminology_import, tree_version_import, tree_version_publish
from intake.terminology import read_terminology, value_set_notices
from intake.wizard import answers_from, initial_for, step_form_class, step_nodes

TREE_EDITOR_PERM = "intake.change_treeversion"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_list(request: HttpRequest) -> HttpResponse:
    """Every tree's versions, and the upload form (same checks and messages as import_questionnaire)."""
    form = UploadForm()
    problems: list[str] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            doc, problems = check_questionnaire(upload.read())
            if not problems and doc is not None:
                try:
                    result = tree_version_import(
                        doc=doc,
                        user=request.user,
                        tree_slug=form.cleaned_data["tree"],
                        language=form.cleaned_data["language"],
                        file_name=Path(upload.name or "").stem,
                    )
                except ValidationError as error:
                    problems = error.messages
                else:
                    version = result.version
                    for notice in questionnaire_notices(doc) + value_set_notices(doc) + result.notices:
                        messages.warning(request, notice)
                    if result.created:
                        messages.success(request, _("Uploaded as a draft. Preview it, then publish it."))
                    else:
                        messages.info(
                            request,
                            _("This document was already imported as version %(number)d; nothing new was stored.")
                            % {"number": version.number},
                        )
                    return redirect(
                        "intake:tree_version", slug=version.tree.slug, language=version.language, number=version.number
                    )
    return _tree_list_page(request, form=form, problems=problems)


def _tree_list_page(request: HttpRequest, **context) -> HttpResponse:
    """The editors' tree page: versions and their upload, imported terminology and its upload."""
    return render(
        request,
        "intake/tree_list.html",
        {
            "form": UploadForm(),
            "problems": [],
            "terminology_form": TerminologyUploadForm(),
            "terminology_problems": [],
            **context,
            "versions": tree_versions_all(),
            "value_sets": value_sets_all(),
            "code_systems": code_systems_all(),
            "sets_trees": tree_setting_units(request.user).exists(),
        },
    )


@require_POST
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_terminology_upload(request: HttpRequest) -> HttpResponse:
    """ValueSets and CodeSystems for answerValueSet (same checks and lines as import_valueset)."""
    form = TerminologyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _tree_list_page(request, terminology_form=form)
    read = read_terminology(form.cleaned_data["file"].read())
    if read.problems:
        return _tree_list_page(request, terminology_form=form, terminology_problems=read.problems)
    result = terminology_import(resources=read.resources, user=request.user)
    refused = read.skipped + result.refused
    if not result.stored and not result.unchanged:
        return _tree_list_page(request, terminology_form=form, terminology_problems=refused)
    messages.success(
        request,
        _("Imported %(stored)d ValueSet(s) and CodeSystem(s); %(unchanged)d were already imported as they are.")
        % {"stored": len(result.stored), "unchanged": len(result.unchanged)},
    )
    for line in refused:
        messages.warning(request, _("Left out: %(reason)s") % {"reason": line})
    return redirect(reverse("intake:tree_list") + "#terminology-heading")


@require_safe
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_version(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = get_tree_version(slug=slug, language=language, number=number)
    tree = Tree(version.questionnaire)
    return render(
        request,
        "intake/tree_version.html",
        {
            "version": version,
            "tree": tree,
            "others": tree_versions_other(version),
            "steps": tree.steps,
            "outcomes": tree.outcomes,
        },
    )


@require_POST
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_publish(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = get_tree_version(slug=slug, language=language, number=number)
    if not version.is_published:
        try:
            # A Questionnaire whose FHIR status is draft is published only when the editor ticks that she means to.
            tree_version_publish(
                version=version, user=request.user, allow_draft=bool(request.POST.get("publish_draft"))
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Published. From now on this version never changes."))
    return redirect("intake:tree_version", slug=slug, language=language, number=number)


@require_safe
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_export(request: HttpRequest, slug: str, language: str, number: int) -> FileResponse:
    version = get_tree_version(slug=slug, language=language, number=number)
    audit_log(actor=request.user, action="intake_tree.exported", target=version)
    body = json.dumps(version.questionnaire, ensure_ascii=False, indent=2).encode()
    return FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=f"{version.tree.slug}.{version.language}.v{version.number}.json",
        content_type="application/fhir+json",
    )


@require_safe
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_diff(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    versions = tree_versions_of(slug=slug, language=language)
    if not versions:
        raise Http404
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: int) -> TreeVersion:
        try:
            return by_number[int(request.GET.get(name, default))]
        except (KeyError, ValueError):
            raise Http404 from None

    new = pick("b", versions[-1].number)
    old = pick("a", versions[-2].number if len(versions) > 1 else versions[-1].number)
    return render(
        request,
        "intake/tree_diff.html",
        {"old": old, "new": new, "versions": versions, "changes": tree_diff(old.questionnaire, new.questionnaire)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_preview(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    """Walk a version as a counsellor would, without saving anything: the answers so far travel in the
    POSTed form (a hidden field), never in the database or the browser's storage."""
    version = get_tree_version(slug=slug, language=language, number=number)
    tree = Tree(version.questionnaire)
    try:
        # The walk starts from the tree's initial answers, as a new intake does.
        answers = json.loads(request.POST["answers"]) if "answers" in request.POST else navigation.start_answers(tree)
        if not isinstance(answers, dict):
            raise ValueError
    except ValueError:
        answers = {}
    steps = navigation.applicable_steps(tree, answers)
    current = next((s for s in steps if s.link_id == request.POST.get("step")), steps[0] if steps else None)
    done = False
    shape = shape_from_answers(current, answers) if current is not None else None
    # Of the answers so far, for the options an answerExpression computes; only a tree with expressions needs it.
    saved = Evaluation(tree, answers) if has_expressions(tree) else None
    form = (
        step_form_class(tree, current, shape, evaluation=saved)(
            initial={**initial_for(tree, current, answers), "revision": 0}
        )
        if current is not None
        else None
    )
    if request.method == "POST" and current is not None and "step" in request.POST:
        data: QueryDict = request.POST.copy()
        posted = request.POST.get("action", "")
        if posted.startswith(("add:", "remove:")):
            # A row added or removed: the same step again, with what was typed (nothing is saved here).
            row_action = parse_action(posted, current, tree.items, shape_from_data(current, data))
            if row_action is not None:
                data = apply_action(data, row_action, tree.items)
            shape = shape_from_data(current, data)
            form = step_form_class(tree, current, shape, evaluation=saved)(
                data, initial=initial_for(tree, current, answers)
            )
            form.is_valid()
        else:
            shape = shape_from_data(current, data)
            bound = step_form_class(tree, current, shape, evaluation=saved)(
                data, initial=initial_for(tree, current, answers)
            )
            if bound.is_valid():
                answers = prune(
                    tree, {**answers, **answers_from(tree, current, bound.cleaned_data, shape, evaluation=saved)}
                )[0]
                steps = navigation.applicable_steps(tree, answers)
                # The preview asks for no required answers (the editor walks the tree, she does not fill it
                # in), and has no "close": only back, or on.
                back = navigation.Action.parse(posted) is navigation.Action.BACK
                target = navigation.destination(
                    steps, current, navigation.Action.BACK if back else navigation.Action.NEXT
                )
                if target == navigation.REVIEW:
                    done = True
                else:
                    current = next(s for s in steps if s.link_id == target)
                shape = shape_from_answers(current, answers)
                saved = Evaluation(tree, answers) if has_expressions(tree) else None
                form = step_form_class(tree, current, shape, evaluation=saved)(
                    initial={**initial_for(tree, current, answers), "revision": 0}
                )
            else:
                form = bound
    evaluation = Evaluation(tree, answers)
    return render(
        request,
        "intake/tree_preview.html",
        {
            "version": version,
            "tree": tree,
            "step": current,
            "form": form,
            "nodes": step_nodes(tree, current, form, answers, shape)
            if current and form is not None and not done
            else [],
            "answers_json": json.dumps(answers),
            "position": (steps.index(current) + 1) if current in steps else 1,
            "count": len(steps),
            "done": done,
            "flags": evaluation.flags,
            "outcomes": [outcome_name(item) for item in evaluation.outcomes],
        },
    )
