"""Reads for contacts and registrations. Who sees them is who sees their intake: everything goes through
``intake.selectors.visible_intakes``, so the case's rules (owner, colleagues it is shared with, the unit's
managers to read) hold without a rule of our own."""

from typing import Any

from django.db.models import QuerySet

from contacts.models import CaseContact, Registration
from intake.models import Intake
from intake.selectors import visible_intakes


def visible_contacts(user: Any, *, for_change: bool = False) -> QuerySet[CaseContact]:
    """The contacts on the intakes this person may see (``for_change``: change)."""
    return CaseContact.objects.filter(intake__in=visible_intakes(user, for_change=for_change))


def contacts_of(intake: Intake) -> list[CaseContact]:
    """An intake's contacts with their children, newest first."""
    return list(CaseContact.objects.filter(intake=intake).prefetch_related("children").select_related("recorded_by"))


def registration_of(intake: Intake) -> Registration | None:
    return Registration.objects.filter(intake=intake).select_related("tree_version").first()


def registration_closed_year(registration: Registration) -> int | None:
    """The first year the registration's person is counted in whose report is final (its key destroyed), or
    None: a correction is refused then."""
    from annual_report.pseudonyms import year_is_final

    years = sorted({int(mark.split(":", 1)[0]) for mark in registration.counted})
    return next((year for year in years if year_is_final(registration.unit, year)), None)


def final_years(unit: Any) -> set[int]:
    """The unit's years whose report is final (key destroyed): what they counted can no longer be corrected."""
    from annual_report.models import YearKey

    return set(YearKey.objects.filter(unit=unit, secret__isnull=True).values_list("year", flat=True))
