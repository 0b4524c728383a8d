"""Issue 21, anonymous reporting: a unit turns it on; the report stores no reporter; the reporter follows it
with a receipt code shown once and stored hashed, and answers the manager's questions; nothing in the logs,
the e-mails or the audit log links the report to an account or an address; code lookups are rate-limited.
Also the per-unit words of the risk matrix."""

import hashlib
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import UNIVERSITY
from audit.models import AuditEvent
from incidents import retention, services
from incidents.anonymous import normalise_code
from incidents.models import Incident, IncidentMessage, IncidentTransition, IncidentUnitSettings
from tests.incidents.test_incidents import form_data

ADDRESS = "203.0.113.7"  # the reporter's address (a documentation range)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous_unit(units, users):
    unit = units[UNIVERSITY]
    services.unit_settings_save(
        unit=unit, user=users["manager"], anonymous_reporting=True, consequence_labels=[], probability_labels=[]
    )
    return unit


def anonymous_report(client=None, **extra):
    client = client or Client()
    data = form_data(**extra)
    response = client.post(reverse("incidents:anonymous_new", args=[UNIVERSITY]), data)
    return response, data


def receipt_code(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="receipt-code">') + len('data-testid="receipt-code">')
    return html[start : html.index("<", start)].strip()


def test_the_link_works_only_once_the_unit_turns_it_on(client_for, units):
    url = reverse("incidents:anonymous_new", args=[UNIVERSITY])
    assert Client().get(url).status_code == 404
    manager = client_for("manager")
    settings_url = reverse("incidents:unit_settings", args=[UNIVERSITY])
    assert client_for("manager_other").get(settings_url).status_code == 404
    assert client_for("staff").get(settings_url).status_code == 404
    response = manager.post(settings_url, {"anonymous_reporting": "on"})
    assert response.status_code == 302
    page = manager.get(settings_url).content.decode()
    assert url in page  # the link to share
    assert Client().get(url).status_code == 200
    assert AuditEvent.objects.filter(action="incident.unit_settings_changed").count() == 1


def test_a_logged_in_person_is_asked_to_log_out_first(client_for, anonymous_unit):
    client = client_for("staff")
    response, _data = anonymous_report(client)
    assert response.status_code == 200
    assert "Du er logget inn" in response.content.decode()
    assert not Incident.objects.exists()
    assert "Du er logget inn" in client.get(reverse("incidents:anonymous_follow")).content.decode()


def test_an_anonymous_report_stores_no_reporter_and_nothing_links_it(
    anonymous_unit, caplog, users, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response, data = anonymous_report(Client(REMOTE_ADDR=ADDRESS))
    assert response.status_code == 200
    code = receipt_code(response)
    assert len(normalise_code(code)) == 32
    incident = Incident.objects.get()
    assert incident.anonymous and incident.reporter is None
    assert incident.receipt_code_hash == hashlib.sha256(normalise_code(code).encode()).hexdigest()
    # The code is nowhere but in that one answer: not in the database, not in a log line, not in an e-mail.
    assert code not in str(list(Incident.objects.values()))
    assert all(code not in record.getMessage() for record in caplog.records)
    assert all(ADDRESS not in record.getMessage() for record in caplog.records)
    # The audit events and the change log have no actor; the managers' e-mail is the usual one.
    events = AuditEvent.objects.filter(target_id=str(incident.pk))
    assert list(events.values_list("action", "actor")) == [("incident.reported_anonymously", None)]
    assert list(IncidentTransition.objects.values_list("kind", "by")) == [("reported", None)]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [users["manager"].email]
    assert ADDRESS not in mail.outbox[0].body and code not in mail.outbox[0].body
    assert ADDRESS not in str(list(Incident.objects.values())) + str(list(AuditEvent.objects.values()))
    # No grant to anyone but through the unit: the reporter has no account here to have one.
    from incidents.models import IncidentUserObjectPermission

    assert not IncidentUserObjectPermission.objects.filter(content_object=incident).exists()
    # A double submit shows no code again and files nothing new.
    again = Client().post(reverse("incidents:anonymous_new", args=[UNIVERSITY]), data)
    assert again.status_code == 200 and 'data-testid="receipt-code"' not in again.content.decode()
    assert Incident.objects.count() == 1


def test_the_reporter_follows_the_report_and_answers_the_manager(anonymous_unit, client_for, users):
    response, _data = anonymous_report()
    code = receipt_code(response)
    incident = Incident.objects.get()
    follow = reverse("incidents:anonymous_follow")
    visitor = Client()
    wrong = visitor.post(follow, {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"})
    assert wrong.status_code == 400 and "Ingen melding har denne kvitteringskoden" in wrong.content.decode()
    # The manager writes to the reporter through the report.
    manager = client_for("manager")
    detail = manager.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Anonym melding" in detail
    posted = manager.post(reverse("incidents:message_add", args=[incident.pk]), {"text": "Which room was it?"})
    assert posted.status_code == 302
    # Typed in lower case and without dashes, the code still works.
    page = visitor.post(follow, {"code": normalise_code(code).lower()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Which room was it?" in html and "Meldt" in html
    answered = visitor.post(follow, {"code": code, "answer": "1", "text": "The meeting room on the ground floor."})
    assert answered.status_code == 200
    answer = IncidentMessage.objects.get(from_reporter=True)
    assert answer.author is None and answer.text == "The meeting room on the ground floor."
    assert (
        "The meeting room on the ground floor."
        in manager.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    )
    actors = dict(AuditEvent.objects.filter(target_id=str(incident.pk)).values_list("action", "actor"))
    assert actors["incident.reporter_answered"] is None and actors["incident.followed_anonymously"] is None
    assert actors["incident.message_sent"] == users["manager"].pk
    # Only the report's managers write to her, and only on an anonymous report.
    assert (
        client_for("manager_other")
        .post(reverse("incidents:message_add", args=[incident.pk]), {"text": "x"})
        .status_code
        == 404
    )


def test_code_lookups_are_rate_limited(anonymous_unit, settings):
    settings.INCIDENT_CODE_LOOKUPS_PER_HOUR = 3
    response, _data = anonymous_report()
    code = receipt_code(response)
    visitor = Client()
    follow = reverse("incidents:anonymous_follow")
    for _ in range(3):
        assert visitor.post(follow, {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"}).status_code == 400
    refused = visitor.post(follow, {"code": code})
    assert refused.status_code == 429
    assert "For mange forsøk" in refused.content.decode()
    # Another address is not held back.
    assert Client(REMOTE_ADDR="198.51.100.4").post(follow, {"code": code}).status_code == 200


def test_anonymising_deletes_the_messages_and_ends_the_code(anonymous_unit, users):
    response, _data = anonymous_report()
    code = receipt_code(response)
    incident = Incident.objects.get()
    services.message_to_reporter(incident=incident, user=users["manager"], text="Which room?")
    Incident.objects.filter(pk=incident.pk).update(state="closed", closed_at=timezone.now() - timedelta(days=4000))
    from core.retention import cutoffs as make_cutoffs

    cutoffs = make_cutoffs()
    retention.anonymise_incidents(list(retention.expired_incidents(cutoffs)), cutoffs)
    assert not IncidentMessage.objects.exists()
    assert Client().post(reverse("incidents:anonymous_follow"), {"code": code}).status_code == 400


def test_a_unit_sets_the_words_of_its_risk_matrix(client_for, anonymous_unit, users):
    manager = client_for("manager")
    data = {"anonymous_reporting": "on", "consequence_3": "Alvorlig skade", "probability_5": "Skjer hver uke"}
    assert manager.post(reverse("incidents:unit_settings", args=[UNIVERSITY]), data).status_code == 302
    row = IncidentUnitSettings.objects.get(unit=anonymous_unit)
    assert row.consequence_labels == ["", "", "Alvorlig skade", "", ""]
    form = Client().get(reverse("incidents:anonymous_new", args=[UNIVERSITY])).content.decode()
    assert "3 Alvorlig skade" in form and "5 Skjer hver uke" in form and "1 Ubetydelig" in form
    anonymous_report(suggested_consequence="3", suggested_probability="5")
    incident = Incident.objects.get()
    detail = manager.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "3 Alvorlig skade" in detail and "5 Skjer hver uke" in detail
