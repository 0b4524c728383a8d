"""Anonymous reporting, for a unit that turns it on (``IncidentUnitSettings.anonymous_reporting``).

The report stores no reporter, and nothing else that could point to one: the pages are for logged-out
visitors only (a logged-in person is asked to log out or use a private window, so no session, account id or
log line with a user id is ever part of the request), the audit events have no actor, the change log's entries
have no author, the e-mail to the unit's managers is the same as for any report, and no address is kept.
The reporter gets a receipt code, shown once: 160 random bits in base32 (32 characters in groups of four),
of which only the SHA-256 is stored. A hash without salt or stretching is enough for a random secret of that
length (the same reasoning as API tokens); it is what lets the code be looked up. Lookups are rate-limited
per client address in the cache (``INCIDENT_CODE_LOOKUPS_PER_HOUR``), the address itself hashed and never
stored anywhere else.
"""

import base64
import hashlib
import secrets

from accounts.models import Unit
from incidents.models import Incident, IncidentUnitSettings

CODE_BYTES = 20  # 160 bits


def new_receipt_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()  # 32 characters, no padding for 20 bytes
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_code(code: str) -> str:
    """What the reporter typed, as it was issued: case, spaces and dashes do not matter; 0/1/8 read as O/I/B."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("018", "OIB"))


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def unit_settings(unit: Unit) -> IncidentUnitSettings:
    """The unit's incident settings (unsaved defaults when it has none)."""
    found = IncidentUnitSettings.objects.filter(unit=unit).first()
    return found or IncidentUnitSettings(unit=unit)


def anonymous_unit(slug: str) -> Unit | None:
    """The unit behind an anonymous link, if it takes anonymous reports."""
    return Unit.objects.filter(slug=slug, incident_settings__anonymous_reporting=True).first()


def incident_by_receipt_code(code: str) -> Incident | None:
    """The anonymous report this code belongs to; None for a wrong code or once the report is anonymised."""
    if len(normalise_code(code)) < 32:
        return None
    return (
        Incident.objects.filter(anonymous=True, receipt_code_hash=hash_code(code), anonymised_at__isnull=True)
        .select_related("unit")
        .first()
    )
