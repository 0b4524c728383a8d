"""Making a past year's report final from the report page: a confirmation, then the year's pseudonym key is
destroyed (audit-logged); the current year cannot be made final; nobody but the unit's managers finds it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A
from annual_report.models import YearKey
from annual_report.pseudonyms import pseudonym_for
from audit.models import AuditEvent

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


@pytest.fixture
def centre_a(units):
    pseudonym_for(unit=units[CENTRE_A], year=LAST_YEAR, birth_year=1980, initials="AB", gender="woman")
    return units[CENTRE_A]


def test_a_manager_makes_last_years_report_final(client_for, centre_a):
    manager = client_for("manager")
    report = manager.get(reverse("annual_report:report"), {"unit": CENTRE_A, "year": LAST_YEAR}).content.decode()
    url = reverse("annual_report:make_final", args=[CENTRE_A, LAST_YEAR])
    assert "Åpen: rettinger i sakene endrer fortsatt disse tallene." in report and url in report
    page = manager.get(url)
    assert page.status_code == 200 and "Dette kan ikke angres." in page.content.decode()
    assert not YearKey.objects.get(unit=centre_a, year=LAST_YEAR).is_destroyed  # a GET destroys nothing
    response = manager.post(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("annual_report:report"))
    text = response.content.decode()
    assert f"Rapporten for {LAST_YEAR} er endelig." in text and "Endelig siden" in text
    assert YearKey.objects.get(unit=centre_a, year=LAST_YEAR).is_destroyed
    assert AuditEvent.objects.filter(action="statistics.key_destroyed", unit=centre_a).count() == 1
    again = manager.get(url, follow=True)
    assert f"Rapporten for {LAST_YEAR} er allerede endelig." in again.content.decode()


def test_the_current_year_is_not_made_final(client_for, centre_a):
    manager = client_for("manager")
    report = manager.get(reverse("annual_report:report"), {"unit": CENTRE_A, "year": THIS_YEAR}).content.decode()
    url = reverse("annual_report:make_final", args=[CENTRE_A, THIS_YEAR])
    assert url not in report
    response = manager.post(url, follow=True)
    assert "kan gjøres endelig når året er omme" in response.content.decode()
    assert not YearKey.objects.filter(unit=centre_a, year=THIS_YEAR, secret__isnull=True).exists()


@pytest.mark.parametrize("persona", ["counsellor", "manager_other", "editor", "staff", "admin"])
def test_nobody_else_finds_it(client_for, centre_a, persona):
    url = reverse("annual_report:make_final", args=[CENTRE_A, LAST_YEAR])
    assert client_for(persona).get(url).status_code == 404
    assert client_for(persona).post(url).status_code == 404
    assert not YearKey.objects.get(unit=centre_a, year=LAST_YEAR).is_destroyed
