"""Anonymous reporting: the form at a unit's link, the receipt code shown once, the page where the reporter
follows her report with the code and answers; and, for the unit's managers, writing to her and the unit's
incident settings. The reporter's pages are for logged-out visitors only (``incidents.anonymous`` says why);
the code travels only in POST bodies, never in an address, so no access log holds it."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.clientip import client_ip
from accounts.forms import rate_allows
from accounts.models import Unit
from audit.services import audit_log
from incidents import selectors, services
from incidents.access import get_incident_for_user
from incidents.anonymous import anonymous_unit, incident_by_receipt_code, unit_settings
from incidents.forms import AnonymousReportForm, FollowForm, MessageForm, UnitSettingsForm
from incidents.risk import apply_matrix_labels
from incidents.views.followup import _detail_context


def _logged_in_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "incidents/anonymous_logged_in.html", status=200)


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_new(request: HttpRequest, slug: str) -> HttpResponse:
    unit = anonymous_unit(slug)
    if unit is None:
        raise Http404
    if request.user.is_authenticated:
        return _logged_in_notice(request)
    form = AnonymousReportForm(request.POST or None)
    apply_matrix_labels(form, unit)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "save_anyway"}
        data["pii_overridden"] = form.pii_overridden
        _incident, code = services.incident_report_anonymous(unit=unit, **data)
        # Rendered, not redirected: the code is shown in this answer only and is never in an address.
        return render(request, "incidents/anonymous_receipt.html", {"unit": unit, "code": code})
    status = 400 if request.method == "POST" else 200
    return render(request, "incidents/anonymous_new.html", {"form": form, "unit": unit}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_follow(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _logged_in_notice(request)
    if request.method == "GET":
        return render(request, "incidents/anonymous_follow.html", {"form": FollowForm()})
    form = FollowForm(request.POST)
    if not rate_allows(f"receipt-code:{client_ip(request)}", settings.INCIDENT_CODE_LOOKUPS_PER_HOUR):
        form.is_valid()
        form.add_error(None, _("Too many tries with receipt codes from here. Wait an hour and try again."))
        return render(request, "incidents/anonymous_follow.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "incidents/anonymous_follow.html", {"form": form}, status=400)
    incident = incident_by_receipt_code(form.cleaned_data["code"])
    if incident is None:
        form.add_error("code", _("No report has this receipt code. Check that you copied all of it."))
        return render(request, "incidents/anonymous_follow.html", {"form": form}, status=400)
    status = 200
    if request.POST.get("answer"):
        try:
            services.reporter_answer(incident=incident, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
            status = 400
        else:
            messages.success(request, _("Your answer was sent."))
            form = FollowForm(initial={"code": form.cleaned_data["code"]})
    else:
        audit_log(actor=None, action="incident.followed_anonymously", target=incident, unit=incident.unit)
    context = {"form": form, "incident": incident, "thread": list(incident.messages.all())}
    return render(request, "incidents/anonymous_follow.html", context, status=status)


@login_required
@require_POST
def incident_message_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm="incidents.change_incident")
    if not incident.anonymous:
        raise Http404
    form = MessageForm(request.POST)
    if form.is_valid():
        services.message_to_reporter(incident=incident, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The message was saved. The reporter reads it with her receipt code."))
        return redirect("incidents:detail", pk=incident.pk)
    context = _detail_context(request, incident, message_form=form)
    return render(request, "incidents/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def unit_settings_edit(request: HttpRequest, slug: str) -> HttpResponse:
    unit = Unit.objects.filter(slug=slug, pk__in=selectors.managed_units(request.user).values("pk")).first()
    if unit is None:
        raise Http404
    current = unit_settings(unit)
    if request.method == "POST":
        form = UnitSettingsForm(request.POST)
        if form.is_valid():
            services.unit_settings_save(
                unit=unit,
                user=request.user,
                anonymous_reporting=form.cleaned_data["anonymous_reporting"],
                consequence_labels=form.labels("consequence"),
                probability_labels=form.labels("probability"),
            )
            messages.success(request, _("The settings were saved."))
            return redirect("incidents:unit_settings", slug=unit.slug)
        status = 400
    else:
        initial: dict[str, object] = {"anonymous_reporting": current.anonymous_reporting}
        for prefix, labels in (
            ("consequence", current.consequence_labels),
            ("probability", current.probability_labels),
        ):
            for n, label in enumerate(labels or [], start=1):
                initial[f"{prefix}_{n}"] = label
        form = UnitSettingsForm(initial=initial)
        status = 200
    link = ""
    if current.anonymous_reporting:
        link = request.build_absolute_uri(reverse("incidents:anonymous_new", args=[unit.slug]))
    context = {"form": form, "unit": unit, "anonymous_link": link}
    return render(request, "incidents/unit_settings.html", context, status=status)
