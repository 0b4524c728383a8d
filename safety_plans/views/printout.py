"""The discreet printout of a safety plan: a form, a preview of exactly what prints, and the PDF.

Nothing is chosen at first, and a choice of nothing is refused with a clear message, never printed as an
empty card. The person's own wording of the items is kept for the next printout (printout_titles_save). The
choices travel only in POST bodies, never in the URL, so a chosen title or a note never reaches an address
bar, a browser history or a server log. Only those who may change the plan print it (a manager reading it gets
403, everyone else 404). Every page, preview and PDF is audit-logged without content.
"""

import io
import uuid

from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from audit.services import audit_log
from safety_plans.access import get_plan_for_user, plan_role_required
from safety_plans.forms import PrintoutForm
from safety_plans.pdf import card_pdf
from safety_plans.printout import card_for
from safety_plans.services import printout_titles_save

PREVIEW, DOWNLOAD = "preview", "download"


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@plan_role_required
def plan_print(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    plan = get_plan_for_user(request.user, pk, for_change=True)
    card = None
    if request.method == "POST":
        form = PrintoutForm(request.POST, plan=plan)
        if form.is_valid():
            printout_titles_save(plan=plan, user=request.user, titles=form.cleaned_data["item_titles"])
            card = card_for(plan, form.cleaned_data)
            if request.POST.get("action") == DOWNLOAD:
                pdf = card_pdf(card)
                audit_log(actor=request.user, action="safety_plan.printed", target=plan, unit=plan.unit)
                # Nothing in the name says what it is or whose: only the size.
                response = FileResponse(
                    io.BytesIO(pdf),
                    as_attachment=True,
                    filename=f"list-{card.size}.pdf",
                    content_type="application/pdf",
                )
                return _no_store(response)
            audit_log(actor=request.user, action="safety_plan.print_previewed", target=plan, unit=plan.unit)
        else:
            audit_log(actor=request.user, action="safety_plan.viewed", target=plan, unit=plan.unit)
    else:
        form = PrintoutForm(plan=plan)
        audit_log(actor=request.user, action="safety_plan.viewed", target=plan, unit=plan.unit)
    return _no_store(render(request, "safety_plans/print.html", {"plan": plan, "form": form, "card": card}))
