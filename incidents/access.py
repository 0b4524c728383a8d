"""The one way views reach an incident: the object, or 404 for anyone with no right to know it exists."""

from typing import Any
from uuid import UUID

from core.access import RecordNotFound
from incidents.models import Incident, IncidentAction, IncidentAttachment
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


def get_attachment_for_user(user: Any, pk: UUID | str, attachment_pk: UUID | str) -> IncidentAttachment:
    """A file on a report this person may see (the rule of ``get_incident_for_user``), or 404."""
    incident = get_incident_for_user(user, pk)
    attachment = (
        IncidentAttachment.objects.select_related("incident__unit").filter(pk=attachment_pk, incident=incident).first()
    )
    if attachment is None:
        raise RecordNotFound
    return attachment


def attachment_targets(user: Any, incident: Incident, *, can_change: bool) -> list[IncidentAction | None]:
    """Where this person may attach files on this report: None stands for the report itself. The unit's
    managers attach anywhere; the reporter to the report; an action's owner to that action. Nobody once the
    report is anonymised."""
    if incident.anonymised_at is not None:
        return []
    actions = list(incident.actions.all())
    if can_change:
        return [None, *actions]
    targets: list[IncidentAction | None] = []
    if incident.reporter_id is not None and incident.reporter_id == user.pk:
        targets.append(None)
    targets.extend(a for a in actions if a.responsible_id == user.pk)
    return targets
