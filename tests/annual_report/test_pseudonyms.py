"""Per-year pseudonyms: the same person counts once a year, a new year's key makes last year's pseudonyms
unlinkable, and nothing in the statistics can be joined back to a case or a person (schema and data)."""

import datetime
import hashlib
import hmac

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from accounts.demo import CENTRE_A
from annual_report.models import ChildCount, ContactCount, PersonAnswer, PersonCount, YearKey
from annual_report.pseudonyms import KeyDestroyed, normalise, pseudonym_for, year_key_destroy
from contacts.models import Registration
from contacts.services import contact_record, registration_record
from intake.services import intake_create
from tests.contacts.conftest import finalize

STATISTICS = (PersonCount, PersonAnswer, ContactCount, ChildCount)


@pytest.fixture
def centre_a(units):
    return units[CENTRE_A]


def new_case(demo, intake_trees, *, when=None):
    user = demo["users"]["counsellor"]
    intake = intake_create(user=user, unit=demo["units"][CENTRE_A], tree_version=intake_trees["nb"])
    return finalize(intake, user)


def register(intake, user, *, consent="given", birth_year=1985, initials="AB", gender="woman", answers=None):
    return registration_record(
        intake=intake,
        user=user,
        consent=consent,
        consent_how="written",
        answers=answers or {"gender": [{"code": gender}], "earlier-stays": [{"code": "none"}]},
        birth_year=birth_year,
        initials=initials,
        gender=gender,
    )


def test_the_pseudonym_is_hmac_sha256_of_the_normalised_attributes_under_the_years_key(centre_a):
    made = pseudonym_for(unit=centre_a, year=2026, birth_year=1985, initials="a. b.", gender="Woman")
    key = bytes(YearKey.objects.get(unit=centre_a, year=2026).secret)
    assert len(key) == 32
    expected = hmac.new(key, b"1985|AB|woman", hashlib.sha256).hexdigest()
    assert made == expected
    assert normalise(birth_year=1985, initials="ab", gender="woman") == "1985|AB|woman"
    # Without the key the attributes give something else: a plain hash of them is not the pseudonym.
    assert made != hashlib.sha256(b"1985|AB|woman").hexdigest()


def test_the_same_person_twice_in_a_year_counts_once(demo, intake_trees, registration_tree):
    user = demo["users"]["counsellor"]
    day = timezone.localdate()
    for initials in ("A.B.", "ab"):  # two cases, the same person: written two ways, one pseudonym
        case = new_case(demo, intake_trees)
        contact_record(intake=case, user=user, kind="stay", started_on=day, ended_on=day, went_to="other")
        register(case, user, initials=initials)
    other = new_case(demo, intake_trees)
    contact_record(intake=other, user=user, kind="stay", started_on=day, ended_on=day, went_to="other")
    register(other, user, initials="CD")
    assert PersonCount.objects.filter(group="resident").count() == 2  # two people
    assert ContactCount.objects.filter(kind="stay").count() == 3  # three stays
    # The same case with a second day visit: still one day user.
    contact_record(intake=other, user=user, kind="day-visit", started_on=day)
    contact_record(intake=other, user=user, kind="day-visit", started_on=day)
    assert PersonCount.objects.filter(group="day-user").count() == 1


def test_a_person_who_declined_is_counted_once_per_case(demo, intake_trees, registration_tree):
    user = demo["users"]["counsellor"]
    case = new_case(demo, intake_trees)
    register(case, user, consent="declined")
    for _ in range(3):
        contact_record(intake=case, user=user, kind="day-visit", started_on=timezone.localdate())
    assert list(PersonCount.objects.values_list("group", "pseudonym")) == [("day-user", "")]


def test_a_new_years_key_makes_last_years_pseudonyms_unlinkable(centre_a):
    attributes = {"birth_year": 1985, "initials": "AB", "gender": "woman"}
    last_year = pseudonym_for(unit=centre_a, year=2025, **attributes)
    this_year = pseudonym_for(unit=centre_a, year=2026, **attributes)
    assert last_year != this_year
    assert pseudonym_for(unit=centre_a, year=2025, **attributes) == last_year  # stable within the year
    # Each year has its own random key: knowing one tells nothing of the other.
    keys = {bytes(k.secret) for k in YearKey.objects.filter(unit=centre_a)}
    assert len(keys) == 2
    # Once last year's report is made and its key destroyed, nobody can recompute last year's pseudonyms.
    assert year_key_destroy(unit=centre_a, year=2025)
    assert YearKey.objects.get(unit=centre_a, year=2025).is_destroyed
    with pytest.raises(KeyDestroyed):
        pseudonym_for(unit=centre_a, year=2025, **attributes)
    assert pseudonym_for(unit=centre_a, year=2026, **attributes) == this_year


def test_another_unit_has_other_pseudonyms(units, centre_a):
    from accounts.demo import CENTRE_B

    attributes = {"birth_year": 1985, "initials": "AB", "gender": "woman"}
    assert pseudonym_for(unit=centre_a, year=2026, **attributes) != pseudonym_for(
        unit=units[CENTRE_B], year=2026, **attributes
    )


def test_a_destroyed_years_late_contacts_still_count_as_contacts(demo, intake_trees, registration_tree, centre_a):
    user = demo["users"]["counsellor"]
    case = new_case(demo, intake_trees)
    last_year = timezone.localdate().year - 1
    year_key_destroy(unit=centre_a, year=last_year)
    register(case, user)
    contact_record(intake=case, user=user, kind="phone", started_on=datetime.date(last_year, 12, 30))
    contact_record(intake=case, user=user, kind="day-visit", started_on=datetime.date(last_year, 12, 30))
    assert ContactCount.objects.filter(year=last_year).count() == 2
    assert not PersonCount.objects.filter(year=last_year).exists()


# --- Nothing leads back ---------------------------------------------------------------------------------------------


CASE_APPS = {"intake", "contacts", "safety_plans", "incidents", "auth", "usersessions", "audit", "accounts"}


def test_schema_no_statistics_table_points_to_a_case_or_a_person(db):
    for model in (*STATISTICS, YearKey):
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                target = field.related_model._meta.label_lower
                allowed = {"accounts.unit"} | ({"annual_report.personcount"} if model is PersonAnswer else set())
                assert target in allowed, f"{model.__name__}.{field.name} -> {target}"
            # No free text, no dates (a date can be matched with the audit log's events), no ids of other records
            if model is not YearKey:  # the key's own dates say nothing of anyone; it is destroyed after the year
                assert not isinstance(field, models.TextField | models.JSONField | models.DateField), field
            if field.name != "id" and not field.is_relation:
                assert not field.name.endswith("_id"), field
        # Random keys, not a sequence that follows the order of the audit log's events.
        if model is not YearKey:
            assert isinstance(model._meta.pk, models.UUIDField), model
    # In the database as well: no foreign-key constraint from a statistics table to a case app's table.
    case_tables = {m._meta.db_table for m in apps.get_models() if m._meta.app_label in CASE_APPS} - {"accounts_unit"}
    with connection.cursor() as cursor:
        for model in STATISTICS:
            for constraint in connection.introspection.get_constraints(cursor, model._meta.db_table).values():
                if constraint["foreign_key"]:
                    assert constraint["foreign_key"][0] not in case_tables, (model, constraint)


def test_data_no_value_in_the_statistics_is_found_in_the_case_tables(demo, intake_trees, registration_tree):
    user = demo["users"]["counsellor"]
    day = timezone.localdate()
    case = new_case(demo, intake_trees)
    contact_record(
        intake=case, user=user, kind="stay", started_on=day, ended_on=day, went_to="other", children_ages=[5]
    )
    contact_record(intake=case, user=user, kind="phone", started_on=day)
    register(case, user)
    rows = [row for model in STATISTICS for row in model.objects.values()]
    assert rows
    stats_values = {str(v) for row in rows for k, v in row.items() if k != "unit_id"}
    # Every value held by the case side: ids, answers, attributes, registration, audit events about the case.
    case_values = set()
    for model in apps.get_models():
        if model._meta.app_label in {"intake", "contacts", "audit"}:
            for row in model.objects.values():
                for value in row.values():
                    case_values.add(str(value))
                    if isinstance(value, dict | list):
                        case_values.update(str(part) for part in _flatten(value))
    registration = Registration.objects.get()
    pseudonym = PersonCount.objects.get().pseudonym
    assert pseudonym and pseudonym not in case_values  # the registration does not keep the pseudonym
    ids = {str(v) for row in rows for k, v in row.items() if k.endswith("id") and k != "unit_id"}
    assert ids.isdisjoint(case_values)
    # No value of a statistics row beyond codes, numbers and the year: nothing that names the case or its dates.
    assert str(registration.intake_id) not in stats_values
    assert not any(str(day) in value for value in stats_values)


def _flatten(value):
    if isinstance(value, dict):
        for part in value.values():
            yield from _flatten(part)
    elif isinstance(value, list):
        for part in value:
            yield from _flatten(part)
    else:
        yield value
