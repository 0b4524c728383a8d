"""Incidents: reporting, access, follow-up, optimistic locking, export, and the list's cost."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from audit.models import AuditEvent
from core.csv import neutralise
from incidents import services
from incidents.access import get_incident_for_user
from incidents.demo import seed_incidents
from incidents.models import Incident, IncidentAction, IncidentTransition
from incidents.pii import is_national_id, looks_like_national_id, looks_like_phone
from routines.models import Routine
from tests.conftest import INCIDENT_UNIVERSITY


def report(users, units, *, unit=UNIVERSITY, reporter="staff", **extra):
    data = {
        "user": users[reporter],
        "form_token": uuid.uuid4(),
        "type": "threat_in_person",
        "occurred_at": timezone.now() - timedelta(hours=1),
        "unit": units[unit],
        "place": "Reception",
        "what_happened": "A visitor shouted and threatened a colleague.",
        "immediate_actions": ["manager_notified"],
    }
    data.update(extra)
    return services.incident_report(**data)[0]


def form_data(**extra):
    data = {
        "type": "threat_in_person",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Reception",
        "what_happened": "A visitor shouted at a colleague.",
        "immediate_actions": ["manager_notified", "police_112"],
        "affected_students": "0",
        "affected_staff": "1",
        "affected_others": "0",
        "form_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


# --- reporting -------------------------------------------------------------------------------------------


def test_type_is_prefilled_from_the_query(client_for):
    response = client_for("staff").get(reverse("incidents:new") + "?type=threat_email")
    assert response.status_code == 200
    assert response.context["form"].initial["type"] == "threat_email"


def test_double_submit_creates_one_report_and_mails_managers_links_only(
    client_for, units, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    data = form_data(unit=units[UNIVERSITY].pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("incidents:new"), data)
        second = client.post(reverse("incidents:new"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Incident.objects.count() == 1
    incident = Incident.objects.get()
    assert incident.immediate_actions == ["manager_notified", "police_112"]
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert str(incident.pk) in body and "Reception" not in body and "visitor" not in body
    assert client.get(first["Location"]).status_code == 200
    assert client.get(reverse("incidents:mine")).content.decode().count(f">{incident.short_id}<") == 1


def test_national_id_in_free_text_warns_and_save_anyway_saves(client_for, units):
    client = client_for("staff")
    data = form_data(unit=units[UNIVERSITY].pk, what_happened="The student 01010112345 was upset.")
    # 01010112345 fails the mod-11 check; a valid one must trigger the warning.
    assert not is_national_id("01010112345")
    data["what_happened"] = "The student 15076500565 was upset."
    assert is_national_id("15076500565")
    response = client.post(reverse("incidents:new"), data)
    assert response.status_code == 200 and Incident.objects.count() == 0
    html = response.content.decode()
    assert "15076500565" in html  # nothing typed is lost
    assert 'type="checkbox" name="save_anyway"' in html
    response = client.post(reverse("incidents:new"), {**data, "save_anyway": "on"})
    assert response.status_code == 302 and Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "phone"),
    [("Ring 912 34 567", True), ("tlf +47 22334455", True), ("Called 112 and 113", False), ("116 117", False)],
)
def test_phone_numbers_are_spotted_but_emergency_numbers_are_not(text, phone):
    assert looks_like_phone(text) is phone
    assert not looks_like_national_id(text)


def test_print_shop_may_not_report(client_for):
    assert client_for("printshop").get(reverse("incidents:new")).status_code == 404


# --- access --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["printshop", "counsellor", "counsellor_other", "manager_other", "editor"])
def test_outsiders_get_404(client_for, incident_records, persona, users):
    with pytest.raises(Http404):  # RecordNotFound: a 404 to the person, a refusal in the audit log
        get_incident_for_user(users[persona], INCIDENT_UNIVERSITY)
    assert client_for(persona).get(reverse("incidents:detail", args=[INCIDENT_UNIVERSITY])).status_code == 404


def test_reporter_may_read_but_not_change(users, incident_records):
    assert get_incident_for_user(users["staff"], INCIDENT_UNIVERSITY)
    with pytest.raises(Http404):
        get_incident_for_user(users["staff"], INCIDENT_UNIVERSITY, perm="incidents.change_incident")


def test_viewing_is_audit_logged(client_for, incident_records):
    client_for("manager").get(reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]))
    assert AuditEvent.objects.filter(action="incident.viewed", target_id=INCIDENT_UNIVERSITY).exists()


# --- follow-up -------------------------------------------------------------------------------------------


def test_take_review_close_reopen_are_all_logged(users, units, routines, django_capture_on_commit_callbacks):
    manager = users["manager"]
    incident = report(users, units)
    incident = services.incident_assign(
        incident=incident, user=manager, assignee=manager, expected_version=incident.version
    )
    assert incident.state == "in_review" and incident.assigned_to == manager
    routine = Routine.objects.get(slug="vold-og-trusler")
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.incident_close(
            incident=incident,
            user=manager,
            expected_version=incident.version,
            evaluation_summary="Worked.",
            learning_points="Call early.",
            debrief_offered=True,
            debrief_at=timezone.localdate(),
            routine_needs_revision=True,
            routine=routine,
        )
    assert incident.state == "closed" and incident.routine == routine
    # The reporter's closing notice, and the routine's editors.
    assert [m.to for m in mail.outbox] == [["staff@example.org"], ["editor@example.org"]]
    with pytest.raises(ValidationError):
        services.incident_transition(
            incident=incident, user=manager, to_state="in_review", expected_version=incident.version
        )
    incident = services.incident_transition(
        incident=incident, user=manager, to_state="in_review", expected_version=incident.version, reason="New facts."
    )
    kinds = list(
        IncidentTransition.objects.filter(incident=incident).values_list("kind", "from_state", "to_state", "reason")
    )
    assert kinds == [
        ("reported", "", "reported", ""),
        ("taken", "reported", "in_review", ""),
        ("closed", "in_review", "closed", ""),
        ("reopened", "closed", "in_review", "New facts."),
    ]


def test_only_managers_of_the_unit_may_be_assigned(users, units):
    incident = report(users, units)
    with pytest.raises(ValidationError):
        services.incident_assign(
            incident=incident, user=users["manager"], assignee=users["manager_other"], expected_version=1
        )


def test_action_mails_the_responsible_who_then_sees_it_overdue(
    client_for, users, units, django_capture_on_commit_callbacks
):
    incident = report(users, units, unit=CENTRE_A, reporter="counsellor")
    with django_capture_on_commit_callbacks(execute=True):
        services.action_add(
            incident=incident,
            user=users["manager"],
            description="Install an alarm button.",
            responsible=users["counsellor2"],
            deadline=timezone.localdate(),
        )
    # A day later, it is overdue.
    IncidentAction.objects.filter(incident=incident).update(deadline=timezone.localdate() - timedelta(days=1))
    assert mail.outbox[-1].to == ["counsellor2@example.org"]
    assert "alarm" not in mail.outbox[-1].body
    client = client_for("counsellor2")
    assert "badge text-bg-danger" in client.get(reverse("incidents:mine")).content.decode()
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 200
    action = IncidentAction.objects.get(incident=incident)
    prefix = f"a-{action.pk}"
    response = client.post(
        reverse("incidents:action_update", args=[incident.pk, action.pk]),
        {f"{prefix}-status": "done", f"{prefix}-evaluation": "It worked."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.evaluation) == ("done", "It worked.")
    # ... but may not change the report itself.
    assert client.get(reverse("incidents:edit", args=[incident.pk])).status_code == 404
    services.action_update(action=action, user=users["manager"], status="open", evaluation="")
    listing = client_for("manager").get(reverse("incidents:list") + "?overdue=on")
    assert [i.pk for i in listing.context["page"]] == [incident.pk]
    assert AuditEvent.objects.filter(action="incident.list_viewed", actor=users["manager"]).count() == 1


def test_list_and_export_flag_only_the_reports_with_an_overdue_action(client_for, users, units):
    late, due_today, done = (report(users, units) for _ in range(3))
    yesterday = timezone.localdate() - timedelta(days=1)
    for incident, deadline in [(late, yesterday), (due_today, timezone.localdate())]:
        IncidentAction.objects.create(
            incident=incident, description="Check the alarm.", responsible=users["manager"], deadline=deadline
        )
    IncidentAction.objects.create(
        incident=done, description="Done.", responsible=users["manager"], deadline=yesterday, status="done"
    )
    client = client_for("manager")
    response = client.get(reverse("incidents:list"))
    assert [row["ref"] for row in response.context["rows"] if row["overdue"]] == [late.short_id]
    page = response.content.decode()
    assert page.count('badge text-bg-danger">Forfalt<') == 1
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("incidents:export")).content.decode("utf-8-sig")), delimiter=";")
    )
    flagged = {row[0] for row in rows[1:] if row[8] == "ja"}
    assert flagged == {str(late.pk)}


def test_second_save_on_a_stale_version_is_refused_and_input_kept(client_for, users, units):
    incident = report(users, units)
    url = reverse("incidents:edit", args=[incident.pk])
    base = {
        "type": "threat_in_person",
        "place": "Reception",
        "affected_students": 0,
        "affected_staff": 1,
        "affected_others": 0,
        "version": incident.version,
    }
    first = client_for("manager").post(url, {**base, "what_happened": "First manager's text."})
    assert first.status_code == 302
    second = client_for("admin").post(url, {**base, "what_happened": "Second manager's text."})
    assert second.status_code == 409
    html = second.content.decode()
    assert "Second manager" in html and "First manager" in html
    incident.refresh_from_db()
    assert incident.what_happened == "First manager's text." and incident.version == 2
    with pytest.raises(services.IncidentConflict):
        services.incident_update(incident=incident, user=users["manager"], expected_version=1, place="X")


def test_exchange_student_incident_has_five_steps_with_configurable_names(client_for, users, units, settings):
    settings.INCIDENT_CHECKLIST_NAMES = {"archive_system": {"nb": "Arkivet X", "en": "Archive X"}}
    incident = report(users, units, type="exchange_students")
    assert incident.steps.count() == 5
    html = client_for("manager").get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Arkivet X" in html
    assert "<td>Meldt</td>" in html and "<td>reported</td>" not in html  # the change log is translated
    response = client_for("manager").post(
        reverse("incidents:step_update", args=[incident.pk, 2]),
        {"s-2-responsible": users["staff"].pk, "s-2-done": "on"},
    )
    assert response.status_code == 302
    step = incident.steps.get(number=2)
    assert step.responsible == users["staff"] and step.done_at is not None


# --- list, export, overview ------------------------------------------------------------------------------


def test_csv_cells_are_neutralised():
    for bad in ["=HYPERLINK(1)", "+1", "-1", "@SUM", "\tx", "\rx"]:
        assert neutralise(bad).startswith("'")
    assert neutralise("Reception") == "Reception"


def test_export_is_filtered_neutralised_and_audited(client_for, users, units):
    report(users, units, place="=cmd|' /C calc'!A0")
    report(users, units, unit=CENTRE_B, reporter="counsellor_other")
    response = client_for("manager").get(reverse("incidents:export") + "?state=reported&free_text=on")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2  # header + the one university report; centre B is not the manager's
    assert rows[1][rows[0].index("Sted")].startswith("'=")
    assert AuditEvent.objects.filter(action="incident.exported").count() == 1


def _bulk(units, users, n):
    now = timezone.now()
    created = Incident.objects.bulk_create(
        Incident(
            type="violence",
            occurred_at=now - timedelta(hours=i),
            unit=units[UNIVERSITY],
            place="x",
            what_happened="x",
            reporter=users["staff"],
        )
        for i in range(n)
    )
    # No grant rows for the unit's managers: they see the reports through their membership.
    return created


def _list_queries(client):
    client.get(reverse("incidents:list"))  # fills per-process caches (content types), which are not per page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("incidents:list") + "?state=reported")
    assert response.status_code == 200
    return len(queries), len(response.context["page"])


def test_list_query_count_is_the_same_at_10_and_1000_reports(client_for, users, units):
    client = client_for("manager")
    _bulk(units, users, 10)
    small, rows_small = _list_queries(client)
    _bulk(units, users, 990)
    large, rows_large = _list_queries(client)
    assert (rows_small, rows_large) == (10, 25)
    assert 0 < small == large, (small, large)


def test_overview_renders_accessible_svg_charts_with_tables(client_for, users, units):
    seed_incidents(units=units, users=users)
    html = client_for("manager").get(reverse("incidents:overview")).content.decode()
    assert html.count('role="img"') == 4  # per month, by age, causes over time, overdue actions
    assert html.count("<desc") == 4 and html.count("<caption>") == 6  # and the risk matrix with its totals
    assert "<rect" in html


def test_seed_is_idempotent(users, units):
    seed_incidents(units=units, users=users)
    count = Incident.objects.count()
    seed_incidents(units=units, users=users)
    assert Incident.objects.count() == count == 24
    assert {i.state for i in Incident.objects.all()} == {"reported", "in_review", "closed"}
    overdue = IncidentAction.objects.filter(status="open", deadline__lt=timezone.localdate())
    assert overdue.exists()
    exchange = Incident.objects.get(type="exchange_students")
    assert 0 < exchange.steps.filter(done_at__isnull=False).count() < 5


def test_routine_afterwards_section_links_to_the_form(client, routines):
    html = client.get(reverse("routines:detail", args=["vold-og-trusler"])).content.decode()
    for t in ["violence", "threat_in_person", "threat_email", "threat_phone"]:
        assert f"/incidents/new/?type={t}" in html
    html = client.get(reverse("routines:detail", args=["alvorlig-hendelse-utvekslingsstudenter"])).content.decode()
    assert "/incidents/new/?type=exchange_students" in html
    response = client.get("/incidents/new/?type=threat_phone")
    assert response.status_code == 302 and "next=/incidents/new/%3Ftype%3Dthreat_phone" in response["Location"]


def test_the_cached_filter_form_follows_the_filters_the_language_and_the_units(client_for, units):
    """The list's filter form is a cached fragment: a cached copy must never show another request's choices."""
    client = client_for("manager")
    url = reverse("incidents:list")
    reported = client.get(url + "?state=reported").content.decode()
    closed = client.get(url + "?state=closed").content.decode()
    assert '<option value="reported" selected>' in reported
    assert '<option value="closed" selected>' in closed and '<option value="reported" selected>' not in closed
    client.cookies["django_language"] = "en"
    english = client.get(url + "?state=reported").content.decode()
    assert "Unit\n" in english and "Enhet\n" in reported and "Enhet\n" not in english
    units[UNIVERSITY].name = "Renamed university"
    units[UNIVERSITY].save()
    assert "Renamed university</option>" in client.get(url + "?state=reported").content.decode()
