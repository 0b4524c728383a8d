"""The two-factor operations the views and the admin call: confirming an enrolment, replacing recovery codes,
checking a code, and the administrator's reset. Domain objects and keyword arguments only: what lives in the
HTTP session (the key being enrolled, marking the session verified) is the views' part."""

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log
from twofactor.codes import DEVICE_NAME, RECOVERY_CODE_COUNT, RECOVERY_CODE_DIGITS, normalize_code
from twofactor.selectors import confirmed_totp_device, throttled_until
from usersessions.services import end_sessions

# --- Enrolment ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """A confirmed authenticator and the new recovery codes (to show once)."""

    device: TOTPDevice
    recovery_codes: list[str]


def totp_enrol(*, user: Any, key: str, code: str) -> Enrolment | None:
    """Confirm the authenticator being enrolled (its secret ``key``) with a code from it. On success the
    person's earlier devices are replaced and the new recovery codes are returned; the caller then marks the
    session verified with the device. None if the code is wrong or the person has enrolled meanwhile."""
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
    audit_log(actor=user, action="auth.otp_enrolled")
    return Enrolment(device=device, recovery_codes=codes)


@transaction.atomic
def recovery_codes_replace(user: Any) -> list[str]:
    """New recovery codes for this person; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "recovery", "confirmed": True})
    device.token_set.all().delete()
    codes = [
        f"{secrets.randbelow(10**RECOVERY_CODE_DIGITS):0{RECOVERY_CODE_DIGITS}d}" for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- Verifying ------------------------------------------------------------------------------------------


class VerifyResult:
    OK = "ok"
    RECOVERY = "recovery"
    WRONG = "wrong"
    THROTTLED = "throttled"


def code_check(user: Any, code: str, *, allow_recovery: bool) -> tuple[str, Any]:
    """Check a code from the person's app (or, if allowed, a recovery code) against their devices.

    Returns (result, device or locked-until time). A code is tried against one device only, chosen by its
    length, so each device's own throttle counts every wrong try. Writes the audit log, never the code.
    """
    code = normalize_code(code)
    with transaction.atomic():
        device: Any
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


# --- Reset (lost phone) ---------------------------------------------------------------------------------


def two_factor_reset(*, actor: Any, user: Any) -> None:
    """Remove a person's authenticator and recovery codes (they lost their phone) and end their sessions. Where
    the setting is on and their roles require it, their next login goes to enrolment again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        end_sessions(user, actor=actor)
        audit_log(actor=actor, action="auth.otp_reset", target=user)
