"""E-mail, sent in the background: every message of the app goes through ``send_mail_later``.

A mail server that hangs or is down must never turn a saved record into an error page, and no notification may
be lost. So a request only enqueues a task (Django's Tasks API, the django-tasks backport) once its transaction
has committed; a worker (``manage.py db_worker``) sends it, with ``EMAIL_TIMEOUT`` on the connection. A failed
attempt enqueues the same mail again to run after a delay that doubles each time (``retry_delay``), until
``MAIL_RETRY_ATTEMPTS`` attempts have failed; then an error is logged and the task ends as failed.

The task's arguments (recipients, subject, body) are stored in the database until the mail is sent, and are
never logged: callers keep messages to links and statuses, never record content (docs/security.md).
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

RETRY_DELAY_MAX = timedelta(hours=6)


class MailNotSent(Exception):
    """Every attempt at a mail failed. Says how many and the last error's class, never the content."""


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1 for the first): ``MAIL_RETRY_DELAY``
    seconds, doubled after each failure, never more than six hours."""
    seconds = float(settings.MAIL_RETRY_DELAY) * 2 ** min(attempt - 1, 30)
    return min(timedelta(seconds=seconds), RETRY_DELAY_MAX)


def send_mail_later(*, to: Iterable[str], subject: str, body: str, from_email: str | None = None) -> None:
    """Send a plain-text mail to ``to`` (empty addresses and duplicates dropped) once the current transaction
    commits (at once outside one). The texts are rendered now, in the caller's language; ``from_email`` None
    means ``DEFAULT_FROM_EMAIL``. Nothing is sent, or stored, if the transaction rolls back."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    # str(): a lazy translation cannot be stored as JSON, and must be rendered in the caller's language.
    transaction.on_commit(partial(_enqueue, to=recipients, subject=str(subject), body=str(body), from_email=from_email))


def _enqueue(*, to: list[str], subject: str, body: str, from_email: str | None) -> None:
    try:
        send_mail_task.enqueue(to=to, subject=subject, body=body, from_email=from_email)
    except Exception as exc:
        # The record is saved; an error page would only make someone file it twice. Class name only: a database
        # error's message can quote the arguments being stored.
        logger.error("mail.enqueue_failed recipients=%d error=%s", len(to), type(exc).__name__)


@task()
def send_mail_task(*, to: list[str], subject: str, body: str, from_email: str | None = None, attempt: int = 1) -> int:
    """Send one mail (one attempt); on failure enqueue the next attempt, or give up after the last one."""
    try:
        return send_mail(subject, body, from_email, to)
    except Exception as exc:
        error = type(exc).__name__  # SMTP errors can quote addresses: only the class is logged or stored
    # Outside the except block, so the MailNotSent stored as the task's error carries no chained exception.
    backend = send_mail_task.get_backend()
    if attempt >= settings.MAIL_RETRY_ATTEMPTS or not backend.supports_defer:
        logger.error("mail.gave_up attempts=%d recipients=%d error=%s", attempt, len(to), error)
        raise MailNotSent(f"gave up after {attempt} attempt(s); last error: {error}")
    delay = retry_delay(attempt)
    send_mail_task.using(run_after=timezone.now() + delay).enqueue(
        to=to, subject=subject, body=body, from_email=from_email, attempt=attempt + 1
    )
    logger.warning(
        "mail.retry attempt=%d next_in=%ds recipients=%d error=%s", attempt, delay.total_seconds(), len(to), error
    )
    return 0


def mail_resend_failed(*, dry_run: bool = False) -> int:
    """Give every mail that was given up (its last attempt failed) a fresh set of attempts, and delete the
    failed rows it replaces, in one transaction. Returns how many. For after a long mail-server outage."""
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        failed = list(
            DBTaskResult.objects.failed()
            .filter(task_path=send_mail_task.module_path)
            .select_for_update(skip_locked=True)
            .order_by("enqueued_at")
        )
        if dry_run:
            return len(failed)
        for row in failed:
            kwargs = {key: value for key, value in row.args_kwargs["kwargs"].items() if key != "attempt"}
            send_mail_task.enqueue(**kwargs)
        DBTaskResult.objects.filter(pk__in=[row.pk for row in failed]).delete()
    return len(failed)
