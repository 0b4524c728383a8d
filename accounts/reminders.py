"""Sending the daily reminder (``core.reminders`` collects what waits; this sends it).

``manage.py send_reminders`` (a systemd timer or cron, once a day; deploy/) writes one ``ReminderDigest`` row
per person for today and enqueues one task per person in the same transaction. The row is unique per person
and day, so a second run, or a run on a second server at the same time, finds it and enqueues nothing: each
person gets at most one reminder a day. The task asks every feature's source, in the person's language (her
preferences), and mails the counts and links through ``core.mail.send_mail_later`` (with its retries); when
nothing waits, nothing is sent. Who turned the reminder off on her account page gets no task at all.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from accounts.models import ReminderDigest
from accounts.selectors import preferences_of
from core.mail import send_mail_later
from core.reminders import reminders_for

logger = logging.getLogger(__name__)

# How long the rows that make a day's reminder unique are kept: they say only who was reminded when.
KEEP_DIGEST_ROWS = timedelta(days=30)


@dataclass(frozen=True)
class RunResult:
    enqueued: int
    already: int
    deleted: int


def reminder_recipients() -> Any:
    """The people the reminder is for: active, with an e-mail address, who have not turned it off."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(preferences__daily_reminder=False)
        .order_by("pk")
    )


def reminders_enqueue(*, day: date | None = None) -> RunResult:
    """Enqueue today's reminder task for every recipient that has none for ``day`` yet (one row and one task
    per person, in one transaction each); delete rows older than ``KEEP_DIGEST_ROWS``."""
    day = day or timezone.localdate()
    recipients = reminder_recipients()
    done_today = ReminderDigest.objects.filter(day=day).values("user_id")
    already = recipients.filter(pk__in=done_today).count()
    enqueued = 0
    # Those with a row already are left out at once; the unique row still decides for a run going on beside.
    for user_pk in recipients.exclude(pk__in=done_today).values_list("pk", flat=True).iterator():
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(user_id=user_pk, day=day)
                # In the row's transaction: the database backend stores the task with it, or neither is stored.
                send_reminder_task.enqueue(user_pk=user_pk, day=day.isoformat())
        except IntegrityError:
            already += 1
        else:
            enqueued += 1
    deleted, _ = ReminderDigest.objects.filter(day__lt=day - KEEP_DIGEST_ROWS).delete()
    logger.info("reminders.enqueued day=%s enqueued=%d already=%d", day.isoformat(), enqueued, already)
    return RunResult(enqueued=enqueued, already=already, deleted=deleted)


def reminder_mail(user: Any) -> tuple[str, str, int] | None:
    """(subject, body, how many kinds of things it lists) of the reminder for ``user`` in her language, or None when nothing waits for her."""
    language = preferences_of(user).language
    with translation.override(language):
        reminders = reminders_for(user)
        if not reminders:
            return None
        context = {
            "user": user,
            "reminders": reminders,
            "preferences_url": settings.SITE_URL.rstrip("/") + reverse("account"),
        }
        subject = render_to_string("accounts/email/reminder_subject.txt", context).strip()
        body = render_to_string("accounts/email/reminder_body.txt", context)
    return subject, body, len(reminders)


@task()
def send_reminder_task(*, user_pk: int, day: str) -> int:
    """Mail ``user_pk`` her reminder of ``day`` (ISO date) if she still wants it and something waits; returns
    how many kinds of things it lists (0: nothing sent)."""
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).exclude(email="").first()
    if user is None or not preferences_of(user).daily_reminder:
        return 0
    mail = reminder_mail(user)
    if mail is None:
        return 0
    subject, body, count = mail
    send_mail_later(to=[user.email], subject=subject, body=body)
    return count
