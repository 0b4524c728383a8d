"""Safety plans: start (on its own or from an intake), edit, review over time, declined services, sharing,
and the access rules (404 to outsiders, read-only for the unit's manager)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from safety_plans.models import ChecklistItem, PlanItem, PlanReview, SafetyPlan
from safety_plans.services import safety_plan_review, safety_plan_save
from tests.conftest import PLAN_A

pytestmark = pytest.mark.django_db

CODING = "https://krisestotte.no/fhir/CodeSystem/first-contact"


def _coding(code):
    return {"system": CODING, "code": code}


def _edit_data(plan, **overrides):
    """The edit form as the page sends it, with every field as stored; ``overrides`` by field name."""
    data = {
        "revision": plan.revision,
        "label": plan.label,
        "contact_channel": plan.contact_channel,
        "contact_times": plan.contact_times,
        "contact_if_other_answers": plan.contact_if_other_answers,
        "protective_measures": plan.protective_measures,
        "children_affected": plan.children_affected,
        "dependents_note": plan.dependents_note,
    }
    for plan_item in plan.items.all():
        prefix = f"item-{plan_item.pk}"
        data.update(
            {
                f"{prefix}-status": plan_item.status,
                f"{prefix}-note": plan_item.note,
                f"{prefix}-next_step": plan_item.next_step,
                f"{prefix}-responsible": plan_item.responsible,
            }
        )
    contacts = list(plan.contacts.all())
    data.update({"contacts-TOTAL_FORMS": len(contacts) + 2, "contacts-INITIAL_FORMS": len(contacts)})
    for i, contact in enumerate(contacts):
        data.update({f"contacts-{i}-label": contact.label, f"contacts-{i}-number": contact.number})
    data.update(overrides)
    return data


def _item(plan, code) -> PlanItem:
    return plan.items.get(item__code=code)


# Starting a plan


def test_the_checklist_is_seeded_from_the_source_in_both_languages():
    items = list(ChecklistItem.objects.all())
    assert [i.code for i in items] == [
        "escape-plan", "police", "phone-numbers", "crisis-centre", "money",
        "spare-keys", "code-word", "neighbours", "weapons", "go-bag",
    ]  # fmt: skip
    assert all(i.title_nb and i.title_en and i.help_nb and i.help_en for i in items)


def test_a_counsellor_starts_a_plan_on_her_own(client_for, demo):
    counsellor = client_for("counsellor")
    due = timezone.localdate() + timedelta(days=14)
    response = counsellor.post(reverse("safety_plans:new"), {"label": "Lilla", "next_review_on": due.isoformat()})
    plan = SafetyPlan.objects.get(label="Lilla")
    assert response.status_code == 302
    assert response["Location"] == reverse("safety_plans:edit", args=[plan.pk])
    assert plan.owner == demo["users"]["counsellor"]
    assert plan.intake is None
    assert plan.next_review_on == due
    assert plan.items.count() == 10
    assert set(plan.items.values_list("status", flat=True)) == {PlanItem.Status.NOT_DISCUSSED}
    assert [c.number for c in plan.contacts.all()] == ["112", "113", "116 117"]
    event = AuditEvent.objects.get(action="safety_plan.created")
    assert event.target_id == str(plan.pk)


def test_an_empty_label_or_a_past_review_date_is_refused_and_what_was_typed_stays(client_for):
    counsellor = client_for("counsellor")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = counsellor.post(reverse("safety_plans:new"), {"label": "   ", "next_review_on": yesterday.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gi planen en merkelapp du kjenner igjen" in page
    assert "Velg en dato etter i dag." in page
    assert yesterday.isoformat() in page
    response = counsellor.post(reverse("safety_plans:new"), {"label": "Grønn", "next_review_on": yesterday.isoformat()})
    assert 'value="Grønn"' in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_a_new_plan_and_its_review_date_are_saved_together_or_not_at_all(client_for, demo):
    due = timezone.localdate() + timedelta(days=14)
    counsellor = client_for("counsellor")
    counsellor.raise_request_exception = False
    with mock.patch("safety_plans.services.safety_plan_set_next_review", side_effect=OperationalError("gone")):
        response = counsellor.post(reverse("safety_plans:new"), {"label": "Halv", "next_review_on": due.isoformat()})
    assert response.status_code == 500
    assert not SafetyPlan.objects.filter(label="Halv").exists()


def test_a_plan_from_an_intake_carries_over_police_children_and_weapons(client_for, intake_a):
    intake_a.answers = {
        "police": [_coding("before")],
        "has-children": [True],
        "children-count": [2],
        "children-where": [_coding("perpetrator")],
        "weapons": [_coding("yes")],
    }
    intake_a.save()
    counsellor = client_for("counsellor")
    page = counsellor.get(reverse("safety_plans:new") + f"?intake={intake_a.pk}")
    assert page.status_code == 200
    assert f'name="intake" value="{intake_a.pk}"' in page.content.decode()
    counsellor.post(reverse("safety_plans:new"), {"label": "Fra kartlegging", "intake": str(intake_a.pk)})
    plan = SafetyPlan.objects.get(label="Fra kartlegging")
    assert str(plan.intake_id) == str(intake_a.pk)
    assert plan.unit == intake_a.unit
    assert _item(plan, "police").note == "Fra kartleggingen: politiet har vært involvert tidligere."
    assert _item(plan, "weapons").note == "Fra kartleggingen: utøver har tilgang til våpen."
    assert plan.children_affected == SafetyPlan.Children.YES
    assert "Antall barn: 2." in plan.dependents_note
    assert "hos utøver" in plan.dependents_note


def test_nobody_starts_a_plan_from_someone_elses_intake(client_for, intake_a):
    for persona in ("counsellor2", "counsellor_other"):
        response = client_for(persona).post(reverse("safety_plans:new"), {"label": "x", "intake": str(intake_a.pk)})
        assert response.status_code == 404
    assert client_for("counsellor").get(reverse("safety_plans:new") + "?intake=not-a-uuid").status_code == 404
    assert not SafetyPlan.objects.exists()


# Editing


def test_statuses_notes_and_numbers_are_saved_and_needs_help_becomes_a_task(client_for, safety_plan_a):
    counsellor = client_for("counsellor")
    money, keys = _item(safety_plan_a, "money"), _item(safety_plan_a, "spare-keys")
    data = _edit_data(
        safety_plan_a,
        contact_channel="SMS til jobbtelefonen",
        **{
            f"item-{money.pk}-status": "needs_help",
            f"item-{money.pk}-next_step": "Åpne egen bankkonto",
            f"item-{money.pk}-responsible": "counsellor",
            f"item-{keys.pk}-status": "in_place",
            f"item-{keys.pk}-note": "Hos søsteren",
            "contacts-3-label": "Søster",
            "contacts-3-number": "99887766",
        },
    )
    response = counsellor.post(reverse("safety_plans:edit", args=[PLAN_A]), data)
    assert response.status_code == 302
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.contact_channel == "SMS til jobbtelefonen"
    assert safety_plan_a.revision == 1
    assert _item(safety_plan_a, "money").status == "needs_help"
    assert _item(safety_plan_a, "spare-keys").note == "Hos søsteren"
    assert [(c.label, c.number) for c in safety_plan_a.contacts.all()][-1] == ("Søster", "99887766")
    listing = counsellor.get(reverse("safety_plans:list")).content.decode()
    assert "Åpne egen bankkonto" in listing
    assert "Penger lagt til side" in listing
    detail = counsellor.get(reverse("safety_plans:detail", args=[PLAN_A])).content.decode()
    assert 'href="tel:+4799887766"' in detail


def test_bad_input_on_the_edit_page_is_explained_and_nothing_typed_is_lost(client_for, safety_plan_a):
    counsellor = client_for("counsellor")
    money = _item(safety_plan_a, "money")
    data = _edit_data(
        safety_plan_a,
        label="",
        protective_measures="Sover hos naboen i helgene",
        **{
            f"item-{money.pk}-status": "needs_help",
            "contacts-3-label": "",
            "contacts-3-number": "ring meg",
        },
    )
    response = counsellor.post(reverse("safety_plans:edit", args=[PLAN_A]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gi planen en merkelapp du kjenner igjen" in page
    assert "Skriv neste steg for et punkt som trenger hjelp." in page
    assert "Skriv nummeret med sifre" in page
    assert "Sover hos naboen i helgene" in page
    assert 'value="ring meg"' in page
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.protective_measures == "" and safety_plan_a.revision == 0


def test_a_save_over_a_newer_save_is_refused_then_a_second_save_is_a_knowing_overwrite(client_for, safety_plan_a):
    counsellor = client_for("counsellor")
    stale = _edit_data(safety_plan_a)
    first = counsellor.post(reverse("safety_plans:edit", args=[PLAN_A]), {**stale, "contact_times": "Etter kl. 15"})
    assert first.status_code == 302
    second = counsellor.post(reverse("safety_plans:edit", args=[PLAN_A]), {**stale, "contact_times": "Formiddag"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "Formiddag" in page
    assert 'name="revision" value="1"' in page
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.contact_times == "Etter kl. 15"
    third = counsellor.post(
        reverse("safety_plans:edit", args=[PLAN_A]), {**stale, "revision": 1, "contact_times": "Formiddag"}
    )
    assert third.status_code == 302
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.contact_times == "Formiddag"


def test_fields_the_form_does_not_show_cannot_be_posted(client_for, safety_plan_a, demo):
    counsellor = client_for("counsellor")
    data = _edit_data(
        safety_plan_a,
        owner=demo["users"]["counsellor2"].pk,
        unit=demo["units"]["krisesenter-b"].pk if "krisesenter-b" in demo["units"] else 999,
        intake="",
        next_review_on="2000-01-01",
        declined_services_at="2020-01-01T00:00",
    )
    assert counsellor.post(reverse("safety_plans:edit", args=[PLAN_A]), data).status_code in (200, 302)
    plan = SafetyPlan.objects.get(pk=PLAN_A)
    assert plan.owner == demo["users"]["counsellor"]
    assert plan.unit == safety_plan_a.unit
    assert str(plan.intake_id) == str(safety_plan_a.intake_id)
    assert plan.next_review_on is None and plan.declined_services_at is None


def test_an_item_of_another_plan_is_never_written(demo, safety_plan_a, intake_a):
    from safety_plans.services import safety_plan_create

    other = safety_plan_create(user=demo["users"]["counsellor"], unit=safety_plan_a.unit, label="Annen")
    foreign = _item(other, "money")
    safety_plan_save(
        plan=safety_plan_a,
        user=demo["users"]["counsellor"],
        revision=0,
        sections={"label": "Demo-plan A"},
        items={foreign.pk: {"status": "in_place", "note": "x", "next_step": "", "responsible": ""}},
        contacts=[],
    )
    foreign.refresh_from_db()
    assert foreign.status == PlanItem.Status.NOT_DISCUSSED


# Reviews over time


def test_a_review_keeps_a_snapshot_and_the_plan_shows_what_changed_since(client_for, safety_plan_a, demo):
    counsellor = client_for("counsellor")
    next_week = timezone.localdate() + timedelta(days=7)
    response = counsellor.post(
        reverse("safety_plans:review", args=[PLAN_A]),
        {"next_review_on": next_week.isoformat(), "note": "Gikk gjennom alt"},
    )
    assert response.status_code == 302
    review = PlanReview.objects.get(plan_id=PLAN_A)
    assert review.snapshot["items"]["money"]["status"] == "not_discussed"
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.next_review_on == next_week
    assert safety_plan_a.last_reviewed_at == review.reviewed_at

    money = _item(safety_plan_a, "money")
    counsellor.post(
        reverse("safety_plans:edit", args=[PLAN_A]),
        _edit_data(
            safety_plan_a, **{f"item-{money.pk}-status": "in_place", f"item-{money.pk}-note": "2000 kr i skapet"}
        ),
    )
    page = counsellor.get(reverse("safety_plans:detail", args=[PLAN_A])).content.decode()
    assert "Endret siden forrige gjennomgang" in page
    assert "Penger lagt til side: status" in page
    assert "Ikke snakket om" in page and "På plass" in page
    assert "2000 kr i skapet" in page
    assert "Gikk gjennom alt" in page


def test_a_review_date_in_the_past_is_refused_and_the_note_stays(client_for, safety_plan_a):
    counsellor = client_for("counsellor")
    today = timezone.localdate()
    response = counsellor.post(
        reverse("safety_plans:review", args=[PLAN_A]), {"next_review_on": today.isoformat(), "note": "Notatet mitt"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Velg en dato etter i dag." in page
    assert "Notatet mitt" in page
    assert not PlanReview.objects.exists()
    response = counsellor.post(
        reverse("safety_plans:review", args=[PLAN_A]), {"next_review_on": "", "note": "Notatet mitt"}
    )
    assert response.status_code == 200 and not PlanReview.objects.exists()


def test_plans_due_for_review_come_first_in_the_list(client_for, demo, safety_plan_a):
    from safety_plans.services import safety_plan_create

    counsellor = demo["users"]["counsellor"]
    later = safety_plan_create(user=counsellor, unit=safety_plan_a.unit, label="Senere")
    later.next_review_on = timezone.localdate() + timedelta(days=30)
    later.save()
    due = safety_plan_create(user=counsellor, unit=safety_plan_a.unit, label="Forfalt")
    due.next_review_on = timezone.localdate() - timedelta(days=2)
    due.save()
    page = client_for("counsellor").get(reverse("safety_plans:list")).content.decode()
    assert page.index("Forfalt") < page.index("Senere") < page.index("Demo-plan A")
    assert "forfalt" in page.lower()


# Declined involvement


def test_declined_involvement_is_recorded_with_date_and_who_and_the_plan_still_works(client_for, safety_plan_a, demo):
    counsellor = client_for("counsellor")
    counsellor.post(reverse("safety_plans:declined", args=[PLAN_A]), {"declined": "yes"})
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.declined_services_by == demo["users"]["counsellor"]
    assert safety_plan_a.declined_services_at is not None
    page = counsellor.get(reverse("safety_plans:detail", args=[PLAN_A])).content.decode()
    assert "Ønsker ikke involvering fra tjenesteapparatet." in page
    assert counsellor.get(reverse("safety_plans:edit", args=[PLAN_A])).status_code == 200
    assert AuditEvent.objects.filter(action="safety_plan.declined_recorded", target_id=PLAN_A).count() == 1
    counsellor.post(reverse("safety_plans:declined", args=[PLAN_A]), {"declined": "no"})
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.declined_services_at is None


# Access


def test_outsiders_get_404_and_the_manager_reads_only(client_for, safety_plan_a):
    for persona in ("counsellor2", "counsellor_other", "manager_other", "staff", "editor", "printshop", "admin"):
        client = client_for(persona)
        for name in ("safety_plans:detail", "safety_plans:edit", "safety_plans:review"):
            assert client.get(reverse(name, args=[PLAN_A])).status_code == 404, (persona, name)
        assert client.post(reverse("safety_plans:declined", args=[PLAN_A]), {"declined": "yes"}).status_code == 404
    manager = client_for("manager")
    assert manager.get(reverse("safety_plans:detail", args=[PLAN_A])).status_code == 200
    assert manager.get(reverse("safety_plans:edit", args=[PLAN_A])).status_code == 403
    assert (
        manager.post(reverse("safety_plans:edit", args=[PLAN_A]), _edit_data(safety_plan_a, label="x")).status_code
        == 403
    )
    assert manager.post(reverse("safety_plans:declined", args=[PLAN_A]), {"declined": "yes"}).status_code == 403
    safety_plan_a.refresh_from_db()
    assert safety_plan_a.label == "Demo-plan A" and safety_plan_a.declined_services_at is None


def test_sharing_lets_a_colleague_in_the_unit_change_the_plan_until_it_is_taken_back(client_for, safety_plan_a, demo):
    colleague = demo["users"]["counsellor2"]
    counsellor = client_for("counsellor")
    assert client_for("counsellor2").get(reverse("safety_plans:detail", args=[PLAN_A])).status_code == 404
    response = counsellor.post(
        reverse("safety_plans:sharing", args=[PLAN_A]), {"action": "add", "colleague": colleague.pk}
    )
    assert response.status_code == 302
    second = client_for("counsellor2")
    assert second.get(reverse("safety_plans:edit", args=[PLAN_A])).status_code == 200
    assert "delt med deg" in second.get(reverse("safety_plans:list")).content.decode()
    # Someone outside the unit cannot be chosen.
    outsider = demo["users"]["counsellor_other"]
    refused = counsellor.post(
        reverse("safety_plans:sharing", args=[PLAN_A]), {"action": "add", "colleague": outsider.pk}
    )
    assert "Velg en rådgiver i samme enhet." in refused.content.decode()
    counsellor.post(reverse("safety_plans:sharing", args=[PLAN_A]), {"action": "remove", "user": colleague.pk})
    assert second.get(reverse("safety_plans:detail", args=[PLAN_A])).status_code == 404
    # Only the owner manages sharing.
    assert client_for("manager").get(reverse("safety_plans:sharing", args=[PLAN_A])).status_code == 403


def test_every_view_and_change_is_logged_without_content(client_for, safety_plan_a):
    counsellor = client_for("counsellor")
    counsellor.get(reverse("safety_plans:detail", args=[PLAN_A]))
    counsellor.post(
        reverse("safety_plans:edit", args=[PLAN_A]), _edit_data(safety_plan_a, contact_times="Hemmelig tid")
    )
    actions = list(AuditEvent.objects.filter(target_id=PLAN_A).values_list("action", flat=True))
    assert {"safety_plan.created", "safety_plan.viewed", "safety_plan.changed"} <= set(actions)
    for event in AuditEvent.objects.filter(target_id=PLAN_A):
        assert "Hemmelig" not in str(event.__dict__) and "Demo-plan" not in str(event.__dict__)


def test_page_titles_never_carry_the_label(client_for, safety_plan_a):
    counsellor = client_for("counsellor")
    for name in ("safety_plans:detail", "safety_plans:edit", "safety_plans:review", "safety_plans:sharing"):
        page = counsellor.get(reverse(name, args=[PLAN_A])).content.decode()
        title = page[page.index("<title>") : page.index("</title>")]
        assert "Demo-plan" not in title, name


def test_the_plan_reads_in_english(client_for, safety_plan_a, settings):
    counsellor = client_for("counsellor")
    counsellor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = counsellor.get(reverse("safety_plans:detail", args=[PLAN_A])).content.decode()
    assert "Escape plan: how to get to safety" in page
    assert "Advice for you as counsellor" in page
    assert "Not discussed" in page
    edit = counsellor.get(reverse("safety_plans:edit", args=[PLAN_A])).content.decode()
    assert "Has the person agreed a code word with family or friends" in edit


def test_the_service_refuses_a_review_date_that_is_not_after_today(demo, safety_plan_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        safety_plan_review(plan=safety_plan_a, user=demo["users"]["counsellor"], next_review_on=timezone.localdate())


def test_the_intake_review_links_to_its_plans_and_offers_to_start_one(client_for, safety_plan_a, intake_a):
    page = client_for("counsellor").get(reverse("intake:review", args=[intake_a.pk])).content.decode()
    assert f'href="{reverse("safety_plans:new")}?intake={intake_a.pk}"' in page
    assert f'href="{reverse("safety_plans:detail", args=[PLAN_A])}"' in page
    manager_page = client_for("manager").get(reverse("intake:review", args=[intake_a.pk])).content.decode()
    assert "?intake=" not in manager_page  # a manager reads; she does not start plans
    assert f'href="{reverse("safety_plans:detail", args=[PLAN_A])}"' in manager_page
