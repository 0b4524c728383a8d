"""Correcting after saving: a contact changed or deleted, a registration corrected. What was counted is taken
back and counted again as corrected, so the statistics follow the correction and never count twice; once a
year's key is destroyed (its report final), corrections touching that year are refused with a message."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A
from annual_report.models import ChildCount, ContactCount, PersonAnswer, PersonCount
from annual_report.pseudonyms import pseudonym_for, year_key_destroy
from audit.models import AuditEvent
from contacts.counting import YearClosed
from contacts.models import CaseContact, Registration
from contacts.services import contact_change, contact_delete, contact_record, registration_correct
from tests.annual_report.test_pseudonyms import new_case, register
from tests.contacts.test_registration import consent_data, field_for

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def figures():
    """The statistics as a reader sees them: rows by their values (the rows' ids mean nothing)."""
    return {
        "contacts": sorted(ContactCount.objects.values_list("year", "kind", "days", "went_to")),
        "children": sorted(ChildCount.objects.values_list("year", "age_group", "days")),
        "people": sorted(PersonCount.objects.values_list("year", "group", "pseudonym")),
        "answers": sorted(PersonAnswer.objects.values_list("dimension", "code")),
    }


@pytest.fixture
def user(demo):
    return demo["users"]["counsellor"]


@pytest.fixture
def case(demo, intake_trees, registration_tree):
    return new_case(demo, intake_trees)


def stay(case, user, *, arrived, left, went_to="own-home", children=()):
    return contact_record(
        intake=case, user=user, kind="stay", started_on=arrived, ended_on=left, went_to=went_to, children_ages=children
    )


# --- Contacts ------------------------------------------------------------------------------------------------------


def test_changing_a_counted_stay_replaces_its_figures(case, user):
    register(case, user)
    contact = stay(case, user, arrived=TODAY - datetime.timedelta(days=3), left=TODAY, children=[4])
    assert figures()["contacts"] == [(TODAY.year, "stay", 3, "own-home")]
    contact_change(
        contact=contact,
        user=user,
        started_on=TODAY - datetime.timedelta(days=6),
        ended_on=TODAY,
        went_to="back-to-perpetrator",
        children_ages=[4, 9],
    )
    after = figures()
    assert after["contacts"] == [(TODAY.year, "stay", 6, "back-to-perpetrator")]
    assert after["children"] == [(TODAY.year, "0-5", 6), (TODAY.year, "6-12", 6)]
    assert [p[1] for p in after["people"]] == ["resident"]  # still one resident
    assert CaseContact.objects.get(pk=contact.pk).counted
    assert AuditEvent.objects.filter(action="contact.changed", target_id=str(case.pk)).count() == 1


def test_a_stay_moved_to_another_year_moves_its_resident(case, user):
    register(case, user)
    contact = stay(case, user, arrived=datetime.date(LAST_YEAR, 12, 20), left=datetime.date(TODAY.year, 1, 1))
    assert [p[:2] for p in figures()["people"]] == [(TODAY.year, "resident")]
    contact_change(
        contact=contact,
        user=user,
        started_on=contact.started_on,
        ended_on=datetime.date(LAST_YEAR, 12, 30),
        went_to="own-home",
    )
    assert figures()["contacts"] == [(LAST_YEAR, "stay", 10, "own-home")]
    assert [p[:2] for p in figures()["people"]] == [(LAST_YEAR, "resident")]
    assert Registration.objects.get(intake=case).counted == [f"{LAST_YEAR}:resident"]


def test_a_departure_taken_back_takes_the_stay_out_until_it_ends(case, user):
    register(case, user)
    contact = stay(case, user, arrived=TODAY, left=TODAY)
    contact_change(contact=contact, user=user, started_on=TODAY, ended_on=None, went_to="", children_ages=[])
    assert figures() == {"contacts": [], "children": [], "people": [], "answers": []}
    assert not CaseContact.objects.get(pk=contact.pk).counted


def test_deleting_a_contact_takes_it_and_then_its_person_out(case, user):
    register(case, user)
    first = contact_record(intake=case, user=user, kind="day-visit", started_on=TODAY)
    second = contact_record(intake=case, user=user, kind="day-visit", started_on=TODAY)
    call = contact_record(intake=case, user=user, kind="phone", started_on=TODAY)
    assert len(figures()["contacts"]) == 3 and len(figures()["people"]) == 1
    contact_delete(contact=call, user=user)
    contact_delete(contact=first, user=user)
    assert figures()["contacts"] == [(TODAY.year, "day-visit", None, "")]
    assert len(figures()["people"]) == 1  # the other visit still makes her a day user
    contact_delete(contact=second, user=user)
    assert figures() == {"contacts": [], "children": [], "people": [], "answers": []}
    assert Registration.objects.get(intake=case).counted == []
    assert not CaseContact.objects.filter(intake=case).exists()
    assert AuditEvent.objects.filter(action="contact.deleted", target_id=str(case.pk)).count() == 3


def test_deleting_one_case_keeps_the_same_person_counted_by_another(demo, intake_trees, registration_tree, user):
    cases = [new_case(demo, intake_trees) for _ in range(2)]
    stays = []
    for each in cases:
        register(each, user)
        stays.append(stay(each, user, arrived=TODAY, left=TODAY))
    assert len(figures()["people"]) == 1  # the same person twice: once
    contact_delete(contact=stays[0], user=user)
    assert len(figures()["people"]) == 1 and len(figures()["contacts"]) == 1


def test_a_final_years_contacts_are_not_changed_or_deleted(case, user, units):
    register(case, user)
    contact = stay(case, user, arrived=datetime.date(LAST_YEAR, 3, 1), left=datetime.date(LAST_YEAR, 3, 5))
    before = figures()
    year_key_destroy(unit=units[CENTRE_A], year=LAST_YEAR)
    with pytest.raises(YearClosed) as refused:
        contact_change(contact=contact, user=user, started_on=contact.started_on, ended_on=contact.ended_on)
    assert refused.value.year == LAST_YEAR
    with pytest.raises(YearClosed):
        contact_delete(contact=contact, user=user)
    # Nor moved into a final year from an open one.
    open_stay = stay(case, user, arrived=TODAY, left=TODAY)
    with pytest.raises(YearClosed):
        contact_change(
            contact=open_stay,
            user=user,
            started_on=datetime.date(LAST_YEAR, 5, 1),
            ended_on=datetime.date(LAST_YEAR, 5, 2),
            went_to="other",
        )
    assert figures()["contacts"] == sorted([*before["contacts"], (TODAY.year, "stay", 1, "own-home")])
    assert CaseContact.objects.filter(intake=case).count() == 2


def test_the_pages_refuse_a_final_year_with_a_message(client_for, case, user, units):
    register(case, user)
    contact = contact_record(intake=case, user=user, kind="phone", started_on=datetime.date(LAST_YEAR, 6, 1))
    year_key_destroy(unit=units[CENTRE_A], year=LAST_YEAR)
    counsellor = client_for("counsellor")
    for name in ("contacts:edit", "contacts:delete"):
        response = counsellor.post(reverse(name, args=[contact.pk]), {"started_on": TODAY.isoformat()}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("contacts:list", args=[case.pk])
        text = response.content.decode()
        assert f"Årsrapporten for {LAST_YEAR} er endelig" in text, name
    assert CaseContact.objects.get(pk=contact.pk).started_on == datetime.date(LAST_YEAR, 6, 1)


def test_delete_page_asks_first_and_follows_the_intakes_access(client_for, case, user, users):
    contact = contact_record(intake=case, user=user, kind="phone", started_on=TODAY)
    url = reverse("contacts:delete", args=[contact.pk])
    counsellor = client_for("counsellor")
    page = counsellor.get(url)
    assert page.status_code == 200 and "Slett kontakten" in page.content.decode()
    assert CaseContact.objects.filter(pk=contact.pk).exists()  # a GET deletes nothing
    assert client_for("manager").get(url).status_code == 403
    for outsider in ("counsellor2", "counsellor_other", "manager_other", "admin"):
        assert client_for(outsider).get(url).status_code == 404, outsider
        assert client_for(outsider).post(url).status_code == 404, outsider
    assert CaseContact.objects.filter(pk=contact.pk).exists()
    response = counsellor.post(url)
    assert response.status_code == 302
    assert not CaseContact.objects.filter(pk=contact.pk).exists()


def test_a_counted_contact_can_be_corrected_on_its_page(client_for, case, user):
    register(case, user)
    contact = contact_record(intake=case, user=user, kind="phone", started_on=TODAY)
    counsellor = client_for("counsellor")
    page = counsellor.get(reverse("contacts:edit", args=[contact.pk]))
    assert page.status_code == 200
    assert "Denne kontakten er med i årsstatistikken" in page.content.decode()
    yesterday = TODAY - datetime.timedelta(days=1)
    response = counsellor.post(reverse("contacts:edit", args=[contact.pk]), {"started_on": yesterday.isoformat()})
    assert response.status_code == 302
    assert CaseContact.objects.get(pk=contact.pk).started_on == yesterday
    assert figures()["contacts"] == [(yesterday.year, "phone", None, "")]


# --- Registrations -------------------------------------------------------------------------------------------------


def test_corrected_answers_replace_the_counted_ones(case, user, units):
    register(case, user)
    stay(case, user, arrived=TODAY, left=TODAY)
    registration = Registration.objects.get(intake=case)
    registration_correct(
        registration=registration,
        user=user,
        consent="given",
        consent_how="oral",
        answers={"gender": [{"code": "woman"}], "earlier-stays": [{"code": "one"}]},
        birth_year=1985,
        initials="AB",
        gender="woman",
    )
    assert figures()["answers"] == [("earlier-stays", "one"), ("gender", "woman")]
    assert len(figures()["people"]) == 1
    assert AuditEvent.objects.filter(action="registration.corrected", target_id=str(case.pk)).count() == 1


def test_corrected_attributes_replace_the_pseudonym(case, user, units):
    register(case, user, initials="AB")
    stay(case, user, arrived=TODAY, left=TODAY)
    registration = Registration.objects.get(intake=case)
    registration_correct(
        registration=registration,
        user=user,
        consent="given",
        consent_how="written",
        answers={"gender": [{"code": "woman"}]},
        birth_year=1985,
        initials="AC",
        gender="woman",
    )
    expected = pseudonym_for(unit=units[CENTRE_A], year=TODAY.year, birth_year=1985, initials="AC", gender="woman")
    assert figures()["people"] == [(TODAY.year, "resident", expected)]
    assert Registration.objects.get(pk=registration.pk).counted == [f"{TODAY.year}:resident"]


def test_a_correction_leaves_another_cases_person_alone(demo, intake_trees, registration_tree, user, units):
    """Two cases counted as one person; one of them was someone else after all: two people now."""
    cases = [new_case(demo, intake_trees) for _ in range(2)]
    for each in cases:
        register(each, user)
        stay(each, user, arrived=TODAY, left=TODAY)
    assert len(figures()["people"]) == 1
    registration_correct(
        registration=Registration.objects.get(intake=cases[0]),
        user=user,
        consent="given",
        consent_how="written",
        answers={"gender": [{"code": "man"}]},
        birth_year=1990,
        initials="XY",
        gender="man",
    )
    assert len(figures()["people"]) == 2
    # ... and correcting it back merges them again: once.
    registration_correct(
        registration=Registration.objects.get(intake=cases[0]),
        user=user,
        consent="given",
        consent_how="written",
        answers={"gender": [{"code": "woman"}]},
        birth_year=1985,
        initials="AB",
        gender="woman",
    )
    assert len(figures()["people"]) == 1


def test_consent_withdrawn_and_given_moves_the_person(case, user):
    register(case, user)
    contact_record(intake=case, user=user, kind="day-visit", started_on=TODAY)
    registration = Registration.objects.get(intake=case)
    registration_correct(registration=registration, user=user, consent="declined")
    registration.refresh_from_db()
    assert (registration.birth_year, registration.initials, registration.answers) == (None, "", {})
    assert figures()["people"] == [(TODAY.year, "day-user", "")] and figures()["answers"] == []
    registration_correct(
        registration=registration,
        user=user,
        consent="given",
        consent_how="written",
        answers={"gender": [{"code": "woman"}]},
        birth_year=1970,
        initials="EK",
        gender="woman",
    )
    people = figures()["people"]
    assert len(people) == 1 and people[0][2] != ""
    assert figures()["answers"] == [("gender", "woman")]


def test_a_correction_after_the_key_is_destroyed_is_refused(case, user, units):
    register(case, user)
    contact_record(intake=case, user=user, kind="phone", started_on=TODAY)
    stay(case, user, arrived=datetime.date(LAST_YEAR, 2, 1), left=datetime.date(LAST_YEAR, 2, 3))
    before = figures()
    year_key_destroy(unit=units[CENTRE_A], year=LAST_YEAR)
    with pytest.raises(YearClosed):
        registration_correct(registration=Registration.objects.get(intake=case), user=user, consent="declined")
    assert figures() == before
    assert Registration.objects.get(intake=case).consent == "given"


def test_the_correction_page_is_filled_in_and_replaces(client_for, case, user, registration_tree):
    stay(case, user, arrived=TODAY, left=TODAY)
    counsellor = client_for("counsellor")
    version = registration_tree["nb"]
    counsellor.post(reverse("contacts:register", args=[case.pk]), consent_data(version))
    url = reverse("contacts:registration_change", args=[case.pk])
    assert url in counsellor.get(reverse("contacts:list", args=[case.pk])).content.decode()
    page = counsellor.get(url)
    assert page.status_code == 200
    assert page.context["consent_form"].initial["initials"] == "K.N."
    event = AuditEvent.objects.get(action="registration.opened")
    assert (event.target_id, event.actor.username) == (str(case.pk), "counsellor")
    assert page.context["questions"].initial[field_for(version, "age-group")[2:]] == "30-39"
    # Not confirmed again: refused, nothing lost.
    data = consent_data(version, confirmed="", **{field_for(version, "age-group"): "40-49"})
    response = counsellor.post(url, data)
    assert response.status_code == 400 and "confirmed" in response.context["consent_form"].errors
    assert response.context["consent_form"]["initials"].value() == "K.N."  # nothing entered is lost
    response = counsellor.post(url, consent_data(version, **{field_for(version, "age-group"): "40-49"}))
    assert response.status_code == 302
    assert ("age-group", "40-49") in figures()["answers"] and ("age-group", "30-39") not in figures()["answers"]
    assert len(figures()["people"]) == 1


def test_the_correction_page_follows_the_intakes_access(client_for, case, user):
    register(case, user)
    url = reverse("contacts:registration_change", args=[case.pk])
    assert client_for("manager").get(url).status_code == 403
    for outsider in ("counsellor2", "counsellor_other", "manager_other", "admin"):
        assert client_for(outsider).get(url).status_code == 404, outsider


def test_an_unregistered_case_is_sent_to_register(client_for, case):
    response = client_for("counsellor").get(reverse("contacts:registration_change", args=[case.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("contacts:register", args=[case.pk])


def test_the_list_says_what_a_final_year_no_longer_lets_change(client_for, case, user, units):
    register(case, user)
    old = contact_record(intake=case, user=user, kind="day-visit", started_on=datetime.date(LAST_YEAR, 6, 1))
    new = contact_record(intake=case, user=user, kind="phone", started_on=TODAY)
    counsellor = client_for("counsellor")
    page = counsellor.get(reverse("contacts:list", args=[case.pk])).content.decode()
    assert reverse("contacts:edit", args=[old.pk]) in page
    assert reverse("contacts:registration_change", args=[case.pk]) in page
    year_key_destroy(unit=units[CENTRE_A], year=LAST_YEAR)
    page = counsellor.get(reverse("contacts:list", args=[case.pk])).content.decode()
    assert reverse("contacts:edit", args=[old.pk]) not in page
    assert reverse("contacts:delete", args=[old.pk]) not in page
    assert reverse("contacts:edit", args=[new.pk]) in page  # this year is open
    assert "Endelig: årsrapporten er laget" in page
    assert reverse("contacts:registration_change", args=[case.pk]) not in page
    assert f"Årsrapporten for {LAST_YEAR} er endelig: registreringen kan ikke lenger rettes." in page
    # The correction page itself refuses too, with the message.
    response = counsellor.get(reverse("contacts:registration_change", args=[case.pk]), follow=True)
    assert f"Årsrapporten for {LAST_YEAR} er endelig" in response.content.decode()


def test_a_final_years_late_contact_adds_no_person_without_consent_either(case, user, units):
    year_key_destroy(unit=units[CENTRE_A], year=LAST_YEAR)
    register(case, user, consent="declined")
    contact_record(intake=case, user=user, kind="day-visit", started_on=datetime.date(LAST_YEAR, 12, 30))
    assert figures()["contacts"] == [(LAST_YEAR, "day-visit", None, "")]
    assert figures()["people"] == []  # the year's people are final: a contact, not a person
