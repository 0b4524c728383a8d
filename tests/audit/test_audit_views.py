"""The access log at /audit/: who sees which events, the filters, and that no record content ever shows."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from audit.models import AuditEvent
from audit.services import audit_log
from intake.models import Intake
from tests.conftest import INTAKE_A, PLAN_A

URL = reverse("audit:list")
SECRET_LABEL = "Hemmelig-etikett-Zq81x"
SECRET_ANSWER = "Svar-som-ingen-skal-se-Vk27p"


def listed(response) -> list:
    """The log's rows on the page, as (username, action code, target id)."""
    return [(row.actor.username if row.actor else None, row.action, row.target_id) for row in response.context["rows"]]


def at(days_ago: int, hour: int = 12) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def world(users, units, safety_plan_a, incident_records):
    """Events on both sides of the unit boundary, made through the pages where possible."""
    from safety_plans.models import SafetyPlan

    SafetyPlan.objects.filter(pk=PLAN_A).update(label=SECRET_LABEL)
    Intake.objects.filter(pk=INTAKE_A).update(answers={"reason": SECRET_ANSWER})
    counsellor = _client(users["counsellor"])
    assert counsellor.get(reverse("safety_plans:detail", args=[PLAN_A])).status_code == 200
    assert counsellor.get(reverse("intake:review", args=[INTAKE_A])).status_code == 200
    manager = _client(users["manager"])
    assert manager.get(reverse("safety_plans:detail", args=[PLAN_A])).status_code == 200
    audit_log(actor=users["counsellor_other"], action="auth.login")
    audit_log(actor=users["counsellor"], action="auth.login")
    audit_log(actor=users["counsellor2"], action="auth.login")
    audit_log(actor=users["manager_other"], action="unit.viewed", target=units[CENTRE_B], unit=units[CENTRE_B])
    return {"plan": PLAN_A, "intake": INTAKE_A}


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["staff", "counsellor", "counsellor2", "counsellor_other", "editor", "printshop"])
def test_outsiders_get_404(world, client_for, persona):
    for name in ("audit:list", "audit:export", "audit:review"):
        assert client_for(persona).get(reverse(name)).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()


def test_logged_out_are_sent_to_log_in(client_for):
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_manager_sees_her_units_and_their_members_only(world, client_for):
    response = client_for("manager").get(URL)
    assert response.status_code == 200
    rows = listed(response)
    actors = {username for username, _action, _id in rows}
    assert {"counsellor", "counsellor2", "manager"} <= actors
    assert "counsellor_other" not in actors and "manager_other" not in actors
    assert ("counsellor", "safety_plan.viewed", PLAN_A) in rows
    assert ("counsellor", "auth.login", "") in rows  # a member's login, though it has no unit


def test_the_other_manager_sees_the_other_side(world, client_for):
    rows = listed(client_for("manager_other").get(URL))
    actors = {username for username, _action, _id in rows}
    assert actors == {"counsellor_other", "manager_other"}
    # (INCIDENT_CENTRE_B happens to share PLAN_A's id: compare the actions.)
    assert not [action for _u, action, _i in rows if action.startswith(("safety_plan.", "intake."))], rows


def test_admin_sees_everything(world, client_for):
    rows = listed(client_for("admin").get(URL + "?date_from=2000-01-01"))
    actors = {username for username, _action, _id in rows}
    assert {"counsellor", "counsellor_other", "manager", "manager_other", "counsellor2"} <= actors


def test_viewing_the_log_is_logged(world, client_for, users):
    client_for("manager").get(URL)
    assert AuditEvent.objects.filter(actor=users["manager"], action="audit.viewed").count() == 1


def test_no_record_content_on_the_page_or_in_the_csv(world, client_for):
    for persona in ("manager", "admin"):
        client = client_for(persona)
        for response in (
            client.get(URL),
            client.get(URL + f"?record={PLAN_A}"),
            client.get(reverse("audit:export")),
            client.get(reverse("audit:review")),
        ):
            body = b"".join(response).decode()  # the CSV export is streamed
            assert response.status_code == 200
            assert SECRET_LABEL not in body and SECRET_ANSWER not in body
    page = client_for("manager").get(URL).content.decode()
    assert PLAN_A[:8] in page  # the record is named by its short id


def test_each_row_says_when_who_what_which_record_and_unit(world, client_for):
    page = client_for("manager").get(URL + f"?record={PLAN_A}&person=manager").content.decode()
    assert "manager (Marit Leder)" in page
    assert "Åpnet en sikkerhetsplan" in page  # the translated label of safety_plan.viewed
    assert "sikkerhetsplan" in page and PLAN_A[:8] in page
    assert "Nordby krisesenter" in page


def test_person_filter(world, client_for):
    rows = listed(client_for("manager").get(URL + "?person=counsellor"))
    assert rows and {u for u, _a, _i in rows} == {"counsellor"}


def test_person_filter_offers_only_people_the_manager_may_review(world, client_for):
    response = client_for("manager").get(URL + "?person=counsellor_other")
    form = response.context["form"]
    assert "person" in form.errors
    assert listed(response) == []
    usernames = [user.username for user in form.fields["person"].queryset]
    assert "counsellor" in usernames and "counsellor_other" not in usernames and "manager_other" not in usernames


def test_kind_filter(world, client_for):
    viewed = listed(client_for("manager").get(URL + "?kind=viewed"))
    assert viewed and all(action.endswith("viewed") for _u, action, _i in viewed)
    auth = listed(client_for("manager").get(URL + "?kind=auth"))
    assert auth and {action for _u, action, _i in auth} == {"auth.login"}
    changed = listed(client_for("manager").get(URL + "?kind=changed"))
    assert {action for _u, action, _i in changed} >= {"safety_plan.created", "intake.created"}
    assert not {"auth.login", "safety_plan.viewed"} & {action for _u, action, _i in changed}


@pytest.mark.parametrize(
    "query",
    [
        f"record={PLAN_A}",
        f"record={PLAN_A.upper()}",
        f"record=http://testserver/safety-plans/{PLAN_A}/",
        f"record=/safety-plans/{PLAN_A}/print/",
        f"record_type=safety_plans.safetyplan&record={PLAN_A[:8]}",
    ],
)
def test_record_filter(world, client_for, query):
    rows = listed(client_for("manager").get(f"{URL}?{query}"))
    assert rows and {target for _u, _a, target in rows} == {PLAN_A}


def test_short_id_filter(world, client_for, users, units):
    import uuid

    from safety_plans.models import SafetyPlan

    other = str(uuid.uuid4())
    audit_log(actor=users["counsellor"], action="safety_plan.viewed", target=SafetyPlan(pk=other), unit=units[CENTRE_A])
    rows = listed(client_for("manager").get(f"{URL}?record={other[:8]}"))
    assert rows == [("counsellor", "safety_plan.viewed", other)]
    # The fixed test ids all start with eight zeros: a short id matches every record it starts.
    targets = {target for _u, _a, target in listed(client_for("manager").get(f"{URL}?record={PLAN_A[:8]}"))}
    assert {PLAN_A, INTAKE_A} <= targets and other not in targets


def test_record_type_filter_excludes_other_types(world, client_for):
    rows = listed(client_for("manager").get(URL + "?record_type=intake.intake"))
    assert rows and {target for _u, _a, target in rows} == {INTAKE_A}
    # The intake and the plan share no id, and the plan's id under the intake type matches nothing.
    assert listed(client_for("manager").get(f"{URL}?record_type=intake.intake&record={PLAN_A}")) == []


def test_a_record_filter_that_is_no_id_is_an_error(world, client_for):
    response = client_for("manager").get(URL + "?record=Kari+Nordmann")
    assert "record" in response.context["form"].errors
    assert listed(response) == []
    response = client_for("manager").get(URL + "?record=/routines/")
    assert "record" in response.context["form"].errors


def test_period_filter(world, client_for, users):
    old = AuditEvent.objects.create(at=at(40), actor=users["counsellor"], action="auth.logout")
    older = AuditEvent.objects.create(at=at(60), actor=users["counsellor"], action="auth.logout")
    day = timezone.localdate()
    in_period = listed(
        client_for("manager").get(f"{URL}?date_from={day - timedelta(days=41)}&date_to={day - timedelta(days=39)}")
    )
    assert in_period == [("counsellor", "auth.logout", "")]
    # Both ends are whole days: an event at noon on the last day is inside.
    period = f"date_from={day - timedelta(days=60)}&date_to={day - timedelta(days=40)}"
    assert len(listed(client_for("manager").get(f"{URL}?{period}"))) == 2
    recent = listed(client_for("manager").get(f"{URL}?date_from={day - timedelta(days=1)}"))
    assert recent and ("counsellor", "auth.logout", "") not in recent
    assert old.pk != older.pk


def test_period_must_not_end_before_it_starts(world, client_for):
    response = client_for("manager").get(URL + "?date_from=2026-03-10&date_to=2026-03-01")
    form = response.context["form"]
    assert form.errors["date_to"] == ["Slutten av perioden kan ikke være før starten."]
    assert listed(response) == []
    assert "Slutten av perioden kan ikke være før starten." in response.content.decode()
    assert "date_from" in client_for("manager").get(URL + "?date_from=not-a-date").context["form"].errors


def test_pages_of_fifty(world, client_for, users):
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=users["counsellor2"], action="auth.logout", at=at(2)) for _ in range(120)]
    )
    first = client_for("manager").get(URL + "?person=counsellor2")
    assert len(listed(first)) == 50
    assert first.context["page"].paginator.count == 121  # and her login in the fixture
    last = client_for("manager").get(URL + "?person=counsellor2&page=3")
    assert len(listed(last)) == 21


def test_csv_export_neutralises_formulas_and_is_logged(world, client_for, users, units):
    from accounts.roles import Role
    from accounts.services import membership_grant

    sly = get_user_model().objects.create_user("@sly", first_name='=HYPERLINK("http://x")', password="x" * 20)
    membership_grant(user=sly, unit=units[CENTRE_A], role=Role.STAFF)
    audit_log(actor=sly, action="auth.login")
    response = client_for("manager").get(reverse("audit:export") + "?person=@sly")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # a long log never sits whole in a worker's memory
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2
    assert "'@sly" in lines[1] and "'=HYPERLINK" in lines[1]
    assert AuditEvent.objects.filter(actor=users["manager"], action="audit.exported").count() == 1


def test_manager_of_the_university_sees_events_there(world, client_for, users, units):
    audit_log(actor=users["admin"], action="unit.viewed", target=units[UNIVERSITY], unit=units[UNIVERSITY])
    rows = listed(client_for("manager").get(URL + "?person=admin"))
    assert rows == [("admin", "unit.viewed", str(units[UNIVERSITY].pk))]
    assert listed(client_for("manager_other").get(URL + "?person=admin")) == []


@pytest.mark.parametrize(
    ("persona", "has_card"),
    [("manager", True), ("admin", True), ("counsellor", False), ("editor", False), ("printshop", False)],
)
def test_home_card_for_reviewers(demo, client_for, persona, has_card):
    body = client_for(persona).get(reverse("home")).content.decode()
    assert (f'href="{URL}"' in body) is has_card


def test_the_page_lists_every_event_counted(world, client_for, users):
    # Logging the view itself must not shift the page against its count.
    AuditEvent.objects.create(at=at(10), actor=users["counsellor"], action="auth.logout")
    response = client_for("manager").get(URL)
    assert len(listed(response)) == response.context["page"].paginator.count
    assert ("counsellor", "auth.logout", "") in listed(response)


def test_the_log_itself_stores_no_content(world, users):
    from safety_plans.models import SafetyPlan
    from safety_plans.services import safety_plan_save

    plan = SafetyPlan.objects.get(pk=PLAN_A)
    before = AuditEvent.objects.count()
    safety_plan_save(
        plan=plan,
        user=users["counsellor"],
        revision=plan.revision,
        sections={"label": SECRET_LABEL + "-2"},
        items={},
        contacts=[{"label": SECRET_ANSWER, "number": "12345678"}],
    )
    assert AuditEvent.objects.count() == before + 1
    stored = " ".join(" ".join(str(v) for v in row) for row in AuditEvent.objects.values_list())
    assert "safety_plan.changed" in stored and PLAN_A in stored
    assert SECRET_LABEL not in stored and SECRET_ANSWER not in stored and "12345678" not in stored


def test_a_page_of_fifty_costs_a_fixed_number_of_queries(
    world, client_for, users, units, django_assert_max_num_queries
):
    read = {"action": "intake.viewed", "target_type": "intake.intake", "target_id": INTAKE_A, "unit": units[CENTRE_A]}
    AuditEvent.objects.bulk_create([AuditEvent(actor=users["counsellor2"], **read) for _ in range(60)])
    client = client_for("manager")
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(listed(response)) == 50
