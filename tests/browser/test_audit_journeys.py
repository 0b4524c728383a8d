"""The access log in a browser: a manager finds a counsellor's events in a period, corrects a period that ends
before it starts, and opens the access review. axe-core checks every page visited."""

from datetime import datetime, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from audit.models import AuditEvent
from audit.services import audit_log
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD, PLAN_A


def test_manager_filters_the_log_by_person_and_period(page, users, units, safety_plan_a):
    today = timezone.localdate()
    ten_days_ago = today - timedelta(days=10)
    AuditEvent.objects.create(
        at=timezone.make_aware(datetime.combine(ten_days_ago, datetime.min.time())) + timedelta(hours=9),
        actor=users["counsellor"],
        action="safety_plan.printed",
        target_type="safety_plans.safetyplan",
        target_id=PLAN_A,
        unit=units[CENTRE_A],
    )
    audit_log(actor=users["counsellor2"], action="auth.login")

    log_in(page, "manager", PASSWORD)
    page.get_by_role("link", name="Tilgangslogg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgangslogg")
    assert_accessible(page)

    page.get_by_label("Person").select_option(label="counsellor (Kari Rådgiver)")
    page.get_by_label("Fra").fill((today - timedelta(days=11)).isoformat())
    page.get_by_label("Til").fill((today - timedelta(days=9)).isoformat())
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 hendelse", exact=True)).to_be_visible()
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Skrev ut en sikkerhetsplan")
    expect(row).to_contain_text(PLAN_A[:8])
    expect(row).not_to_contain_text("Demo-plan A")  # the plan's label never shows
    assert_accessible(page)

    # A period that ends before it starts: told what to fix, no events shown.
    page.get_by_label("Til").fill((today - timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Slutten av perioden kan ikke være før starten.")).to_be_visible()
    expect(page.get_by_text("0 hendelser", exact=True)).to_be_visible()
    assert_accessible(page)

    # The whole history of that record, from its short id.
    page.get_by_role("link", name="Fjern filtrene").click()
    page.locator("tbody tr", has_text="Skrev ut en sikkerhetsplan").get_by_role("link").click()
    expect(page.locator("tbody tr").first).to_contain_text(PLAN_A[:8])
    assert_accessible(page)

    page.get_by_role("link", name="Gjennomgang av tilganger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gjennomgang av tilganger")
    assert_accessible(page)
