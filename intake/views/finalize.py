"""After the steps: the review of every answer, finalizing, the journal note with its addenda, and its PDF."""

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from intake import navigation, retention
from intake.access import get_intake_for_user, intake_role_required
from intake.evaluator import Evaluation
from intake.expressions import launch_context
from intake.extensions import related_sections
from intake.finalize import (
    INFORMATION,
    advice_once,
    help_choices,
    open_items,
    outcome_name,
    recommended_codes,
    risk_summary,
    wants_home,
)
from intake.forms import AddendumForm, FinalizeForm, NoteForm
from intake.models import Intake
from intake.pdf import journal_note_pdf
from intake.questionnaire import Tree
from intake.selectors import addenda_for, may_change_intake
from intake.services import intake_finalize as finalize_intake
from intake.services import intake_note_add_addendum, intake_note_save
from intake.wizard import answer_rows, answers_display


@require_safe
@intake_role_required
def intake_review(request: HttpRequest, pk: Any) -> HttpResponse:
    intake = get_intake_for_user(request.user, pk)
    audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
    tree = Tree(intake.tree_version.questionnaire)
    evaluation = Evaluation(tree, intake.answers, launch=launch_context(intake.unit))
    sections = []
    for step in evaluation.steps():
        rows = answer_rows(step, evaluation.answers)
        missing = navigation.missing_required(step, evaluation)
        sections.append({"step": step, "rows": rows, "missing": missing})
    outcomes = [
        {
            "item": outcome,
            "name": outcome_name(outcome),
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
            "advice": advice_once(evaluation),
            "risk": risk_summary(tree, evaluation),
            "outcomes": outcomes,
            "can_change": intake.is_draft and may_change_intake(request.user, intake),
            "complete": not any(s["missing"] for s in sections),
            "offered_name": dict(help_choices(tree)).get(intake.offered_help, intake.offered_help),
            "information": [(label, intake.information_given.get(key)) for key, label in INFORMATION],
            "related": related_sections(request.user, intake),
            "deleted_after": retention.intake_deleted_after(intake),
            "open_items": open_items(tree, evaluation),
        },
    )


def duty_to_avert_url() -> str | None:
    """The routine on the duty to avert (``settings.INTAKE_DUTY_TO_AVERT_ROUTINE``), or None when unset."""
    slug = getattr(settings, "INTAKE_DUTY_TO_AVERT_ROUTINE", "")
    return reverse("routines:detail", args=[slug]) if slug else None


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_finalize(request: HttpRequest, pk: Any) -> HttpResponse:
    """Record the help offered and the information given, then lock the answers. Only a complete draft can be
    finalized; a finalized intake sends every request here back to its review page (finalizing twice changes
    nothing)."""
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if not intake.is_draft:
        return redirect("intake:review", pk=intake.pk)
    tree = Tree(intake.tree_version.questionnaire)
    evaluation = Evaluation(tree, intake.answers, launch=launch_context(intake.unit))
    if not navigation.is_complete(evaluation):
        messages.error(request, _("Some required questions are still unanswered; answer them before finalizing."))
        return redirect("intake:review", pk=intake.pk)
    recommended = recommended_codes(evaluation)
    unclear = open_items(tree, evaluation)
    form = FinalizeForm(request.POST or None, tree=tree, recommended=recommended, open_items=unclear)
    if request.method == "POST" and form.is_valid():
        finalize_intake(
            intake=intake,
            user=request.user,
            offered_help=form.cleaned_data["offered_help"],
            offered_reason=form.cleaned_data["offered_reason"],
            information=form.information(),
            open_reason=form.cleaned_data.get("open_reason", ""),
        )
        messages.success(request, _("The intake is finalized. Check the journal note's draft, then finalize it."))
        return redirect("intake:review", pk=intake.pk)
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
            "routine_url": duty_to_avert_url(),
            "open_items": unclear,
        },
    )


def _note_context(request: HttpRequest, intake: Intake, **extra: Any) -> dict[str, Any]:
    return {
        "intake": intake,
        "addenda": addenda_for(intake),
        "can_change": may_change_intake(request.user, intake),
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_note(request: HttpRequest, pk: Any) -> HttpResponse:
    """The journal note: an editable draft until finalized, then locked, with dated addenda under it."""
    intake = get_intake_for_user(request.user, pk, for_change=request.method == "POST")
    if intake.is_draft:
        return redirect("intake:review", pk=intake.pk)
    if request.method == "POST":
        if intake.note_is_final:
            return redirect("intake:note", pk=intake.pk)
        form = NoteForm(request.POST)
        if form.is_valid() and request.POST.get("action") == "confirm":
            # Finalizing locks the note for good: ask first, with the text as typed kept in the form.
            return render(
                request,
                "intake/note.html",
                _note_context(request, intake, form=form, addendum_form=AddendumForm(), confirm_finalize=True),
            )
        if form.is_valid():
            finalize = request.POST.get("action") == "finalize"
            intake_note_save(intake=intake, user=request.user, text=form.cleaned_data["note_text"], finalize=finalize)
            messages.success(request, _("The journal note is finalized.") if finalize else _("The draft is saved."))
            return redirect("intake:note", pk=intake.pk)
    else:
        audit_log(actor=request.user, action="intake.viewed", target=intake, unit=intake.unit)
        form = NoteForm(initial={"note_text": intake.note_text})
    return render(request, "intake/note.html", _note_context(request, intake, form=form, addendum_form=AddendumForm()))


@require_POST
@intake_role_required
def intake_note_addendum(request: HttpRequest, pk: Any) -> HttpResponse:
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if not intake.note_is_final:
        return redirect("intake:note" if not intake.is_draft else "intake:review", pk=intake.pk)
    addendum_form = AddendumForm(request.POST)
    if not addendum_form.is_valid():
        return render(
            request,
            "intake/note.html",
            _note_context(request, intake, form=None, addendum_form=addendum_form),
        )
    intake_note_add_addendum(intake=intake, user=request.user, text=addendum_form.cleaned_data["text"])
    messages.success(request, _("The addendum is added."))
    return redirect("intake:note", pk=intake.pk)


@require_safe
@intake_role_required
def intake_note_pdf(request: HttpRequest, pk: Any) -> HttpResponse:
    """The finalized note as an A4 PDF in the tree's language. The filename says nothing about the person."""
    intake = get_intake_for_user(request.user, pk)
    if not intake.note_is_final:
        raise Http404
    pdf = journal_note_pdf(intake=intake, addenda=addenda_for(intake), language=intake.tree_version.language)
    audit_log(actor=request.user, action="intake.printed", target=intake, unit=intake.unit)
    # A streaming response; core.access.role_required types the views it wraps as returning HttpResponse.
    return FileResponse(  # type: ignore[return-value]
        io.BytesIO(pdf), as_attachment=True, filename="journal-note.pdf", content_type="application/pdf"
    )
