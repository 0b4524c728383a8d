"""The probes: /healthz (liveness), /readyz (readiness), both answered to a load balancer that probes by IP."""

import json
import logging
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import health
from core.mail import send_mail_task

# A load balancer sends the backend's own address as Host; it is not in ALLOWED_HOSTS.
BY_IP = {"HTTP_HOST": "10.20.30.40:8000"}


@pytest.fixture(autouse=True)
def fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_ok_at", None)


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_is_liveness_only_and_answers_when_the_database_does_not(client, db, django_assert_num_queries):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    with django_assert_num_queries(0):
        client.get(reverse("healthz"))


def test_healthz_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200
    assert client.get(reverse("home")).status_code == 301


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_by_ip_get_their_answer_and_log_no_error(db, caplog, settings, url):
    settings.ALLOWED_HOSTS = ["krisestotte.example.org"]
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get(url, **BY_IP)
    assert response.status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "Traceback" not in caplog.text
    # Every other path still goes through the host check.
    assert client.get("/", **BY_IP).status_code == 400


def test_readyz_says_each_check(client, db):
    response = client.get(reverse("readyz"), **BY_IP)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok", "tasks": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_readyz_fails_when_the_database_does_not_answer(client, db, caplog):
    with mock.patch("core.health.connection.cursor", side_effect=OperationalError("down: secret detail")):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["checks"]["database"] == "fail"
    assert body["checks"]["storage"] == "ok"
    assert "secret detail" not in response.content.decode() + caplog.text
    assert "OperationalError" in caplog.text


def test_readyz_fails_when_a_migration_is_not_applied(client, db):
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[("x", False)]):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {
        "database": "ok",
        "migrations": "fail",
        "storage": "ok",
        "tasks": "ok",
    }


def test_readyz_fails_when_the_media_storage_is_not_writable(client, db, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["storage"] == "fail"


def test_readyz_leaves_no_file_behind(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get(reverse("readyz")).status_code == 200
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_probes_refuse_post(client, db):
    for name in ("healthz", "readyz"):
        assert client.post(reverse(name)).status_code == 405


@pytest.fixture
def database_tasks(settings):
    """Tasks stored in the database, as in production (the suite runs them at once otherwise)."""
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}
    settings.READYZ_TASK_BACKLOG_SECONDS = 600


def test_readyz_fails_when_a_ready_task_has_waited_too_long(client, db, database_tasks, caplog):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        send_mail_task.enqueue(to=["secret-recipient@example.org"], subject="Secret subject", body="Secret body")
    with time_machine.travel(start + timedelta(seconds=599), tick=False):
        response = client.get(reverse("readyz"), **BY_IP)
        assert response.status_code == 200
        assert json.loads(response.content)["checks"]["tasks"] == "ok"
    with time_machine.travel(start + timedelta(seconds=700), tick=False):
        response = client.get(reverse("readyz"), **BY_IP)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "storage": "ok", "tasks": "fail"}
    assert body["reasons"] == {"tasks": "oldest ready task has waited 700 s (limit 600 s)"}
    for text in ("Secret", "secret-recipient"):
        assert text not in response.content.decode() + caplog.text


def test_readyz_counts_a_deferred_task_from_its_run_after_not_from_when_it_was_enqueued(client, db, database_tasks):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        send_mail_task.using(run_after=start + timedelta(hours=2)).enqueue(to=["a@example.org"], subject="S", body="B")
    with time_machine.travel(start + timedelta(hours=2, seconds=30), tick=False):
        assert client.get(reverse("readyz")).status_code == 200  # ready for 30 s only
    with time_machine.travel(start + timedelta(hours=2, seconds=601), tick=False):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert json.loads(response.content)["reasons"]["tasks"].startswith("oldest ready task has waited 601 s")


def test_readyz_ignores_finished_tasks(client, db, database_tasks):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        send_mail_task.enqueue(to=["a@example.org"], subject="S", body="B")
    DBTaskResult.objects.update(status="SUCCESSFUL")
    with time_machine.travel(start + timedelta(days=1), tick=False):
        response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert "reasons" not in json.loads(response.content)
