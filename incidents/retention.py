"""What the retention run does to incident reports (registered with ``core.retention`` from
``IncidentsConfig.ready()``).

**Closed incident reports** ``incident_days`` after closing: anonymised. Free text is emptied, the people
(reporter, responsible manager, who closed it, action owners, checklist step owners) are unlinked, the
attachments (photos and documents, rows and stored files) and the messages with an anonymous reporter are
deleted (her receipt code stops working), the change
log (who, when, why) is deleted and so are the personal grants; type, unit, dates, state, counts, codes and the
unit managers' grant stay, so the overview's figures and the list's counts do not change. Open reports are
still being followed up and are never touched.
"""

from datetime import date, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from audit.services import audit_log
from core.retention import PURGERS, Cutoffs, Purger, retention_periods
from incidents.attachments import delete_attachments_of
from incidents.models import (
    ChecklistStep,
    Incident,
    IncidentAction,
    IncidentAttachment,
    IncidentMessage,
    IncidentTransition,
    IncidentUserObjectPermission,
)

PERIODS = ("incident_days",)


def expired_incidents(c: Cutoffs) -> QuerySet[Incident]:
    """Closed reports whose closing is older than the period and that are not anonymised yet."""
    return Incident.objects.filter(
        state=Incident.State.CLOSED, closed_at__lt=c.before("incident_days"), anonymised_at__isnull=True
    )


def incident_anonymised_after(incident: Incident) -> date | None:
    """The local date after which a closed report is anonymised; None while it is open or once it is done."""
    if incident.state != Incident.State.CLOSED or incident.closed_at is None or incident.anonymised_at is not None:
        return None
    return timezone.localdate(incident.closed_at + timedelta(days=retention_periods()["incident_days"]))


def anonymise_incidents(rows: list[Incident], c: Cutoffs) -> int:
    """Anonymise a batch of expired reports; one audit event each."""
    pks = [row.pk for row in rows]
    Incident.objects.filter(pk__in=pks).update(
        place="",
        what_happened="",
        evaluation_summary="",
        learning_points="",
        reporter_feedback="",
        root_cause="",
        risk_confirmed_by=None,
        reporter=None,
        assigned_to=None,
        closed_by=None,
        form_token=None,
        receipt_code_hash="",
        anonymised_at=c.now,
        # An edit form opened before this now meets a conflict instead of writing text back.
        version=F("version") + 1,
    )
    # Actions keep status and deadline (the overview counts overdue ones), steps keep when they were done.
    IncidentAction.objects.filter(incident__in=pks).update(
        description="", evaluation="", status_reason="", responsible=None
    )
    ChecklistStep.objects.filter(incident__in=pks).update(responsible=None)
    # Photos and documents are content: rows now, the stored files once the batch has committed.
    delete_attachments_of(pks)
    # Messages with an anonymous reporter are free text; her receipt code stops working (its hash is emptied).
    IncidentMessage.objects.filter(incident__in=pks).delete()
    # The change log is who did what and why (free text): it goes. The audit log keeps the bare events.
    IncidentTransition.objects.filter(incident__in=pks).delete()
    # Grants to people (the reporter, action owners) go; the unit managers' group grant stays, so the report
    # still counts in their list and overview.
    IncidentUserObjectPermission.objects.filter(content_object__in=pks).delete()
    for row in rows:
        audit_log(actor=None, action="retention.anonymised", target=row, unit=row.unit)
    return 0


def register() -> None:
    PURGERS.register(
        Purger(
            kind="incidents",
            verb="anonymise",
            order=40,
            periods=PERIODS,
            expired=expired_incidents,
            purge=anonymise_incidents,
            covers=(
                Incident,
                IncidentAction,
                IncidentAttachment,
                IncidentMessage,
                IncidentTransition,
                ChecklistStep,
                IncidentUserObjectPermission,
            ),
            related=("unit",),
        )
    )
