"""Reads about sessions that never renew or change one: the time left, and a person's other sessions."""

import math
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from usersessions.middleware import SESSION_STARTED_KEY
from usersessions.models import UserSession


def absolute_seconds_left(session: SessionBase) -> int:
    """Seconds until the session's absolute limit (SESSION_ABSOLUTE_MAX_AGE after login), rounded up: 0 only
    once it is over."""
    started: float = session.get(SESSION_STARTED_KEY, time.time())
    return max(0, math.ceil(started + settings.SESSION_ABSOLUTE_MAX_AGE - time.time()))


def stored_seconds_left(session: SessionBase) -> int:
    """Seconds (rounded up) until the stored session expires for idleness, read from its row, without renewing it."""
    expire = (
        UserSession.objects.filter(session_key=session.session_key).values_list("expire_date", flat=True).first()
        if session.session_key
        else None
    )
    return max(0, math.ceil((expire - timezone.now()).total_seconds())) if expire else 0


def other_sessions_last_active(*, user: User, keep: str | None) -> list[datetime]:
    """When each of the person's other live sessions (all but the one keyed ``keep``) was last active, most
    recent first. The last request set its expiry one idle period ahead; no device or address is stored."""
    others = (
        UserSession.objects.filter(user=user, expire_date__gt=timezone.now())
        .exclude(session_key=keep)
        .order_by("-expire_date")
    )
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return [expire - idle for expire in others.values_list("expire_date", flat=True)]
