"""Anonymous intake statistics: managers of the unit only, small cells suppressed, no totals."""

import datetime

import pytest
from django.urls import reverse

from accounts.demo import CENTRE_A, CENTRE_B
from audit.models import AuditEvent
from intake.models import IntakeStatistic
from intake.statistics import shown

URL = reverse("intake:statistics")


def add(unit, code, n, month=datetime.date(2026, 3, 1)):
    IntakeStatistic.objects.bulk_create(
        IntakeStatistic(unit=unit, month=month, help_offered=code, contact_channel="phone") for _ in range(n)
    )


@pytest.mark.parametrize("count, expected", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (12, "12")])
def test_counts_under_five_are_suppressed(count, expected):
    assert shown(count) == expected


def test_a_manager_sees_her_units_counts_with_small_cells_suppressed(client_for, demo, intake_trees):
    add(demo["units"][CENTRE_A], "shelter", 7)
    add(demo["units"][CENTRE_A], "day-counselling", 2)
    add(demo["units"][CENTRE_B], "shelter", 30)  # another centre: not hers
    response = client_for("manager").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    cells = [c.split("<")[0] if not c.startswith("&lt;") else "<5" for c in html.split("<td>")[1:]]
    assert "7" in cells and "<5" in cells and "30" not in cells and "37" not in cells
    assert AuditEvent.objects.filter(action="intake.statistics_viewed").exists()


def test_counsellors_and_the_print_shop_get_not_found(client_for, intake_trees):
    for persona in ("counsellor", "printshop", "editor"):
        assert client_for(persona).get(URL).status_code == 404
