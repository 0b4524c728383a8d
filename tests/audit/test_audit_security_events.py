"""Security events in the audit log: logging in, out and failing to (without what was typed), and access to
a record refused."""

from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.conftest import INTAKE_A, PASSWORD, PLAN_A


def stored_text() -> str:
    return " ".join(" ".join(str(v) for v in row) for row in AuditEvent.objects.values_list())


def test_a_failed_login_is_logged_against_the_account(users):
    response = Client().post(reverse("login"), {"username": "counsellor", "password": "wrong-Pa55word-xyz"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor == users["counsellor"]
    assert "wrong-Pa55word-xyz" not in stored_text()


def test_a_failed_login_for_no_account_stores_nothing_typed(users):
    Client().post(reverse("login"), {"username": "hunter2-Secret-Typed", "password": "x"})
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()  # no account, no row
    assert "hunter2" not in stored_text()


def test_a_wrong_password_on_the_sessions_page_is_logged_too(users):
    client = Client()
    client.post(reverse("login"), {"username": "counsellor", "password": PASSWORD})
    client.post(reverse("usersessions:others"), {"password": "not-it"})
    assert AuditEvent.objects.filter(action="auth.login_failed", actor=users["counsellor"]).count() == 1


def test_a_login_is_logged_and_no_failure(users):
    response = Client().post(reverse("login"), {"username": "manager", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=users["manager"]).count() == 1
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_a_locked_out_attempt_is_logged_too(users):
    client = Client()
    for _ in range(6):
        client.post(reverse("login"), {"username": "staff", "password": "not-the-password"})
    assert AuditEvent.objects.filter(action="auth.login_failed", actor=users["staff"]).count() == 6


def refused():
    events = AuditEvent.objects.filter(action="record.access_refused").order_by("at")
    return list(events.values_list("actor__username", "target_type", "target_id", "unit"))


def test_a_refused_record_is_logged_without_its_unit(safety_plan_a, client_for):
    assert client_for("counsellor_other").get(reverse("intake:review", args=[INTAKE_A])).status_code == 404
    assert client_for("manager").get(reverse("safety_plans:print", args=[PLAN_A])).status_code == 403
    made_up = "00000000-0000-4000-8000-0000000000ff"
    assert client_for("counsellor").get(reverse("incidents:detail", args=[made_up])).status_code == 404
    assert refused() == [
        ("counsellor_other", "intake.intake", INTAKE_A, None),
        ("manager", "safety_plans.safetyplan", PLAN_A, None),
        ("counsellor", "incidents.incident", made_up, None),
    ]


def test_a_refusal_by_a_features_role_check_on_a_record_page_is_logged(safety_plan_a, client_for):
    """Staff have no intake role: the intake pages' role check refuses before the record's own helper is asked
    (as for a counsellor whose role was just removed), and that refusal is in the log too. A list page names no
    record, so it is not."""
    assert client_for("staff").get(reverse("intake:review", args=[INTAKE_A])).status_code == 404
    assert client_for("staff").get(reverse("intake:list")).status_code == 404
    assert refused() == [("staff", "intake.intake", INTAKE_A, None)]


def test_granted_reads_and_other_not_found_pages_are_not_refusals(safety_plan_a, client_for):
    assert client_for("counsellor").get(reverse("intake:review", args=[INTAKE_A])).status_code == 200
    assert client_for("staff").get(reverse("audit:list")).status_code == 404  # a feature, not a record
    assert client_for("counsellor").get(reverse("unit_detail", args=["nordby-krisesenter"])).status_code == 404
    response = client_for("anonymous").get(reverse("intake:review", args=[INTAKE_A]))
    assert response.status_code == 302
    # The owner asks for a step her intake does not have: "not found", but nobody was refused anything.
    assert client_for("counsellor").get(reverse("intake:step", args=[INTAKE_A, "no-such-step"])).status_code == 404
    assert refused() == []


def test_the_manager_finds_refusals_of_her_people_in_the_log(safety_plan_a, client_for):
    client_for("counsellor2").get(reverse("intake:review", args=[INTAKE_A]))  # not shared with her
    response = client_for("manager").get(reverse("audit:list") + "?kind=refused")
    rows = [(row.actor.username, row.action) for row in response.context["rows"]]
    assert rows == [("counsellor2", "record.access_refused")]
