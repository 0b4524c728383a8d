"""Response deadlines (svarfrist): by when a manager must take a new report, from its type.

The hours per type below are the defaults; ``settings.INCIDENT_RESPONSE_HOURS`` (a dict of type code to hours)
overrides any of them, so an institution can set its own without a code change. Violence, threats and suicide
risk are taken within a working day; the rest within a working week.
"""

from datetime import datetime, timedelta

from django.conf import settings

from incidents.models import IncidentType

DEFAULT_RESPONSE_HOURS: dict[str, int] = {
    IncidentType.VIOLENCE: 24,
    IncidentType.THREAT_IN_PERSON: 24,
    IncidentType.THREAT_EMAIL: 72,
    IncidentType.THREAT_PHONE: 72,
    IncidentType.SUICIDE_RISK: 24,
    IncidentType.SERIOUS_ILLNESS: 24,
    IncidentType.EXCHANGE_STUDENTS: 24,
    IncidentType.OTHER: 120,
}


def response_hours(type: str) -> int:
    """Hours a manager has to take a report of this type."""
    configured: dict[str, int] = getattr(settings, "INCIDENT_RESPONSE_HOURS", {}) or {}
    return int(configured.get(type, DEFAULT_RESPONSE_HOURS.get(type, DEFAULT_RESPONSE_HOURS[IncidentType.OTHER])))


def response_deadline(type: str, reported_at: datetime) -> datetime:
    """When a report of ``type`` reported at ``reported_at`` must have been taken."""
    return reported_at + timedelta(hours=response_hours(type))
