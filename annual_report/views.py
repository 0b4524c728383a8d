"""The annual report for managers: the page, and its CSV and XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from annual_report.access import report_units
from annual_report.report import build_report, report_csv, report_xlsx
from annual_report.selectors import report_years
from audit.services import audit_log
from core.access import permission_required_or_404


def _year(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@require_safe
@login_required
@permission_required_or_404("annual_report.view_personcount")
def report(request: HttpRequest) -> HttpResponse:
    """One year's report of one of the units the manager manages (``?unit=<slug>&year=<year>``)."""
    units = report_units(request.user)
    unit = next((u for u in units if u.slug == request.GET.get("unit")), units[0] if units else None)
    if unit is None:
        raise Http404
    years = report_years(unit)
    this_year = timezone.localdate().year
    year = _year(request.GET.get("year"), years[0] if years else this_year)
    built = build_report(unit, year, language=get_language())
    audit_log(actor=request.user, action="statistics.report_viewed", unit=unit)
    choices = sorted({*years, this_year, year}, reverse=True)
    return render(request, "annual_report/report.html", {"report": built, "units": units, "years": choices})


@require_safe
@login_required
@permission_required_or_404("annual_report.view_personcount")
def download(request: HttpRequest, unit: str, year: int, fmt: str) -> HttpResponse:
    found = next((u for u in report_units(request.user) if u.slug == unit), None)
    if found is None or fmt not in ("csv", "xlsx") or not 2000 <= year <= 2100:
        raise Http404
    built = build_report(found, year, language=get_language())
    audit_log(actor=request.user, action="statistics.report_downloaded", unit=found)
    name = f"annual-report-{found.slug}-{year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(report_csv(built), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            report_xlsx(built), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
