"""The access review: which reads are flagged, on the page and from ``manage.py audit_report``."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from accounts.models import Unit
from audit.models import AuditEvent
from audit.review import GONE, NOT_OWN_CASE, OUTSIDE_UNIT, flagged_reads
from audit.services import audit_log
from incidents.models import Incident
from intake.models import Intake
from safety_plans.models import SafetyPlan
from tests.conftest import INCIDENT_CENTRE_B, INCIDENT_UNIVERSITY, INTAKE_A, PLAN_A

TODAY = timezone.localdate


def read(users, who, action, model, pk, unit):
    """A read as the views write it (some of them by people who could not reach the record: the review is
    there to catch exactly what should not happen)."""
    return audit_log(actor=users[who], action=action, target=model(pk=pk), unit=unit)


@pytest.fixture
def reads(users, units, safety_plan_a, incident_records):
    """Reads of each kind of record, own and not own; returns {name: event}."""
    from intake.services import intake_share

    intake = Intake.objects.get(pk=INTAKE_A)
    intake_share(intake=intake, by=users["counsellor"], with_user=users["counsellor2"])
    a, b, uni = units[CENTRE_A], units[CENTRE_B], units[UNIVERSITY]
    return {
        "owner_intake": read(users, "counsellor", "intake.viewed", Intake, INTAKE_A, a),
        "shared_intake": read(users, "counsellor2", "intake.viewed", Intake, INTAKE_A, a),
        "manager_intake": read(users, "manager", "intake.printed", Intake, INTAKE_A, a),
        "colleague_plan": read(users, "counsellor2", "safety_plan.viewed", SafetyPlan, PLAN_A, a),  # not shared
        "outsider_plan": read(users, "counsellor_other", "safety_plan.printed", SafetyPlan, PLAN_A, a),
        "owner_plan_change": read(users, "manager", "safety_plan.changed", SafetyPlan, PLAN_A, a),  # not a read
        "reporter_incident": read(users, "staff", "incident.viewed", Incident, INCIDENT_UNIVERSITY, uni),
        "manager_incident": read(users, "manager", "incident.viewed", Incident, INCIDENT_UNIVERSITY, uni),
        "admin_incident": read(users, "admin", "incident.viewed", Incident, INCIDENT_CENTRE_B, b),
        "outsider_incident": read(users, "counsellor", "incident.viewed", Incident, INCIDENT_CENTRE_B, b),
        "gone_in_unit": read(users, "manager", "intake.viewed", Intake, str(uuid.uuid4()), a),
        "gone_outside": read(users, "counsellor_other", "intake.viewed", Intake, str(uuid.uuid4()), a),
        "gone_incident_member": read(users, "manager_other", "incident.viewed", Incident, str(uuid.uuid4()), b),
        "gone_no_unit": audit_log(
            actor=users["manager"], action="safety_plan.viewed", target=SafetyPlan(pk=uuid.uuid4())
        ),
    }


def reasons(review) -> dict:
    return {(read.actor.username, read.action, read.target_id): read.reason for read in review.flagged}


def key(event):
    return (event.actor.username, event.action, event.target_id)


def test_flagged_reads_follow_the_rules(reads):
    review = flagged_reads(since=TODAY() - timedelta(days=1))
    got = reasons(review)
    expected = {
        "manager_intake": NOT_OWN_CASE,
        "colleague_plan": NOT_OWN_CASE,
        "outsider_plan": OUTSIDE_UNIT,
        "admin_incident": OUTSIDE_UNIT,
        "outsider_incident": OUTSIDE_UNIT,
        "gone_in_unit": GONE,
        "gone_outside": OUTSIDE_UNIT,
        "gone_no_unit": GONE,
    }
    assert got == {key(reads[name]): reason for name, reason in expected.items()}
    own_reads = ("owner_intake", "shared_intake", "reporter_incident", "manager_incident", "gone_incident_member")
    for own in own_reads + ("owner_plan_change",):
        assert key(reads[own]) not in got
    # Examined: every read of the three types (the change is not a read).
    assert review.examined == len(reads) - 1


def test_a_share_taken_back_shows_an_old_read_as_flagged(reads, users):
    from intake.services import intake_unshare

    intake_unshare(intake=Intake.objects.get(pk=INTAKE_A), by=users["counsellor"], with_user=users["counsellor2"])
    assert reasons(flagged_reads(since=TODAY()))[key(reads["shared_intake"])] == NOT_OWN_CASE


def test_an_action_owner_reading_an_incident_is_not_flagged(reads, users, units):
    # counsellor2 is not in the university section, but owns an action on its report.
    from incidents.services import action_add

    incident = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    event = read(users, "counsellor2", "incident.viewed", Incident, INCIDENT_UNIVERSITY, units[UNIVERSITY])
    assert key(event) in reasons(flagged_reads(since=TODAY()))
    action_add(
        incident=incident, user=users["manager"], description="x", responsible=users["counsellor2"], deadline=TODAY()
    )
    assert key(event) not in reasons(flagged_reads(since=TODAY()))


def test_the_period_and_the_unit_limit_the_review(reads, units, users):
    AuditEvent.objects.create(
        at=timezone.now() - timedelta(days=10),
        actor=users["counsellor_other"],
        action="intake.viewed",
        target_type="intake.intake",
        target_id=INTAKE_A,
        unit=units[CENTRE_A],
    )
    assert len(flagged_reads(since=TODAY() - timedelta(days=11), until=TODAY() - timedelta(days=9)).flagged) == 1
    assert len(flagged_reads(since=TODAY()).flagged) == 8
    centre_b = flagged_reads(since=TODAY(), units=Unit.objects.filter(slug=CENTRE_B))
    # Centre B's events only: counsellor_other's reads of centre A's records are centre A's to review (centre
    # B's manager does not even learn those records' ids).
    assert {r.actor.username for r in centre_b.flagged} == {"admin", "counsellor"}


def test_the_review_costs_the_same_queries_however_many_reads(reads, users, units):
    def count():
        with CaptureQueriesContext(connection) as queries:
            flagged_reads(since=TODAY())
        return len(queries)

    before = count()
    for _ in range(30):
        read(users, "manager", "intake.viewed", Intake, INTAKE_A, units[CENTRE_A])
        read(users, "counsellor_other", "incident.viewed", Incident, INCIDENT_UNIVERSITY, units[UNIVERSITY])
        read(users, "counsellor2", "safety_plan.viewed", SafetyPlan, str(uuid.uuid4()), units[CENTRE_A])
    assert count() == before <= 10


def test_a_malformed_target_id_does_not_crash(users, units, demo):
    AuditEvent.objects.create(
        actor=users["manager"],
        action="intake.viewed",
        target_type="intake.intake",
        target_id="nonsense",
        unit=units[CENTRE_A],
    )
    assert [r.reason for r in flagged_reads(since=TODAY()).flagged] == [GONE]


# The page


def test_the_review_page_shows_the_managers_units_only(reads, client_for, users):
    response = client_for("manager").get(reverse("audit:review"))
    assert response.status_code == 200
    shown = reasons(response.context["review"])
    assert key(reads["manager_intake"]) in shown and key(reads["outsider_plan"]) in shown
    assert key(reads["admin_incident"]) not in shown  # centre B's
    body = response.content.decode()
    assert "ikke egen sak" in body and "utenfor egen enhet" in body
    assert AuditEvent.objects.filter(actor=users["manager"], action="audit.review_viewed").count() == 1

    other = reasons(client_for("manager_other").get(reverse("audit:review")).context["review"])
    assert key(reads["admin_incident"]) in other and key(reads["manager_intake"]) not in other


def test_the_review_page_validates_its_period_and_unit(reads, client_for):
    manager = client_for("manager")
    response = manager.get(reverse("audit:review") + "?since=2026-03-10&until=2026-03-01")
    assert "until" in response.context["form"].errors and response.context["review"] is None
    response = manager.get(reverse("audit:review") + "?since=yesterday")
    assert "since" in response.context["form"].errors
    b = Unit.objects.get(slug=CENTRE_B).pk
    assert "unit" in manager.get(reverse("audit:review") + f"?since=2020-01-01&unit={b}").context["form"].errors


def test_the_admin_reviews_one_unit(reads, client_for):
    b = Unit.objects.get(slug=CENTRE_B).pk
    shown = reasons(client_for("admin").get(reverse("audit:review") + f"?since={TODAY()}&unit={b}").context["review"])
    assert key(reads["admin_incident"]) in shown and key(reads["manager_intake"]) not in shown


# The command


def test_the_command_lists_flagged_reads_and_a_summary(reads, capsys):
    call_command("audit_report", "--since", str(TODAY()))
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"8 flagged reads of {len(reads) - 1} reads examined since {TODAY():%Y-%m-%d}."
    assert len(out) == 9
    assert any(PLAN_A in line and "counsellor_other" in line and "outside_unit" in line for line in out)
    assert not any(line.split("  ")[1] == "staff" for line in out[:-1])
    assert AuditEvent.objects.filter(action="audit.report_made", actor=None).count() == 1


def test_the_command_for_one_unit_as_csv(reads, capsys):
    call_command("audit_report", "--since", str(TODAY()), "--unit", CENTRE_B, "--format", "csv")
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "when,username,action,record_type,record_id,unit,reason"
    assert {line.split(",")[1] for line in lines[1:]} == {"admin", "counsellor"}
    assert "flagged reads of" in captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "--since must be a date written YYYY-MM-DD"),
        (["--since", "yesterday"], "--since must be a date written YYYY-MM-DD"),
        (["--since", "2026-03-10", "--until", "2026-03-01"], "--until cannot be before --since"),
        (["--since", "2026-03-10", "--unit", "no-such-unit"], "No unit with the short name"),
    ],
)
def test_the_command_refuses_bad_arguments(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("audit_report", *args)


def test_the_default_review_pages_through_more_than_fifty_flagged_reads(intake_a, client_for, users):
    for _ in range(55):  # the manager reads a counsellor's intake: "not own case", each flagged
        audit_log(actor=users["manager"], action="intake.viewed", target=intake_a, unit=intake_a.unit)
    manager = client_for("manager")
    first = manager.get(reverse("audit:review"))
    assert first.context["page"].paginator.count == 55
    next_link = re.search(r'href="(\?[^"]*page=2)"', first.content.decode()).group(1).replace("&amp;", "&")
    assert "since=" in next_link  # the default period travels with the page number
    second = manager.get(reverse("audit:review") + next_link)
    assert second.context["form"].errors == {}
    assert second.context["page"].number == 2 and len(second.context["page"].object_list) == 5


def test_a_period_ending_on_the_last_possible_day_is_a_period_without_end(reads, client_for):
    """9999-12-31 is a date a form accepts; the day after it is not (found by the form fuzzer: a 500)."""
    manager = client_for("manager")
    response = manager.get(reverse("audit:review"), {"since": "2026-01-01", "until": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["review"].flagged  # the period still holds the reads
    response = manager.get(reverse("audit:list"), {"date_from": "2026-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 200
