"""Per-year pseudonyms: HMAC-SHA256 of a few stable attributes under a per-unit, per-year secret.

The same person (same attributes) at the same unit in the same year gets the same pseudonym, so she is counted
once however often she comes. Another year has another secret: its pseudonyms cannot be matched with last
year's. Once a year's secret is destroyed (``year_key_destroy``), the pseudonyms of that year cannot be
recomputed by anyone. docs/statistics.md has the threat model.
"""

import hashlib
import hmac
import secrets
import unicodedata

from django.db import transaction
from django.utils import timezone

from accounts.models import Unit
from annual_report.models import YearKey


class KeyDestroyed(Exception):
    """The year's report is made and its key destroyed: no pseudonym of that year can be made any more."""


def normalise(*, birth_year: int, initials: str, gender: str) -> str:
    """The attributes as one canonical string, so that "k.n." and "KN" give the same pseudonym."""
    letters = "".join(c for c in unicodedata.normalize("NFKC", initials).upper() if c.isalpha())
    return f"{int(birth_year)}|{letters}|{gender.strip().lower()}"


@transaction.atomic
def year_secret(unit: Unit, year: int) -> bytes:
    """The unit's secret for ``year``, made on first use. Raises KeyDestroyed once it is destroyed."""
    key, _created = YearKey.objects.select_for_update().get_or_create(
        unit=unit, year=year, defaults={"secret": secrets.token_bytes(32)}
    )
    if key.secret is None:
        raise KeyDestroyed
    return bytes(key.secret)


def year_is_final(unit: Unit, year: int) -> bool:
    """Whether the year's report is final: its key is destroyed, so none of its pseudonyms can be made or
    recomputed, and the people counted in it can no longer be corrected."""
    return YearKey.objects.filter(unit=unit, year=year, secret__isnull=True).exists()


def pseudonym_for(*, unit: Unit, year: int, birth_year: int, initials: str, gender: str) -> str:
    """The person's pseudonym at ``unit`` in ``year`` (64 hex characters)."""
    message = normalise(birth_year=birth_year, initials=initials, gender=gender).encode()
    return hmac.new(year_secret(unit, year), message, hashlib.sha256).hexdigest()


@transaction.atomic
def year_key_destroy(*, unit: Unit, year: int) -> bool:
    """Destroy the year's secret (after its report). True if there was one to destroy."""
    updated = YearKey.objects.filter(unit=unit, year=year, secret__isnull=False).update(
        secret=None, destroyed_at=timezone.now()
    )
    if not updated:
        # No key yet: make a destroyed one, so the year cannot get a fresh key later.
        YearKey.objects.get_or_create(unit=unit, year=year, defaults={"secret": None, "destroyed_at": timezone.now()})
    return bool(updated)
