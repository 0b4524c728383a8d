"""The one way views reach an incident: the object, or 404 for anyone with no right to know it exists."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from core.access import RecordNotFound
from incidents.models import Incident


def get_incident_for_user(user: Any, pk: UUID | str, *, perm: str = "incidents.view_incident") -> Incident:
    """Reporters and action owners hold ``view_incident`` on their report; the unit's managers also hold
    ``change_incident``. Anyone else, including someone asking for a change they may not make, gets 404.
    A report anonymised under the retention rules is read-only: no change brings text or people back to it."""
    incidents: QuerySet[Incident] = get_objects_for_user(user, perm, klass=Incident, accept_global_perms=False)
    incident = incidents.select_related("unit", "reporter", "assigned_to", "routine").filter(pk=pk).first()
    if incident is None or (incident.anonymised_at is not None and perm != "incidents.view_incident"):
        raise RecordNotFound
    return incident
