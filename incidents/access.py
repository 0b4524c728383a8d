"""The one way views reach an incident: the object, or 404 for anyone with no right to know it exists."""

from typing import Any
from uuid import UUID

from core.access import RecordNotFound
from incidents.models import Incident
from incidents.selectors import visible_incidents


def get_incident_for_user(user: Any, pk: UUID | str, *, perm: str = "incidents.view_incident") -> Incident:
    """Reporters and action owners may see their report; the unit's managers may also change it
    (``incidents.selectors.visible_incidents``). Anyone else, including someone asking for a change they may
    not make, gets 404. A report anonymised under the retention rules is read-only: no change brings text or
    people back to it."""
    if perm not in ("incidents.view_incident", "incidents.change_incident"):
        raise ValueError(perm)
    incidents = visible_incidents(user, for_change=perm == "incidents.change_incident")
    incident = incidents.select_related("unit", "reporter", "assigned_to", "routine").filter(pk=pk).first()
    if incident is None or (incident.anonymised_at is not None and perm != "incidents.view_incident"):
        raise RecordNotFound
    return incident
