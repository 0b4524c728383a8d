"""Issue 21, risk assessment and causes: consequence x probability in words gives low / medium / high; the
reporter suggests, a manager confirms; the list shows and filters it, the overview counts it in a matrix;
closing takes a cause category and a root cause."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.demo import UNIVERSITY
from incidents import services
from incidents.models import Incident
from incidents.risk import risk_level
from tests.incidents.test_incidents import report


@pytest.mark.parametrize(
    ("c", "p", "level"),
    [(1, 1, "low"), (2, 2, "low"), (4, 1, "low"), (5, 1, "medium"), (3, 4, "medium"), (3, 5, "high"), (5, 5, "high")],
)
def test_levels_follow_the_five_by_five_bands(c, p, level):
    assert risk_level(c, p) == level
    assert risk_level(None, p) == ""


def test_reporter_suggests_in_words_and_the_manager_confirms(client_for, users, units):
    staff = client_for("staff")
    page = staff.get(reverse("incidents:new")).content.decode()
    assert "Svært lite sannsynlig" in page and "Kritisk" in page  # the scale is in words
    data = {
        "type": "violence",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "unit": units[UNIVERSITY].pk,
        "place": "Reception",
        "what_happened": "A visitor threw a chair.",
        "affected_students": "0",
        "affected_staff": "1",
        "affected_others": "0",
        "form_token": str(uuid.uuid4()),
        "suggested_consequence": "4",
        "suggested_probability": "4",
    }
    assert staff.post(reverse("incidents:new"), data).status_code == 302
    incident = Incident.objects.get()
    assert (incident.suggested_consequence, incident.risk_level, incident.risk_confirmed) == (4, "high", False)
    manager = client_for("manager")
    listing = manager.get(reverse("incidents:list")).content.decode()
    assert "Høy risiko" in listing and "(forslag)" in listing
    response = manager.post(
        reverse("incidents:risk", args=[incident.pk]),
        {"version": incident.version, "consequence": "2", "probability": "3"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.consequence, incident.probability, incident.risk_level) == (2, 3, "medium")
    assert incident.risk_confirmed_by == users["manager"] and incident.suggested_consequence == 4
    detail = manager.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Middels risiko" in detail and "Konsekvens 2, sannsynlighet 3: Middels risiko" in detail
    filtered = manager.get(reverse("incidents:list") + "?risk=medium")
    assert [i.pk for i in filtered.context["page"]] == [incident.pk]
    assert list(manager.get(reverse("incidents:list") + "?risk=high").context["page"]) == []


def test_a_bad_risk_is_refused_with_the_field_named(client_for, users, units):
    incident = report(users, units)
    response = client_for("manager").post(
        reverse("incidents:risk", args=[incident.pk]), {"version": incident.version, "consequence": "9"}
    )
    assert response.status_code == 400
    form = response.context["risk_form"]
    assert set(form.errors) == {"consequence", "probability"}
    with pytest.raises(ValidationError):
        services.incident_risk_confirm(
            incident=incident, user=users["manager"], expected_version=incident.version, consequence=0, probability=3
        )


def test_overview_counts_reports_in_the_matrix_with_words(client_for, users, units):
    for c, p in [(5, 5), (5, 5), (1, 2)]:
        report(users, units, suggested_consequence=c, suggested_probability=p)
    response = client_for("manager").get(reverse("incidents:overview"))
    html = response.content.decode()
    assert "Risikomatrise" in html
    rows = response.context["risk_rows"]
    assert rows[0][0] == "5 Svært sannsynlig"  # the most likely row on top
    assert rows[0][1][4][0] == 2 and rows[0][1][4][2] == "Høy risiko"
    assert rows[3][1][0][0] == 1 and rows[3][1][0][2] == "Lav risiko"
    totals = {word: n for word, _css, n in response.context["risk_totals"]}
    assert totals == {"Lav risiko": 1, "Middels risiko": 0, "Høy risiko": 2}


def test_closing_records_a_cause_category_and_root_cause(client_for, users, units, settings):
    incident = report(users, units)
    manager = users["manager"]
    incident = services.incident_assign(incident=incident, user=manager, assignee=manager, expected_version=1)
    client = client_for("manager")
    base = {"version": incident.version, "evaluation_summary": "Handled.", "learning_points": "Lock the door."}
    bad = client.post(reverse("incidents:close", args=[incident.pk]), {**base, "cause_category": "nonsense"})
    assert bad.status_code == 400 and "cause_category" in bad.context["form"].errors
    response = client.post(
        reverse("incidents:close", args=[incident.pk]),
        {**base, "cause_category": "premises", "root_cause": "The alarm button was out of reach."},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.cause_category, incident.root_cause) == ("premises", "The alarm button was out of reach.")
    assert (
        "Lokaler, utstyr eller alarmer" in client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    )
    settings.INCIDENT_CAUSE_CATEGORIES = [("weather", "Weather")]
    page = client.get(reverse("incidents:close", args=[report(users, units).pk]))
    assert page.status_code == 200 and [c for c, _l in page.context["form"].fields["cause_category"].choices] == [
        "",
        "weather",
    ]


def test_overview_shows_causes_over_time(client_for, users, units):
    """Closed reports per month of closing by cause category, as a chart and the same numbers in a table."""
    today = timezone.localdate()
    for cause, months_ago in [("routine", 0), ("routine", 0), ("premises", 0), ("training", 2)]:
        incident = report(users, units)
        Incident.objects.filter(pk=incident.pk).update(
            state="closed", cause_category=cause, closed_at=timezone.now() - timedelta(days=31 * months_ago)
        )
    report(users, units)  # open: not counted
    from incidents.selectors import managed_incidents, per_month_by_cause

    months, counts = per_month_by_cause(managed_incidents(users["manager"]), today)
    assert counts["routine"][-1] == 2 and counts["premises"][-1] == 1
    assert sum(counts["training"]) == 1 and counts["training"][-1] == 0
    assert sum(sum(v) for v in counts.values()) == 4
    html = client_for("manager").get(reverse("incidents:overview")).content.decode()
    assert "Årsaker over tid" in html and "chart-causes-title" in html
    # the table's row for this month: 2 routine, 1 premises, total 3
    assert f'<th scope="row">{months[-1]:%Y-%m}</th>' in html
