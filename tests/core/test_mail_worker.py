"""The mail task through the real worker (`manage.py db_worker`, the database backend) and a real SMTP server on
127.0.0.1: a mail server that hangs or refuses never turns a filed report into an error page, and the mail is
sent once the server answers again; retries stop after MAIL_RETRY_ATTEMPTS with an error logged.

Transactional tests: the report's transaction really commits (so on_commit really enqueues), and the worker
reads the task rows as another process would.
"""

import logging
import signal
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.demo import UNIVERSITY
from core.mail import send_mail_later
from incidents.models import Incident

pytestmark = pytest.mark.django_db(transaction=True)

# The page's path, not its URL name: paths never change (a name may gain a namespace).
INCIDENT_NEW = "/incidents/new/"
CONTENT = "A visitor shouted at a colleague in the canteen."


class HangingServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word (not even the SMTP greeting)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        for conn in self.accepted:
            conn.close()
        self.sock.close()


class Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        message["X-Rcpt"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(port: int):
    """A working SMTP server on 127.0.0.1:port (the port of the broken one it replaces)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def free_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_worker(**options) -> None:
    """`manage.py db_worker`, bounded: it runs what is due (at most max_tasks) and returns. The command installs
    its own SIGINT/SIGTERM handlers (graceful shutdown); pytest's are put back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, **options)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.fixture
def mail_settings(settings):
    """The database backend and Django's SMTP backend pointed at 127.0.0.1; retries without waiting unless a
    test says otherwise. Returns a function that points the mail settings at a port."""
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 0.5
    settings.MAIL_RETRY_DELAY = 0
    settings.MAIL_RETRY_ATTEMPTS = 5

    def use_port(port: int) -> None:
        settings.EMAIL_PORT = port

    return use_port


def file_report(client_for, units) -> float:
    """Staff files an incident report at the university section; returns how long the request took."""
    data = {
        "unit": units[UNIVERSITY].pk,
        "type": "threat_in_person",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Canteen",
        "what_happened": CONTENT,
        "immediate_actions": ["manager_notified"],
        "affected_students": "0",
        "affected_staff": "1",
        "affected_others": "0",
        "form_token": str(uuid.uuid4()),
    }
    client = client_for("staff")
    assert client.get(INCIDENT_NEW).status_code == 200  # she opens the form first (and the process warms up)
    start = time.monotonic()
    response = client.post(INCIDENT_NEW, data)
    elapsed = time.monotonic() - start
    assert response.status_code == 302, response.content[:500]
    return elapsed


def pending() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="READY"))


def assert_report_mail_delivered(inbox: Inbox) -> None:
    incident = Incident.objects.get()
    assert [m["X-Rcpt"] for m in inbox.messages] == ["manager@example.org"]
    body = inbox.messages[0].get_payload(decode=True).decode()
    assert str(incident.pk) in body and "Canteen" not in body and "shouted" not in body
    assert pending() == []
    assert DBTaskResult.objects.filter(status="FAILED").count() == 0


def test_hanging_mail_server_the_report_is_saved_at_once_and_mailed_when_it_answers(mail_settings, client_for, units):
    hanging = HangingServer()
    mail_settings(hanging.port)
    try:
        assert file_report(client_for, units) < 1.0
        assert Incident.objects.count() == 1
        (task,) = pending()
        assert task.args_kwargs["kwargs"]["to"] == ["manager@example.org"]
        assert CONTENT not in str(task.args_kwargs) and "Canteen" not in str(task.args_kwargs)

        start = time.monotonic()
        run_worker(max_tasks=1)  # the first attempt waits EMAIL_TIMEOUT for a greeting that never comes
        assert 0.4 < time.monotonic() - start < 5
        assert hanging.accepted
        (retry,) = pending()
        assert retry.args_kwargs["kwargs"]["attempt"] == 2
    finally:
        hanging.close()

    with smtp_server(hanging.port) as inbox:
        run_worker()
    assert_report_mail_delivered(inbox)


def test_refusing_mail_server_the_report_is_saved_at_once_and_mailed_when_it_listens(mail_settings, client_for, units):
    port = free_port()
    mail_settings(port)
    assert file_report(client_for, units) < 1.0
    assert Incident.objects.count() == 1

    run_worker(max_tasks=2)  # refused twice
    (retry,) = pending()
    assert retry.args_kwargs["kwargs"]["attempt"] == 3

    with smtp_server(port) as inbox:
        run_worker()
    assert_report_mail_delivered(inbox)


def test_retries_wait_for_their_time_and_stop_after_the_last_attempt_with_an_error(mail_settings, settings, caplog):
    mail_settings(free_port())
    settings.MAIL_RETRY_DELAY = 60
    settings.MAIL_RETRY_ATTEMPTS = 3
    send_mail_later(to=["someone@example.org"], subject="Secret subject", body="Secret body")

    with caplog.at_level(logging.INFO):
        run_worker()  # attempt 1 fails; attempt 2 is due in 60 s, so the worker has nothing more to do
        (retry,) = pending()
        assert timedelta(seconds=55) < retry.run_after - timezone.now() <= timedelta(seconds=60)
        with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
            run_worker()  # attempt 2 fails; attempt 3 is due 120 s later
            (retry,) = pending()
            assert retry.args_kwargs["kwargs"]["attempt"] == 3
        with time_machine.travel(timezone.now() + timedelta(seconds=61 + 130), tick=True):
            run_worker()  # attempt 3 fails: the last one

    assert pending() == []
    (failed,) = DBTaskResult.objects.filter(status="FAILED")
    assert failed.exception_class_path == "core.mail.MailNotSent"
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2  # the two attempts that scheduled a retry
    errors = [r.getMessage() for r in caplog.records if r.name == "core.mail" and r.levelno >= logging.ERROR]
    assert errors == ["mail.gave_up attempts=3 recipients=1 error=ConnectionRefusedError"]
    stored_error = failed.traceback
    for text in ("Secret", "someone@example.org"):
        assert text not in caplog.text
        assert text not in stored_error


def test_given_up_mail_is_sent_again_with_mail_resend_failed(mail_settings, settings, capsys):
    port = free_port()
    mail_settings(port)
    settings.MAIL_RETRY_ATTEMPTS = 2
    send_mail_later(to=["someone@example.org"], subject="Subject", body="Body")
    run_worker()  # both attempts refused: given up
    assert DBTaskResult.objects.failed().count() == 1

    call_command("mail_resend_failed", dry_run=True)
    assert "1 given-up mail(s) would be sent again." in capsys.readouterr().out
    assert DBTaskResult.objects.failed().count() == 1

    with smtp_server(port) as inbox:
        call_command("mail_resend_failed")
        assert "1 given-up mail(s) enqueued again." in capsys.readouterr().out
        run_worker()
    assert [(m["X-Rcpt"], m["Subject"]) for m in inbox.messages] == [("someone@example.org", "Subject")]
    assert DBTaskResult.objects.failed().count() == 0
    call_command("mail_resend_failed")
    assert "0 given-up mail(s)" in capsys.readouterr().out
