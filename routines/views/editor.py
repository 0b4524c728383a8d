"""The routine editor: new routines, drafts, editing, previewing and publishing. Editors in a routine's owner
unit and superusers; everyone else gets 404 (routines.access)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from core.http import AuthenticatedHttpRequest
from routines.access import editable_routines, editor_units, get_routine_for_editor, get_version_for_editor
from routines.forms import CONTENT_PARTS, ContentEditor, RelatedForm, RoutineCreateForm, VersionForm, add_row
from routines.models import Routine, RoutineVersion
from routines.selectors import related_routine_choices, routines_with_latest_version
from routines.services import (
    publish_problems,
    routine_create,
    routine_draft_start,
    routine_version_submit,
    routine_version_update,
)
from routines.views.public import page_context


@login_required
@require_safe
def routine_editor_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not editor_units(request.user).exists():
        raise Http404
    rows = routines_with_latest_version(editable_routines(request.user))
    return render(request, "routines/editor_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def routine_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = editor_units(request.user)
    if not units.exists():
        raise Http404
    form = RoutineCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        draft = routine_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("The routine is created. Write its first version."))
        return redirect("routines:version_edit", slug=draft.routine.slug, number=draft.number)
    return render(request, "routines/new.html", {"form": form})


@login_required
@require_POST
def routine_draft_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    routine = get_routine_for_editor(request.user, slug)
    draft = routine_draft_start(routine=routine, user=request.user)
    return redirect("routines:version_edit", slug=routine.slug, number=draft.number)


# The editor's parts, one page each, in the order a person works through them. "agenda" is only for facilitator
# guides (routines.forms.ContentEditor).
PARTS: list[tuple[str, Any]] = [
    ("details", gettext_lazy("Title and summary")),
    ("contacts", gettext_lazy("Emergency contacts")),
    ("sections", gettext_lazy("Sections and steps")),
    ("agenda", gettext_lazy("Agenda")),
    ("roles", gettext_lazy("Role cards")),
    ("related", gettext_lazy("Related routines")),
]


def _parts_of(routine: Routine) -> list[tuple[str, Any]]:
    with_agenda = routine.kind == Routine.Kind.FACILITATOR_GUIDE
    return [(code, label) for code, label in PARTS if code != "agenda" or with_agenda]


def _edit_url(routine: Routine, version: RoutineVersion, part: str) -> str:
    args: list[Any] = [routine.slug, version.number]
    return reverse("routines:version_edit", args=args if part == "details" else [*args, part])


@login_required
@require_http_methods(["GET", "POST"])
def routine_version_edit(
    request: AuthenticatedHttpRequest, slug: str, number: int, part: str = "details"
) -> HttpResponse:
    """One part of a draft (PARTS), saved on its own. The part navigation and "next part" are submit buttons, so
    moving on saves what was typed first; a part with errors is shown again as typed."""
    version = get_version_for_editor(request.user, slug, number)
    routine = version.routine
    parts = _parts_of(routine)
    codes = [code for code, _label in parts]
    if part not in codes:
        raise Http404
    if version.status != RoutineVersion.Status.DRAFT:
        messages.info(request, _("A published version never changes. Make a new draft to edit it."))
        return redirect("routines:history", slug=routine.slug)
    with_agenda = routine.kind == Routine.Kind.FACILITATOR_GUIDE
    content_parts = [part] if part in CONTENT_PARTS else []
    related_choices = related_routine_choices(exclude=routine) if part == "related" else []
    base_token = version.state_token()
    problems: list[str] = []
    conflict: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        data = add_row(request.POST, action) or request.POST
        base_token = request.POST.get("base_token", "")
        form = VersionForm(data) if part == "details" else None
        related_form = RelatedForm(data, related_choices=related_choices) if part == "related" else None
        editor = ContentEditor(data=data, with_agenda=with_agenda, parts=content_parts)
        valid = all(f.is_valid() for f in (form, related_form) if f is not None) and editor.is_valid()
        if data is request.POST and valid:
            fields = {name: getattr(version, name) for name in ("title_nb", "title_en", "summary_nb", "summary_en")}
            if form is not None:
                fields.update(form.cleaned_data)
            content = {**version.content, **editor.content()}
            if related_form is not None:
                content["related"] = related_form.cleaned_data["related"]
            try:
                version = routine_version_update(
                    version=version, user=request.user, content=content, base_token=base_token, **fields
                )
            except ValidationError as error:
                # Nothing is saved. The form keeps what this editor typed; it now carries the newer state's
                # token, so saving again is a deliberate choice to replace the other save.
                version.refresh_from_db()
                conflict = error.messages
                base_token = version.state_token()
            else:
                next_part = action.removeprefix("goto-") if action.startswith("goto-") else None
                if action == "submit":
                    try:
                        routine_version_submit(version=version, user=request.user)
                    except ValidationError as error:
                        # The draft is saved; the part is shown again as typed, with what to fix.
                        problems = error.messages
                        base_token = version.state_token()
                    else:
                        messages.success(
                            request,
                            _(
                                "Draft %(number)s is saved and waits for approval. Another editor of the unit or "
                                "its manager approves it from the version history; then it is published."
                            )
                            % {"number": version.number},
                        )
                        return redirect("routines:history", slug=routine.slug)
                elif action == "preview":
                    return redirect("routines:version_preview", slug=routine.slug, number=version.number)
                else:
                    if publish_problems(version.content):
                        messages.warning(
                            request, _("The draft is saved. Before it can be published, fix what is listed.")
                        )
                    else:
                        messages.success(request, _("The draft is saved."))
                    return redirect(_edit_url(routine, version, next_part if next_part in codes else part))
    else:
        form = (
            VersionForm(
                initial={
                    "title_nb": version.title_nb,
                    "title_en": version.title_en,
                    "summary_nb": version.summary_nb,
                    "summary_en": version.summary_en,
                }
            )
            if part == "details"
            else None
        )
        related_form = (
            RelatedForm(initial={"related": version.content.get("related", [])}, related_choices=related_choices)
            if part == "related"
            else None
        )
        editor = ContentEditor(content=version.content, with_agenda=with_agenda, parts=content_parts)
    position = codes.index(part)
    return render(
        request,
        "routines/edit.html",
        {
            "version": version,
            "routine": routine,
            "part": part,
            "part_label": dict(parts)[part],
            "parts": parts,
            "position": position + 1,
            "previous_part": parts[position - 1] if position > 0 else None,
            "next_part": parts[position + 1] if position + 1 < len(parts) else None,
            "base_token": base_token,
            "form": form,
            "related_form": related_form,
            "editor": editor,
            "problems": problems,
            "conflict": conflict,
            # The same checks as publishing, on the saved draft, so an editor learns early.
            "warnings": [] if problems else publish_problems(version.content),
        },
        status=409 if conflict else 200,
    )


@login_required
@require_safe
def routine_version_preview(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    audit_log(actor=request.user, action="routine.previewed", target=version, unit=version.routine.owner_unit)
    return render(request, "routines/detail.html", page_context(request, version, preview=True))
