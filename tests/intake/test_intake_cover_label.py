"""A draft's cover label (issue 17): a few words of the counsellor's choosing, shown in the list so eleven drafts
can be told apart; never a name, and what looks like an identity or phone number is warned about first."""

from django.urls import reverse

from audit.models import AuditEvent
from intake.models import Intake


def label_url(intake):
    return reverse("intake:cover_label", args=[intake.pk])


def test_the_label_is_saved_shown_in_the_list_and_audited_without_its_text(client_for, intake_a):
    client = client_for("counsellor")
    page = client.get(label_url(intake_a)).content.decode()
    assert "Aldri et navn" in page and 'autocomplete="off"' in page
    response = client.post(label_url(intake_a), {"cover_label": "  Tirsdag, møtte opp  "})
    assert response.status_code == 302 and response["Location"] == reverse("intake:detail", args=[intake_a.pk])
    intake_a.refresh_from_db()
    assert intake_a.cover_label == "Tirsdag, møtte opp"
    listing = client.get(reverse("intake:list")).content.decode()
    assert "Tirsdag, møtte opp" in listing and "Merkelapp" in listing
    event = AuditEvent.objects.filter(action="intake.labelled").get()
    assert "Tirsdag" not in str(event.__dict__)
    step = client.get(reverse("intake:step", args=[intake_a.pk, "contact"])).content.decode()
    assert "Tirsdag, møtte opp" in step and "Endre merkelappen" in step


def test_an_identity_or_phone_number_is_warned_about_and_kept_until_confirmed(client_for, intake_a):
    client = client_for("counsellor")
    response = client.post(label_url(intake_a), {"cover_label": "Ringte fra 912 34 567"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "telefonnummer" in html and "Ringte fra 912 34 567" in html and "Lagre likevel" in html
    assert Intake.objects.get(pk=intake_a.pk).cover_label == ""
    client.post(label_url(intake_a), {"cover_label": "Ringte fra 912 34 567", "save_anyway": "on"})
    assert Intake.objects.get(pk=intake_a.pk).cover_label == "Ringte fra 912 34 567"


def test_a_label_beyond_the_limit_is_refused_not_cut(client_for, intake_a):
    response = client_for("counsellor").post(label_url(intake_a), {"cover_label": "x" * 41})
    assert response.status_code == 200 and "x" * 41 in response.content.decode()
    assert Intake.objects.get(pk=intake_a.pk).cover_label == ""


def test_the_column_has_a_database_default_for_rolling_upgrades():
    field = Intake._meta.get_field("cover_label")
    assert field.db_default == "" and field.max_length == 40
