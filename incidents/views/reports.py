"""The reporter's side: filing a report, its receipt, and "My reports" (own reports and the actions one is
responsible for)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from core.access import permission_required_or_404
from incidents import selectors, services
from incidents.access import get_incident_for_user
from incidents.forms import IncidentReportForm
from incidents.models import IncidentType


@login_required
@permission_required_or_404("incidents.add_incident")
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = IncidentReportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "save_anyway"}
            data["pii_overridden"] = form.pii_overridden
            incident, _created = services.incident_report(user=request.user, **data)
            return redirect("incidents:receipt", pk=incident.pk)
    else:
        initial: dict[str, str] = {}
        if request.GET.get("type") in IncidentType.values:
            initial["type"] = request.GET["type"]
        form = IncidentReportForm(initial=initial, user=request.user)
    return render(request, "incidents/new.html", {"form": form})


@login_required
@require_safe
def incident_receipt(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    if incident.reporter_id != request.user.pk:
        raise Http404
    return render(request, "incidents/receipt.html", {"incident": incident})


@login_required
@require_safe
def incident_mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "incidents/mine.html",
        {
            "reports": selectors.my_reports(request.user)[:100],
            "actions": selectors.my_actions(request.user),
            "today": today,
        },
    )
