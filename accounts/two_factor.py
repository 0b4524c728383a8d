"""Two-factor login with time-based one-time codes (TOTP, RFC 6238) and one-time recovery codes.

django-otp does the cryptography and the bookkeeping: a ``TOTPDevice`` per person (its secret, the last time
step used so a code never works twice, exponential throttling after wrong codes) and a ``StaticDevice`` with
the recovery codes (each deleted when used). This module decides who must use it, enforces that on every
request (``TwoFactorMiddleware``), and holds the few operations the views and the admin call.

Who: with ``settings.TWO_FACTOR_REQUIRED`` on (production), anyone with a counsellor, manager or editor
membership and every superuser must enrol; anyone else who has enrolled (staff and the print shop may) is
asked for a code too. With it off (the local demo, the test suite) nobody is asked.
"""

import secrets
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.roles import Role
from accounts.sessions import end_sessions
from audit.services import audit_log

# Holding one of these roles anywhere means handling records about people exposed to violence (or their
# wording), so a password alone is not enough.
ROLES_REQUIRING_TWO_FACTOR = {Role.COUNSELLOR, Role.MANAGER, Role.EDITOR}
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_DIGITS = 12  # ~40 bits each, like django-otp's own; digits so one numeric field takes both
DEVICE_NAME = "authenticator"
ENROL_KEY_SESSION_KEY = "two_factor_enrol_key"

# Reachable before the second step: the two-factor pages themselves, logging out, the language switch, the
# health probe, and the public routine pages (an emergency is no time for a code; they open without any
# login, and a staff-only routine asks no more than a staff member's password, who is not made to enrol).
EXEMPT_URL_NAMES = {
    "two_factor_verify",
    "two_factor_enrol",
    # The idle dialog's time check and keep-alive (also shown on the code pages) say nothing about records.
    "session_status",
    "session_keep_alive",
    "logout",
    "set_language",
    "healthz",
    "routines:list",
    "routines:detail",
    "routines:session",
    "routines:folder_pdf",
    "routines:a4_pdf",
}


def must_enrol(user) -> bool:
    """Whether this person's roles require two-factor login (when the setting is on). Anyone who may use the
    Django admin (is_staff) counts, as superusers do."""
    return user.is_superuser or user.is_staff or user.memberships.filter(role__in=ROLES_REQUIRING_TWO_FACTOR).exists()


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_step_needed(user) -> bool:
    """Whether this signed-in person must give a code before anything else (setting on, not yet verified)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated or user.is_verified():
        return False
    return must_enrol(user) or confirmed_totp_device(user) is not None


def safe_next(request, default=None) -> str:
    """The ``next`` target from the query or form if it is a local URL, else the default (home)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def url_with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


class TwoFactorMiddleware:
    """Sends a signed-in person who must give a code (see ``second_step_needed``) to the code page, or to
    enrolment when they have no authenticator yet, from every page but ``EXEMPT_URL_NAMES``. The page they
    asked for travels along as ``next`` (for GET requests), so they land there afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.TWO_FACTOR_REQUIRED:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not second_step_needed(request.user):
            return None
        name = "two_factor_verify" if confirmed_totp_device(request.user) else "two_factor_enrol"
        if request.method == "GET":
            return redirect(url_with_next(name, request.get_full_path()))
        return redirect(name)


# --- Enrolment ------------------------------------------------------------------------------------------


def enrolment_key(request) -> str:
    """The secret being enrolled, kept in the session until a code proves the app has it (so opening the page
    writes nothing, and reloading it shows the same QR code)."""
    key = request.session.get(ENROL_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[ENROL_KEY_SESSION_KEY] = key
    return key


def otpauth_uri(user, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def qr_data_uri(uri: str) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI (allowed by our CSP's img-src)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def grouped_secret(key: str) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    text = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_enrol(request, code: str) -> list[str] | None:
    """Confirm the authenticator being enrolled with a code from it. On success the person's earlier devices
    are replaced, the session counts as verified, and the new recovery codes are returned (to show once)."""
    user = request.user
    key = enrolment_key(request)
    with transaction.atomic():
        # One enrolment at a time per person (the user row is the lock): a second one, racing this one, finds
        # the confirmed device afterwards and is refused instead of replacing it.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if confirmed_totp_device(user) is not None:
            return None
        # The unconfirmed device is written at the first try, so wrong codes are throttled here too.
        device, _created = TOTPDevice.objects.select_for_update().get_or_create(
            user=user, key=key, confirmed=False, defaults={"name": DEVICE_NAME}
        )
        if not device.verify_token(normalize_code(code)):
            audit_log(actor=user, action="auth.otp_failed")
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_replace(user)
    del request.session[ENROL_KEY_SESSION_KEY]
    _verified(request, device)
    audit_log(actor=user, action="auth.otp_enrolled")
    return codes


@transaction.atomic
def recovery_codes_replace(user) -> list[str]:
    """New recovery codes for this person; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "recovery", "confirmed": True})
    device.token_set.all().delete()
    codes = [
        f"{secrets.randbelow(10**RECOVERY_CODE_DIGITS):0{RECOVERY_CODE_DIGITS}d}" for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Verifying ------------------------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


class VerifyResult:
    OK = "ok"
    RECOVERY = "recovery"
    WRONG = "wrong"
    THROTTLED = "throttled"


def throttled_until(device):
    allowed, info = device.verify_is_allowed()
    if allowed or info.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return None
    return info["locked_until"]


def code_check(user, code: str, *, allow_recovery: bool) -> tuple[str, object]:
    """Check a code from the person's app (or, if allowed, a recovery code) against their devices.

    Returns (result, device or locked-until time). A code is tried against one device only, chosen by its
    length, so each device's own throttle counts every wrong try. Writes the audit log, never the code.
    """
    code = normalize_code(code)
    with transaction.atomic():
        if allow_recovery and len(code) == RECOVERY_CODE_DIGITS:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            recovery = True
        else:
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            recovery = False
        if device is None:
            audit_log(actor=user, action="auth.otp_failed")
            return VerifyResult.WRONG, None
        until = throttled_until(device)
        if until is not None:
            audit_log(actor=user, action="auth.otp_failed")
            return VerifyResult.THROTTLED, until
        if not device.verify_token(code):
            audit_log(actor=user, action="auth.otp_failed")
            return VerifyResult.WRONG, None
    if recovery:
        audit_log(actor=user, action="auth.otp_recovery_used")
        return VerifyResult.RECOVERY, device
    return VerifyResult.OK, device


def session_verify(request, device) -> None:
    """Mark this session as having passed the second step."""
    _verified(request, device)
    audit_log(actor=request.user, action="auth.otp_verified")


def _verified(request, device) -> None:
    # A new session id at the change of privilege, as at login: a session id seen before it is worthless.
    request.session.cycle_key()
    otp_login(request, device)


# --- Reset (lost phone) ---------------------------------------------------------------------------------


def two_factor_reset(*, actor, user) -> None:
    """Remove a person's authenticator and recovery codes (they lost their phone) and end their sessions. Where
    the setting is on and their roles require it, their next login goes to enrolment again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        end_sessions(user, actor=actor)
        audit_log(actor=actor, action="auth.otp_reset", target=user)
