"""The codes themselves: how many, how long, and how a secret is shown. Pure functions, no database."""

from base64 import b32encode

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role

# Holding one of these roles anywhere means handling records about people exposed to violence (or their
# wording), so a password alone is not enough.
ROLES_REQUIRING_TWO_FACTOR = {Role.COUNSELLOR, Role.MANAGER, Role.EDITOR}
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_DIGITS = 12  # ~40 bits each, like django-otp's own; digits so one numeric field takes both
DEVICE_NAME = "authenticator"


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def otpauth_uri(user, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def qr_data_uri(uri: str) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI (allowed by our CSP's img-src)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def grouped_secret(key: str) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    text = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
