"""The per-account login limit that a stranger cannot turn against the account's owner ("device cookies").

After ``USERNAME_FAILURE_LIMIT`` failed logins to one account within ``AXES_COOLOFF_TIME``, from any number of
addresses, the login page refuses that account to every browser but those that have logged in to it before: a
browser gets a signed cookie naming the account at each successful login. The owner at her usual computer is
not locked out; someone spreading guesses over many addresses is stopped. The failures are counted from the
audit log's ``auth.login_failed`` rows (accounts.signals), which every process shares.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from audit.models import AuditEvent

COOKIE = "known_device"
SALT = "accounts.devices"


def _accounts_on_device(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=settings.KNOWN_DEVICE_MAX_AGE)
    return [name for name in str(value).split("\n") if name]


def is_known_device(request: HttpRequest, username: str) -> bool:
    return username.lower() in _accounts_on_device(request)


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Mark this browser as one ``username`` has logged in from (a few accounts at most per browser)."""
    names = [name for name in _accounts_on_device(request) if name != username.lower()][-4:] + [username.lower()]
    response.set_signed_cookie(
        COOKIE,
        "\n".join(names),
        salt=SALT,
        max_age=settings.KNOWN_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def account_throttled(username: str) -> bool:
    """Whether the account has had ``USERNAME_FAILURE_LIMIT`` failed logins within the cool-off time."""
    account: Any = get_user_model().objects.filter(username=username).first() if username else None
    if account is None:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AuditEvent.objects.filter(action="auth.login_failed", actor=account, at__gte=since).count()
    return bool(failures >= settings.USERNAME_FAILURE_LIMIT)
