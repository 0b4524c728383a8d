"""Writes for contacts and registrations. Each function is one user action, atomic, audit-logged against the
intake (the case), so the audit review judges these reads and writes as it judges the intake's."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_log
from contacts.counting import YearClosed
from contacts.models import CaseContact, Registration, StayChild
from intake.models import Intake


@transaction.atomic
def contact_record(
    *,
    intake: Intake,
    user: Any,
    kind: str,
    started_on: date,
    ended_on: date | None = None,
    went_to: str = "",
    children_ages: Iterable[int] = (),
) -> CaseContact:
    """Record a contact on the case. Its anonymous statistics are written when it is complete (a stay: once
    it has a departure) and the case is registered (contacts.counting)."""
    from contacts.counting import count_contact

    contact = CaseContact.objects.create(
        intake=intake,
        unit_id=intake.unit_id,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on if kind == CaseContact.Kind.STAY else None,
        went_to=went_to if kind == CaseContact.Kind.STAY else "",
        recorded_by=user,
    )
    if kind == CaseContact.Kind.STAY:
        StayChild.objects.bulk_create(StayChild(contact=contact, age=age) for age in children_ages)
    audit_log(actor=user, action="contact.recorded", target=intake, unit=intake.unit)
    count_contact(contact)
    return contact


@transaction.atomic
def contact_change(
    *,
    contact: CaseContact,
    user: Any,
    started_on: date,
    ended_on: date | None = None,
    went_to: str = "",
    children_ages: Iterable[int] | None = None,
) -> CaseContact:
    """Change a contact (a stay gets its departure, or a mistake is corrected). A contact in the statistics
    already is taken back out of them as it was counted and counted again as corrected, so the figures follow
    the correction and never count it twice. Raises YearClosed if the old or the new year's report is final."""
    from contacts.counting import closed_years, count_contact, counted_year, uncount_contact

    contact = CaseContact.objects.select_for_update().select_related("unit").get(pk=contact.pk)
    if contact.counted:
        new_end = ended_on if contact.is_stay else None
        years = [counted_year(contact)]
        if not contact.is_stay or new_end is not None:
            years.append((new_end or started_on).year)
        closed = closed_years(contact.unit, years)
        if closed:
            raise YearClosed(closed[0])
        uncount_contact(contact)
    contact.started_on = started_on
    if contact.is_stay:
        contact.ended_on = ended_on
        contact.went_to = went_to
        if children_ages is not None:
            contact.children.all().delete()
            StayChild.objects.bulk_create(StayChild(contact=contact, age=age) for age in children_ages)
    contact.updated_at = timezone.now()
    contact.save()
    audit_log(actor=user, action="contact.changed", target=contact.intake, unit=contact.unit)
    count_contact(contact)
    return contact


@transaction.atomic
def contact_delete(*, contact: CaseContact, user: Any) -> None:
    """Delete a contact recorded by mistake. If it is in the statistics it is taken back out of them (with the
    person, when no other contact of the case counts her in that year). Raises YearClosed if its year's
    report is final."""
    from contacts.counting import uncount_contact

    contact = CaseContact.objects.select_for_update().select_related("unit", "intake").get(pk=contact.pk)
    uncount_contact(contact)
    audit_log(actor=user, action="contact.deleted", target=contact.intake, unit=contact.unit)
    contact.delete()


class AlreadyRegistered(Exception):
    """The case has its registration already (one per case: its statistics are written)."""


@transaction.atomic
def registration_record(
    *,
    intake: Intake,
    user: Any,
    consent: str,
    consent_how: str = "",
    tree_version: Any = None,
    answers: dict | None = None,
    birth_year: int | None = None,
    initials: str = "",
    gender: str = "",
) -> Registration:
    """Register the person of a finalized intake for the statistics and count the case's contacts so far.
    Declined consent keeps nothing about the person: no answers, no attributes."""
    from contacts.counting import count_case

    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if Registration.objects.filter(intake=intake).exists():
        raise AlreadyRegistered
    given = consent == Registration.Consent.GIVEN
    registration = Registration.objects.create(
        intake=intake,
        unit_id=intake.unit_id,
        consent=consent,
        consent_how=consent_how if given else "",
        tree_version=tree_version if given else None,
        answers=(answers or {}) if given else {},
        birth_year=birth_year if given else None,
        initials=initials if given else "",
        gender=gender if given else "",
        registered_by=user,
    )
    audit_log(actor=user, action="registration.recorded", target=intake, unit=intake.unit)
    count_case(registration)
    return registration


@transaction.atomic
def registration_correct(
    *,
    registration: Registration,
    user: Any,
    consent: str,
    consent_how: str = "",
    tree_version: Any = None,
    answers: dict | None = None,
    birth_year: int | None = None,
    initials: str = "",
    gender: str = "",
) -> Registration:
    """Correct a registration after it was saved. The person is taken out of every year and group the case
    counted her in and counted again as corrected: a corrected pseudonym replaces the old one, corrected
    answers replace the old ones, a change of consent moves her between counted with answers and counted as
    "no consent". Declined consent keeps nothing about the person, as at registration. Raises YearClosed if a
    year she is counted in is final (its key destroyed)."""
    from contacts.counting import recount_registration

    registration = Registration.objects.select_for_update().select_related("unit", "intake").get(pk=registration.pk)
    given = consent == Registration.Consent.GIVEN

    def apply(row: Registration) -> None:
        row.consent = consent
        row.consent_how = consent_how if given else ""
        row.tree_version = tree_version if given else None
        row.answers = (answers or {}) if given else {}
        row.birth_year = birth_year if given else None
        row.initials = initials if given else ""
        row.gender = gender if given else ""
        row.save()

    recount_registration(registration, list(registration.counted), apply)
    audit_log(actor=user, action="registration.corrected", target=registration.intake, unit=registration.unit)
    return registration
