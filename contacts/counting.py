"""From a case's contacts to the anonymous statistics (annual_report), once per contact.

A contact is counted when it is complete (a stay: once it has a departure) and its case is registered. The
registration's stable attributes give the per-year pseudonym, so a person is counted once a year per group
(residents, day users) however many cases and contacts she has; the case itself remembers which years and
groups it has counted (``Registration.counted``) so a person who declined consent (no pseudonym) is still
counted once per case. Phone conversations and day visits are counted as contacts; stays with their days.

A correction (a contact changed or deleted, a registration corrected) first takes back what was counted, from
the values the case still holds (statistics rows with the same values are indistinguishable, so no link is
needed to find "its" row), then counts the corrected values: it replaces, never adds. Once a year's key is
destroyed its report is final and nothing counted in it can be corrected (``YearClosed``).
"""

from annual_report.models import Group
from annual_report.pseudonyms import KeyDestroyed, normalise, pseudonym_for, year_is_final
from annual_report.services import (
    contact_count,
    contact_uncount,
    person_answers_replace,
    person_count,
    person_uncount,
)
from contacts.models import CaseContact, Registration

GROUP_OF_KIND = {CaseContact.Kind.STAY: Group.RESIDENT, CaseContact.Kind.DAY_VISIT: Group.DAY_USER}


def statistic_answers(registration: Registration) -> dict[str, list[str]]:
    """The registration's answers as codes per dimension (linkId); no free text ever leaves the case."""
    found: dict[str, list[str]] = {}
    for link_id, values in (registration.answers or {}).items():
        codes = [str(v["code"]) for v in values if isinstance(v, dict) and v.get("code")]
        codes += [("yes" if v else "no") for v in values if isinstance(v, bool)]
        if codes:
            found[link_id] = codes
    return found


def counted_year(contact: CaseContact) -> int:
    """The year a contact is (or will be) counted in: a stay's in the year it ended."""
    return (contact.ended_on or contact.started_on).year


def _pseudonym(registration: Registration, unit, year: int) -> str:
    return pseudonym_for(
        unit=unit,
        year=year,
        birth_year=registration.birth_year or 0,
        initials=registration.initials,
        gender=registration.gender,
    )


def _count_person_in(registration: Registration, unit, year: int, group: str, *, correction: bool = False) -> None:
    mark = f"{year}:{group}"
    if mark in registration.counted:
        return
    if year_is_final(unit, year):
        return  # the year's report is made: a late contact adds to the contact counts only
    if registration.consented:
        try:
            pseudonym = _pseudonym(registration, unit, year)
        except KeyDestroyed:
            return
        answers = statistic_answers(registration)
        counted = person_count(unit=unit, year=year, group=group, pseudonym=pseudonym, answers=answers)
        if correction and not counted:
            # Counted already (by this case before the correction, or another case of the same person): the
            # corrected answers are the latest confirmed with her, so they stand.
            person_answers_replace(unit=unit, year=year, group=group, pseudonym=pseudonym, answers=answers)
    else:
        # Without consent nothing about the person is kept: she is counted, with no answer and no pseudonym.
        person_count(unit=unit, year=year, group=group, pseudonym="", answers={})
    registration.counted = [*registration.counted, mark]
    registration.save(update_fields=["counted"])


def _count_person(registration: Registration, contact: CaseContact, year: int) -> None:
    group = GROUP_OF_KIND.get(CaseContact.Kind(contact.kind))
    if group is not None:
        _count_person_in(registration, contact.unit, year, group)


def _shared_pseudonym(registration: Registration, mark: str) -> bool:
    """Whether another registered case at the unit counts the same person (same attributes) under ``mark``:
    then the person's row is that case's too and stays."""
    others = Registration.objects.filter(
        unit_id=registration.unit_id,
        consent=Registration.Consent.GIVEN,
        birth_year=registration.birth_year,
    ).exclude(pk=registration.pk)
    mine = normalise(
        birth_year=registration.birth_year or 0, initials=registration.initials, gender=registration.gender
    )
    return any(
        mark in other.counted
        and normalise(birth_year=other.birth_year or 0, initials=other.initials, gender=other.gender) == mine
        for other in others.only("birth_year", "initials", "gender", "counted")
    )


def _uncount_person(registration: Registration, mark: str) -> None:
    """Take the case's person back out of ``mark`` ("2026:resident"), unless another case counts her there."""
    year_text, group = mark.split(":", 1)
    year = int(year_text)
    unit = registration.unit
    if registration.consented:
        if not _shared_pseudonym(registration, mark):
            person_uncount(unit=unit, year=year, group=group, pseudonym=_pseudonym(registration, unit, year))
    else:
        person_uncount(unit=unit, year=year, group=group, pseudonym="")
    registration.counted = [m for m in registration.counted if m != mark]
    registration.save(update_fields=["counted"])


class YearClosed(Exception):
    """The year's report is final (its pseudonym key is destroyed): what it counted can no longer change."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def closed_years(unit, years) -> list[int]:
    return [year for year in sorted(set(years)) if year_is_final(unit, year)]


def uncount_contact(contact: CaseContact) -> None:
    """Take a counted contact back out of the statistics, as it was counted (before a correction or its
    deletion), and its person out of the year's group if no other counted contact of the case keeps her
    there. Raises YearClosed if its year is final."""
    if not contact.counted:
        return
    year = counted_year(contact)
    if year_is_final(contact.unit, year):
        raise YearClosed(year)
    contact_uncount(
        unit=contact.unit,
        year=year,
        kind=contact.kind,
        days=contact.days,
        went_to=contact.went_to,
        children_ages=[child.age for child in contact.children.all()] if contact.is_stay else [],
    )
    CaseContact.objects.filter(pk=contact.pk).update(counted=False)
    contact.counted = False
    group = GROUP_OF_KIND.get(CaseContact.Kind(contact.kind))
    registration = Registration.objects.filter(intake_id=contact.intake_id).select_related("unit").first()
    if group is None or registration is None or f"{year}:{group}" not in registration.counted:
        return
    kinds = [kind for kind, g in GROUP_OF_KIND.items() if g == group]
    still = [
        other
        for other in CaseContact.objects.filter(intake_id=contact.intake_id, counted=True, kind__in=kinds).exclude(
            pk=contact.pk
        )
        if counted_year(other) == year
    ]
    if not still:
        _uncount_person(registration, f"{year}:{group}")


def recount_registration(registration: Registration, marks: list[str], apply) -> None:
    """A correction of a registration: take the person out of every year and group the case counted her in,
    ``apply`` the corrected values, and count her in them again, so the correction replaces what was counted
    and never adds to it. Raises YearClosed if one of those years is final."""
    closed = closed_years(registration.unit, [int(mark.split(":", 1)[0]) for mark in marks])
    if closed:
        raise YearClosed(closed[0])
    for mark in marks:
        _uncount_person(registration, mark)
    apply(registration)
    for mark in marks:
        year_text, group = mark.split(":", 1)
        _count_person_in(registration, registration.unit, int(year_text), group, correction=True)


def count_contact(contact: CaseContact, *, final: bool = False) -> bool:
    """Write the contact's statistics if it is ready to be counted and not yet counted. ``final`` (the case is
    about to be deleted): an unregistered case's contact is counted as a contact, with no person. Returns
    whether it was counted."""
    if contact.counted:
        return False
    if contact.is_stay and contact.ended_on is None:
        return False
    registration = Registration.objects.filter(intake_id=contact.intake_id).first()
    if registration is None and not final:
        return False
    year = counted_year(contact)
    contact_count(
        unit=contact.unit,
        year=year,
        kind=contact.kind,
        days=contact.days,
        went_to=contact.went_to,
        children_ages=[child.age for child in contact.children.all()] if contact.is_stay else [],
    )
    if registration is not None:
        _count_person(registration, contact, year)
    CaseContact.objects.filter(pk=contact.pk).update(counted=True)
    contact.counted = True
    return True


def count_case(registration: Registration) -> int:
    """Count every contact of a newly registered case that is ready; returns how many."""
    return sum(count_contact(c) for c in CaseContact.objects.filter(intake_id=registration.intake_id, counted=False))
