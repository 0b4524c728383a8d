"""Retention (core.retention and each app's retention.py, `manage.py purge_expired`): intakes and safety plans are deleted and closed
incident reports anonymised when their period is over, one day either side of the boundary; the anonymous
statistics, the incident overview's figures and the audit log stay; a dry run changes nothing; a second run
does nothing; logs and output carry counts, never content."""

import io
import logging
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A, UNIVERSITY
from audit.models import AuditEvent
from core.retention import LOCK_KEY, purge_expired
from incidents import selectors as incident_selectors
from incidents import services as incident_services
from incidents.models import (
    ChecklistStep,
    Incident,
    IncidentAction,
    IncidentGroupObjectPermission,
    IncidentTransition,
    IncidentUserObjectPermission,
)
from intake.models import (
    Intake,
    IntakeGroupObjectPermission,
    IntakeNoteAddendum,
    IntakeStatistic,
    IntakeUserObjectPermission,
)
from intake.services import intake_create, intake_finalize, intake_note_add_addendum, intake_note_save
from safety_plans.models import (
    PlanContact,
    PlanItem,
    PlanReview,
    SafetyPlan,
    SafetyPlanGroupObjectPermission,
    SafetyPlanUserObjectPermission,
)
from safety_plans.services import safety_plan_create, safety_plan_review
from tests.intake.test_intake_finalize import complete

DAY = timedelta(days=1)
DRAFT_DAYS, INTAKE_DAYS, PLAN_DAYS, INCIDENT_DAYS = 60, 730, 730, 1825


@pytest.fixture(autouse=True)
def periods(settings):
    # The shipped defaults, pinned, so a change of default does not silently move these boundaries.
    settings.RETENTION = {
        "intake_draft_days": DRAFT_DAYS,
        "intake_days": INTAKE_DAYS,
        "safety_plan_days": PLAN_DAYS,
        "incident_days": INCIDENT_DAYS,
        "exercise_days": 1825,
    }
    return settings.RETENTION


def canary() -> str:
    """A string that appears nowhere else, so finding it anywhere in the database means it survived."""
    return f"CANARY-{uuid.uuid4().hex}"


def dump() -> str:
    """Every row of every table as JSON: the database's whole content, to compare or to search."""
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    return out.getvalue()


def run(*args) -> str:
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def age_intake(intake, when):
    Intake.objects.filter(pk=intake.pk).update(
        created_at=when,
        updated_at=when,
        **({"finalized_at": when} if intake.finalized_at else {}),
        **({"note_finalized_at": when} if intake.note_finalized_at else {}),
    )
    IntakeNoteAddendum.objects.filter(intake=intake).update(created_at=when)


def age_plan(plan, when):
    SafetyPlan.objects.filter(pk=plan.pk).update(
        created_at=when,
        updated_at=when,
        last_reviewed_at=when if plan.last_reviewed_at else None,
        next_review_on=timezone.localdate(when) if plan.next_review_on else None,
    )
    PlanReview.objects.filter(plan=plan).update(reviewed_at=when)


def draft(users, units, intake_trees, *, when=None, text=""):
    intake = intake_create(user=users["counsellor"], unit=units[CENTRE_A], tree_version=intake_trees["nb"])
    if text:
        intake.answers = {"why-now": [text]}
        intake.save(update_fields=["answers"])
    if when:
        age_intake(intake, when)
    return intake


def finalized(users, units, intake_trees, *, when=None, text="", note_final=True):
    """A finalized intake with its journal note (finalized) and an addendum, free text carrying ``text``."""
    counsellor = users["counsellor"]
    intake = intake_create(user=counsellor, unit=units[CENTRE_A], tree_version=intake_trees["nb"])
    complete(intake, **({"why-now": [text]} if text else {}))
    intake = intake_finalize(
        intake=intake, user=counsellor, offered_help="day-counselling", offered_reason=text, information={}
    )
    statistic = IntakeStatistic.objects.latest("pk")  # finalizing wrote it
    if note_final:
        intake = intake_note_save(intake=intake, user=counsellor, text=f"Journal note. {text}", finalize=True)
        intake_note_add_addendum(intake=intake, user=counsellor, text=f"Addendum. {text}")
    intake.refresh_from_db()
    if when:
        age_intake(intake, when)
        intake.refresh_from_db()
        # The row finalizing wrote carries the month it was finalized in: move it along, as real data has it.
        IntakeStatistic.objects.filter(pk=statistic.pk).update(month=timezone.localdate(when).replace(day=1))
    return intake


def plan(users, units, *, when=None, text="", intake=None):
    counsellor = users["counsellor"]
    p = safety_plan_create(user=counsellor, unit=units[CENTRE_A], label=f"Label {text}"[:60], intake=intake)
    SafetyPlan.objects.filter(pk=p.pk).update(protective_measures=text, contact_if_other_answers=text)
    PlanItem.objects.filter(plan=p).update(note=text)
    PlanContact.objects.create(plan=p, label=text[:60], number="99999999", order=9)
    safety_plan_review(plan=p, user=counsellor, next_review_on=timezone.localdate() + 7 * DAY, note=text)
    p.refresh_from_db()
    if when:
        age_plan(p, when)
    return p


def closed_incident(users, units, *, closed=None, text="", action_open_overdue=False):
    """An exchange-student report (so it has checklist steps), reviewed, with an action, reopened once
    (a reason) and closed; every free-text field carries ``text``."""
    manager = users["manager"]
    incident, _created = incident_services.incident_report(
        user=users["staff"],
        form_token=uuid.uuid4(),
        type="exchange_students",
        occurred_at=timezone.now() - 2 * DAY,
        unit=units[UNIVERSITY],
        place=f"Place {text}",
        what_happened=f"What happened {text}",
        immediate_actions=["manager_notified"],
        affected_staff=2,
    )
    incident = incident_services.incident_assign(
        incident=incident, user=manager, assignee=manager, expected_version=incident.version
    )
    action = incident_services.action_add(
        incident=incident,
        user=manager,
        description=f"Action {text}",
        responsible=users["editor"],
        deadline=timezone.localdate() + 30 * DAY,
    )
    incident_services.action_update(action=action, user=manager, status="done", evaluation=f"Worked {text}")
    step = incident.steps.first()
    incident_services.step_update(step=step, user=manager, responsible=manager, done=True)
    close = {
        "user": manager,
        "evaluation_summary": f"Summary {text}",
        "learning_points": f"Learning {text}",
        "debrief_offered": False,
        "debrief_at": None,
        "routine_needs_revision": False,
        "reporter_feedback": f"Feedback {text}",
    }
    incident.refresh_from_db()
    incident = incident_services.incident_close(incident=incident, expected_version=incident.version, **close)
    incident = incident_services.incident_transition(
        incident=incident,
        user=manager,
        to_state="in_review",
        expected_version=incident.version,
        reason=f"Reopened {text}",
    )
    incident = incident_services.incident_close(incident=incident, expected_version=incident.version, **close)
    if action_open_overdue:
        # A report closed before closing required every action finished: its action is still open and late.
        IncidentAction.objects.filter(pk=action.pk).update(status="open", deadline=timezone.localdate() - DAY)
    if closed:
        Incident.objects.filter(pk=incident.pk).update(closed_at=closed)
    incident.refresh_from_db()
    return incident


# --- boundaries: one day inside the period is kept, one day past it goes ---------------------------------------


def test_intake_drafts_expire_after_the_draft_period(users, units, intake_trees):
    now = timezone.now()
    kept = draft(users, units, intake_trees, when=now - (DRAFT_DAYS - 1) * DAY)
    gone = draft(users, units, intake_trees, when=now - (DRAFT_DAYS + 1) * DAY)
    # A finalized intake of the same age is under the (longer) intake period.
    old_final = finalized(users, units, intake_trees, when=now - (DRAFT_DAYS + 1) * DAY)
    result = purge_expired(dry_run=False)
    assert result.counts["intake_drafts"] == 1
    assert set(Intake.objects.values_list("pk", flat=True)) == {kept.pk, old_final.pk}
    assert not Intake.objects.filter(pk=gone.pk).exists()


def test_finalized_intakes_expire_after_the_intake_period_from_their_last_activity(users, units, intake_trees):
    now = timezone.now()
    kept = finalized(users, units, intake_trees, when=now - (INTAKE_DAYS - 1) * DAY)
    gone = finalized(users, units, intake_trees, when=now - (INTAKE_DAYS + 1) * DAY)
    # Old in every field but one recent addendum: still in use.
    addendum_recent = finalized(users, units, intake_trees, when=now - (INTAKE_DAYS + 1) * DAY)
    IntakeNoteAddendum.objects.filter(intake=addendum_recent).update(created_at=now - (INTAKE_DAYS - 1) * DAY)
    result = purge_expired(dry_run=False)
    assert result.counts == {
        "intake_drafts": 0,
        "case_contacts": 0,
        "registrations": 0,
        "intakes": 1,
        "safety_plans": 0,
        "incidents": 0,
        "exercises": 0,
    }
    assert set(Intake.objects.values_list("pk", flat=True)) == {kept.pk, addendum_recent.pk}
    assert not IntakeNoteAddendum.objects.filter(intake_id=gone.pk).exists()


def test_safety_plans_expire_after_their_period_and_go_with_items_contacts_and_reviews(users, units, intake_trees):
    now = timezone.now()
    kept = plan(users, units, when=now - (PLAN_DAYS - 1) * DAY)
    gone = plan(users, units, when=now - (PLAN_DAYS + 1) * DAY)
    # A review planned inside the period keeps an otherwise old plan.
    planned = plan(users, units, when=now - (PLAN_DAYS + 1) * DAY)
    SafetyPlan.objects.filter(pk=planned.pk).update(next_review_on=timezone.localdate(now - (PLAN_DAYS - 1) * DAY))
    result = purge_expired(dry_run=False)
    assert result.counts["safety_plans"] == 1
    assert set(SafetyPlan.objects.values_list("pk", flat=True)) == {kept.pk, planned.pk}
    for model in (PlanItem, PlanContact, PlanReview):
        assert not model.objects.filter(plan_id=gone.pk).exists()
        assert model.objects.filter(plan_id=kept.pk).exists()


def test_an_intake_and_its_plan_are_one_case(users, units, intake_trees):
    """Neither expires while the other is in use, and a dry run counts what a real run then does."""
    now, old, recent = timezone.now(), timezone.now() - (INTAKE_DAYS + 1) * DAY, timezone.now() - DAY
    old_intake_recent_plan = finalized(users, units, intake_trees, when=old)
    plan(users, units, intake=old_intake_recent_plan, when=recent)
    recent_intake = finalized(users, units, intake_trees, when=recent)
    old_plan_recent_intake = plan(users, units, intake=recent_intake, when=old)
    both_old = finalized(users, units, intake_trees, when=old)
    both_old_plan = plan(users, units, intake=both_old, when=old)
    dry = purge_expired(dry_run=True, now=now)
    real = purge_expired(dry_run=False, now=now)
    assert (
        dry.counts
        == real.counts
        == {
            "intake_drafts": 0,
            "case_contacts": 0,
            "registrations": 0,
            "intakes": 1,
            "safety_plans": 1,
            "incidents": 0,
            "exercises": 0,
        }
    )
    assert not Intake.objects.filter(pk=both_old.pk).exists()
    assert not SafetyPlan.objects.filter(pk=both_old_plan.pk).exists()
    assert Intake.objects.filter(pk=old_intake_recent_plan.pk).exists()
    assert SafetyPlan.objects.filter(pk=old_plan_recent_intake.pk).exists()


def test_closed_incidents_are_anonymised_after_their_period_open_ones_never(users, units):
    now = timezone.now()
    kept = closed_incident(users, units, closed=now - (INCIDENT_DAYS - 1) * DAY)
    gone = closed_incident(users, units, closed=now - (INCIDENT_DAYS + 1) * DAY)
    still_open = closed_incident(users, units, closed=now - (INCIDENT_DAYS + 1) * DAY)
    Incident.objects.filter(pk=still_open.pk).update(state=Incident.State.IN_REVIEW)
    result = purge_expired(dry_run=False)
    assert result.counts["incidents"] == 1
    assert Incident.objects.get(pk=gone.pk).anonymised_at is not None
    assert Incident.objects.filter(anonymised_at__isnull=False).count() == 1
    assert Incident.objects.get(pk=kept.pk).what_happened.startswith("What happened")
    assert Incident.objects.count() == 3  # anonymised, not deleted


# --- what goes, what stays ---------------------------------------------------------------------------------


@pytest.fixture
def expired_records(users, units, intake_trees):
    """One expired record of each kind (and one that is not), every free-text field holding its own canary."""
    now = timezone.now()
    canaries = {kind: canary() for kind in ("draft", "intake", "plan", "incident", "fresh")}
    records = {
        "draft": draft(users, units, intake_trees, when=now - (DRAFT_DAYS + 1) * DAY, text=canaries["draft"]),
        "intake": finalized(users, units, intake_trees, when=now - (INTAKE_DAYS + 1) * DAY, text=canaries["intake"]),
        "plan": plan(users, units, when=now - (PLAN_DAYS + 1) * DAY, text=canaries["plan"]),
        "incident": closed_incident(
            users, units, closed=now - (INCIDENT_DAYS + 1) * DAY, text=canaries["incident"], action_open_overdue=True
        ),
        "fresh": finalized(users, units, intake_trees, text=canaries["fresh"]),
    }
    return records, canaries


def test_no_free_text_of_a_purged_record_is_left_anywhere_in_the_database(expired_records):
    _records, canaries = expired_records
    before = dump()
    assert all(c in before for c in canaries.values())  # the test can fail: every canary was stored
    # place, what happened, summary, learning, feedback to the reporter, action, its evaluation, reason
    assert before.count(canaries["incident"]) == 8
    purge_expired(dry_run=False)
    after = dump()
    for kind in ("draft", "intake", "plan", "incident"):
        assert canaries[kind] not in after, kind
    assert canaries["fresh"] in after


def test_an_anonymised_incident_keeps_its_facts_and_loses_its_people(expired_records, users):
    records, _canaries = expired_records
    before = Incident.objects.get(pk=records["incident"].pk)
    managers_see = incident_selectors.visible_incidents(users["manager"], for_change=True).filter(pk=before.pk)
    assert managers_see.exists()
    assert IncidentUserObjectPermission.objects.filter(content_object=before).exists()
    purge_expired(dry_run=False)
    after = Incident.objects.get(pk=before.pk)
    kept = [
        "type",
        "unit_id",
        "occurred_at",
        "reported_at",
        "state",
        "closed_at",
        "immediate_actions",
        "affected_students",
        "affected_staff",
        "affected_others",
        "debrief_offered",
        "routine_needs_revision",
    ]
    assert {f: getattr(after, f) for f in kept} == {f: getattr(before, f) for f in kept}
    assert (after.place, after.what_happened, after.evaluation_summary, after.learning_points) == ("", "", "", "")
    assert (after.reporter_id, after.assigned_to_id, after.closed_by_id, after.form_token) == (None, None, None, None)
    assert after.version == before.version + 1
    action = IncidentAction.objects.get(incident=after)
    assert (action.description, action.evaluation, action.responsible_id) == ("", "", None)
    assert (action.status, action.deadline) == ("open", before.actions.get().deadline)
    assert not ChecklistStep.objects.filter(incident=after, responsible__isnull=False).exists()
    assert ChecklistStep.objects.filter(incident=after, done_at__isnull=False).count() == 1
    assert not IncidentTransition.objects.filter(incident=after).exists()
    # The reporter and the action's owner lose it; the unit's managers keep it for their list and overview.
    assert not IncidentUserObjectPermission.objects.filter(content_object=after).exists()
    assert managers_see.exists()  # through the manager's membership: no grant row to keep or lose
    assert not incident_selectors.my_reports(users["staff"]).filter(pk=after.pk).exists()


def test_the_anonymised_report_page_says_so_and_the_report_is_read_only(expired_records, client_for):
    records, canaries = expired_records
    incident = records["incident"]
    manager = client_for("manager")
    before = manager.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert reverse("incidents:transition", args=[incident.pk]) in before  # a manager could reopen it
    purge_expired(dry_run=False)
    response = manager.get(reverse("incidents:detail", args=[incident.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "anonymisert" in html and canaries["incident"] not in html
    assert reverse("incidents:transition", args=[incident.pk]) not in html
    action = IncidentAction.objects.get(incident=incident)
    assert reverse("incidents:action_update", args=[incident.pk, action.pk]) not in html
    # Nothing can bring text back: reopening, and writing an evaluation on its open action, are refused.
    version = Incident.objects.get(pk=incident.pk).version
    reopen = manager.post(
        reverse("incidents:transition", args=[incident.pk]), {"version": version, "reason": "New text"}
    )
    update = manager.post(
        reverse("incidents:action_update", args=[incident.pk, action.pk]),
        {f"a-{action.pk}-status": "done", f"a-{action.pk}-evaluation": "New text"},
    )
    assert (reopen.status_code, update.status_code) == (404, 404)
    assert Incident.objects.get(pk=incident.pk).state == "closed"
    assert IncidentAction.objects.get(pk=action.pk).evaluation == ""


def test_statistics_and_the_incident_overview_are_unchanged(expired_records, users):
    manager = users["manager"]
    today = timezone.localdate()

    def figures():
        incidents = incident_selectors.managed_incidents(manager)
        return (
            list(IntakeStatistic.objects.order_by("pk").values()),
            incident_selectors.per_month_by_type(incidents, today),
            incident_selectors.open_by_age(incidents, today),
            incident_selectors.overdue_by_unit(incidents, today),
            incidents.count(),
        )

    before = figures()
    assert len(before[0]) == 2 and before[3] and before[4]  # the intakes' rows, an overdue action, reports
    result = purge_expired(dry_run=False)
    assert result.counts == {
        "intake_drafts": 1,
        "case_contacts": 0,
        "registrations": 0,
        "intakes": 1,
        "safety_plans": 1,
        "incidents": 1,
        "exercises": 0,
    }
    assert figures() == before


def test_finalizing_marks_the_statistic_recorded(users, units, intake_trees):
    intake = finalized(users, units, intake_trees)
    assert intake.statistic_recorded and IntakeStatistic.objects.count() == 1


def test_a_missing_statistics_row_is_written_before_its_intake_is_deleted(users, units, intake_trees):
    old = timezone.now() - (INTAKE_DAYS + 1) * DAY
    with_row = finalized(users, units, intake_trees, when=old)
    without_row = finalized(users, units, intake_trees, when=old)
    # As if finalized some other way: no row, no flag.
    IntakeStatistic.objects.filter(pk=IntakeStatistic.objects.latest("pk").pk).delete()
    Intake.objects.filter(pk=without_row.pk).update(statistic_recorded=False)
    rows = list(IntakeStatistic.objects.values_list("pk", flat=True))
    assert purge_expired(dry_run=True).statistics_written == 1
    assert list(IntakeStatistic.objects.values_list("pk", flat=True)) == rows
    result = purge_expired(dry_run=False)
    assert result.counts["intakes"] == 2 and result.statistics_written == 1
    assert not Intake.objects.filter(pk__in=[with_row.pk, without_row.pk]).exists()
    assert IntakeStatistic.objects.count() == 2  # one each, no duplicate
    new = IntakeStatistic.objects.exclude(pk__in=rows).get()
    assert (new.unit_id, new.help_offered, new.contact_channel) == (without_row.unit_id, "day-counselling", "walk-in")
    assert new.month == timezone.localdate(old).replace(day=1)


def test_guardian_rows_of_deleted_records_are_gone(expired_records):
    records, _canaries = expired_records
    pairs = [
        (records["intake"], IntakeUserObjectPermission),
        (records["draft"], IntakeUserObjectPermission),
        (records["plan"], SafetyPlanUserObjectPermission),
    ]
    for record, user_model in pairs:
        assert user_model.objects.filter(content_object_id=record.pk).exists()
    purge_expired(dry_run=False)
    for record, user_model in pairs:
        assert not user_model.objects.filter(content_object_id=record.pk).exists()
    # Nothing is granted to groups any more (issue 16), so no group rows can outlive a record.
    for group_model in (IntakeGroupObjectPermission, SafetyPlanGroupObjectPermission, IncidentGroupObjectPermission):
        assert not group_model.objects.exists()
    assert IntakeUserObjectPermission.objects.filter(content_object_id=records["fresh"].pk).exists()


def test_one_system_audit_event_per_record_and_the_old_events_stay(expired_records):
    records, _canaries = expired_records
    old_events = set(AuditEvent.objects.values_list("pk", flat=True))
    purge_expired(dry_run=False)
    assert old_events <= set(AuditEvent.objects.values_list("pk", flat=True))
    expected = {
        ("retention.purged", "intake.intake", str(records["draft"].pk)),
        ("retention.purged", "intake.intake", str(records["intake"].pk)),
        ("retention.purged", "safety_plans.safetyplan", str(records["plan"].pk)),
        ("retention.anonymised", "incidents.incident", str(records["incident"].pk)),
    }
    events = AuditEvent.objects.filter(action__startswith="retention.")
    assert {(e.action, e.target_type, e.target_id) for e in events} == expected
    assert all(e.actor_id is None and e.unit_id is not None for e in events)
    assert events.get(target_id=str(records["plan"].pk)).unit_id == records["plan"].unit_id


# --- the command -------------------------------------------------------------------------------------------


def test_dry_run_changes_nothing_and_says_what_it_would_do(expired_records):
    before = dump()
    out = run("--dry-run")
    assert dump() == before
    assert "intake_drafts: would delete 1" in out
    assert "intakes: would delete 1" in out
    assert "safety_plans: would delete 1" in out
    assert "incidents: would anonymise 1" in out


def test_the_command_prints_and_logs_counts_never_content_or_ids(expired_records, caplog):
    records, canaries = expired_records
    with caplog.at_level(logging.INFO, logger="core.retention"):
        out = run()
    assert "intakes: deleted 1" in out and "incidents: anonymised 1" in out
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "intakes: deleted 1" in logged and "safety_plans: deleted 1" in logged
    for text in [out, logged]:
        assert not any(c in text for c in canaries.values())
        assert not any(str(r.pk) in text for r in records.values())


def test_a_second_run_does_nothing(expired_records):
    run()
    events, before = AuditEvent.objects.count(), dump()
    out = run()
    assert dump() == before and AuditEvent.objects.count() == events
    assert "intakes: deleted 0" in out and "incidents: anonymised 0" in out


def test_batches_handle_more_records_than_one_batch(users, units, intake_trees):
    old = timezone.now() - (DRAFT_DAYS + 1) * DAY
    for _ in range(5):
        draft(users, units, intake_trees, when=old)
    assert purge_expired(dry_run=False, batch_size=2).counts["intake_drafts"] == 5
    assert not Intake.objects.exists()


def test_a_bad_period_stops_the_command_naming_it(settings):
    settings.RETENTION = {**settings.RETENTION, "incident_days": 0}
    with pytest.raises(CommandError, match="incident_days"):
        run()


@pytest.mark.parametrize("value", ["0", "-3", "ten", "1.5", "36501"])
def test_a_bad_environment_value_is_a_startup_error_naming_the_variable(monkeypatch, value):
    from config.settings import env_days

    monkeypatch.setenv("DJANGO_RETENTION_INTAKE_DAYS", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_RETENTION_INTAKE_DAYS"):
        env_days("DJANGO_RETENTION_INTAKE_DAYS", 730)


def test_environment_values_override_the_defaults(monkeypatch):
    from config.settings import env_days

    assert env_days("DJANGO_RETENTION_INTAKE_DAYS", 730) == 730
    monkeypatch.setenv("DJANGO_RETENTION_INTAKE_DAYS", "400")
    assert env_days("DJANGO_RETENTION_INTAKE_DAYS", 730) == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock is PostgreSQL's")
def test_a_run_while_another_holds_the_lock_does_nothing_and_exits_cleanly(expired_records):
    import psycopg

    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k in {"dbname", "user", "host", "port", "password"}})
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        before = dump()
        out = run()  # returns normally: exit code 0
        assert "in progress; nothing done" in out
        assert dump() == before
        other.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        assert "intakes: deleted 1" in run()
    finally:
        other.close()


# --- what the record pages say ------------------------------------------------------------------------------


def test_the_date_a_page_shows_is_when_the_purge_takes_the_record(users, units, intake_trees):
    """The shown date comes from the same rules: the day before it nothing goes, the day after it goes."""
    from incidents.retention import incident_anonymised_after
    from intake.retention import intake_deleted_after
    from safety_plans.retention import safety_plan_deleted_after

    now = timezone.now()
    intake = finalized(users, units, intake_trees, when=now - 100 * DAY)
    p = plan(users, units, intake=intake, when=now - 50 * DAY)  # the plan's activity is the later one
    incident = closed_incident(users, units, closed=now - 10 * DAY)
    dates = {
        "intakes": intake_deleted_after(Intake.objects.get(pk=intake.pk)),
        "safety_plans": safety_plan_deleted_after(SafetyPlan.objects.get(pk=p.pk)),
        "incidents": incident_anonymised_after(Incident.objects.get(pk=incident.pk)),
    }
    assert dates["intakes"] == dates["safety_plans"] == timezone.localdate(now - 50 * DAY + PLAN_DAYS * DAY)
    assert dates["incidents"] == timezone.localdate(now - 10 * DAY + INCIDENT_DAYS * DAY)
    for kind, shown in dates.items():
        day_before = timezone.make_aware(timezone.datetime.combine(shown - DAY, timezone.datetime.min.time()))
        day_after = day_before + 2 * DAY  # the first moment after the shown date
        assert purge_expired(dry_run=True, now=day_before).counts[kind] == 0, kind
        assert purge_expired(dry_run=True, now=day_after).counts[kind] == 1, kind


def test_record_pages_say_when_the_record_goes(users, units, intake_trees, client_for):
    from intake.retention import intake_deleted_after
    from safety_plans.retention import safety_plan_deleted_after

    intake = finalized(users, units, intake_trees)
    p = plan(users, units, intake=intake)
    counsellor = client_for("counsellor")
    intake_html = counsellor.get(reverse("intake:review", args=[intake.pk])).content.decode()
    plan_html = counsellor.get(reverse("safety_plans:detail", args=[p.pk])).content.decode()
    for html, shown in [(intake_html, intake_deleted_after(intake)), (plan_html, safety_plan_deleted_after(p))]:
        assert "slettet etter" in html
        assert shown.strftime("%d.%m.%Y") in html
    incident = closed_incident(users, units)
    html = client_for("manager").get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "anonymisert etter" in html
