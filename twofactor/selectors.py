"""Who must give a second factor, and what they have enrolled. Reads only."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import ROLE_PERMISSIONS
from twofactor.codes import ROLES_REQUIRING_TWO_FACTOR


def must_enrol(user: Any) -> bool:
    """Whether this person must use two-factor login (when the setting is on), decided from what she can reach,
    not from how it was given: anyone who may use the Django admin (is_staff, superusers), anyone with a role
    in ``ROLES_REQUIRING_TWO_FACTOR``, and anyone who holds, by any group or direct grant, a permission that only
    those roles bring (reading or making records about people)."""
    if user.is_superuser or user.is_staff:
        return True
    if user.memberships.filter(role__in=ROLES_REQUIRING_TWO_FACTOR).exists():
        return True
    return bool(user.get_all_permissions() & permissions_requiring_two_factor())


def permissions_requiring_two_factor() -> set[str]:
    """The model permissions the roles requiring two-factor login bring and the others do not."""
    strong = {perm for role in ROLES_REQUIRING_TWO_FACTOR for perm in ROLE_PERMISSIONS[role]}
    weak = {
        perm for role, perms in ROLE_PERMISSIONS.items() if role not in ROLES_REQUIRING_TWO_FACTOR for perm in perms
    }
    return strong - weak


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def is_verified(user: Any) -> bool:
    """Whether this request's session has passed the second step (django-otp's OTPMiddleware tells the user)."""
    return bool(user.is_verified())


def second_step_needed(user: Any) -> bool:
    """Whether this signed-in person must give a code before anything else (setting on, not yet verified)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated or is_verified(user):
        return False
    return must_enrol(user) or confirmed_totp_device(user) is not None


def recovery_codes_left(user: Any) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def throttled_until(device: Any) -> datetime | None:
    """When the device accepts codes again after too many wrong ones, or None if it does now."""
    allowed, info = device.verify_is_allowed()
    if allowed or info.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return None
    until: datetime = info["locked_until"]
    return until
