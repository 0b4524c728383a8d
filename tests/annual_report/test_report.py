"""The annual report: figures and tables per dimension, last year beside them, small cells hidden, CSV and XLSX,
the page for managers and the command."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.demo import CENTRE_A, CENTRE_B
from annual_report.models import YearKey
from annual_report.pseudonyms import pseudonym_for
from annual_report.report import build_report, report_csv
from annual_report.services import contact_count, person_count
from audit.models import AuditEvent


def seed_year(unit, year, *, women=12, men=3, declined=2, stays=20, phone=40):
    for i in range(women + men):
        gender = "woman" if i < women else "man"
        pseudonym = pseudonym_for(unit=unit, year=year, birth_year=1960 + i, initials="XY", gender=gender)
        person_count(
            unit=unit,
            year=year,
            group="resident",
            pseudonym=pseudonym,
            answers={"gender": [gender], "violence-kinds": ["physical", "threats"] if i % 2 else ["psychological"]},
        )
    for _ in range(declined):
        person_count(unit=unit, year=year, group="resident", pseudonym="", answers={})
    for i in range(stays):
        contact_count(
            unit=unit,
            year=year,
            kind="stay",
            days=10,
            went_to="own-home" if i < 15 else "back-to-perpetrator",
            children_ages=[2, 9] if i < 6 else [],
        )
    for _ in range(phone):
        contact_count(unit=unit, year=year, kind="phone")


@pytest.fixture
def seeded(units, registration_tree):
    unit = units[CENTRE_A]
    seed_year(unit, 2026)
    seed_year(unit, 2025, women=8, men=8, declined=0, stays=9, phone=3)
    return unit


def figure(report, key):
    return next(f for f in report.figures if f.key == key)


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def test_figures_with_last_year(seeded):
    report = build_report(seeded, 2026, language="en")
    assert (figure(report, "residents").value, figure(report, "residents").previous) == (17, 16)
    assert (figure(report, "stays").value, figure(report, "days").value) == (20, 200)
    assert (figure(report, "phone").value, figure(report, "phone").previous) == (40, None)  # 3 last year: hidden
    assert figure(report, "children").value == 12
    assert figure(report, "day-users").value == 0


def test_a_dimension_table_hides_small_cells_and_what_would_give_them_away(seeded):
    gender = table(build_report(seeded, 2026, language="en"), "resident-gender")
    cells = {row.code: row.value for row in gender.rows}
    assert gender.total == 17
    assert cells["woman"] == 12
    assert cells["man"] is None  # 3: small
    assert cells["no-consent"] is None  # 2: small, and the same in every table, so never a complement
    assert cells["not-answered"] == 0
    previous = {row.code: row.previous for row in gender.rows}
    assert (previous["woman"], previous["man"]) == (8, 8)


def test_several_answers_per_person_do_not_add_up(seeded):
    kinds = table(build_report(seeded, 2026, language="en"), "resident-violence-kinds")
    assert not kinds.adds_up
    cells = {row.code: row.value for row in kinds.rows}
    assert (cells["physical"], cells["threats"], cells["psychological"]) == (7, 7, 8)


def test_where_residents_went_and_children_by_age(seeded):
    report = build_report(seeded, 2026, language="en")
    went = {row.code: row.value for row in table(report, "stays-went-to").rows}
    assert (went["own-home"], went["back-to-perpetrator"]) == (15, 5)
    ages = {row.code: row.value for row in table(report, "children-age").rows}
    assert ages == {"0-5": 6, "6-12": 6, "13-17": 0}


def test_no_published_figure_is_below_five(seeded):
    csv = report_csv(build_report(seeded, 2026, language="en"))
    for line in csv.splitlines()[1:]:
        for cell in line.split(";")[2:]:
            assert cell == "<5" or not cell.isdigit() or int(cell) == 0 or int(cell) >= 5, line


def test_the_page_for_managers_and_its_downloads(client_for, seeded):
    manager = client_for("manager")
    page = manager.get(reverse("annual_report:report"), {"unit": CENTRE_A, "year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<table" in html
    csv = manager.get(reverse("annual_report:download", args=[CENTRE_A, 2026, "csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").splitlines()[0].split(";")[2:] == ["2026", "2025"]
    xlsx = manager.get(reverse("annual_report:download", args=[CENTRE_A, 2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert any(row[2] == 17 for row in values)  # residents, as a number
    assert any(row[2] == "<5" for row in values)
    assert AuditEvent.objects.filter(action="statistics.report_downloaded").count() == 2
    assert AuditEvent.objects.filter(action="statistics.report_viewed").count() == 1


@pytest.mark.parametrize("persona", ["counsellor", "manager_other", "editor", "staff", "admin"])
def test_others_do_not_see_centre_as_report(client_for, seeded, persona):
    response = client_for(persona).get(reverse("annual_report:download", args=[CENTRE_A, 2026, "csv"]))
    assert response.status_code == 404


def test_a_manager_of_another_centre_sees_her_own(client_for, seeded):
    page = client_for("manager_other").get(reverse("annual_report:report"), {"unit": CENTRE_A})
    assert page.context["report"].unit.slug == CENTRE_B


def test_the_command_prints_and_writes_files_and_destroys_the_key(seeded, tmp_path, capsys):
    call_command("statistics_report", unit=CENTRE_A, year=2026, language="en")
    out = capsys.readouterr().out
    assert "Residents: 17 (16)" in out
    target = tmp_path / "report.xlsx"
    call_command("statistics_report", unit=CENTRE_A, year=2026, format="xlsx", output=str(target))
    assert load_workbook(target).active["A1"].value.endswith("2026")
    this_year = timezone.localdate().year
    with pytest.raises(CommandError):  # not over yet: its people are still being counted
        call_command("statistics_report", unit=CENTRE_A, year=this_year, destroy_key=True)
    assert not YearKey.objects.filter(unit=seeded, year=this_year, secret__isnull=True).exists()
    call_command("statistics_report", unit=CENTRE_A, year=this_year - 1, destroy_key=True)
    assert YearKey.objects.get(unit=seeded, year=this_year - 1).is_destroyed
    assert AuditEvent.objects.filter(action="statistics.key_destroyed").count() == 1


def test_the_command_refuses_an_unknown_unit(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("statistics_report", unit="no-such-unit", year=2026)


def test_the_home_card_is_offered_to_managers_of_a_unit_and_not_to_an_administrator(users):
    from annual_report.home import report_cards

    assert [card.url for card in report_cards(users["manager"])] == ["/statistics/"]
    assert report_cards(users["admin"]) == [] and report_cards(users["counsellor"]) == []
