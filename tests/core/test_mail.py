"""core.mail: one mail task for all e-mail, enqueued on commit, retried with a growing delay.

These run the task with the immediate backend (the suite's default) or call it directly; test_mail_worker.py
runs the real worker against the database backend and a real SMTP server.
"""

import logging
import re
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from core import mail as core_mail
from core.mail import MailNotSent, retry_delay, send_mail_later, send_mail_task


def test_sent_once_the_transaction_commits_to_each_address_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_mail_later(to=["b@example.org", "", "a@example.org", "b@example.org"], subject="S", body="B")
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [(["a@example.org", "b@example.org"], "S", "B")]


def test_nothing_is_sent_when_the_transaction_rolls_back(transactional_db):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail_later(to=["a@example.org"], subject="S", body="B")
        raise RuntimeError
    assert mail.outbox == []


def test_no_recipient_no_task(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        send_mail_later(to=["", ""], subject="S", body="B")
    assert callbacks == []


def test_retry_delay_doubles_from_the_setting_up_to_six_hours(settings):
    settings.MAIL_RETRY_DELAY = 60
    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 480, 960]
    assert retry_delay(10) == timedelta(hours=6)
    assert retry_delay(1000) == timedelta(hours=6)


def test_default_retries_span_about_three_days(settings):
    total = sum((retry_delay(n) for n in range(1, settings.MAIL_RETRY_ATTEMPTS)), timedelta())
    assert timedelta(days=2, hours=12) < total < timedelta(days=4)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"secret-recipient@example.org": (550, b"no")})


@pytest.fixture
def failing_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"


def test_a_failed_attempt_is_enqueued_again_with_the_delay(db, settings, failing_smtp, caplog):
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}
    settings.MAIL_RETRY_DELAY = 60
    before = timezone.now()
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        assert send_mail_task.call(to=["a@example.org"], subject="Subj", body="Body", attempt=3) == 0
    row = DBTaskResult.objects.get()
    assert row.status == "READY" and row.task_path == "core.mail.send_mail_task"
    assert row.args_kwargs == {
        "args": [],
        "kwargs": {"to": ["a@example.org"], "subject": "Subj", "body": "Body", "from_email": None, "attempt": 4},
    }
    assert before + timedelta(seconds=240) <= row.run_after <= timezone.now() + timedelta(seconds=240)
    assert "mail.retry attempt=3 next_in=240s recipients=1 error=SMTPRecipientsRefused" in caplog.text


def test_the_last_attempt_logs_an_error_without_content(settings, failing_smtp, caplog):
    settings.MAIL_RETRY_ATTEMPTS = 5
    with caplog.at_level(logging.WARNING, logger="core.mail"), pytest.raises(MailNotSent) as raised:
        send_mail_task.call(to=["a@example.org"], subject="Subj", body="Body", attempt=5)
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert caplog.records[0].getMessage() == "mail.gave_up attempts=5 recipients=1 error=SMTPRecipientsRefused"
    assert raised.value.__context__ is None and raised.value.__cause__ is None
    assert "secret-recipient" not in str(raised.value)
    assert "a@example.org" not in caplog.text and "Subj" not in caplog.text and "Body" not in caplog.text


def test_the_immediate_backend_cannot_wait_so_one_attempt_is_all(db, failing_smtp, caplog):
    # The suite's immediate backend has no run_after: a failure is logged at once, and the caller never sees it.
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        result = send_mail_task.enqueue(to=["a@example.org"], subject="S", body="B")
    assert result.status == "FAILED"
    assert "mail.gave_up attempts=1" in caplog.text


def test_a_failure_to_enqueue_is_logged_without_content(db, monkeypatch, caplog, django_capture_on_commit_callbacks):
    def broken(self, *args, **kwargs):
        raise TypeError("Object of type secret-body is not JSON serializable")

    monkeypatch.setattr(type(send_mail_task), "enqueue", broken)
    with caplog.at_level(logging.ERROR, logger="core.mail"), django_capture_on_commit_callbacks(execute=True):
        send_mail_later(to=["a@example.org"], subject="S", body="secret-body")
    assert caplog.records[0].getMessage() == "mail.enqueue_failed recipients=1 error=TypeError"
    assert "secret" not in caplog.text


def test_lazy_texts_are_rendered_in_the_callers_language(db, django_capture_on_commit_callbacks):
    # The task runs after the request's language is gone: the text must already be in it.
    with django_capture_on_commit_callbacks(execute=True), translation.override("nb"):
        send_mail_later(to=["a@example.org"], subject=gettext_lazy("New print order"), body="B")
    assert mail.outbox[0].subject == "Ny trykkbestilling"


def test_every_place_that_sends_mail_goes_through_core_mail():
    """No module of ours but core/mail.py calls Django's mail functions directly."""
    root = Path(core_mail.__file__).resolve().parent.parent
    names = ("send_mail(", "EmailMessage", "EmailMultiAlternatives", "mail_managers", "mail_admins", "send_mass_mail")
    offenders = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        if folder.name.startswith(".") or folder.name in {"var", "tests", "benchmarks", "node_modules"}:
            continue
        for path in folder.rglob("*.py"):
            if path == Path(core_mail.__file__).resolve():
                continue
            text = path.read_text(encoding="utf-8")
            # A method overriding Django's (PasswordResetForm.send_mail, which hands the mail to send_mail_later)
            # is a definition, not a call.
            if any(re.search(r"(?<!def )" + re.escape(name), text) for name in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
