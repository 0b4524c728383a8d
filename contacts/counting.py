"""From a case's contacts to the anonymous statistics (annual_report), once per contact.

A contact is counted when it is complete (a stay: once it has a departure) and its case is registered. The
registration's stable attributes give the per-year pseudonym, so a person is counted once a year per group
(residents, day users) however many cases and contacts she has; the case itself remembers which years and
groups it has counted (``Registration.counted``) so a person who declined consent (no pseudonym) is still
counted once per case. Phone conversations and day visits are counted as contacts; stays with their days.
"""

from annual_report.models import Group
from annual_report.pseudonyms import KeyDestroyed, pseudonym_for
from annual_report.services import contact_count, person_count
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


def _count_person(registration: Registration, contact: CaseContact, year: int) -> None:
    group = GROUP_OF_KIND.get(CaseContact.Kind(contact.kind))
    if group is None:
        return
    mark = f"{year}:{group}"
    if mark in registration.counted:
        return
    if registration.consented:
        try:
            pseudonym = pseudonym_for(
                unit=contact.unit,
                year=year,
                birth_year=registration.birth_year or 0,
                initials=registration.initials,
                gender=registration.gender,
            )
        except KeyDestroyed:
            return  # the year's report is made: a late contact adds to the contact counts only
        person_count(
            unit=contact.unit, year=year, group=group, pseudonym=pseudonym, answers=statistic_answers(registration)
        )
    else:
        # Without consent nothing about the person is kept: she is counted, with no answer and no pseudonym.
        person_count(unit=contact.unit, year=year, group=group, pseudonym="", answers={})
    registration.counted = [*registration.counted, mark]
    registration.save(update_fields=["counted"])


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
    year = (contact.ended_on or contact.started_on).year
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
