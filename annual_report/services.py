"""Writes of the anonymous statistics. Called by the apps that hold the cases (contacts.counting) with codes
and numbers only: nothing here takes or keeps a case, a person or an id of either."""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import Unit
from annual_report.models import ChildCount, ContactCount, PersonAnswer, PersonCount
from annual_report.pseudonyms import year_key_destroy
from audit.services import audit_log

CHILD_AGE_GROUPS = (("0-5", 0, 5), ("6-12", 6, 12), ("13-17", 13, 17))


def child_age_group(age: int) -> str:
    return next(name for name, low, high in CHILD_AGE_GROUPS if low <= age <= high)


@transaction.atomic
def contact_count(
    *, unit: Unit, year: int, kind: str, days: int | None = None, went_to: str = "", children_ages: Iterable[int] = ()
) -> None:
    """Count one contact (and, for a stay, the children who stayed along)."""
    ContactCount.objects.create(unit=unit, year=year, kind=kind, days=days, went_to=went_to)
    ChildCount.objects.bulk_create(
        ChildCount(unit=unit, year=year, age_group=child_age_group(age), days=days or 0) for age in children_ages
    )


def person_count(*, unit: Unit, year: int, group: str, pseudonym: str, answers: dict[str, list[str]]) -> bool:
    """Count one person in ``group``. With a pseudonym, a person already counted in the group this year is
    not counted again (and her first answers stand). Returns whether a new person was counted."""
    if pseudonym and PersonCount.objects.filter(unit=unit, year=year, group=group, pseudonym=pseudonym).exists():
        return False
    try:
        with transaction.atomic():
            person = PersonCount.objects.create(unit=unit, year=year, group=group, pseudonym=pseudonym)
    except IntegrityError:  # counted by a concurrent registration a moment ago
        return False
    PersonAnswer.objects.bulk_create(
        PersonAnswer(person=person, dimension=dimension, code=code)
        for dimension, codes in answers.items()
        for code in codes
    )
    return True


def _delete_one(queryset: QuerySet[Any]) -> bool:
    """Delete one row of ``queryset``: rows with the same values are indistinguishable, so any one will do."""
    pk = queryset.values_list("pk", flat=True).first()
    return bool(pk and queryset.model.objects.filter(pk=pk).delete()[0])


@transaction.atomic
def contact_uncount(
    *, unit: Unit, year: int, kind: str, days: int | None = None, went_to: str = "", children_ages: Iterable[int] = ()
) -> bool:
    """Take back one contact counted with exactly these values (a correction, or a contact deleted as a
    mistake). Nothing links a row to the contact it counts; any row with the same values is the same figure.
    Returns whether there was one."""
    found = _delete_one(ContactCount.objects.filter(unit=unit, year=year, kind=kind, days=days, went_to=went_to))
    for age in children_ages:
        _delete_one(ChildCount.objects.filter(unit=unit, year=year, age_group=child_age_group(age), days=days or 0))
    return found


@transaction.atomic
def person_uncount(*, unit: Unit, year: int, group: str, pseudonym: str) -> bool:
    """Take back one person counted in ``group`` (with her answers). Without a pseudonym (consent declined),
    one of the year's "no consent" people of the group. Returns whether there was one."""
    return _delete_one(PersonCount.objects.filter(unit=unit, year=year, group=group, pseudonym=pseudonym))


@transaction.atomic
def person_answers_replace(*, unit: Unit, year: int, group: str, pseudonym: str, answers: dict[str, list[str]]) -> None:
    """A corrected registration's answers replace those the person is counted with."""
    person = PersonCount.objects.filter(unit=unit, year=year, group=group, pseudonym=pseudonym).first()
    if person is None or not pseudonym:
        return
    PersonAnswer.objects.filter(person=person).delete()
    PersonAnswer.objects.bulk_create(
        PersonAnswer(person=person, dimension=dimension, code=code)
        for dimension, codes in answers.items()
        for code in codes
    )


class YearNotOver(Exception):
    """A year's report can be made final only once the year is over (its people are still being counted)."""


@transaction.atomic
def report_make_final(*, unit: Unit, year: int, user: Any, today_year: int) -> None:
    """Make the year's report final: destroy its pseudonym key, so nobody can tell which pseudonym is whose any
    more. From then on corrections touching the year are refused, and a late contact counts as a contact only."""
    if year >= today_year:
        raise YearNotOver
    year_key_destroy(unit=unit, year=year)
    audit_log(actor=user, action="statistics.key_destroyed", unit=unit)
