"""Demo incident reports: two dozen over the last twelve months, of every type and state, some with overdue
actions, and one exchange-student incident half-way through its checklist. Safe to repeat: each demo report
has a fixed form token, so a second run finds it instead of creating another."""

import uuid
from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from incidents import services
from incidents.deadlines import response_deadline
from incidents.models import Incident, IncidentAction, IncidentType

_NAMESPACE = uuid.UUID("6f1c2a52-52a3-4c55-9e0d-6e1d2b7b0c11")
_TYPES = [t for t in IncidentType.values if t != IncidentType.EXCHANGE_STUDENTS]
_PLACES = ["Resepsjonen", "Møterom 2", "Samtalerommet", "Kantina", "Telefon", "E-post"]


def seed_incidents(*, units: dict, users: dict) -> list[Incident]:
    # The services e-mail managers and action owners after commit; demo reports should not (the dummy
    # backend is active until the transaction below has committed and its callbacks have run).
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _seed(units=units, users=users)


@transaction.atomic
def _seed(*, units: dict, users: dict) -> list[Incident]:
    now = timezone.now()
    today = timezone.localdate()
    incidents = []
    for i in range(24):
        token = uuid.uuid5(_NAMESPACE, f"demo-{i}")
        unit_slug = [UNIVERSITY, CENTRE_A, CENTRE_B][i % 3]
        reporter = users[{UNIVERSITY: "staff", CENTRE_A: "counsellor", CENTRE_B: "counsellor_other"}[unit_slug]]
        manager = users["manager_other"] if unit_slug == CENTRE_B else users["manager"]
        kind = IncidentType.EXCHANGE_STUDENTS if i == 0 else _TYPES[i % len(_TYPES)]
        incident, created = services.incident_report(
            user=reporter,
            form_token=token,
            type=kind,
            occurred_at=now - timedelta(days=i * 15 + 1, hours=i % 7),
            unit=units[unit_slug],
            place=_PLACES[i % len(_PLACES)],
            what_happened="Demo: en besøkende ble truende, men situasjonen roet seg.",
            immediate_actions=["manager_notified"] + (["police_112"] if i % 4 == 0 else []),
            affected_students=i % 3,
            affected_staff=1,
        )
        incidents.append(incident)
        if not created:
            continue
        reported_at = incident.occurred_at + timedelta(hours=2)
        Incident.objects.filter(pk=incident.pk).update(
            reported_at=reported_at, response_deadline=response_deadline(kind, reported_at)
        )
        incident.refresh_from_db()
        if i % 4 == 1:
            continue  # stays "reported"
        incident = services.incident_assign(
            incident=incident, user=manager, assignee=manager, expected_version=incident.version
        )
        action = None
        if i % 3 == 0:
            # Some actions are past their deadline: the list and the responsible person see it. A new action
            # cannot be given a past deadline, so the demo moves it back afterwards, as time would have.
            action = services.action_add(
                incident=incident,
                user=manager,
                description="Gå gjennom alarmknappen og rømningsveien i resepsjonen.",
                responsible=manager,
                deadline=today + timedelta(days=20),
            )
            if i < 12:
                IncidentAction.objects.filter(pk=action.pk).update(deadline=today - timedelta(days=10))
                action.refresh_from_db()
        if i == 0:
            steps = list(incident.steps.order_by("number"))
            for step in steps[:2]:
                services.step_update(step=step, user=manager, responsible=manager, done=True)
            services.step_update(step=steps[2], user=manager, responsible=users["staff"], done=False)
            continue
        if i >= 6 and i % 2 == 0:
            if action is not None:
                services.action_update(action=action, user=manager, status="done", evaluation="Gjort.")
            services.incident_close(
                incident=incident,
                user=manager,
                expected_version=incident.version,
                evaluation_summary="Rutinen ble fulgt; det hjalp å ringe tidlig.",
                learning_points="Ha døren til naborommet åpen under samtaler.",
                debrief_offered=True,
                debrief_at=incident.occurred_at.date() + timedelta(days=3),
                routine_needs_revision=False,
            )
    return incidents
