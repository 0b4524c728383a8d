"""Changing incidents. Every change goes through here: it checks the version (optimistic locking), writes
the change log and the audit log, and sends e-mail (links only) after the transaction commits."""

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.shortcuts import assign_perm

from accounts.models import Unit
from accounts.roles import Role
from audit.services import audit_log
from core.mail import send_mail_later
from incidents.anonymous import hash_code, new_receipt_code
from incidents.attachments import CheckedFile, attachment_add
from incidents.checklist import STEPS
from incidents.deadlines import response_deadline
from incidents.models import (
    ChecklistStep,
    Incident,
    IncidentAction,
    IncidentMessage,
    IncidentTransition,
    IncidentType,
    IncidentUnitSettings,
)
from incidents.risk import cause_categories, risk_level
from incidents.selectors import unit_managers, unit_role_members
from routines.models import Routine

State = Incident.State


class IncidentConflict(Exception):
    """Someone else changed the incident since the form was loaded."""


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _mail(subject: str, body: str, recipients: list[str]) -> None:
    send_mail_later(to=recipients, subject=subject, body=body)


def _log(
    incident: Incident, user: Any, kind: str, from_state: str, reason: str = "", changes: dict[str, Any] | None = None
) -> None:
    IncidentTransition.objects.create(
        incident=incident,
        by=user,
        from_state=from_state,
        to_state=incident.state,
        kind=kind,
        reason=reason,
        changes=changes or {},
    )


def _save_versioned(incident: Incident, expected_version: int, **fields: Any) -> Incident:
    """Write ``fields`` only if nobody saved since ``expected_version``; raise IncidentConflict otherwise."""
    updated = Incident.objects.filter(pk=incident.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if not updated:
        raise IncidentConflict
    incident.refresh_from_db()
    return incident


def _file_once(*, form_token: uuid.UUID, owner: dict[str, Any], **fields: Any) -> tuple[Incident, bool]:
    """Create a report once per form token and owner (``{"reporter": user}``, or ``{"anonymous": True}``):
    the same token again, or a second submit racing the first, returns the first report and False. A new
    exchange-student report gets its checklist steps."""
    existing = Incident.objects.filter(form_token=form_token, **owner).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                form_token=form_token,
                reported_at=now,
                response_deadline=response_deadline(fields["type"], now),
                risk_level=risk_level(fields.get("suggested_consequence"), fields.get("suggested_probability")),
                **owner,
                **fields,
            )
    except IntegrityError:
        # Two submits raced; the other one won and holds the token.
        existing = Incident.objects.filter(form_token=form_token, **owner).first()
        if existing is None:
            raise
        return existing, False
    if incident.type == IncidentType.EXCHANGE_STUDENTS:
        ChecklistStep.objects.bulk_create(
            [ChecklistStep(incident=incident, number=i) for i in range(1, len(STEPS) + 1)]
        )
    return incident, True


@transaction.atomic
def incident_report(
    *,
    user: Any,
    form_token: uuid.UUID,
    type: str,
    occurred_at: datetime,
    unit: Unit,
    place: str,
    what_happened: str,
    immediate_actions: list[str],
    affected_students: int = 0,
    affected_staff: int = 0,
    affected_others: int = 0,
    pii_overridden: bool = False,
    suggested_consequence: int | None = None,
    suggested_probability: int | None = None,
    attachments: list[CheckedFile] | tuple[CheckedFile, ...] = (),
) -> tuple[Incident, bool]:
    """File a report, with its checked files (``incidents.attachments``). The same form token twice returns
    the first report (created=False) and stores nothing again."""
    incident, created = _file_once(
        form_token=form_token,
        owner={"reporter": user},
        type=type,
        occurred_at=occurred_at,
        unit=unit,
        place=place,
        what_happened=what_happened,
        immediate_actions=list(immediate_actions),
        affected_students=affected_students,
        affected_staff=affected_staff,
        affected_others=affected_others,
        pii_overridden=pii_overridden,
        suggested_consequence=suggested_consequence,
        suggested_probability=suggested_probability,
    )
    if not created:
        return incident, False
    # The reporter's own grant; the unit's managers see and follow it up through their memberships
    # (incidents.selectors.visible_incidents).
    assign_perm("incidents.view_incident", user, incident)
    _log(incident, user, "reported", "")
    audit_log(actor=user, action="incident.reported", target=incident, unit=unit)
    for checked in attachments:
        attachment_add(incident=incident, user=user, checked=checked)
    _notify_new_report(incident)
    return incident, True


@transaction.atomic
def incident_update(*, incident: Incident, user: Any, expected_version: int, **fields: Any) -> Incident:
    """A manager corrects the report's facts."""
    allowed = {
        "type",
        "place",
        "what_happened",
        "immediate_actions",
        "affected_students",
        "affected_staff",
        "affected_others",
        "pii_overridden",
    }
    if set(fields) - allowed:
        raise ValueError(f"Not editable: {set(fields) - allowed}")
    changed = [
        name
        for name in sorted(allowed - {"pii_overridden"})
        if name in fields and getattr(incident, name) != fields[name]
    ]
    incident = _save_versioned(incident, expected_version, **fields)
    _log(incident, user, "edited", incident.state, changes={"fields": changed})
    audit_log(actor=user, action="incident.changed", target=incident, unit=incident.unit)
    return incident


@transaction.atomic
def incident_assign(*, incident: Incident, user: Any, assignee: Any, expected_version: int) -> Incident:
    """Give the report to one of the unit's managers (``assignee == user``: take it). A new report moves
    into review."""
    if not unit_managers(incident.unit).filter(pk=assignee.pk).exists():
        raise ValidationError(_("Only a manager of the unit can be responsible for the report."))
    from_state = incident.state
    to_state = State.IN_REVIEW if from_state == State.REPORTED else from_state
    incident = _save_versioned(incident, expected_version, assigned_to=assignee, state=to_state)
    name = assignee.get_full_name() or assignee.get_username()
    _log(incident, user, "taken" if assignee == user else "assigned", from_state, changes={"assignee": name})
    audit_log(actor=user, action="incident.assigned", target=incident, unit=incident.unit)
    return incident


@transaction.atomic
def incident_risk_confirm(
    *, incident: Incident, user: Any, expected_version: int, consequence: int, probability: int
) -> Incident:
    """A manager sets the report's consequence and probability (1-5 each), confirming or correcting the
    reporter's suggestion; the level follows."""
    if consequence not in range(1, 6) or probability not in range(1, 6):
        raise ValidationError(_("Choose a consequence and a probability from 1 to 5."))
    level = risk_level(consequence, probability)
    incident = _save_versioned(
        incident,
        expected_version,
        consequence=consequence,
        probability=probability,
        risk_level=level,
        risk_confirmed_by=user,
        risk_confirmed_at=timezone.now(),
    )
    _log(incident, user, "risk_confirmed", incident.state, changes={"risk": [consequence, probability, level]})
    audit_log(actor=user, action="incident.risk_confirmed", target=incident, unit=incident.unit)
    return incident


@transaction.atomic
def incident_transition(
    *, incident: Incident, user: Any, to_state: str, expected_version: int, reason: str = ""
) -> Incident:
    """reported -> in_review, and closed -> in_review (reopen, with a reason). Closing is incident_close."""
    from_state = incident.state
    if to_state != State.IN_REVIEW or from_state == State.IN_REVIEW:
        raise ValidationError(_("That change of state is not possible."))
    if from_state == State.CLOSED and not reason.strip():
        raise ValidationError(_("Give a reason for reopening the report."))
    incident = _save_versioned(incident, expected_version, state=to_state, closed_at=None, closed_by=None)
    _log(incident, user, "reopened" if from_state == State.CLOSED else "review_started", from_state, reason)
    audit_log(actor=user, action="incident.transitioned", target=incident, unit=incident.unit)
    return incident


@transaction.atomic
def incident_close(
    *,
    incident: Incident,
    user: Any,
    expected_version: int,
    evaluation_summary: str,
    learning_points: str,
    debrief_offered: bool,
    debrief_at: date | None,
    routine_needs_revision: bool,
    routine: Routine | None = None,
    reporter_feedback: str = "",
    cause_category: str = "",
    root_cause: str = "",
) -> Incident:
    """Close a report in review. Every action must be done, carried over or cancelled with a reason first.
    The reporter gets a short notice (a link, no content) and reads the feedback on "My reports"."""
    if incident.state != State.IN_REVIEW:
        raise ValidationError(_("Only a report in review can be closed."))
    open_actions = incident.actions.filter(status=IncidentAction.Status.OPEN).count()
    if open_actions:
        raise ValidationError(
            ngettext(
                "%(count)d action is still open. Mark it done, carried over to a new report, or cancelled with "
                "a reason before you close the report.",
                "%(count)d actions are still open. Mark each done, carried over to a new report, or cancelled "
                "with a reason before you close the report.",
                open_actions,
            )
            % {"count": open_actions},
            code="open_actions",
        )
    if routine_needs_revision and routine is None:
        raise ValidationError(_("Choose the routine that needs revision."))
    if cause_category and cause_category not in dict(cause_categories()):
        raise ValidationError(_("Choose a cause category from the list."))
    from_state = incident.state
    incident = _save_versioned(
        incident,
        expected_version,
        state=State.CLOSED,
        evaluation_summary=evaluation_summary,
        learning_points=learning_points,
        debrief_offered=debrief_offered,
        debrief_at=debrief_at if debrief_offered else None,
        routine_needs_revision=routine_needs_revision,
        routine=routine if routine_needs_revision else None,
        reporter_feedback=reporter_feedback,
        cause_category=cause_category,
        root_cause=root_cause,
        closed_at=timezone.now(),
        closed_by=user,
    )
    _log(incident, user, "closed", from_state)
    audit_log(actor=user, action="incident.closed", target=incident, unit=incident.unit)
    reporter = incident.reporter
    if reporter is not None and reporter.email and reporter.is_active:
        _mail(
            _("Your incident report has been closed"),
            _("An incident report you filed has been closed. See the outcome under “My reports”:\n%(url)s\n")
            % {"url": _absolute(reverse("incidents:mine"))},
            [reporter.email],
        )
    if routine_needs_revision and routine is not None:
        editors = list(unit_role_members(routine.owner_unit, Role.EDITOR))
        if routine.editor is not None:
            editors.append(routine.editor)
        _mail(
            _("A routine may need revision"),
            _(
                "An incident report was closed with a note that this routine needs revision:\n%(routine)s\n"
                "The report (for those with access):\n%(incident)s\n"
            )
            % {
                "routine": _absolute(reverse("routines:detail", args=[routine.slug])),
                "incident": _absolute(reverse("incidents:detail", args=[incident.pk])),
            },
            [e.email for e in editors],
        )
    return incident


def action_create(
    *, description: str, responsible: Any, deadline: date, incident: Incident | None = None, exercise: Any = None
) -> IncidentAction:
    """A new open action of an incident or of an exercise (exercises.services), checked the same way for both.
    The caller logs it and tells the responsible person."""
    if deadline < timezone.localdate():
        raise ValidationError(_("The deadline cannot be in the past."), code="past_deadline")
    return IncidentAction.objects.create(
        incident=incident, exercise=exercise, description=description, responsible=responsible, deadline=deadline
    )


def action_status_set(*, action: IncidentAction, status: str, evaluation: str, status_reason: str = "") -> str:
    """Change an action's status and evaluation; carrying it over or cancelling it needs a reason. Returns the
    old status. The caller logs the change."""
    if status in IncidentAction.NEEDS_REASON and not status_reason.strip():
        raise ValidationError(_("Give a reason for carrying the action over or cancelling it."), code="reason")
    old_status = action.status
    action.status = status
    action.evaluation = evaluation
    action.status_reason = status_reason if status in IncidentAction.NEEDS_REASON else ""
    action.save(update_fields=["status", "evaluation", "status_reason"])
    return old_status


@transaction.atomic
def action_add(*, incident: Incident, user: Any, description: str, responsible: Any, deadline: date) -> IncidentAction:
    action = action_create(incident=incident, description=description, responsible=responsible, deadline=deadline)
    # The responsible person must be able to open the report their action belongs to.
    assign_perm("incidents.view_incident", responsible, incident)
    IncidentTransition.objects.create(
        incident=incident, by=user, from_state=incident.state, to_state=incident.state, kind="action_added"
    )
    audit_log(actor=user, action="incident.action_added", target=incident, unit=incident.unit)
    _mail(
        _("You have been given an action"),
        _("You are responsible for an action after an incident:\n%(url)s\n")
        % {"url": _absolute(reverse("incidents:detail", args=[incident.pk]))},
        [responsible.email],
    )
    return action


@transaction.atomic
def action_update(
    *, action: IncidentAction, user: Any, status: str, evaluation: str, status_reason: str = ""
) -> IncidentAction:
    """Change an action's status; carrying it over or cancelling it needs a reason."""
    incident = action.incident
    if incident is None:
        raise ValueError("not an incident's action: exercises.services changes those")
    old_status = action_status_set(action=action, status=status, evaluation=evaluation, status_reason=status_reason)
    changes = {"status": [old_status, status]} if old_status != status else {}
    IncidentTransition.objects.create(
        incident=incident,
        by=user,
        from_state=incident.state,
        to_state=incident.state,
        kind="action_updated",
        changes=changes,
    )
    audit_log(actor=user, action="incident.action_changed", target=incident, unit=incident.unit)
    return action


@transaction.atomic
def step_update(*, step: ChecklistStep, user: Any, responsible: Any, done: bool) -> ChecklistStep:
    step.responsible = responsible
    if done and step.done_at is None:
        step.done_at = timezone.now()
    elif not done:
        step.done_at = None
    step.save(update_fields=["responsible", "done_at"])
    incident = step.incident
    IncidentTransition.objects.create(
        incident=incident, by=user, from_state=incident.state, to_state=incident.state, kind=f"step_{step.number}"
    )
    audit_log(actor=user, action="incident.step_changed", target=incident, unit=incident.unit)
    return step


# --- Anonymous reporting (incidents.anonymous) -----------------------------------------------------------


def _notify_new_report(incident: Incident) -> None:
    _mail(
        _("New incident report"),
        _("A new incident report needs follow-up:\n%(url)s\n")
        % {"url": _absolute(reverse("incidents:detail", args=[incident.pk]))},
        [m.email for m in unit_managers(incident.unit)],
    )


@transaction.atomic
def incident_report_anonymous(
    *,
    unit: Unit,
    form_token: uuid.UUID,
    type: str,
    occurred_at: datetime,
    place: str,
    what_happened: str,
    immediate_actions: list[str],
    affected_students: int = 0,
    affected_staff: int = 0,
    affected_others: int = 0,
    pii_overridden: bool = False,
    suggested_consequence: int | None = None,
    suggested_probability: int | None = None,
) -> tuple[Incident, str | None]:
    """File an anonymous report: no reporter, an audit event with no actor, a change-log entry with no author,
    the managers' usual e-mail. Returns the report and its receipt code, which is not kept (only its hash);
    the same form token twice returns the first report and None (the code was shown the first time)."""
    code = new_receipt_code()
    incident, created = _file_once(
        form_token=form_token,
        owner={"anonymous": True},
        receipt_code_hash=hash_code(code),
        type=type,
        occurred_at=occurred_at,
        unit=unit,
        place=place,
        what_happened=what_happened,
        immediate_actions=list(immediate_actions),
        affected_students=affected_students,
        affected_staff=affected_staff,
        affected_others=affected_others,
        pii_overridden=pii_overridden,
        suggested_consequence=suggested_consequence,
        suggested_probability=suggested_probability,
    )
    if not created:
        return incident, None  # the code was shown the first time
    _log(incident, None, "reported", "")
    audit_log(actor=None, action="incident.reported_anonymously", target=incident, unit=unit)
    _notify_new_report(incident)
    return incident, code


@transaction.atomic
def message_to_reporter(*, incident: Incident, user: Any, text: str) -> IncidentMessage:
    """A manager writes to the anonymous reporter, who reads it with her receipt code."""
    if not incident.anonymous:
        raise ValidationError(_("Only an anonymous reporter is written to through the report."))
    if not text.strip():
        raise ValidationError(_("Write a message."))
    message = IncidentMessage.objects.create(incident=incident, author=user, text=text.strip())
    _log(incident, user, "message_to_reporter", incident.state)
    audit_log(actor=user, action="incident.message_sent", target=incident, unit=incident.unit)
    return message


@transaction.atomic
def reporter_answer(*, incident: Incident, text: str) -> IncidentMessage:
    """The anonymous reporter answers through her receipt code: no author, no actor; the responsible
    manager (or the unit's managers) get a link by e-mail."""
    if not text.strip():
        raise ValidationError(_("Write your answer."))
    message = IncidentMessage.objects.create(incident=incident, author=None, from_reporter=True, text=text.strip())
    _log(incident, None, "message_from_reporter", incident.state)
    audit_log(actor=None, action="incident.reporter_answered", target=incident, unit=incident.unit)
    recipients = [incident.assigned_to] if incident.assigned_to else list(unit_managers(incident.unit))
    _mail(
        _("The anonymous reporter has answered"),
        _("The anonymous reporter of an incident report has answered:\n%(url)s\n")
        % {"url": _absolute(reverse("incidents:detail", args=[incident.pk]))},
        [r.email for r in recipients if r.email],
    )
    return message


@transaction.atomic
def unit_settings_save(
    *,
    unit: Unit,
    user: Any,
    anonymous_reporting: bool,
    consequence_labels: list[str],
    probability_labels: list[str],
) -> IncidentUnitSettings:
    """A unit's manager sets whether it takes anonymous reports and the words of its risk matrix."""
    settings_row, _created = IncidentUnitSettings.objects.update_or_create(
        unit=unit,
        defaults={
            "anonymous_reporting": anonymous_reporting,
            "consequence_labels": consequence_labels if any(consequence_labels) else [],
            "probability_labels": probability_labels if any(probability_labels) else [],
        },
    )
    audit_log(actor=user, action="incident.unit_settings_changed", unit=unit)
    return settings_row
