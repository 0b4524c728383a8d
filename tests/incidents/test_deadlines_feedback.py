"""Issue 21, deadlines and feedback: closing needs every action finished, no past deadlines, a response
deadline per report, the manager's to-dos on her home page, the reporter's closing notice and outcome, and a
change log that says what changed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.deadlines import response_deadline
from incidents.models import Incident, IncidentAction, IncidentTransition
from incidents.selectors import manager_todo
from tests.incidents.test_incidents import report

CLOSE = {
    "evaluation_summary": "The routine was followed.",
    "learning_points": "Call early.",
    "debrief_offered": False,
    "debrief_at": None,
    "routine_needs_revision": False,
}


def taken(users, units, **extra):
    incident = report(users, units, **extra)
    manager = users["manager"]
    return services.incident_assign(incident=incident, user=manager, assignee=manager, expected_version=1)


def add_action(users, incident, deadline=None):
    return services.action_add(
        incident=incident,
        user=users["manager"],
        description="Install an alarm button.",
        responsible=users["manager"],
        deadline=deadline or timezone.localdate() + timedelta(days=7),
    )


def close_post(client, incident, **extra):
    data = {
        "version": incident.version,
        "evaluation_summary": "The routine was followed.",
        "learning_points": "Call early.",
        **extra,
    }
    return client.post(reverse("incidents:close", args=[incident.pk]), data)


# --- closing ---------------------------------------------------------------------------------------------


def test_closing_with_an_open_action_is_refused_with_a_clear_message_and_input_kept(client_for, users, units):
    incident = taken(users, units)
    add_action(users, incident)
    incident.refresh_from_db()
    client = client_for("manager")
    page = client.get(reverse("incidents:close", args=[incident.pk])).content.decode()
    assert "1 tiltak er fortsatt åpent" in page  # told before she fills the form in
    response = close_post(client, incident, reporter_feedback="We have installed an alarm.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "1 tiltak er fortsatt åpent" in html and "We have installed an alarm." in html
    incident.refresh_from_db()
    assert incident.state == "in_review"
    with pytest.raises(ValidationError) as error:
        services.incident_close(incident=incident, user=users["manager"], expected_version=incident.version, **CLOSE)
    assert error.value.code == "open_actions"


@pytest.mark.parametrize("status", ["done", "carried_over", "cancelled"])
def test_closing_is_allowed_once_every_action_is_finished(users, units, status):
    incident = taken(users, units)
    action = add_action(users, incident)
    reason = "" if status == "done" else "Moved to report 1234abcd."
    services.action_update(action=action, user=users["manager"], status=status, evaluation="", status_reason=reason)
    incident.refresh_from_db()
    incident = services.incident_close(
        incident=incident, user=users["manager"], expected_version=incident.version, **CLOSE
    )
    assert incident.state == "closed"


def test_cancelling_or_carrying_over_needs_a_reason_and_the_page_keeps_what_was_typed(client_for, users, units):
    incident = taken(users, units)
    action = add_action(users, incident)
    with pytest.raises(ValidationError):
        services.action_update(action=action, user=users["manager"], status="cancelled", evaluation="")
    prefix = f"a-{action.pk}"
    response = client_for("manager").post(
        reverse("incidents:action_update", args=[incident.pk, action.pk]),
        {f"{prefix}-status": "carried_over", f"{prefix}-evaluation": "Half of it worked."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Half of it worked." in html and "Oppgi en begrunnelse" in html
    action.refresh_from_db()
    assert action.status == "open"


def test_a_past_deadline_is_refused_for_a_new_action(client_for, users, units):
    incident = taken(users, units)
    with pytest.raises(ValidationError):
        add_action(users, incident, deadline=timezone.localdate() - timedelta(days=1))
    response = client_for("manager").post(
        reverse("incidents:action_add", args=[incident.pk]),
        {
            "description": "Check the door.",
            "responsible": users["manager"].pk,
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Fristen kan ikke være tilbake i tid" in response.content.decode()
    assert "Check the door." in response.content.decode()
    assert not IncidentAction.objects.filter(incident=incident).exists()
    add_action(users, incident, deadline=timezone.localdate())  # today is fine


# --- response deadline and the manager's home ------------------------------------------------------------


def test_response_deadline_comes_from_the_type_and_is_configurable(users, units, settings):
    incident = report(users, units, type="violence")
    assert incident.response_deadline == incident.reported_at + timedelta(hours=24)
    settings.INCIDENT_RESPONSE_HOURS = {"violence": 4}
    incident = report(users, units, type="violence")
    assert incident.response_deadline == incident.reported_at + timedelta(hours=4)
    assert response_deadline("other", incident.reported_at) == incident.reported_at + timedelta(hours=120)


def test_manager_home_shows_her_to_dos_with_counts_and_the_list_filters_them(client_for, users, units):
    fresh = report(users, units)
    late = report(users, units)
    Incident.objects.filter(pk=late.pk).update(response_deadline=timezone.now() - timedelta(hours=1))
    in_review = taken(users, units)
    action = add_action(users, in_review)
    IncidentAction.objects.filter(pk=action.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    todo = manager_todo(users["manager"])
    assert (todo.new_reports, todo.late_reports, todo.overdue_actions) == (2, 1, 1)
    html = client_for("manager").get(reverse("home")).content.decode()
    assert "2 nye meldinger å ta" in html
    assert "1 melding over svarfristen" in html
    assert "1 forfalt tiltak" in html
    listing = client_for("manager").get(reverse("incidents:list") + "?late=on")
    assert [i.pk for i in listing.context["page"]] == [late.pk]
    assert fresh.pk != late.pk
    # Someone who only reports sees no manager's to-dos.
    assert "over svarfristen" not in client_for("staff").get(reverse("home")).content.decode()


# --- the reporter's notice and outcome ---------------------------------------------------------------------


def test_reporter_gets_a_notice_without_content_and_reads_the_outcome_on_my_reports(
    client_for, users, units, django_capture_on_commit_callbacks
):
    incident = taken(users, units, place="The secret room")
    with django_capture_on_commit_callbacks(execute=True):
        response = close_post(client_for("manager"), incident, reporter_feedback="An alarm button is installed.")
    assert response.status_code == 302
    notice = [m for m in mail.outbox if m.to == ["staff@example.org"]]
    assert len(notice) == 1
    text = notice[0].subject + notice[0].body
    assert reverse("incidents:mine") in text
    assert "secret" not in text and "alarm" not in text and "routine was followed" not in text
    html = client_for("staff").get(reverse("incidents:mine")).content.decode()
    assert "An alarm button is installed." in html


# --- the change log --------------------------------------------------------------------------------------


def test_change_log_says_what_changed_and_not_a_state_that_did_not(client_for, users, units):
    incident = taken(users, units)
    services.incident_update(
        incident=incident, user=users["manager"], expected_version=incident.version, place="The library"
    )
    action = add_action(users, incident)
    services.action_update(action=action, user=users["manager"], status="done", evaluation="")
    edited = IncidentTransition.objects.get(incident=incident, kind="edited")
    assert edited.changes == {"fields": ["place"]}
    html = client_for("manager").get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Endret: sted" in html
    assert "Status: Åpent → Utført" in html
    assert "Under behandling → Under behandling" not in html
    assert "The library" not in str(IncidentTransition.objects.filter(incident=incident).values_list("changes"))


def test_actions_are_tiltak_in_norwegian(client_for, incident_records):
    from tests.conftest import INCIDENT_UNIVERSITY

    html = client_for("manager").get(reverse("incidents:detail", args=[INCIDENT_UNIVERSITY])).content.decode()
    assert "Handling" not in html and "handling" not in html.replace("behandling", "")
    assert ">Tiltak<" in html
