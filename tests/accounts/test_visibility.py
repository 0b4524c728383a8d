"""Issue 16: what a person sees follows from her memberships and her own grants, read on every request.

Each test goes through the pages as well as the selectors, so a cache between requests, or a grant row the
code still needed, would show."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.access import visible_units
from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from accounts.models import Membership
from accounts.roles import Role
from accounts.services import membership_grant, membership_revoke
from incidents import services as incident_services
from incidents.selectors import may_change_incident, visible_incidents
from intake.selectors import may_change_intake, visible_intakes
from intake.services import intake_create, intake_share, intake_unshare
from safety_plans.selectors import may_change_plan, visible_plans
from safety_plans.services import safety_plan_create, safety_plan_share, safety_plan_unshare


def _report(users, units, unit, reporter="staff"):
    incident, _created = incident_services.incident_report(
        user=users[reporter],
        form_token=uuid.uuid4(),
        type="threat_in_person",
        occurred_at=timezone.now() - timedelta(hours=1),
        unit=units[unit],
        place="Reception",
        what_happened="A visitor shouted.",
        immediate_actions=["manager_notified"],
    )
    return incident


@pytest.fixture
def one_per_unit(users, units, intake_trees):
    """A report, an intake and a plan in each of the three demo units, by people of that unit."""
    counsellors = {CENTRE_A: "counsellor", CENTRE_B: "counsellor_other", UNIVERSITY: "counsellor"}
    records = {}
    for unit in (CENTRE_A, CENTRE_B, UNIVERSITY):
        owner = users[counsellors[unit]]
        if unit == UNIVERSITY:  # the demo counsellor is not in the university section: give her a membership
            membership_grant(user=owner, unit=units[UNIVERSITY], role=Role.COUNSELLOR)
        records[unit] = {
            "incident": _report(users, units, unit, reporter=counsellors[unit]),
            "intake": intake_create(user=owner, unit=units[unit], tree_version=intake_trees["nb"]),
            "plan": safety_plan_create(user=owner, unit=units[unit], label=f"Plan {unit}"),
        }
    return records


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def _mine(records, kind, *unit_slugs):
    return {records[slug][kind].pk for slug in unit_slugs}


def _all(records, kind):
    return _mine(records, kind, CENTRE_A, CENTRE_B, UNIVERSITY)


def test_a_manager_of_two_units_sees_both_and_nothing_of_the_third(one_per_unit, users, client_for):
    manager, records = users["manager"], one_per_unit  # manager at centre A and the university section
    assert _ids(visible_incidents(manager)) & _all(records, "incident") == _mine(
        records, "incident", CENTRE_A, UNIVERSITY
    )
    assert _ids(visible_incidents(manager, for_change=True)) & _all(records, "incident") == _mine(
        records, "incident", CENTRE_A, UNIVERSITY
    )
    assert _ids(visible_intakes(manager)) & _all(records, "intake") == _mine(records, "intake", CENTRE_A, UNIVERSITY)
    assert _ids(visible_plans(manager)) & _all(records, "plan") == _mine(records, "plan", CENTRE_A, UNIVERSITY)
    assert {u.slug for u in visible_units(manager)} == {CENTRE_A, UNIVERSITY}
    # Read-only for case records: managers change neither intakes nor plans.
    assert not _ids(visible_intakes(manager, for_change=True)) & _all(records, "intake")
    assert not _ids(visible_plans(manager, for_change=True)) & _all(records, "plan")
    client = client_for("manager")
    for slug in (CENTRE_A, UNIVERSITY):
        assert client.get(reverse("incidents:detail", args=[records[slug]["incident"].pk])).status_code == 200
        assert client.get(reverse("intake:review", args=[records[slug]["intake"].pk])).status_code == 200
        assert client.get(reverse("safety_plans:detail", args=[records[slug]["plan"].pk])).status_code == 200
    third = records[CENTRE_B]
    assert client.get(reverse("incidents:detail", args=[third["incident"].pk])).status_code == 404
    assert client.get(reverse("intake:review", args=[third["intake"].pk])).status_code == 404
    assert client.get(reverse("safety_plans:detail", args=[third["plan"].pk])).status_code == 404
    listed = client.get(reverse("incidents:list")).context["page"].object_list
    assert third["incident"].pk not in {i.pk for i in listed}
    assert records[CENTRE_A]["incident"].pk in {i.pk for i in listed}


def test_a_membership_added_or_removed_counts_on_the_next_request(one_per_unit, users, units, client_for):
    staff, records = users["staff"], one_per_unit
    client = client_for("staff")
    incident, intake, plan = (records[CENTRE_B][k] for k in ("incident", "intake", "plan"))
    urls = [
        reverse("incidents:detail", args=[incident.pk]),
        reverse("intake:review", args=[intake.pk]),
        reverse("safety_plans:detail", args=[plan.pk]),
        reverse("unit_detail", args=[CENTRE_B]),
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    membership_grant(user=staff, unit=units[CENTRE_B], role=Role.MANAGER)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 200]
    assert incident.pk in {i.pk for i in client.get(reverse("incidents:list")).context["page"].object_list}
    membership_revoke(membership=Membership.objects.get(user=staff, role=Role.MANAGER))
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert not visible_incidents(staff).filter(pk=incident.pk).exists()
    # Her own report stays hers: the reporter's grant is personal, not a membership.
    own = _report(users, units, UNIVERSITY)
    assert client.get(reverse("incidents:detail", args=[own.pk])).status_code == 200


def test_a_share_still_works_and_is_revocable(one_per_unit, users, client_for):
    records = one_per_unit
    intake, plan = records[CENTRE_A]["intake"], records[CENTRE_A]["plan"]
    colleague = users["counsellor2"]  # counsellor at centre A, not the owner
    client = client_for("counsellor2")
    intake_url, plan_url = (
        reverse("intake:review", args=[intake.pk]),
        reverse("safety_plans:detail", args=[plan.pk]),
    )
    assert (client.get(intake_url).status_code, client.get(plan_url).status_code) == (404, 404)
    intake_share(intake=intake, by=users["counsellor"], with_user=colleague)
    safety_plan_share(plan=plan, by=users["counsellor"], with_user=colleague)
    assert (client.get(intake_url).status_code, client.get(plan_url).status_code) == (200, 200)
    assert may_change_intake(colleague, intake) and may_change_plan(colleague, plan)
    assert intake.pk in _ids(visible_intakes(colleague, for_change=True))
    assert plan.pk in _ids(visible_plans(colleague, for_change=True))
    intake_unshare(intake=intake, by=users["counsellor"], with_user=colleague)
    safety_plan_unshare(plan=plan, by=users["counsellor"], with_user=colleague)
    assert (client.get(intake_url).status_code, client.get(plan_url).status_code) == (404, 404)
    assert not may_change_intake(colleague, intake) and not may_change_plan(colleague, plan)


def test_an_action_owner_sees_the_report_and_a_reporter_only_her_own(one_per_unit, users):
    records = one_per_unit
    incident = records[CENTRE_B]["incident"]
    editor = users["editor"]
    assert not visible_incidents(editor).filter(pk=incident.pk).exists()
    incident_services.action_add(
        incident=incident,
        user=users["manager_other"],
        description="Call back",
        responsible=editor,
        deadline=timezone.localdate() + timedelta(days=3),
    )
    assert visible_incidents(editor).filter(pk=incident.pk).exists()
    assert not visible_incidents(editor, for_change=True).filter(pk=incident.pk).exists()
    assert not may_change_incident(editor, incident)
    assert may_change_incident(users["manager_other"], incident)
    assert _ids(visible_incidents(users["counsellor_other"])) & _all(records, "incident") == {incident.pk}


def test_administrators_see_every_report_and_unit_but_no_case_record(one_per_unit, users):
    admin, records = users["admin"], one_per_unit
    assert _all(records, "incident") <= _ids(visible_incidents(admin, for_change=True))
    assert {u.slug for u in visible_units(admin)} >= {CENTRE_A, CENTRE_B, UNIVERSITY}
    assert not _ids(visible_intakes(admin)) & _all(records, "intake")
    assert not _ids(visible_plans(admin)) & _all(records, "plan")


def test_no_grant_rows_for_units_and_no_other_persons_grants_are_read(one_per_unit, users):
    from incidents.models import IncidentGroupObjectPermission
    from intake.models import IntakeGroupObjectPermission
    from safety_plans.models import SafetyPlanGroupObjectPermission

    for model in (IncidentGroupObjectPermission, IntakeGroupObjectPermission, SafetyPlanGroupObjectPermission):
        assert not model.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        list(visible_incidents(users["manager"]))
        list(visible_intakes(users["manager"]))
        list(visible_plans(users["manager"]))
    assert queries  # her units and her own grants are read, then the records
    for query in queries:
        sql = query["sql"].lower()
        assert "groupobjectpermission" not in sql and "auth_user_groups" not in sql
