"""The access log and the access review, for managers (their units) and administrators (everything).

Who may see which events is ``audit.review``'s; everyone else gets 404. Opening either page, and
downloading the log, is itself written to the log.
"""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Unit
from audit import review as audit_review
from audit.forms import AuditFilterForm, ReviewForm
from audit.services import audit_log
from core.csv import csv_lines

PAGE_SIZE = 50


def _filtered_events(request):
    """The events the reviewer may see, filtered by the GET form; the form (with its errors) too. An invalid
    filter shows no events rather than more than was asked for."""
    events = audit_review.events_for_reviewer(request.user)
    form = AuditFilterForm(request.GET or None, people=audit_review.people_for_reviewer(request.user))
    if form.is_bound:
        events = audit_review.filter_events(events, form.cleaned_data) if form.is_valid() else events.none()
    return form, events.select_related("actor", "unit").order_by("-at", "-pk")


@require_safe
@login_required
def audit_event_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered_events(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = audit_review.rows(page)  # read before logging this view, so the count and the page agree
    query = request.GET.copy()
    query.pop("page", None)
    audit_log(actor=request.user, action="audit.viewed")
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "audit/list.html", context)


@require_safe
@login_required
def audit_event_export(request: HttpRequest) -> HttpResponseBase:
    _form, events = _filtered_events(request)
    header = [
        _("When"),
        _("Username"),
        _("Name"),
        _("Action"),
        _("Action code"),
        _("Record type"),
        _("Record id"),
        _("Unit"),
    ]
    body = (
        [
            timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            row.actor.username if row.actor else "",
            row.actor.get_full_name() if row.actor else "",
            row.action_label,
            row.action,
            row.type_label,
            row.target_id,
            row.unit.name if row.unit else "",
        ]
        for row in audit_review.iter_rows(events.iterator(chunk_size=2000))
    )
    # Streamed: an administrator's unfiltered export of a long log never sits whole in a worker's memory.
    response = StreamingHttpResponse(csv_lines(header, body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localdate():%Y-%m-%d}.csv"'
    audit_log(actor=request.user, action="audit.exported")
    return response


@require_safe
@login_required
def audit_review_page(request: HttpRequest) -> HttpResponse:
    units = audit_review.reviewer_units(request.user)
    choices = Unit.objects.all() if units is None else units
    # Unfiltered, the page shows the last 30 days of all the reviewer's units.
    query = request.GET.copy()
    query.pop("page", None)
    if not query:
        query["since"] = (timezone.localdate() - timedelta(days=30)).isoformat()
    form = ReviewForm(query, units=choices)
    review = page = None
    if form.is_valid():
        data = form.cleaned_data
        scope = Unit.objects.filter(pk=data["unit"].pk) if data["unit"] else units
        review = audit_review.flagged_reads(since=data["since"], until=data["until"], units=scope)
        page = Paginator(review.flagged, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_log(actor=request.user, action="audit.review_viewed")
    context = {"form": form, "review": review, "page": page, "query": query.urlencode()}
    return render(request, "audit/review.html", context)
