"""The routine editor: new routines, drafts, editing, previewing and publishing. Editors in a routine's owner
unit and superusers; everyone else gets 404 (routines.access)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from core.http import AuthenticatedHttpRequest
from routines.access import editable_routines, editor_units, get_routine_for_editor, get_version_for_editor
from routines.forms import ContentEditor, RoutineCreateForm, VersionForm, add_row
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


@login_required
@require_http_methods(["GET", "POST"])
def routine_version_edit(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    routine = version.routine
    if version.status != RoutineVersion.Status.DRAFT:
        messages.info(request, _("A published version never changes. Make a new draft to edit it."))
        return redirect("routines:history", slug=routine.slug)
    related_choices = related_routine_choices(exclude=routine)
    with_agenda = routine.kind == Routine.Kind.FACILITATOR_GUIDE
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        data = add_row(request.POST, action) or request.POST
        form = VersionForm(data, related_choices=related_choices)
        editor = ContentEditor(data=data, content=version.content, with_agenda=with_agenda)
        if data is request.POST and form.is_valid() and editor.is_valid():
            try:
                version = routine_version_update(
                    version=version,
                    user=request.user,
                    title_nb=form.cleaned_data["title_nb"],
                    title_en=form.cleaned_data["title_en"],
                    summary_nb=form.cleaned_data["summary_nb"],
                    summary_en=form.cleaned_data["summary_en"],
                    content=editor.content(related=form.cleaned_data["related"]),
                    base_token=form.cleaned_data["base_token"],
                )
            except ValidationError as error:
                # Nothing is saved. The form keeps what this editor typed; it now carries the newer state's
                # token, so saving again is a deliberate choice to replace the other save.
                version.refresh_from_db()
                data = request.POST.copy()
                data["base_token"] = version.state_token()
                form = VersionForm(data, related_choices=related_choices)
                editor = ContentEditor(data=data, content=version.content, with_agenda=with_agenda)
                return render(
                    request,
                    "routines/edit.html",
                    {
                        "version": version,
                        "routine": routine,
                        "form": form,
                        "editor": editor,
                        "conflict": error.messages,
                    },
                )
            if action == "submit":
                try:
                    routine_version_submit(version=version, user=request.user)
                except ValidationError as error:
                    # The draft is saved; the form is shown again as typed, with what to fix.
                    problems = error.messages
                else:
                    messages.success(
                        request,
                        _(
                            "Draft %(number)s is saved and waits for approval. Another editor of the unit or its "
                            "manager approves it from the version history; then it is published."
                        )
                        % {"number": version.number},
                    )
                    return redirect("routines:history", slug=routine.slug)
            elif action == "preview":
                return redirect("routines:version_preview", slug=routine.slug, number=version.number)
            else:
                warnings = publish_problems(version.content)
                if warnings:
                    messages.warning(request, _("The draft is saved. Before it can be published, fix what is listed."))
                else:
                    messages.success(request, _("The draft is saved."))
                return redirect("routines:version_edit", slug=routine.slug, number=version.number)
    else:
        form = VersionForm(
            initial={
                "base_token": version.state_token(),
                "title_nb": version.title_nb,
                "title_en": version.title_en,
                "summary_nb": version.summary_nb,
                "summary_en": version.summary_en,
                "related": version.content.get("related", []),
            },
            related_choices=related_choices,
        )
        editor = ContentEditor(content=version.content, with_agenda=with_agenda)
    return render(
        request,
        "routines/edit.html",
        {
            "version": version,
            "routine": routine,
            "form": form,
            "editor": editor,
            "problems": problems,
            # The same checks as publishing, on the saved draft, so an editor learns early.
            "warnings": [] if problems else publish_problems(version.content),
        },
    )


@login_required
@require_safe
def routine_version_preview(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    audit_log(actor=request.user, action="routine.previewed", target=version, unit=version.routine.owner_unit)
    return render(request, "routines/detail.html", page_context(request, version, preview=True))
