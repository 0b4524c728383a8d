"""Contacts and the annual report in a real browser, axe on every page: a counsellor finalizes an intake,
records a phone conversation in two clicks, a stay with a child, and registers the person with consent; a
manager opens the year's report and downloads it."""

import datetime
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from annual_report.models import ContactCount, PersonCount
from contacts.models import CaseContact, Registration
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.intake.test_intake_finalize import complete


def test_a_counsellor_records_contacts_and_registers_then_a_manager_reads_the_report(
    page, browser, live_server, intake_a, registration_tree
):
    complete(intake_a)
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("intake:review", args=[intake_a.pk]))
    page.get_by_role("link", name="Gå videre til ferdigstilling").click()
    page.get_by_role("button", name="Ferdigstill kartleggingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gå gjennom kartleggingen")
    assert_accessible(page)

    # A phone conversation: two clicks from the intake page.
    page.get_by_role("link", name="Registrer en telefonsamtale").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakter i saken")
    expect(page.get_by_text("Telefonsamtale registrert.")).to_be_visible()
    assert_accessible(page)

    # A stay with a child: a mistake first, kept and explained, then the departure.
    page.get_by_role("link", name="Registrer et opphold").click()
    arrived = timezone.localdate() - datetime.timedelta(days=12)
    page.get_by_label("Innflytting").fill(arrived.isoformat())
    page.get_by_label("Alderen til barna som bor sammen med personen").fill("4, tjue")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("alert")).to_contain_text("«tjue» er ikke en alder fra 0 til 17.")
    expect(page.get_by_label("Innflytting")).to_have_value(arrived.isoformat())
    assert_accessible(page)
    page.get_by_label("Alderen til barna som bor sammen med personen").fill("4")
    page.get_by_label("Utreise").fill(timezone.localdate().isoformat())
    page.get_by_label("Hvor etterpå").select_option("own-home")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("cell", name="Et nytt eget hjem")).to_be_visible()
    assert_accessible(page)

    # Registration with consent; answers from the intake are already filled in.
    page.get_by_role("link", name="Registrer til statistikk").click()
    assert_accessible(page)
    page.get_by_label("Samtykke gitt").check()
    page.get_by_label("Skriftlig").check()
    page.get_by_label("Fødselsår", exact=True).fill("1987")
    page.get_by_label("Initialer", exact=True).fill("EK")
    page.get_by_role("group", name="Kjønn").get_by_label("Kvinne").check()
    page.get_by_label("Jeg har bekreftet fødselsår, initialer og kjønn med personen").check()
    page.get_by_role("button", name="Registrer").click()
    expect(page.get_by_text("Personen er registrert til statistikk.")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(intake=intake_a).consented
    assert CaseContact.objects.filter(intake=intake_a, counted=True).count() == 2
    assert ContactCount.objects.count() == 2 and PersonCount.objects.get().group == "resident"

    # The manager's report for this year, and its download.
    manager_context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    manager = manager_context.new_page()
    log_in(manager, "manager", PASSWORD)
    manager.goto(reverse("annual_report:report") + f"?year={timezone.localdate().year}")
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Årsrapport")
    expect(manager.get_by_role("heading", name="Året i tall")).to_be_visible()
    assert_accessible(manager)
    with manager.expect_download() as download:
        manager.get_by_role("link", name="Last ned CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Beboere;<5" in text  # one resident: shown as under five
    manager_context.close()
