from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from routines.access import (
    editable_routines,
    editor_units,
    get_print_order_for_user,
    get_routine_for_editor,
    get_routine_for_reviewer,
    get_version_for_editor,
    is_print_shop,
    may_order_prints,
    order_units,
    reviewable_routines,
    reviewer_units,
    visible_print_orders,
)
from routines.content import localize
from routines.diff import version_diff
from routines.forms import ContentEditor, PrintOrderAdvanceForm, PrintOrderForm, RoutineCreateForm, VersionForm, add_row
from routines.models import PrintOrder, Routine, RoutinePdf, RoutineVersion
from routines.pdf_store import LANGS, routine_pdf_get
from routines.selectors import (
    get_published_routine,
    latest_versions,
    mark_newer_versions,
    overdue_versions,
    published_versions,
    related_routine_choices,
    related_routines,
)
from routines.services import (
    print_order_advance,
    print_order_create,
    print_order_reissue,
    routine_create,
    routine_draft_start,
    routine_version_publish,
    routine_version_update,
)

# The rendered content of a published version is cached for a day; a new version has a new cache key.
PAGE_CACHE_SECONDS = 24 * 60 * 60


@require_safe
def routine_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    versions = published_versions(user=request.user, query=query, lang=get_language())
    order = list(Routine.Category.values)
    versions.sort(key=lambda v: (order.index(v.routine.category), v.title))
    groups = [
        (Routine.Category(category).label, list(items))
        for category, items in groupby(versions, key=lambda v: v.routine.category)
    ]
    return render(request, "routines/list.html", {"groups": groups, "query": query, "count": len(versions)})


def _page_context(request: HttpRequest, version: RoutineVersion, *, preview: bool = False) -> dict:
    lang = get_language()
    return {
        "version": version,
        "routine": version.routine,
        # Lazy: when the page's fragments come from the cache, the content is never rendered at all.
        "content": SimpleLazyObject(lambda: localize(version.content, lang)),
        "related": related_routines(version, user=request.user),
        "preview": preview,
        # A published version never changes, so its pk and publication time name its content for good.
        # A preview is never cached (timeout 0) and has a key no published page can have.
        "cache_key": f"{version.pk}.{version.published_at.timestamp() if version.published_at else 'draft'}.{lang}",
        "cache_seconds": 0 if preview else PAGE_CACHE_SECONDS,
        "show_review_banner": not preview
        and version.is_overdue()
        and (request.user.has_perm("routines.change_routine") or request.user.has_perm("accounts.view_membership")),
    }


@require_safe
def routine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = get_published_routine(slug)
    if version.routine.staff_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "routines/detail.html", _page_context(request, version))


@require_safe
def routine_session(request: HttpRequest, slug: str) -> HttpResponse:
    """A facilitator guide's agenda, one step at a time with a countdown (static/js/session.js); without
    JavaScript, the plain agenda list."""
    version = get_published_routine(slug)
    if version.routine.kind != Routine.Kind.FACILITATOR_GUIDE:
        raise Http404
    if version.routine.staff_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "routines/session.html",
        {"version": version, "routine": version.routine, "content": localize(version.content, get_language())},
    )


@require_safe
def routine_pdf(request: HttpRequest, slug: str, variant: str) -> HttpResponse:
    """The print folder or the A4 print of the current version, rendered once and then served from storage,
    with an ETag so a browser that has it gets 304. Same access as the routine page."""
    version = get_published_routine(slug)
    if version.routine.staff_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lang = request.GET.get("lang")
    if lang not in LANGS:
        lang = get_language() if get_language() in LANGS else LANGS[0]
    pdf = routine_pdf_get(version=version, variant=variant, lang=lang)
    etag = f'"{pdf.sha256}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = FileResponse(
            default_storage.open(pdf.file_name, "rb"),
            as_attachment=True,
            filename=pdf.download_name,
            content_type="application/pdf",
        )
    response["ETag"] = etag
    # Public content, but always revalidated: the ETag makes that cheap, and a new version shows at once.
    response["Cache-Control"] = "no-cache"
    return response


# --- Editors -----------------------------------------------------------------------------------------------


@login_required
@require_safe
def routine_editor_list(request: HttpRequest) -> HttpResponse:
    units = editor_units(request.user)
    if not units.exists():
        raise Http404
    routines = list(editable_routines(request.user).select_related("owner_unit"))
    latest = latest_versions(RoutineVersion.objects.filter(routine__in=routines))
    rows = [(routine, latest.get(routine.pk)) for routine in routines]
    return render(request, "routines/editor_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def routine_new(request: HttpRequest) -> HttpResponse:
    units = editor_units(request.user)
    if not units.exists():
        raise Http404
    form = RoutineCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        draft = routine_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("The routine is created. Write its first version."))
        return redirect("routine_version_edit", slug=draft.routine.slug, number=draft.number)
    return render(request, "routines/new.html", {"form": form})


@login_required
@require_POST
def routine_draft_new(request: HttpRequest, slug: str) -> HttpResponse:
    routine = get_routine_for_editor(request.user, slug)
    draft = routine_draft_start(routine=routine, user=request.user)
    return redirect("routine_version_edit", slug=routine.slug, number=draft.number)


@login_required
@require_http_methods(["GET", "POST"])
def routine_version_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    routine = version.routine
    if version.status != RoutineVersion.Status.DRAFT:
        messages.info(request, _("A published version never changes. Make a new draft to edit it."))
        return redirect("routine_history", slug=routine.slug)
    related_choices = related_routine_choices(exclude=routine)
    with_agenda = routine.kind == Routine.Kind.FACILITATOR_GUIDE
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        data = add_row(request.POST, action) or request.POST
        form = VersionForm(data, related_choices=related_choices)
        editor = ContentEditor(data=data, with_agenda=with_agenda)
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
                editor = ContentEditor(data=data, with_agenda=with_agenda)
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
            if action == "publish":
                try:
                    routine_version_publish(
                        version=version, user=request.user, next_review=form.cleaned_data["next_review"]
                    )
                except ValidationError as error:
                    # The draft is saved; the form is shown again as typed, with what to fix.
                    problems = error.messages
                else:
                    messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
                    return redirect("routine_detail", slug=routine.slug)
            elif action == "preview":
                return redirect("routine_version_preview", slug=routine.slug, number=version.number)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("routine_version_edit", slug=routine.slug, number=version.number)
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
        {"version": version, "routine": routine, "form": form, "editor": editor, "problems": problems},
    )


@login_required
@require_safe
def routine_version_preview(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_editor(request.user, slug, number)
    audit_log(actor=request.user, action="routine.previewed", target=version, unit=version.routine.owner_unit)
    return render(request, "routines/detail.html", _page_context(request, version, preview=True))


# --- Editors and managers ----------------------------------------------------------------------------------


@login_required
@require_safe
def routine_history(request: HttpRequest, slug: str) -> HttpResponse:
    routine = get_routine_for_reviewer(request.user, slug)
    versions = list(routine.versions.select_related("approved_by", "created_by").order_by("-number"))
    can_edit = editable_routines(request.user).filter(pk=routine.pk).exists()
    return render(request, "routines/history.html", {"routine": routine, "versions": versions, "can_edit": can_edit})


@login_required
@require_safe
def routine_diff(request: HttpRequest, slug: str) -> HttpResponse:
    routine = get_routine_for_reviewer(request.user, slug)
    versions = {v.number: v for v in routine.versions.all()}
    try:
        old, new = versions[int(request.GET.get("from", ""))], versions[int(request.GET.get("to", ""))]
    except (KeyError, ValueError):
        raise Http404 from None
    return render(
        request,
        "routines/diff.html",
        {"routine": routine, "old": old, "new": new, "groups": version_diff(old, new, get_language())},
    )


@login_required
@require_safe
def routine_overdue(request: HttpRequest) -> HttpResponse:
    units = reviewer_units(request.user)
    if not units.exists():
        raise Http404
    versions = overdue_versions(routines=reviewable_routines(request.user))
    return render(request, "routines/overdue.html", {"versions": versions})


# --- Print orders ------------------------------------------------------------------------------------------


@login_required
@require_safe
def print_order_list(request: HttpRequest) -> HttpResponse:
    """The print shop's queue (open orders first, by wanted-by date), or an orderer's own orders."""
    print_shop = is_print_shop(request.user) or request.user.is_superuser
    if not print_shop and not may_order_prints(request.user):
        raise Http404
    orders = mark_newer_versions(visible_print_orders(request.user))
    done = {PrintOrder.Status.DELIVERED, PrintOrder.Status.SUPERSEDED}
    return render(
        request,
        "routines/print_order_list.html",
        {
            "open_orders": [o for o in orders if o.status not in done],
            "closed_orders": [o for o in orders if o.status in done],
            "print_shop": print_shop,
            "may_order": may_order_prints(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def print_order_new(request: HttpRequest) -> HttpResponse:
    if not may_order_prints(request.user):
        raise Http404
    versions = {v.routine.slug: v for v in published_versions(user=request.user)}
    choices = sorted(((slug, v.title) for slug, v in versions.items()), key=lambda c: c[1])
    initial = {"lang": get_language(), "routine": request.GET.get("routine", "")}
    form = PrintOrderForm(
        request.POST or None, initial=initial, routine_choices=choices, units=order_units(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order = print_order_create(
            user=request.user,
            version=versions[data["routine"]],
            lang=data["lang"],
            quantity=data["quantity"],
            delivery_unit=data["delivery_unit"],
            delivery_address=data["delivery_address"],
            wanted_by=data["wanted_by"],
        )
        messages.success(request, _("The print order is sent to the print shop."))
        return redirect("print_order_detail", pk=order.pk)
    return render(request, "routines/print_order_new.html", {"form": form})


@login_required
@require_safe
def print_order_detail(request: HttpRequest, pk) -> HttpResponse:
    order = get_print_order_for_user(request.user, pk)
    (order,) = mark_newer_versions([order])
    audit_log(actor=request.user, action="print_order.viewed", target=order, unit=order.delivery_unit)
    print_shop = is_print_shop(request.user) or request.user.is_superuser
    return render(
        request,
        "routines/print_order_detail.html",
        {
            "order": order,
            "events": order.events.select_related("by"),
            "print_shop": print_shop,
            "advance_form": PrintOrderAdvanceForm() if print_shop and order.next_status else None,
            "can_reissue": order.ordered_by_id == request.user.pk
            and order.newer_version_exists
            and order.status not in (PrintOrder.Status.DELIVERED, PrintOrder.Status.SUPERSEDED),
        },
    )


@login_required
@require_POST
def print_order_advance_view(request: HttpRequest, pk) -> HttpResponse:
    order = get_print_order_for_user(request.user, pk)
    if not (is_print_shop(request.user) or request.user.is_superuser):
        raise Http404
    form = PrintOrderAdvanceForm(request.POST)
    if not form.is_valid() or order.next_status is None:
        (order,) = mark_newer_versions([order])
        if order.next_status is None:
            messages.error(request, _("This order has no next step."))
            return redirect("print_order_detail", pk=order.pk)
        return render(
            request,
            "routines/print_order_detail.html",
            {"order": order, "events": order.events.select_related("by"), "print_shop": True, "advance_form": form},
        )
    order = print_order_advance(order=order, user=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("The order is now: %(status)s.") % {"status": order.get_status_display()})
    return redirect("print_order_detail", pk=order.pk)


@login_required
@require_POST
def print_order_reissue_view(request: HttpRequest, pk) -> HttpResponse:
    order = get_print_order_for_user(request.user, pk)
    if order.ordered_by_id != request.user.pk:
        raise Http404
    (order,) = mark_newer_versions([order])
    if not order.newer_version_exists:
        messages.info(request, _("This order is already for the current version."))
        return redirect("print_order_detail", pk=order.pk)
    try:
        new = print_order_reissue(order=order, user=request.user, version=order.current_version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("print_order_detail", pk=order.pk)
    messages.success(request, _("A new order for the current version is sent; the old one is superseded."))
    return redirect("print_order_detail", pk=new.pk)


@login_required
@require_safe
def print_order_pdf(request: HttpRequest, pk) -> HttpResponse:
    """The print folder of the order's pinned version, in the order's language."""
    order = get_print_order_for_user(request.user, pk)
    pdf = routine_pdf_get(version=order.version, variant=RoutinePdf.Variant.FOLDER, lang=order.lang)
    audit_log(actor=request.user, action="print_order.pdf_downloaded", target=order, unit=order.delivery_unit)
    return FileResponse(
        default_storage.open(pdf.file_name, "rb"),
        as_attachment=True,
        filename=pdf.download_name,
        content_type="application/pdf",
    )
