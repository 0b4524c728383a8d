"""Contacts over time on the case: stays, day visits and phone conversations under the intake's access rules,
audit-logged, and part of the case for retention."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from contacts.models import CaseContact, StayChild
from contacts.services import contact_record


def test_a_phone_conversation_is_two_clicks_from_the_intake_page(client_for, finalized_a):
    counsellor = client_for("counsellor")
    review = counsellor.get(reverse("intake:review", args=[finalized_a.pk]))
    link = reverse("contacts:new", args=[finalized_a.pk, "phone"])
    assert link in review.content.decode()  # click 1: the intake page links the form
    form = counsellor.get(link)
    assert form.status_code == 200
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in form.content.decode()  # today's date is filled in
    # click 2: Save, sending what the page holds
    response = counsellor.post(link, {"started_on": today})
    assert response.status_code == 302
    contact = CaseContact.objects.get(intake=finalized_a)
    assert (contact.kind, contact.started_on) == ("phone", timezone.localdate())
    assert AuditEvent.objects.filter(action="contact.recorded", target_id=str(finalized_a.pk)).count() == 1


def test_a_stay_with_children_then_its_departure(client_for, finalized_a):
    counsellor = client_for("counsellor")
    arrived = timezone.localdate() - datetime.timedelta(days=10)
    response = counsellor.post(
        reverse("contacts:new", args=[finalized_a.pk, "stay"]),
        {"started_on": arrived.isoformat(), "children_ages": "3, 7", "went_to": "", "ended_on": ""},
    )
    assert response.status_code == 302
    stay = CaseContact.objects.get(intake=finalized_a)
    assert sorted(StayChild.objects.filter(contact=stay).values_list("age", flat=True)) == [3, 7]
    assert stay.ended_on is None and stay.days is None
    page = counsellor.get(reverse("contacts:list", args=[finalized_a.pk])).content.decode()
    assert "Fortsatt på senteret" in page or "Still staying" in page
    left = timezone.localdate() - datetime.timedelta(days=2)
    response = counsellor.post(
        reverse("contacts:edit", args=[stay.pk]),
        {
            "started_on": arrived.isoformat(),
            "ended_on": left.isoformat(),
            "went_to": "own-home",
            "children_ages": "3, 7",
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.ended_on, stay.went_to, stay.days) == (left, "own-home", 8)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"started_on": "2099-01-01"}, "started_on"),
        ({"started_on": "2024-05-10", "ended_on": "2024-05-01", "went_to": "other"}, "ended_on"),
        ({"started_on": "2024-05-10", "children_ages": "3, nineteen"}, "children_ages"),
        ({"started_on": "2024-05-10", "children_ages": "18"}, "children_ages"),
        ({"started_on": "2024-05-10", "ended_on": "2024-05-12"}, "went_to"),
        ({"started_on": "not a date"}, "started_on"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(client_for, finalized_a, data, field):
    response = client_for("counsellor").post(reverse("contacts:new", args=[finalized_a.pk, "stay"]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not CaseContact.objects.exists()


def test_an_unknown_kind_is_404(client_for, finalized_a):
    assert client_for("counsellor").get(reverse("contacts:new", args=[finalized_a.pk, "visit"])).status_code == 404


def test_same_access_as_the_intake(client_for, finalized_a, users):
    contact = contact_record(
        intake=finalized_a, user=users["counsellor"], kind="phone", started_on=timezone.localdate()
    )
    list_url = reverse("contacts:list", args=[finalized_a.pk])
    edit_url = reverse("contacts:edit", args=[contact.pk])
    assert client_for("counsellor").get(list_url).status_code == 200
    assert client_for("manager").get(list_url).status_code == 200  # reads her unit's cases
    assert client_for("manager").get(edit_url).status_code == 403  # ... and does not change them
    for outsider in ("counsellor2", "counsellor_other", "manager_other", "admin"):
        assert client_for(outsider).get(list_url).status_code == 404, outsider
        assert client_for(outsider).get(edit_url).status_code == 404, outsider
    from intake.services import intake_share

    intake_share(intake=finalized_a, by=users["counsellor"], with_user=users["counsellor2"])
    assert client_for("counsellor2").get(edit_url).status_code == 200


def test_reading_the_contacts_is_audit_logged_against_the_case(client_for, finalized_a):
    client_for("manager").get(reverse("contacts:list", args=[finalized_a.pk]))
    event = AuditEvent.objects.get(action="contact.list_viewed")
    assert (event.target_type, event.target_id) == ("intake.intake", str(finalized_a.pk))


def test_contacts_go_with_the_case_and_keep_it_in_use(settings, finalized_a, users):
    from core.retention import purge_expired
    from intake.models import Intake

    settings.RETENTION = {**settings.RETENTION, "intake_days": 30}
    contact = contact_record(intake=finalized_a, user=users["counsellor"], kind="stay", started_on=timezone.localdate())
    old = timezone.now() - datetime.timedelta(days=400)
    Intake.objects.filter(pk=finalized_a.pk).update(updated_at=old, finalized_at=old)
    purge_expired(dry_run=False)
    assert Intake.objects.filter(pk=finalized_a.pk).exists()  # the person is staying: the case is in use
    CaseContact.objects.filter(pk=contact.pk).update(
        recorded_at=old, updated_at=old, started_on=old.date(), ended_on=old.date() + datetime.timedelta(days=3)
    )
    purge_expired(dry_run=False)
    assert not Intake.objects.filter(pk=finalized_a.pk).exists()
    assert not CaseContact.objects.exists() and not StayChild.objects.exists()


def test_an_unregistered_cases_contacts_are_counted_before_the_case_goes(settings, finalized_a, users):
    from annual_report.models import ContactCount, PersonCount
    from core.retention import purge_expired
    from intake.models import Intake

    settings.RETENTION = {**settings.RETENTION, "intake_days": 30}
    old = timezone.now() - datetime.timedelta(days=400)
    contact_record(intake=finalized_a, user=users["counsellor"], kind="phone", started_on=old.date())
    assert not ContactCount.objects.exists()  # not registered: not counted yet
    CaseContact.objects.update(recorded_at=old, updated_at=old)
    Intake.objects.filter(pk=finalized_a.pk).update(updated_at=old, finalized_at=old)
    assert purge_expired(dry_run=True).counts["case_contacts"] == 1
    result = purge_expired(dry_run=False)
    assert result.counts["case_contacts"] == 1
    assert list(ContactCount.objects.values_list("kind", "year")) == [("phone", old.year)]
    assert not PersonCount.objects.exists()  # nobody to count without a registration
