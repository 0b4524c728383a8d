"""An intake as a FHIR QuestionnaireResponse: downloading one, and starting a new intake from one.

Both are audit-logged. The download is for whoever may see the intake (404 to everyone else); starting from
a file is for counsellors, with a tree in use at their unit. The mapping itself is intake.response."""

import io
import json
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audit.services import audit_log
from intake.access import get_intake_for_user, intake_role_required
from intake.expressions import launch_context
from intake.forms import ResponseUploadForm
from intake.questionnaire import Tree
from intake.response import (
    answers_to_response,
    questionnaire_reference,
    read_response,
    response_problems,
    response_to_answers,
)
from intake.selectors import counsellor_unit_for, enabled_trees_for_unit, tree_version_for_reference
from intake.services import intake_create_from_response
from intake.views.wizard import step_url

# More skipped answers than this are counted, not listed one by one.
LISTED_PROBLEMS = 20


@require_safe
@intake_role_required
def intake_export(request: HttpRequest, pk: Any) -> HttpResponseBase:
    """The intake's enabled answers as a QuestionnaireResponse (JSON), checked as valid R4 before it is sent."""
    intake = get_intake_for_user(request.user, pk)
    version = intake.tree_version
    doc = answers_to_response(
        Tree(version.questionnaire),
        intake.answers,
        questionnaire=questionnaire_reference(
            doc=version.questionnaire, slug=version.tree.slug, language=version.language, number=version.number
        ),
        status=intake.status,
        authored=intake.updated_at,
        language=version.language,
        launch=launch_context(intake.unit),
    )
    if response_problems(doc):
        messages.error(request, _("The intake could not be exported as a valid QuestionnaireResponse."))
        return redirect("intake:review", pk=intake.pk)
    audit_log(actor=request.user, action="intake.exported", target=intake, unit=intake.unit)
    body = json.dumps(doc, ensure_ascii=False, indent=2).encode()
    # No name, label or id in the file name: it ends up in download folders and browser histories.
    day = timezone.localdate(intake.created_at).isoformat()
    return FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=f"intake-{day}.questionnaire-response.json",
        content_type="application/fhir+json",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_import(request: HttpRequest) -> HttpResponse:
    """Start a new intake prefilled from a QuestionnaireResponse file; the counsellor continues in the wizard."""
    if not request.user.has_perm("intake.add_intake"):
        raise Http404
    unit = counsellor_unit_for(request.user)
    if unit is None:
        raise Http404
    form = ResponseUploadForm()
    problems: list[str] = []
    if request.method == "POST":
        form = ResponseUploadForm(request.POST, request.FILES)
        if form.is_valid():
            doc, problems = read_response(form.cleaned_data["file"].read())
            if doc is not None:
                response = _start_from(request, unit, doc)
                if isinstance(response, HttpResponse):
                    return response
                problems = response
    return render(request, "intake/import.html", {"form": form, "problems": problems}, status=200)


def _start_from(request: HttpRequest, unit, doc: dict) -> HttpResponse | list[str]:
    reference = str(doc.get("questionnaire", ""))
    version, exact = tree_version_for_reference(reference, get_language())
    if version is None:
        return [
            _("The file answers %(reference)s, which is not a published question tree here.") % {"reference": reference}
        ]
    if version.tree not in enabled_trees_for_unit(unit):
        return [
            _(
                "The file answers the question tree %(tree)s, which is not in use at %(unit)s. Ask an editor or "
                "a manager to choose it for the unit."
            )
            % {"tree": version.tree.title, "unit": unit.name}
        ]
    answers, skipped = response_to_answers(Tree(version.questionnaire), doc)
    intake = intake_create_from_response(user=request.user, unit=unit, tree_version=version, answers=answers)
    messages.success(
        request,
        ngettext(
            "A new intake is started from the file, with %(count)d answer. Go through the steps to check it.",
            "A new intake is started from the file, with %(count)d answers. Go through the steps to check them.",
            len(intake.answers),
        )
        % {"count": len(intake.answers)},
    )
    if not exact:
        messages.warning(
            request,
            _("The file answers another version of %(tree)s; the intake uses version %(number)d.")
            % {"tree": version.tree.title, "number": version.number},
        )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)d answer in the file could not be taken:",
                "%(count)d answers in the file could not be taken:",
                len(skipped),
            )
            % {"count": len(skipped)},
        )
        for line in skipped[:LISTED_PROBLEMS]:
            messages.warning(request, line)
        if len(skipped) > LISTED_PROBLEMS:
            messages.warning(request, _("... and %(count)d more.") % {"count": len(skipped) - LISTED_PROBLEMS})
    return redirect(step_url(intake, intake.current_step))
