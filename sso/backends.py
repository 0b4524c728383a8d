"""The authentication backend that sessions made by single sign-on are tied to.

Django records in the session which backend logged a person in and asks that backend for the user on every
request. Password logins go through ``ModelBackend`` (listed only while ``PASSWORD_LOGIN`` is on, so turning
passwords off also ends the sessions they made); single sign-on logs in through this one, which never checks
a password: ``authenticate`` answers nobody, as the login itself happens in ``sso.views.callback``."""

from typing import Any

from django.contrib.auth.backends import ModelBackend


class SingleSignOnBackend(ModelBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        return None
