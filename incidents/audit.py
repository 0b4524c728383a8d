"""What incidents tell the audit log: the action codes they write, and the incident record type (a read is
the reader's own if she reported it, is its responsible manager or owns one of its actions, or is a member
of its unit). Registered from ``IncidentsConfig.ready()``."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, RECORD_TYPES, Action, Kind, ReadFacts, RecordType, valid_uuids
from incidents.models import Incident, IncidentAction

ACTION_CODES: dict[str, Action] = {
    # Incidents
    "incident.reported": Action(_("Reported an incident"), Kind.CHANGED),
    "incident.viewed": Action(_("Opened an incident report"), Kind.VIEWED),
    "incident.list_viewed": Action(_("Opened the incident list"), Kind.VIEWED),
    "incident.overview_viewed": Action(_("Opened the incident overview"), Kind.VIEWED),
    "incident.exported": Action(_("Downloaded incident reports (CSV or XLSX)"), Kind.EXPORTED),
    "incident.changed": Action(_("Changed an incident report"), Kind.CHANGED),
    "incident.assigned": Action(_("Assigned an incident report"), Kind.CHANGED),
    "incident.transitioned": Action(_("Changed an incident report's state"), Kind.CHANGED),
    "incident.closed": Action(_("Closed an incident report"), Kind.CHANGED),
    "incident.risk_confirmed": Action(_("Assessed the risk of an incident report"), Kind.CHANGED),
    "incident.action_added": Action(_("Added an action to an incident report"), Kind.CHANGED),
    "incident.action_changed": Action(_("Changed an action on an incident report"), Kind.CHANGED),
    "incident.step_changed": Action(_("Changed a checklist step on an incident report"), Kind.CHANGED),
    "incident.attachment_added": Action(_("Attached a file to an incident report"), Kind.CHANGED),
    "incident.attachment_viewed": Action(_("Opened a file attached to an incident report"), Kind.VIEWED),
    "incident.attachment_removed": Action(_("Removed a file from an incident report"), Kind.CHANGED),
    "incident.reported_anonymously": Action(_("An incident was reported anonymously"), Kind.CHANGED),
    "incident.followed_anonymously": Action(
        _("The anonymous reporter opened her report with the receipt code"), Kind.VIEWED
    ),
    "incident.reporter_answered": Action(_("The anonymous reporter answered"), Kind.CHANGED),
    "incident.message_sent": Action(_("Wrote to the anonymous reporter of an incident report"), Kind.CHANGED),
    "incident.unit_settings_changed": Action(_("Changed a unit's incident settings"), Kind.CHANGED),
}


def incident_read_facts(ids: Iterable[str]) -> dict[str, ReadFacts]:
    """The unit and the people whose report it is: reporter, responsible manager, action owners. Two queries."""
    pks = valid_uuids(ids)
    rows = Incident.objects.filter(pk__in=pks).values_list("pk", "unit_id", "reporter_id", "assigned_to_id")
    units = {str(pk): unit for pk, unit, _reporter, _assigned in rows}
    people = {str(pk): {reporter, assigned} - {None} for pk, _unit, reporter, assigned in rows}
    for incident_id, responsible in IncidentAction.objects.filter(incident__in=pks).values_list(
        "incident_id", "responsible_id"
    ):
        people[str(incident_id)].add(responsible)
    return {
        pk: ReadFacts(unit_id=unit, own_readers=frozenset(p for p in people[pk] if p is not None))
        for pk, unit in units.items()
    }


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
    RECORD_TYPES.register(
        RecordType(
            model="incidents.incident",
            label=Incident._meta.verbose_name,
            pages_in="incidents",
            read_facts=incident_read_facts,
            unit_members_own_it=True,
            order=30,
        )
    )
