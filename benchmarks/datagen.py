"""Bulk test data for the list benchmarks: incident reports and intakes with their real guardian grants.

Rows go in with bulk_create, in batches, with the same object permissions the services give them
(incident_report: the reporter view; intake_create: the owner view + change; the unit's managers see both
through their memberships), so a list's visibility query is the real one. Used by
benchmarks/incident_list.py and by `make bench` (benchmarks/bench_django.py).
"""

import uuid
from datetime import timedelta

BATCH = 5000
INCIDENT_TYPES = ["violence", "threat_in_person", "threat_email", "threat_phone", "suicide_risk", "other"]
INCIDENT_STATES = ["reported", "in_review", "closed", "closed"]


def add_incidents(count: int, *, units: list, reporters: dict, responsible, start: int = 0) -> None:
    """``count`` reports spread round-robin over ``units`` (each reported by ``reporters[unit.pk]``), one in
    twenty with an overdue action for ``responsible``. ``start`` shifts the generated times, so that
    repeated calls do not all land on the same minutes."""
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from incidents.models import Incident, IncidentAction, IncidentUserObjectPermission

    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="incidents")}
    now = timezone.now()
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        incidents = []
        for i in range(start + done, start + done + n):
            unit = units[i % len(units)]
            incidents.append(
                Incident(
                    id=uuid.uuid4(),
                    type=INCIDENT_TYPES[i % len(INCIDENT_TYPES)],
                    occurred_at=now - timedelta(minutes=37 * i + 11),
                    unit=unit,
                    place="Reception",
                    what_happened="Benchmark report.",
                    reporter=reporters[unit.pk],
                    state=INCIDENT_STATES[i % len(INCIDENT_STATES)],
                )
            )
        Incident.objects.bulk_create(incidents)
        IncidentUserObjectPermission.objects.bulk_create(
            IncidentUserObjectPermission(user=inc.reporter, permission=perms["view_incident"], content_object=inc)
            for inc in incidents
        )
        IncidentAction.objects.bulk_create(
            IncidentAction(
                incident=inc, description="x", responsible=responsible, deadline=(now - timedelta(days=3)).date()
            )
            for inc in incidents[::20]
        )
        done += n


def add_intakes(count: int, *, owner, unit, tree_version, start: int = 0, content: bool = False) -> None:
    """``count`` intakes owned by ``owner`` in ``unit``: one in five a draft, the rest finalized, saved over
    the last months. With ``content``, each carries one of the demo intakes' answers and, once finalized, a
    journal note of a few lines (for a backup of realistic size; the lists never read them)."""
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from intake.demo import DEMO_INTAKES
    from intake.models import Intake, IntakeUserObjectPermission

    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="intake")}
    now = timezone.now()
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        intakes = []
        for i in range(start + done, start + done + n):
            draft = i % 5 == 0
            saved = now - timedelta(minutes=13 * i + 7)
            _pk, step, _label, answers = DEMO_INTAKES[i % len(DEMO_INTAKES)] if content else (None, "", "", {})
            intakes.append(
                Intake(
                    id=uuid.uuid4(),
                    owner=owner,
                    unit=unit,
                    tree_version=tree_version,
                    status=Intake.Status.DRAFT if draft else Intake.Status.FINALIZED,
                    created_at=saved - timedelta(minutes=40),
                    updated_at=saved,
                    finalized_at=None if draft else saved,
                    finalized_by=None if draft else owner,
                    answers=answers,
                    current_step=step,
                    note_text="A generated journal note of a few lines. " * 8 if content and not draft else "",
                )
            )
        Intake.objects.bulk_create(intakes)
        IntakeUserObjectPermission.objects.bulk_create(
            IntakeUserObjectPermission(user=owner, permission=perms[codename], content_object=intake)
            for intake in intakes
            for codename in ("view_intake", "change_intake")
        )
        done += n
