"""Reads for the annual report's pages (the counting itself is in ``annual_report.report``)."""

from accounts.models import Unit
from annual_report.models import ContactCount, PersonCount, YearKey


def report_years(unit: Unit) -> list[int]:
    """The years with figures for this unit, newest first."""
    years = set(PersonCount.objects.filter(unit=unit).values_list("year", flat=True).distinct())
    years |= set(ContactCount.objects.filter(unit=unit).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def year_key(unit: Unit, year: int) -> YearKey | None:
    """The year's pseudonym key row (None before anyone is counted): whether the year's report is final."""
    return YearKey.objects.filter(unit=unit, year=year).first()
