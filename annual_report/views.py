"""The annual report for managers: the page, its CSV and XLSX, and making a past year's report final."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from annual_report.access import report_units
from annual_report.report import build_report, report_csv, report_xlsx
from annual_report.selectors import report_years, year_key
from annual_report.services import YearNotOver, report_make_final
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
    return render(
        request,
        "annual_report/report.html",
        {
            "report": built,
            "units": units,
            "years": choices,
            "key": year_key(unit, year),
            "year_over": year < this_year,
        },
    )


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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required_or_404("annual_report.view_personcount")
def make_final(request: HttpRequest, unit: str, year: int) -> HttpResponse:
    """Make a past year's report final (after a confirmation page): its pseudonym key is destroyed."""
    found = next((u for u in report_units(request.user) if u.slug == unit), None)
    if found is None or not 2000 <= year <= 2100:
        raise Http404
    back = reverse("annual_report:report") + "?" + urlencode([("unit", str(found.slug)), ("year", str(year))])
    key = year_key(found, year)
    if key is not None and key.is_destroyed:
        messages.info(request, _("The report for %(year)s is final already.") % {"year": year})
        return redirect(back)
    if request.method == "POST":
        try:
            report_make_final(unit=found, year=year, user=request.user, today_year=timezone.localdate().year)
        except YearNotOver:
            messages.error(request, _("A year's report can be made final once the year is over."))
        else:
            messages.success(request, _("The report for %(year)s is final.") % {"year": year})
        return redirect(back)
    return render(
        request,
        "annual_report/make_final.html",
        {"unit": found, "year": year, "back": back, "year_over": year < timezone.localdate().year},
    )
