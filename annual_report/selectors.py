"""Reads for the annual report's pages (the counting itself is in ``annual_report.report``)."""

from accounts.models import Unit
from annual_report.models import ContactCount, PersonCount


def report_years(unit: Unit) -> list[int]:
    """The years with figures for this unit, newest first."""
    years = set(PersonCount.objects.filter(unit=unit).values_list("year", flat=True).distinct())
    years |= set(ContactCount.objects.filter(unit=unit).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)
