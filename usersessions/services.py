"""Ending sessions: every session of one person at once (deactivation, a password change, "log out everywhere
else", an administrator's two-factor reset)."""

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from usersessions.models import UserSession


@transaction.atomic
def end_sessions(user: User, *, actor: User | AnonymousUser | None = None, keep: str | None = None) -> int:
    """End every session of ``user`` (except the one keyed ``keep``, the caller's own), so each device is
    anonymous on its next request. Audit-logged as ``auth.sessions_ended`` when any was ended. Returns how
    many."""
    from audit.services import audit_log

    sessions = UserSession.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    count, _by_model = sessions.delete()
    if count:
        audit_log(actor=actor, action="auth.sessions_ended", target=user)
    return count
