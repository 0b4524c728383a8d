"""The session engine (``SESSION_ENGINE = "usersessions.sessions"``): Django's database sessions, with the user
recorded on each row ("Extending database-backed session engines" in Django's documentation), so that
``usersessions.services.end_sessions`` can end every session of one person at once, and the idle time left can
be read without touching the session (``usersessions.selectors``)."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from usersessions.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance
