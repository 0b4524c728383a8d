"""The demo year: enough that most of the annual report is shown, seeded quickly and once."""

import time

from accounts.demo import CENTRE_A
from annual_report.demo import seed_demo_statistics
from annual_report.models import PersonCount
from annual_report.report import build_report
from contacts.demo import seed_demo_contacts
from contacts.models import CaseContact, Registration


def test_a_demo_year_shows_most_cells_and_is_seeded_once(units, registration_tree):
    unit = units[CENTRE_A]
    started = time.perf_counter()
    assert seed_demo_statistics(unit=unit, year=2025)
    seed_demo_statistics(unit=unit, year=2024, residents=48, day_users=70)
    elapsed = time.perf_counter() - started
    assert not seed_demo_statistics(unit=unit, year=2025)
    assert PersonCount.objects.filter(year=2025).count() == 140
    report = build_report(unit, 2025, language="nb")
    cells = [row.value for table in report.tables for row in table.rows if row.value != 0]
    shown = [c for c in cells if c is not None]
    assert len(shown) > 0.6 * len(cells), (len(shown), len(cells))
    assert all(f.value is not None and f.previous is not None for f in report.figures)
    assert elapsed < 10


def test_the_demo_case_has_contacts_and_a_registration_once(demo, intake_trees):
    users, unit = demo["users"], demo["units"][CENTRE_A]
    for _ in range(2):
        case = seed_demo_contacts(
            counsellor=users["counsellor"], editor=users["editor"], unit=unit, tree_version=intake_trees["nb"]
        )
    assert CaseContact.objects.filter(intake=case).count() == 2
    assert Registration.objects.get(intake=case).consented
    stay = CaseContact.objects.get(intake=case, kind="stay")
    assert stay.counted
    assert PersonCount.objects.filter(group="resident", year=stay.ended_on.year).count() == 1
