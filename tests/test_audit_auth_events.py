"""Logging in, out and failing to: security events in the audit log, without what was typed."""

from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from tests.conftest import PASSWORD


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
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert "hunter2" not in stored_text()


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
