"""The session engine (``SESSION_ENGINE = "accounts.sessions"``): Django's database sessions, with the user
recorded on each row ("Extending database-backed session engines" in Django's documentation), so that
``end_sessions`` can end every session of one person at once, and the idle/absolute time left can be read
without touching the session."""

import math
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import transaction
from django.utils import timezone

from accounts.middleware import SESSION_STARTED_KEY


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance


@transaction.atomic
def end_sessions(user, *, actor=None, keep: str | None = None) -> int:
    """End every session of ``user`` (except the one keyed ``keep``, the caller's own), so each device is
    anonymous on its next request. Audit-logged as ``auth.sessions_ended`` when any was ended. Returns how
    many."""
    from accounts.models import UserSession
    from audit.services import audit_log

    sessions = UserSession.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    count, _by_model = sessions.delete()
    if count:
        audit_log(actor=actor, action="auth.sessions_ended", target=user)
    return count


def absolute_seconds_left(session) -> int:
    """Seconds until the session's absolute limit (SESSION_ABSOLUTE_MAX_AGE after login), rounded up: 0 only
    once it is over."""
    started = session.get(SESSION_STARTED_KEY, time.time())
    return max(0, math.ceil(started + settings.SESSION_ABSOLUTE_MAX_AGE - time.time()))


def stored_seconds_left(session) -> int:
    """Seconds (rounded up) until the stored session expires for idleness, read from its row, without renewing it."""
    from accounts.models import UserSession

    expire = (
        UserSession.objects.filter(session_key=session.session_key).values_list("expire_date", flat=True).first()
        if session.session_key
        else None
    )
    return max(0, math.ceil((expire - timezone.now()).total_seconds())) if expire else 0
