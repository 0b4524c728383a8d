import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Membership
from accounts.roles import Role
from accounts.sharing import SharingPage, sharing_page
from audit.services import audit_log
from core.access import permission_required_or_404, role_required
from intake import retention
from intake.demo import FIRST_CONTACT
from intake.editor import UploadForm, tree_diff
from intake.evaluator import Evaluation, prune
from intake.finalize import (
    INFORMATION,
    AddendumForm,
    FinalizeForm,
    NoteForm,
    help_choices,
    outcome_name,
    recommended_codes,
    wants_home,
)
from intake.models import Intake, IntakeUserObjectPermission, TreeVersion
from intake.pdf import journal_note_pdf
from intake.questionnaire import Tree, check_questionnaire
from intake.selectors import current_tree_version, get_intake_for_user, intake_list_for_user, uses_intakes
from intake.services import (
    RevisionConflict,
    intake_create,
    intake_note_add_addendum,
    intake_note_save,
    intake_save_step,
    intake_share,
    intake_unshare,
    tree_version_create,
    tree_version_publish,
)
from intake.services import intake_finalize as finalize_intake
from intake.statistics import SUPPRESS_BELOW, statistics_table, statistics_units
from intake.wizard import (
    answers_display,
    answers_from,
    initial_for,
    missing_required,
    step_form_class,
    step_nodes,
    step_questions,
)
from safety_plans.selectors import plans_for_user

REVIEW = "review"
LIST_PAGE_SIZE = 25


intake_role_required = role_required(uses_intakes)


def _steps(tree: Tree, answers: dict) -> list:
    return Evaluation(tree, answers).steps()


def _step_url(intake: Intake, step: str) -> str:
    if step == REVIEW or not step:
        return reverse("intake_review", args=[intake.pk])
    return reverse("intake_step", args=[intake.pk, step])


@require_safe
@intake_role_required
def intake_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(intake_list_for_user(request.user), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
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
    membership = (
        Membership.objects.filter(user=request.user, role=Role.COUNSELLOR)
        .select_related("unit")
        .order_by("unit__name")
        .first()
    )
    version = current_tree_version(FIRST_CONTACT, get_language())
    if membership is None or version is None:
        messages.error(request, _("No question tree is published yet. Ask an editor to publish one."))
        return redirect("intake_list")
    intake = intake_create(user=request.user, unit=membership.unit, tree_version=version)
    return redirect(_step_url(intake, intake.current_step))


@require_safe
@intake_role_required
def intake_detail(request: HttpRequest, pk) -> HttpResponse:
    """Resume: a draft opens where its counsellor left it; anything else opens its review page."""
    intake = get_intake_for_user(request.user, pk)
    if intake.is_draft and request.user.has_perm("intake.change_intake", intake):
        return redirect(_step_url(intake, intake.current_step))
    return redirect("intake_review", pk=intake.pk)


def _render_step(request, intake, tree, step, form, *, conflict=False, status=200):
    steps = _steps(tree, intake.answers)
    position = next((i for i, s in enumerate(steps) if s is step), 0)
    evaluation = Evaluation(tree, intake.answers)
    saved_here = [
        (item, answers_display(item, evaluation.answers[item.link_id]))
        for item in step_questions(step)
        if evaluation.answers.get(item.link_id)
    ]
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
            "flags": [f for f in evaluation.flags if f.step is not step],
            "conflict": conflict,
            "saved_here": saved_here,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_step(request: HttpRequest, pk, step: str) -> HttpResponse:
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if not intake.is_draft:
        return redirect("intake_review", pk=intake.pk)
    tree = Tree(intake.tree_version.questionnaire)
    steps = _steps(tree, intake.answers)
    current = next((s for s in tree.steps if s.link_id == step), None)
    if current is None:
        raise Http404
    if current not in steps:
        # A step whose conditions no longer hold: back to where the counsellor is.
        return redirect(_step_url(intake, intake.current_step))
    form_class = step_form_class(tree, current)
    if request.method != "POST":
        audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
        form = form_class(initial={**initial_for(tree, current, intake.answers), "revision": intake.revision})
        return _render_step(request, intake, tree, current, form)

    form = form_class(request.POST)
    action = request.POST.get("action", "next")
    if not form.is_valid():
        return _render_step(request, intake, tree, current, form)
    values = answers_from(tree, current, form.cleaned_data)
    merged = {**intake.answers, **values}
    candidate = Evaluation(tree, prune(tree, merged)[0])
    if action != "back":
        missing = missing_required(current, candidate)
        for item in missing:
            form.add_error(f"q{item.index}", _("Please answer this question."))
        if missing:
            return _render_step(request, intake, tree, current, form)
    new_steps = candidate.steps()
    index = next(i for i, s in enumerate(new_steps) if s is current) if current in new_steps else 0
    if action == "back":
        target = new_steps[max(index - 1, 0)].link_id
    elif action == "close":
        target = current.link_id
    else:
        target = new_steps[index + 1].link_id if index + 1 < len(new_steps) else REVIEW
    try:
        saved = intake_save_step(
            intake=intake,
            user=request.user,
            step=current.link_id,
            values=values,
            revision=form.cleaned_data["revision"],
            next_step=target,
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
        return redirect("intake_review", pk=intake.pk)
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
    if action == "close":
        messages.success(request, _("Saved. You can resume this intake from the list."))
        return redirect("intake_list")
    return redirect(_step_url(intake, target))


@require_safe
@intake_role_required
def intake_review(request: HttpRequest, pk) -> HttpResponse:
    intake = get_intake_for_user(request.user, pk)
    audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
    tree = Tree(intake.tree_version.questionnaire)
    evaluation = Evaluation(tree, intake.answers)
    sections = []
    for step in evaluation.steps():
        rows = [
            (item, answers_display(item, evaluation.answers[item.link_id]))
            for item in step_questions(step)
            if evaluation.answers.get(item.link_id)
        ]
        missing = missing_required(step, evaluation)
        sections.append({"step": step, "rows": rows, "missing": missing})
    outcomes = [
        {
            "item": outcome,
            "name": outcome.raw["code"][0].get("display", outcome.raw["code"][0]["code"]),
            "reasons": [(q, answers_display(q, v)) for q, v in evaluation.reasons(outcome)],
        }
        for outcome in evaluation.outcomes
    ]
    return render(
        request,
        "intake/review.html",
        {
            "intake": intake,
            "tree": tree,
            "sections": sections,
            "flags": evaluation.flags,
            "outcomes": outcomes,
            "can_change": intake.is_draft and request.user.has_perm("intake.change_intake", intake),
            "complete": not any(s["missing"] for s in sections),
            "offered_name": dict(help_choices(tree)).get(intake.offered_help, intake.offered_help),
            "information": [(label, intake.information_given.get(key)) for key, label in INFORMATION],
            "safety_plans": plans_for_user(request.user).filter(intake=intake).order_by("created_at"),
            "deleted_after": retention.intake_deleted_after(intake),
            "may_start_plan": request.user.has_perm("safety_plans.add_safetyplan")
            and request.user.has_perm("intake.change_intake", intake),
        },
    )


ROUTINE_DUTY_TO_AVERT = "avvergingsplikten-fasilitatorveileder"  # routines/demo_content.py


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_finalize(request: HttpRequest, pk) -> HttpResponse:
    """Record the help offered and the information given, then lock the answers. Only a complete draft can be
    finalized; a finalized intake sends every request here back to its review page (finalizing twice changes
    nothing)."""
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if not intake.is_draft:
        return redirect("intake_review", pk=intake.pk)
    tree = Tree(intake.tree_version.questionnaire)
    evaluation = Evaluation(tree, intake.answers)
    if any(missing_required(step, evaluation) for step in evaluation.steps()):
        messages.error(request, _("Some required questions are still unanswered; answer them before finalizing."))
        return redirect("intake_review", pk=intake.pk)
    recommended = recommended_codes(evaluation)
    form = FinalizeForm(request.POST or None, tree=tree, recommended=recommended)
    if request.method == "POST" and form.is_valid():
        finalize_intake(
            intake=intake,
            user=request.user,
            offered_help=form.cleaned_data["offered_help"],
            offered_reason=form.cleaned_data["offered_reason"],
            information=form.information(),
        )
        messages.success(request, _("The intake is finalized. Check the journal note's draft, then finalize it."))
        return redirect("intake_review", pk=intake.pk)
    if request.method != "POST":
        audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
    names = dict(help_choices(tree))
    return render(
        request,
        "intake/finalize.html",
        {
            "intake": intake,
            "tree": tree,
            "form": form,
            "recommended": [names.get(code, code) for code in recommended],
            "wants_home": wants_home(evaluation),
            "routine_url": reverse("routine_detail", args=[ROUTINE_DUTY_TO_AVERT]),
        },
    )


def _note_context(request, intake, **extra):
    addenda = list(intake.addenda.select_related("author"))
    return {
        "intake": intake,
        "addenda": addenda,
        "can_change": request.user.has_perm("intake.change_intake", intake),
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_note(request: HttpRequest, pk) -> HttpResponse:
    """The journal note: an editable draft until finalized, then locked, with dated addenda under it."""
    intake = get_intake_for_user(request.user, pk, for_change=request.method == "POST")
    if intake.is_draft:
        return redirect("intake_review", pk=intake.pk)
    if request.method == "POST":
        if intake.note_is_final:
            return redirect("intake_note", pk=intake.pk)
        form = NoteForm(request.POST)
        if form.is_valid():
            finalize = request.POST.get("action") == "finalize"
            intake_note_save(intake=intake, user=request.user, text=form.cleaned_data["note_text"], finalize=finalize)
            messages.success(request, _("The journal note is finalized.") if finalize else _("The draft is saved."))
            return redirect("intake_note", pk=intake.pk)
    else:
        audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
        form = NoteForm(initial={"note_text": intake.note_text})
    return render(request, "intake/note.html", _note_context(request, intake, form=form, addendum_form=AddendumForm()))


@require_POST
@intake_role_required
def intake_note_addendum(request: HttpRequest, pk) -> HttpResponse:
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if not intake.note_is_final:
        return redirect("intake_note" if not intake.is_draft else "intake_review", pk=intake.pk)
    addendum_form = AddendumForm(request.POST)
    if not addendum_form.is_valid():
        return render(
            request,
            "intake/note.html",
            _note_context(request, intake, form=None, addendum_form=addendum_form),
        )
    intake_note_add_addendum(intake=intake, user=request.user, text=addendum_form.cleaned_data["text"])
    messages.success(request, _("The addendum is added."))
    return redirect("intake_note", pk=intake.pk)


@require_safe
@intake_role_required
def intake_note_pdf(request: HttpRequest, pk) -> HttpResponse:
    """The finalized note as an A4 PDF in the tree's language. The filename says nothing about the person."""
    intake = get_intake_for_user(request.user, pk)
    if not intake.note_is_final:
        raise Http404
    pdf = journal_note_pdf(
        intake=intake,
        addenda=list(intake.addenda.select_related("author")),
        language=intake.tree_version.language,
    )
    audit_log(actor=request.user, action="intake.printed", target=intake, unit=intake.unit)
    return FileResponse(
        io.BytesIO(pdf), as_attachment=True, filename="journal-note.pdf", content_type="application/pdf"
    )


@require_safe
@login_required
@permission_required_or_404("intake.view_intakestatistic")
def intake_statistics(request: HttpRequest) -> HttpResponse:
    """Anonymous counts per month and help offered for the units the manager manages."""
    units = statistics_units(request.user)
    version = current_tree_version(FIRST_CONTACT, get_language())
    names = dict(help_choices(Tree(version.questionnaire))) if version else {}
    table = statistics_table(units, names)
    for unit in units or [None]:
        audit_log(actor=request.user, action="intake.statistics_viewed", unit=unit)
    return render(request, "intake/statistics.html", {"table": table, "units": units, "threshold": SUPPRESS_BELOW})


INTAKE_SHARING = SharingPage(
    permission_model=IntakeUserObjectPermission,
    codename="view_intake",
    share=lambda intake, **kw: intake_share(intake=intake, **kw),
    unshare=lambda intake, **kw: intake_unshare(intake=intake, **kw),
    viewed_action="intake.viewed",
    template="intake/sharing.html",
    url_name="intake_sharing",
    shared_message=gettext_noop("The intake is shared with %(name)s."),
    unshared_message=gettext_noop("The intake is no longer shared with %(name)s."),
    context_name="intake",
)


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_sharing(request: HttpRequest, pk) -> HttpResponse:
    """The owner shares the intake with a colleague in her unit, or takes a share back. Anyone else who may
    see the intake is refused (403); everyone else gets 404 from get_intake_for_user."""
    return sharing_page(request, get_intake_for_user(request.user, pk), INTAKE_SHARING)


# Editors' screens for question trees. Trees are not records about people, so 404 here only hides the
# feature from those without it (permission_required_or_404), like the routine editor.

TREE_EDITOR_PERM = "intake.change_treeversion"


def _version_or_404(slug: str, language: str, number: int) -> TreeVersion:
    return get_object_or_404(
        TreeVersion.objects.select_related("tree"), tree__slug=slug, language=language, number=number
    )


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
            doc, problems = check_questionnaire(form.cleaned_data["file"].read())
            if not problems:
                try:
                    version = tree_version_create(
                        doc=doc,
                        user=request.user,
                        tree_slug=form.cleaned_data["tree"],
                        language=form.cleaned_data["language"],
                    )
                except ValidationError as error:
                    problems = error.messages
                else:
                    messages.success(request, _("Uploaded as a draft. Preview it, then publish it."))
                    return redirect(
                        "intake_tree_version", slug=version.tree.slug, language=version.language, number=version.number
                    )
    versions = TreeVersion.objects.select_related("tree").order_by("tree__slug", "language", "-number")
    return render(request, "intake/tree_list.html", {"form": form, "problems": problems, "versions": versions})


@require_safe
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_version(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = _version_or_404(slug, language, number)
    others = TreeVersion.objects.filter(tree=version.tree, language=language).exclude(pk=version.pk).order_by("-number")
    tree = Tree(version.questionnaire)
    return render(
        request,
        "intake/tree_version.html",
        {"version": version, "tree": tree, "others": others, "steps": tree.steps, "outcomes": tree.outcomes},
    )


@require_POST
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_publish(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = _version_or_404(slug, language, number)
    if not version.is_published:
        try:
            tree_version_publish(version=version, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Published. From now on this version never changes."))
    return redirect("intake_tree_version", slug=slug, language=language, number=number)


@require_safe
@login_required
@permission_required_or_404(TREE_EDITOR_PERM)
def intake_tree_export(request: HttpRequest, slug: str, language: str, number: int) -> HttpResponse:
    version = _version_or_404(slug, language, number)
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
    versions = list(
        TreeVersion.objects.filter(tree__slug=slug, language=language).select_related("tree").order_by("number")
    )
    if not versions:
        raise Http404
    by_number = {v.number: v for v in versions}

    def pick(name, default):
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
    version = _version_or_404(slug, language, number)
    tree = Tree(version.questionnaire)
    try:
        answers = json.loads(request.POST.get("answers") or "{}")
        if not isinstance(answers, dict):
            raise ValueError
    except ValueError:
        answers = {}
    steps = Evaluation(tree, answers).steps()
    current = next((s for s in steps if s.link_id == request.POST.get("step")), steps[0] if steps else None)
    done = False
    form_class = step_form_class(tree, current) if current else None
    form = form_class(initial={**initial_for(tree, current, answers), "revision": 0}) if current else None
    if request.method == "POST" and current is not None and "step" in request.POST:
        bound = form_class(request.POST)
        if bound.is_valid():
            answers = prune(tree, {**answers, **answers_from(tree, current, bound.cleaned_data)})[0]
            steps = Evaluation(tree, answers).steps()
            index = steps.index(current) if current in steps else 0
            if request.POST.get("action") == "back":
                current = steps[max(index - 1, 0)]
            elif index + 1 < len(steps):
                current = steps[index + 1]
            else:
                done = True
            form_class = step_form_class(tree, current)
            form = form_class(initial={**initial_for(tree, current, answers), "revision": 0})
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
            "nodes": step_nodes(tree, current, form, answers) if current and not done else [],
            "answers_json": json.dumps(answers),
            "position": (steps.index(current) + 1) if current in steps else 1,
            "count": len(steps),
            "done": done,
            "flags": evaluation.flags,
            "outcomes": [outcome_name(item) for item in evaluation.outcomes],
        },
    )
