"""The managers' pages over many reports: the list with its filters, its CSV export and the overview's charts."""

from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Unit
from audit.services import audit_log
from core.access import permission_required_or_404
from core.csv import rows_to_excel_csv
from core.pagination import CappedPaginator
from incidents import selectors
from incidents.charts import stacked_bars
from incidents.export import XLSX_CONTENT_TYPE, export_header, export_rows, to_xlsx
from incidents.forms import ListFilterForm
from incidents.models import Incident, IncidentType
from incidents.risk import LEVEL_CSS, SCALE, Consequence, Probability, RiskLevel, cause_categories, risk_level

PAGE_SIZE = 25


def _filters(request: HttpRequest, units: list[Unit]) -> tuple[ListFilterForm, selectors.ListFilters]:
    form = ListFilterForm(request.GET or None, units=units)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ListFilters(
            state=data["state"],
            type=data["type"],
            unit=data["unit"],
            overdue=data["overdue"],
            late=data["late"],
            risk=data["risk"],
        )
    else:
        filters = selectors.ListFilters()
    return form, filters


def _rows(incidents: Iterable[Incident], overdue: set[UUID]) -> list[dict[str, Any]]:
    """The list's cells, ready to print. Made here rather than in the template because a template spends
    about ten times as long per value (the rows were two thirds of the page's rendering: docs/performance.md)."""
    return [
        {
            "url": reverse("incidents:detail", args=[incident.pk]),
            "ref": incident.short_id,
            "type": incident.get_type_display(),
            "when": formats.date_format(timezone.localtime(incident.occurred_at), "SHORT_DATETIME_FORMAT"),
            "unit": incident.unit.name,
            "state": incident.get_state_display(),
            "risk": incident.get_risk_level_display(),
            "risk_css": incident.risk_css,
            "risk_confirmed": incident.risk_confirmed,
            "manager": incident.assigned_to.get_full_name() if incident.assigned_to else "",
            "overdue": incident.pk in overdue,
            "pii_overridden": incident.pii_overridden,
        }
        for incident in incidents
    ]


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_list(request: HttpRequest) -> HttpResponse:
    units = list(selectors.managed_units(request.user).order_by("name"))
    form, filters = _filters(request, units)
    page = CappedPaginator(selectors.incident_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("free_text", None)
    audit_log(actor=request.user, action="incident.list_viewed")
    # The export form carries the list's filters as hidden fields, so the file holds what the page shows.
    export_filters = [(name, value) for name, values in query.lists() for value in values]
    context = {
        "form": form,
        # The rendered filter form is cached (a fragment of list.html): it is a third of the page's rendering
        # and depends only on what this key holds (with the language).
        "form_key": repr(
            ([(name, request.GET.getlist(name)) for name in form.fields], [(u.pk, u.name) for u in units])
        ),
        "page": page,
        "rows": _rows(page.object_list, selectors.overdue_among(page.object_list)),
        "query": query.urlencode(),
        "export_filters": export_filters,
        "settings_units": units,
    }
    return render(request, "incidents/list.html", context)


def _export(request: HttpRequest) -> tuple[list[str], Iterator[list[Any]], str]:
    """The filtered list's header, rows and file name; free text only when asked for (``free_text=on``)."""
    _form, filters = _filters(request, list(selectors.managed_units(request.user)))
    free_text = request.GET.get("free_text") == "on"
    incidents = selectors.with_overdue_flag(selectors.incident_list(request.user, filters))
    audit_log(actor=request.user, action="incident.exported")
    name = f"incidents-{timezone.localdate():%Y-%m-%d}"
    return export_header(free_text=free_text), export_rows(incidents, free_text=free_text), name


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_export(request: HttpRequest) -> HttpResponse:
    """CSV for Norwegian Excel: ``;`` between cells and a byte-order mark (``core.csv``)."""
    header, rows, name = _export(request)
    response = HttpResponse(rows_to_excel_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_export_xlsx(request: HttpRequest) -> HttpResponse:
    header, rows, name = _export(request)
    response = HttpResponse(to_xlsx(header, rows, title=_("Incident reports")), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    incidents = selectors.managed_incidents(request.user)
    months, per_type = selectors.per_month_by_type(incidents, today)
    month_labels = [m.strftime("%Y-%m") for m in months]
    labels = dict(IncidentType.choices)
    monthly = stacked_bars(
        title=_("Reports per month by type"),
        description=_("Number of reports in each of the last twelve months, stacked by type."),
        labels=month_labels,
        series=[(str(labels[t]), values) for t, values in per_type.items()],
    )
    monthly_rows = [
        (label, [values[i] for values in per_type.values()], sum(values[i] for values in per_type.values()))
        for i, label in enumerate(month_labels)
    ]
    age_labels = [_("0-7 days"), _("8-30 days"), _("31-90 days"), _("More than 90 days")]
    ages = selectors.open_by_age(incidents, today)
    by_age = stacked_bars(
        title=_("Open reports by age"),
        description=_("Reports not yet closed, by days since they were reported."),
        labels=[str(label) for label in age_labels],
        series=[(_("Open reports"), ages)],
    )
    overdue = selectors.overdue_by_unit(incidents, today)
    overdue_chart = stacked_bars(
        title=_("Overdue actions"),
        description=_("Open actions past their deadline, by unit."),
        labels=[name for name, _n in overdue],
        series=[(_("Overdue actions"), [n for _name, n in overdue])],
    )
    cause_months, per_cause = selectors.per_month_by_cause(incidents, today)
    cause_names = dict(cause_categories())
    cause_labels = [cause_names.get(code, code) for code in per_cause]
    causes = stacked_bars(
        title=_("Causes over time"),
        description=_(
            "Reports closed in each of the last twelve months, stacked by the cause category given on closing."
        ),
        labels=[m.strftime("%Y-%m") for m in cause_months],
        series=[(cause_names.get(code, code), values) for code, values in per_cause.items()],
    )
    cause_rows = [
        (m.strftime("%Y-%m"), [values[i] for values in per_cause.values()], sum(v[i] for v in per_cause.values()))
        for i, m in enumerate(cause_months)
    ]
    counts = selectors.risk_matrix(incidents)
    risk_rows = [
        (
            Probability(p).label,
            [
                (counts.get((c, p), 0), LEVEL_CSS[RiskLevel(risk_level(c, p))], RiskLevel(risk_level(c, p)).label)
                for c in SCALE
            ],
        )
        for p in reversed(SCALE)
    ]
    level_totals = dict.fromkeys(RiskLevel, 0)
    for (c, p), n in counts.items():
        level_totals[RiskLevel(risk_level(c, p))] += n
    audit_log(actor=request.user, action="incident.overview_viewed")
    return render(
        request,
        "incidents/overview.html",
        {
            "monthly": monthly,
            "monthly_rows": monthly_rows,
            "type_labels": [labels[t] for t in per_type],
            "by_age": by_age,
            "age_rows": list(zip(age_labels, ages)),
            "overdue": overdue_chart,
            "overdue_rows": overdue,
            "risk_columns": [Consequence(c).label for c in SCALE],
            "risk_rows": risk_rows,
            "causes": causes,
            "cause_labels": cause_labels,
            "cause_rows": cause_rows,
            "risk_totals": [(level.label, LEVEL_CSS[level], n) for level, n in level_totals.items()],
        },
    )
