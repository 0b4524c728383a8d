"""The managers' pages over many reports: the list with its filters, its CSV export and the overview's charts."""

from collections.abc import Iterable, Iterator
from html import escape
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
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


def _rows(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """The list's rows: their cells, and each row's markup (``html``), ready to print. Made here rather than
    in the template because a template spends about ten times as long per value: the 25 rows were two thirds
    of the page's rendering, and as a template loop still the largest part of it (docs/performance.md). Per
    page, not per row: the report's address is reversed once (``reverse`` costs about 0.1 ms a call) and each
    set of labels translated once."""
    placeholder = UUID(int=0)
    before, after = reverse("incidents:detail", args=[placeholder]).split(str(placeholder))
    types = {value: str(label) for value, label in IncidentType.choices}
    states = {value: str(label) for value, label in Incident.State.choices}
    levels = {value: str(label) for value, label in RiskLevel.choices}
    words = {
        "suggested": _("(suggested)"),
        "overdue": _("Overdue"),
        "pii_overridden": _("Personal data warning overridden"),
    }
    rows = [
        {
            "url": f"{before}{incident.pk}{after}",
            "ref": incident.short_id,
            "type": types.get(incident.type, incident.type),
            "when": formats.date_format(timezone.localtime(incident.occurred_at), "SHORT_DATETIME_FORMAT"),
            "unit": incident.unit.name,
            "state": states.get(incident.state, incident.state),
            "risk": levels.get(incident.risk_level, incident.risk_level),
            "risk_css": incident.risk_css,
            "risk_confirmed": incident.risk_confirmed,
            "manager": incident.assigned_to.get_full_name() if incident.assigned_to else "",
            # An annotation of selectors.list_page_columns.
            "overdue": incident.overdue_action is not None,  # type: ignore[attr-defined]
            "pii_overridden": incident.pii_overridden,
        }
        for incident in incidents
    ]
    for row in rows:
        row["html"] = _row_html(row, words)
    return rows


def _row_html(row: dict[str, Any], words: dict[str, str]) -> SafeString:
    """One row of the list's table; the column headers are in ``incidents/list.html`` and the risk cell is the
    markup of ``incidents/_risk.html``. Every value is escaped as the template would (``html.escape``, which
    Django's ``escape`` calls; through ``format_html`` the row cost three times as much)."""
    risk = "-"
    if row["risk"]:
        risk = f'<span class="badge {escape(row["risk_css"])}">{escape(row["risk"])}</span>'
        if not row["risk_confirmed"]:
            risk += f' <span class="small">{escape(words["suggested"])}</span>'
    flags = ""
    if row["overdue"]:
        flags += f'<span class="badge text-bg-danger">{escape(words["overdue"])}</span>'
    if row["pii_overridden"]:
        flags += f' <span class="badge text-bg-warning">{escape(words["pii_overridden"])}</span>'
    cells = "".join(
        f"<td>{cell}</td>"
        for cell in (
            f'<a href="{escape(row["url"])}">{escape(row["ref"])}</a>',
            escape(row["type"]),
            escape(row["when"]),
            escape(row["unit"]),
            escape(row["state"]),
            risk,
            escape(row["manager"] or "-"),
            flags,
        )
    )
    return mark_safe(f"<tr>{cells}</tr>")  # every value above is escaped


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_list(request: HttpRequest) -> HttpResponse:
    units = list(selectors.managed_units(request.user).order_by("name"))
    form, filters = _filters(request, units)
    incidents = selectors.list_page_columns(selectors.incident_list(request.user, filters, units=units))
    page = CappedPaginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
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
        "rows": _rows(page.object_list),
        "query": query.urlencode(),
        "export_filters": export_filters,
        "settings_units": units,
    }
    return render(request, "incidents/list.html", context)


def _export(request: HttpRequest) -> tuple[list[str], Iterator[list[Any]], str]:
    """The filtered list's header, rows and file name; free text only when asked for (``free_text=on``)."""
    units = list(selectors.managed_units(request.user))
    _form, filters = _filters(request, units)
    free_text = request.GET.get("free_text") == "on"
    incidents = selectors.with_overdue_flag(selectors.incident_list(request.user, filters, units=units))
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
