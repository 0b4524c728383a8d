"""Print-order pages: the print shop's queue, ordering a print run, an order and its next step, re-issuing an
order for a newer version, and the order's print PDF."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from core.http import AuthenticatedHttpRequest
from printing.access import get_print_order_for_user, is_print_shop, may_order_prints, order_units, visible_print_orders
from printing.forms import PrintOrderAdvanceForm, PrintOrderForm
from printing.selectors import (
    DONE,
    mark_newer_versions,
    open_and_closed,
    order_events,
    orderable_versions,
    print_specification,
)
from printing.services import print_order_advance, print_order_create, print_order_reissue
from routines.models import RoutinePdf
from routines.pdf_store import routine_pdf_get


@login_required
@require_safe
def print_order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The print shop's queue (open orders first, by wanted-by date), or an orderer's own orders."""
    print_shop = is_print_shop(request.user) or request.user.is_superuser
    if not print_shop and not may_order_prints(request.user):
        raise Http404
    open_orders, closed_orders = open_and_closed(mark_newer_versions(visible_print_orders(request.user)))
    return render(
        request,
        "printing/list.html",
        {
            "open_orders": open_orders,
            "closed_orders": closed_orders,
            "print_shop": print_shop,
            "may_order": may_order_prints(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def print_order_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_order_prints(request.user):
        raise Http404
    versions = orderable_versions(request.user)
    choices = sorted(((slug, v.title) for slug, v in versions.items()), key=lambda c: c[1])
    initial = {
        "lang": get_language(),
        "routine": request.GET.get("routine", ""),
        "contact_name": request.user.get_full_name(),
    }
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
            paper=data["paper"],
            proof=data["proof"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            billing_reference=data["billing_reference"],
        )
        messages.success(request, _("The print order is sent to the print shop."))
        return redirect("printing:detail", pk=order.pk)
    return render(request, "printing/new.html", {"form": form})


@login_required
@require_safe
def print_order_detail(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    order = get_print_order_for_user(request.user, pk)
    (order,) = mark_newer_versions([order])
    audit_log(actor=request.user, action="print_order.viewed", target=order, unit=order.delivery_unit)
    print_shop = is_print_shop(request.user) or request.user.is_superuser
    return render(
        request,
        "printing/detail.html",
        {
            "order": order,
            "events": order_events(order),
            "print_shop": print_shop,
            "spec": print_specification(order, render=print_shop),
            "advance_form": PrintOrderAdvanceForm() if print_shop and order.next_status else None,
            "can_reissue": order.ordered_by_id == request.user.pk
            and order.newer_version_exists
            and order.status not in DONE,
        },
    )


@login_required
@require_POST
def print_order_advance_view(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    order = get_print_order_for_user(request.user, pk)
    if not (is_print_shop(request.user) or request.user.is_superuser):
        raise Http404
    form = PrintOrderAdvanceForm(request.POST)
    if not form.is_valid() or order.next_status is None:
        (order,) = mark_newer_versions([order])
        if order.next_status is None:
            messages.error(request, _("This order has no next step."))
            return redirect("printing:detail", pk=order.pk)
        return render(
            request,
            "printing/detail.html",
            {"order": order, "events": order_events(order), "print_shop": True, "advance_form": form},
        )
    order = print_order_advance(order=order, user=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("The order is now: %(status)s.") % {"status": order.get_status_display()})
    return redirect("printing:detail", pk=order.pk)


@login_required
@require_POST
def print_order_reissue_view(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    order = get_print_order_for_user(request.user, pk)
    if order.ordered_by_id != request.user.pk:
        raise Http404
    (order,) = mark_newer_versions([order])
    if not order.newer_version_exists or order.current_version is None:
        messages.info(request, _("This order is already for the current version."))
        return redirect("printing:detail", pk=order.pk)
    try:
        new = print_order_reissue(order=order, user=request.user, version=order.current_version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("printing:detail", pk=order.pk)
    messages.success(request, _("A new order for the current version is sent; the old one is superseded."))
    return redirect("printing:detail", pk=new.pk)


@login_required
@require_safe
def print_order_pdf(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> FileResponse:
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
