"""The daily reminder: `manage.py send_reminders` enqueues one task per person and day, the real worker
(`db_worker`, the database backend) sends it through a real SMTP server on 127.0.0.1: counts and links only,
in the person's language, never to someone who turned it off or for whom nothing waits, and once a day however
often the command runs.

Transactional: the worker reads the task rows as another process would.
"""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Preferences, ReminderDigest
from accounts.reminders import reminder_recipients, reminders_enqueue, send_reminder_task
from core.reminders import REMINDER_SOURCES, Reminder, ReminderSource, reminders_for
from routines.models import RoutineVersion
from safety_plans.models import SafetyPlan
from tests.core.test_mail_worker import free_port, run_worker, smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://krisestotte.example.no"
# What the demo records say: none of it may be in a reminder.
CASE_TEXTS = ("Reception", "Something happened", "Check the alarm", "Demo-plan A", "Vold og trusler", "Violence")


@pytest.fixture
def mail_port(settings):  # after the fixtures that make records, so their notifications are not in the inbox
    """The database task backend and Django's SMTP backend pointed at a free port on 127.0.0.1."""
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.MAIL_RETRY_DELAY = 0
    settings.SITE_URL = SITE
    port = free_port()
    settings.EMAIL_PORT = port
    return port


@pytest.fixture
def waiting(users, routines, incident_records, safety_plan_a):
    """Something waits for several people: the manager's action due today and the two new reports (one per
    side of the unit boundary); counsellor's safety plan past its review date; a university routine past its
    review date (for its editor and managers)."""
    SafetyPlan.objects.filter(pk=safety_plan_a.pk).update(next_review_on=timezone.localdate() - timedelta(days=1))
    version = RoutineVersion.objects.filter(routine=routines[0]).order_by("-number").first()
    RoutineVersion.objects.filter(pk=version.pk).update(next_review=timezone.localdate() - timedelta(days=3))
    return users


def bodies(inbox) -> dict[str, str]:
    return {m["X-Rcpt"]: m.get_payload(decode=True).decode() for m in inbox.messages}


def subjects(inbox) -> dict[str, str]:
    from email.header import decode_header, make_header

    return {m["X-Rcpt"]: str(make_header(decode_header(m["Subject"]))) for m in inbox.messages}


def send_and_deliver(port: int):
    """The daily run, then the worker until nothing is due; returns the SMTP inbox. The records were made
    before the database backend was chosen (the fixtures' order), so the only tasks are the reminders'."""
    assert not DBTaskResult.objects.filter(status="READY").exclude(task_path=send_reminder_task.module_path).exists()
    call_command("send_reminders")
    with smtp_server(port) as inbox:
        run_worker()
    return inbox


def test_each_person_gets_counts_and_links_in_her_language_and_no_case_content(waiting, mail_port):
    Preferences.objects.create(user=waiting["counsellor"], language="en")
    inbox = send_and_deliver(mail_port)
    received = bodies(inbox)

    # Only people for whom something waits; staff and the print shop have nothing.
    assert set(received) == {
        "manager@example.org",
        "manager_other@example.org",
        "counsellor@example.org",
        "editor@example.org",
        "admin@example.org",
    }
    manager = received["manager@example.org"]
    assert "1 tiltak du er ansvarlig for har frist i dag eller har passert fristen." in manager
    assert f"{SITE}/incidents/mine/" in manager
    assert "1 ny melding i enhetene dine å ta." in manager
    assert f"{SITE}/incidents/?state=reported" in manager
    assert "1 rutine i enhetene dine har passert datoen for gjennomgang." in manager
    assert f"{SITE}/routines/editor/overdue/" in manager
    assert f"{SITE}/account/" in manager
    assert subjects(inbox)["manager@example.org"] == "Krisestøtte: dette venter på deg i dag"
    # Centre B's manager hears of centre B's report only: the access rules hold.
    assert "1 ny melding i enhetene dine å ta." in received["manager_other@example.org"]
    assert "rutine" not in received["manager_other@example.org"]

    counsellor = received["counsellor@example.org"]
    assert "1 safety plan is due for review." in counsellor
    assert f"{SITE}/safety-plans/" in counsellor
    assert subjects(inbox)["counsellor@example.org"] == "Krisestøtte: what waits for you today"
    assert "1 rutine i enhetene dine har passert datoen for gjennomgang." in received["editor@example.org"]

    everything = "\n".join([*received.values(), *subjects(inbox).values()])
    for text in CASE_TEXTS:
        assert text not in everything
    assert DBTaskResult.objects.exclude(status="SUCCESSFUL").count() == 0


def test_running_twice_the_same_day_sends_once(waiting, mail_port, capsys):
    first = send_and_deliver(mail_port)
    assert "reminder(s) enqueued; 0 already enqueued today" in capsys.readouterr().out
    assert len(first.messages) == 5
    rows = ReminderDigest.objects.count()
    assert rows == reminder_recipients().count() == 10 - 1  # every persona but anonymous

    second = send_and_deliver(mail_port)
    assert second.messages == []
    assert f"0 reminder(s) enqueued; {rows} already enqueued today" in capsys.readouterr().out
    assert ReminderDigest.objects.count() == rows

    # The next day is a new day.
    result = reminders_enqueue(day=timezone.localdate() + timedelta(days=1))
    assert (result.enqueued, result.already) == (rows, 0)


def test_two_runs_at_once_enqueue_one_task_per_person(waiting, mail_port):
    # What a second server sees: the rows of the first run are there, so it enqueues nothing.
    day = timezone.localdate()
    assert reminders_enqueue(day=day).enqueued == 9
    assert reminders_enqueue(day=day).enqueued == 0
    tasks = DBTaskResult.objects.filter(task_path=send_reminder_task.module_path)
    assert tasks.count() == 9
    assert len({t.args_kwargs["kwargs"]["user_pk"] for t in tasks}) == 9


def test_someone_who_turned_it_off_gets_nothing(waiting, mail_port):
    Preferences.objects.create(user=waiting["manager"], daily_reminder=False)
    inbox = send_and_deliver(mail_port)
    assert "manager@example.org" not in bodies(inbox)
    assert "manager_other@example.org" in bodies(inbox)
    assert not ReminderDigest.objects.filter(user=waiting["manager"]).exists()


def test_turned_off_after_the_task_was_enqueued_still_nothing(waiting, mail_port):
    call_command("send_reminders")
    Preferences.objects.create(user=waiting["manager"], daily_reminder=False)
    with smtp_server(mail_port) as inbox:
        run_worker()
    assert "manager@example.org" not in bodies(inbox)


def test_nothing_is_sent_when_nothing_waits(users, routines, mail_port):
    inbox = send_and_deliver(mail_port)
    assert inbox.messages == []
    results = DBTaskResult.objects.filter(task_path=send_reminder_task.module_path)
    assert results.count() == 9 and {r.return_value for r in results} == {0}


def test_old_rows_are_deleted(users, mail_port):
    old = timezone.localdate() - timedelta(days=40)
    ReminderDigest.objects.create(user=users["staff"], day=old)
    ReminderDigest.objects.create(user=users["staff"], day=timezone.localdate() - timedelta(days=5))
    assert reminders_enqueue().deleted == 1
    assert not ReminderDigest.objects.filter(day=old).exists()


def test_sources_are_asked_in_order_and_empty_ones_left_out(monkeypatch, db):
    from core import reminders as core_reminders
    from core.registry import Registry

    registry: Registry[ReminderSource] = Registry("test")
    registry.register(ReminderSource(order=60, reminders=lambda user: [Reminder(text="late", path="/b/", count=2)]))
    registry.register(
        ReminderSource(
            order=10,
            reminders=lambda user: [
                Reminder(text="early", path="/a/", count=1),
                Reminder(text="none", path="/z/", count=0),
            ],
        )
    )
    monkeypatch.setattr(core_reminders, "REMINDER_SOURCES", registry)
    assert [r.text for r in reminders_for(object())] == ["early", "late"]


def test_every_feature_with_due_work_registers_a_source():
    assert {source.name for source in REMINDER_SOURCES} == {"incidents", "safety plans", "routines", "exercises"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two servers share one PostgreSQL")
def test_two_servers_running_at_the_same_moment_enqueue_one_task_per_person(users, mail_port):
    """Two processes' worth of send_reminders, each on its own connection, started together: every person's row
    is taken by one of them, the other waits on the unique index and skips her."""
    barrier = threading.Barrier(2)
    results: list = []

    def server() -> None:
        try:
            barrier.wait()
            results.append(reminders_enqueue())
        finally:
            connection.close()

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert sum(r.enqueued for r in results) == 9 and sum(r.already for r in results) == 9
    tasks = DBTaskResult.objects.filter(task_path=send_reminder_task.module_path)
    assert sorted(t.args_kwargs["kwargs"]["user_pk"] for t in tasks) == sorted(
        reminder_recipients().values_list("pk", flat=True)
    )


def test_a_row_written_by_another_run_meanwhile_is_skipped_by_the_unique_index(users, mail_port, monkeypatch):
    """The other run commits its rows after this one has chosen whom to remind: the unique row decides."""
    import accounts.reminders

    everyone = list(reminder_recipients().values_list("pk", flat=True))

    class Chosen:
        """The recipients as this run saw them before the other run's rows were there."""

        def filter(self, **kwargs):
            return reminder_recipients().none()

        def exclude(self, **kwargs):
            return self

        def values_list(self, *args, **kwargs):
            return self

        def iterator(self):
            return iter(everyone)

    ReminderDigest.objects.create(user=users["staff"], day=timezone.localdate())
    ReminderDigest.objects.create(user=users["manager"], day=timezone.localdate())
    monkeypatch.setattr(accounts.reminders, "reminder_recipients", Chosen)
    result = reminders_enqueue()
    assert (result.enqueued, result.already) == (7, 2)
    assert DBTaskResult.objects.filter(task_path=send_reminder_task.module_path).count() == 7
