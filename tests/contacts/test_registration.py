"""Registration for the statistics: consent, the form as a published question tree, prefilled from the intake,
and what is kept when consent is declined."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from annual_report.models import ContactCount, PersonAnswer, PersonCount
from audit.models import AuditEvent
from contacts.models import CaseContact, Registration
from contacts.registration import REGISTRATION_TREE, ensure_registration_tree, prefill, registration_version
from contacts.services import contact_record
from intake.models import TreeVersion
from intake.questionnaire import Tree


def field_for(version, link_id):
    from intake.wizard import field_name

    return "q-" + field_name(Tree(version.questionnaire).by_link_id[link_id])


def consent_data(version, **extra):
    data = {
        "consent": "given",
        "consent_how": "written",
        "birth_year": "1990",
        "initials": "K.N.",
        "confirmed": "on",
        field_for(version, "gender"): "woman",
        field_for(version, "age-group"): "30-39",
        field_for(version, "violence-kinds"): ["physical"],
    }
    data.update(extra)
    return data


def test_the_shipped_form_is_a_published_question_tree_in_both_languages(registration_tree):
    for language in ("nb", "en"):
        version = registration_version(language)
        assert version.language == language and version.is_published
        assert version.tree.slug == REGISTRATION_TREE
    assert ensure_registration_tree() == registration_tree  # safe to repeat: no new version
    assert TreeVersion.objects.filter(tree__slug=REGISTRATION_TREE).count() == 2


def test_answers_are_prefilled_from_the_intake_where_it_asked(finalized_a, registration_tree):
    tree = Tree(registration_tree["en"].questionnaire)
    answers = prefill(tree, finalized_a)
    assert [v["code"] for v in answers["violence-kinds"]] == ["physical", "threats"]
    assert [v["code"] for v in answers["perpetrator-relation"]] == ["ex-partner"]
    assert [v["code"] for v in answers["referred-by"]] == ["police"]
    assert "gender" not in answers  # the intake did not ask


def test_the_registration_page_shows_the_prefilled_answers(client_for, finalized_a, registration_tree):
    page = client_for("counsellor").get(reverse("contacts:register", args=[finalized_a.pk]))
    assert page.status_code == 200
    form = page.context["questions"]
    version = registration_tree["nb"]
    assert form.initial[field_for(version, "violence-kinds")[2:]] == ["physical", "threats"]


def test_registering_with_consent_counts_the_contacts_so_far(client_for, finalized_a, registration_tree, users):
    contact_record(intake=finalized_a, user=users["counsellor"], kind="phone", started_on=timezone.localdate())
    response = client_for("counsellor").post(
        reverse("contacts:register", args=[finalized_a.pk]), consent_data(registration_tree["nb"])
    )
    assert response.status_code == 302
    registration = Registration.objects.get(intake=finalized_a)
    assert (registration.consent, registration.consent_how, registration.birth_year) == ("given", "written", 1990)
    assert registration.gender == "woman"
    assert CaseContact.objects.get(intake=finalized_a).counted
    assert ContactCount.objects.filter(kind="phone").count() == 1
    assert AuditEvent.objects.filter(action="registration.recorded", target_id=str(finalized_a.pk)).exists()


def test_consent_needs_how_and_the_confirmed_attributes(client_for, finalized_a, registration_tree):
    data = consent_data(registration_tree["nb"], consent_how="", initials="", confirmed="")
    response = client_for("counsellor").post(reverse("contacts:register", args=[finalized_a.pk]), data)
    assert response.status_code == 400
    assert {"consent_how", "initials", "confirmed"} <= set(response.context["consent_form"].errors)
    assert not Registration.objects.exists()
    assert response.context["consent_form"]["birth_year"].value() == "1990"  # nothing entered is lost


def test_declined_keeps_nothing_about_the_person_but_the_contacts_count(
    client_for, finalized_a, registration_tree, users
):
    arrived = timezone.localdate() - datetime.timedelta(days=5)
    contact_record(
        intake=finalized_a,
        user=users["counsellor"],
        kind="stay",
        started_on=arrived,
        ended_on=timezone.localdate(),
        went_to="family-friends",
        children_ages=[4],
    )
    data = consent_data(registration_tree["nb"], consent="declined")
    response = client_for("counsellor").post(reverse("contacts:register", args=[finalized_a.pk]), data)
    assert response.status_code == 302
    registration = Registration.objects.get(intake=finalized_a)
    assert (registration.answers, registration.birth_year, registration.initials, registration.gender) == (
        {},
        None,
        "",
        "",
    )
    person = PersonCount.objects.get()
    assert (person.group, person.pseudonym) == ("resident", "")
    assert not PersonAnswer.objects.exists()
    assert ContactCount.objects.get().days == 5


def test_a_draft_intake_is_not_registered(client_for, intake_a, registration_tree):
    response = client_for("counsellor").get(reverse("contacts:register", args=[intake_a.pk]))
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_a_case_is_registered_once(client_for, finalized_a, registration_tree):
    counsellor = client_for("counsellor")
    url = reverse("contacts:register", args=[finalized_a.pk])
    counsellor.post(url, consent_data(registration_tree["nb"]))
    counsellor.post(url, consent_data(registration_tree["nb"], consent="declined"))
    assert Registration.objects.get().consent == "given"


@pytest.mark.parametrize("persona", ["manager", "counsellor2", "counsellor_other", "admin"])
def test_only_who_may_change_the_intake_registers(client_for, finalized_a, registration_tree, persona):
    status = client_for(persona).get(reverse("contacts:register", args=[finalized_a.pk])).status_code
    assert status == (403 if persona == "manager" else 404)
