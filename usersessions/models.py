from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(AbstractBaseSession):
    """A database session that knows whose it is, so every session of one person can be ended at once
    (deactivation, a password change, an administrator's reset). The engine is ``usersessions.sessions``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=True,
        verbose_name=_("user"),
    )

    class Meta:
        # Created by accounts (migration 0002) before this app existed; the rows stay where they are.
        db_table = "accounts_usersession"
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from usersessions.sessions import SessionStore

        return SessionStore
