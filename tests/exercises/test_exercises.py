"""Exercises (øvelser) of routines: recording one, its findings as actions (the incident actions model), the
routine marked as needing revision, access (404 to outsiders), the audit log and retention."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.retention import purge_expired
from exercises.models import Exercise
from exercises.services import exercise_action_add, exercise_action_update, exercise_record
from incidents.models import IncidentAction
from routines.models import Routine
from routines.reminders import routine_reminders
from routines.services import routine_draft_start, routine_version_approve, routine_version_submit

VIOLENCE = "vold-og-trusler"


@pytest.fixture
def routine(routines):
    return Routine.objects.get(slug=VIOLENCE)


def _record(routine, user, **overrides):
    fields = {
        "held_on": timezone.localdate() - timedelta(days=1),
        "kind": Exercise.Kind.TABLE_TOP,
        "roles_present": ["Leder", " ", "Loggfører"],
        "participant_count": 6,
        "what_worked": "The police were called at once.",
        "what_did_not": "Nobody knew who calls next of kin.",
        "needs_revision": False,
    }
    return exercise_record(routine=routine, user=user, **{**fields, **overrides})


def test_recording_an_exercise_pins_the_current_version_and_is_audited(routine, users):
    exercise = _record(routine, users["manager"])
    assert exercise.version.number == 1 and exercise.roles_present == ["Leder", "Loggfører"]
    event = AuditEvent.objects.get(action="exercise.recorded")
    assert event.target_type == "exercises.exercise" and event.target_id == str(exercise.pk)
    assert "next of kin" not in str(event.__dict__)  # bare events, never the content


def test_an_exercise_in_the_future_or_a_revision_without_a_note_is_refused(routine, users):
    with pytest.raises(ValidationError):
        _record(routine, users["manager"], held_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError):
        _record(routine, users["manager"], needs_revision=True, revision_note=" ")
    assert not Exercise.objects.exists()


def test_needs_revision_puts_the_routine_on_the_review_list_until_a_new_version(client_for, routine, users):
    _record(routine, users["manager"], needs_revision=True, revision_note="Add a role card for next of kin")
    routine.refresh_from_db()
    assert routine.needs_revision and routine.revision_note == "Add a role card for next of kin"
    assert AuditEvent.objects.filter(action="routine.revision_requested").count() == 1
    page = client_for("editor").get(reverse("routines:overdue"))
    assert "Add a role card for next of kin" in page.content.decode()
    assert any(r.path == reverse("routines:overdue") for r in routine_reminders(users["editor"]))
    history = client_for("manager").get(reverse("routines:history", args=[VIOLENCE])).content.decode()
    assert 'id="needs-revision"' in history and "Add a role card for next of kin" in history
    # A new version, approved by a second person, is the revision: the routine leaves the list.
    draft = routine_draft_start(routine=routine, user=users["editor"])
    routine_version_submit(version=draft, user=users["editor"])
    routine_version_approve(version=draft, user=users["manager"], numbers_confirmed=False)
    routine.refresh_from_db()
    assert not routine.needs_revision and routine.revision_note == ""


def test_a_finding_becomes_an_action_that_is_reminded_and_followed_up(routine, users):
    from exercises.reminders import exercise_reminders

    exercise = _record(routine, users["manager"])
    action = exercise_action_add(
        exercise=exercise,
        user=users["manager"],
        description="Name who calls next of kin.",
        responsible=users["editor"],
        deadline=timezone.localdate(),
    )
    assert action.exercise == exercise and action.incident is None and action.status == "open"
    assert [r.count for r in exercise_reminders(users["editor"])] == [1]
    assert exercise_reminders(users["staff"]) == []
    with pytest.raises(ValidationError):
        exercise_action_update(action=action, user=users["editor"], status="cancelled", evaluation="")
    exercise_action_update(action=action, user=users["editor"], status="done", evaluation="Yes, in version 2.")
    action.refresh_from_db()
    assert action.status == "done" and exercise_reminders(users["editor"]) == []
    assert AuditEvent.objects.filter(action="exercise.action_changed").count() == 1


def test_an_action_is_given_only_to_the_routines_editors_and_managers(routine, users):
    exercise = _record(routine, users["manager"])
    for outsider in ("staff", "manager_other", "counsellor"):
        with pytest.raises(ValidationError):
            exercise_action_add(
                exercise=exercise,
                user=users["manager"],
                description="x",
                responsible=users[outsider],
                deadline=timezone.localdate(),
            )
    with pytest.raises(ValidationError):
        exercise_action_add(
            exercise=exercise,
            user=users["manager"],
            description="x",
            responsible=users["editor"],
            deadline=timezone.localdate() - timedelta(days=1),
        )


def test_an_action_belongs_to_an_incident_or_an_exercise_never_both_or_neither(routine, users, incident_records):
    exercise = _record(routine, users["manager"])
    incident = next(iter(incident_records.values()))
    for subject in ({}, {"incident": incident, "exercise": exercise}):
        with pytest.raises(IntegrityError), transaction.atomic():
            IncidentAction.objects.create(
                description="x", responsible=users["manager"], deadline=timezone.localdate(), **subject
            )


def test_exercise_actions_stay_off_the_incident_pages(client_for, routine, users, incident_records):
    exercise = _record(routine, users["manager"])
    exercise_action_add(
        exercise=exercise,
        user=users["manager"],
        description="Exercise finding.",
        responsible=users["manager"],
        deadline=timezone.localdate(),
    )
    mine = client_for("manager").get(reverse("incidents:mine"))
    assert mine.status_code == 200 and "Exercise finding." not in mine.content.decode()
    assert client_for("manager").get(reverse("incidents:list")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 200), ("editor", 200), ("admin", 200), ("manager_other", 404), ("staff", 404), ("printshop", 404)],
)
def test_only_the_routines_editors_and_managers_see_exercises(client_for, routine, users, persona, status):
    exercise = _record(routine, users["manager"])
    client = client_for(persona)
    # A manager of another unit has the list, of her own units' exercises: this one is not on it.
    listing = client.get(reverse("exercises:list"))
    assert listing.status_code == (200 if persona == "manager_other" else status)
    assert (str(exercise.pk) in listing.content.decode()) == (status == 200)
    assert client.get(reverse("exercises:new", args=[VIOLENCE])).status_code == status
    assert client.get(reverse("exercises:detail", args=[exercise.pk])).status_code == status


def test_a_refused_exercise_page_is_logged_as_a_refusal(client_for, routine, users):
    exercise = _record(routine, users["manager"])
    assert client_for("manager_other").get(reverse("exercises:detail", args=[exercise.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="record.access_refused", target_type="exercises.exercise").exists()


def test_recording_through_the_page_then_adding_an_action(client_for, routine, users):
    client = client_for("manager")
    url = reverse("exercises:new", args=[VIOLENCE])
    bad = client.post(url, {"held_on": "", "kind": "full", "participant_count": "0", "what_worked": "Kept"})
    assert bad.status_code == 200 and bad.context["form"].errors.keys() >= {"held_on", "participant_count"}
    assert "Kept" in bad.content.decode()  # nothing typed is lost
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "kind": "full",
            "participant_count": "4",
            "other_roles": "reception, caretaker",
            "what_did_not": "The log was not kept.",
            "needs_revision": "on",
            "revision_note": "Who keeps the log",
        },
    )
    exercise = Exercise.objects.get()
    assert response.status_code == 302 and response.url == reverse("exercises:detail", args=[exercise.pk])
    assert exercise.roles_present == ["reception", "caretaker"] and exercise.needs_revision
    add = reverse("exercises:action_add", args=[exercise.pk])
    refused = client.post(add, {"new-description": "Train the log-keeper", "new-responsible": users["staff"].pk})
    assert refused.status_code == 400 and not IncidentAction.objects.exists()
    ok = client.post(
        add,
        {
            "new-description": "Train the log-keeper",
            "new-responsible": users["editor"].pk,
            "new-deadline": timezone.localdate().isoformat(),
        },
    )
    assert ok.status_code == 302
    action = IncidentAction.objects.get()
    page = client.get(reverse("exercises:detail", args=[exercise.pk])).content.decode()
    assert "Train the log-keeper" in page
    # Another exercise's id with this action: not found.
    other = _record(routine, users["manager"])
    assert client.post(reverse("exercises:action_update", args=[other.pk, action.pk]), {}).status_code == 404


def test_expired_exercises_go_with_their_actions_but_not_while_one_is_open(routine, users):
    old = _record(routine, users["manager"], held_on=timezone.localdate() - timedelta(days=1900))
    action = exercise_action_add(
        exercise=old,
        user=users["manager"],
        description="Still open.",
        responsible=users["editor"],
        deadline=timezone.localdate(),
    )
    recent = _record(routine, users["manager"])
    purge_expired(dry_run=False)
    assert Exercise.objects.filter(pk=old.pk).exists()
    exercise_action_update(action=action, user=users["editor"], status="done", evaluation="")
    purge_expired(dry_run=False)
    assert list(Exercise.objects.all()) == [recent] and not IncidentAction.objects.filter(exercise=old.pk).exists()
    assert AuditEvent.objects.filter(action="retention.purged", target_id=str(old.pk)).exists()
