"""Contacts and the annual report with the keyboard only (issue 23): no mouse click anywhere. Tab reaches each
control in the page's own order, Enter follows links and submits, Space checks radios and boxes, arrow keys
choose in a list. A counsellor records a phone conversation and a stay with a child, registers the person,
opens the pages that correct and delete; a manager downloads the year's report and opens the page that makes
last year's final. axe on every page."""

import datetime
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from annual_report.models import ContactCount, PersonCount
from contacts.models import CaseContact, Registration
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.intake.test_intake_finalize import complete

TAB_LIMIT = 150


def tab_to(page, target) -> None:
    """Press Tab until ``target`` has focus: it is reachable with the keyboard, in the page's order."""
    for _ in range(TAB_LIMIT):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} was not reached with {TAB_LIMIT} presses of Tab")


def day_equal_to_month(on_or_before):
    """The latest date up to ``on_or_before`` whose day and month are the same number: typed into a date field
    it means the same whichever order (day first or month first) the browser's date field has."""
    day = on_or_before
    while day.day != day.month:
        day -= datetime.timedelta(days=1)
    return day


def type_date(page, field, day) -> None:
    tab_to(page, field)
    page.keyboard.type(day.strftime("%d%m%Y"))
    expect(field).to_have_value(day.isoformat())


def keyboard_log_in(page, username: str) -> None:
    page.goto("/login/")
    tab_to(page, page.get_by_label("Brukernavn"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Passord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Logg inn")


def follow(page, link) -> None:
    tab_to(page, link)
    page.keyboard.press("Enter")


def test_keyboard_only_contacts_registration_and_the_report(page, browser, live_server, intake_a, registration_tree):
    from intake.services import intake_finalize

    intake = intake_finalize(
        intake=complete(intake_a), user=intake_a.owner, offered_help="shelter", offered_reason="", information={}
    )
    today = timezone.localdate()
    keyboard_log_in(page, "counsellor")
    page.goto(reverse("intake:review", args=[intake.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gå gjennom kartleggingen")

    # A phone conversation: Enter on the link, Enter on Save (today's date is filled in).
    follow(page, page.get_by_role("link", name="Registrer en telefonsamtale"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer en telefonsamtale")
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Telefonsamtale registrert.")).to_be_visible()
    assert_accessible(page)

    # A stay with a child of four, and where the person went: chosen with arrows.
    follow(page, page.get_by_role("link", name="Registrer et opphold"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer et opphold")
    assert_accessible(page)
    left = day_equal_to_month(today)
    arrived = day_equal_to_month(left - datetime.timedelta(days=1)) if left.month > 1 else left
    type_date(page, page.get_by_label("Innflytting"), arrived)
    type_date(page, page.get_by_label("Utreise"), left)
    went_to = page.get_by_label("Hvor etterpå")
    tab_to(page, went_to)
    page.keyboard.press("ArrowDown")  # from "Ikke kjent ennå" to the first place
    expect(went_to).to_have_value("own-home")
    tab_to(page, page.get_by_label("Alderen til barna som bor sammen med personen"))
    page.keyboard.type("4")
    page.keyboard.press("Enter")  # Enter in a one-line field submits the form
    expect(page.get_by_text("Opphold registrert.")).to_be_visible()
    expect(page.get_by_role("cell", name="Et nytt eget hjem")).to_be_visible()
    assert_accessible(page)

    # Registration with consent: radios with Space, fields typed, the box ticked with Space.
    follow(page, page.get_by_role("link", name="Registrer til statistikk"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer til statistikk")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Samtykke gitt"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Skriftlig"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Fødselsår", exact=True))
    page.keyboard.type("1987")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Initialer", exact=True)).to_be_focused()
    page.keyboard.type("EK")
    tab_to(page, page.get_by_label("Jeg har bekreftet fødselsår, initialer og kjønn med personen"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("group", name="Kjønn").get_by_label("Kvinne"))
    page.keyboard.press("Space")
    follow(page, page.get_by_role("button", name="Registrer"))
    expect(page.get_by_text("Personen er registrert til statistikk.")).to_be_visible()
    assert_accessible(page)
    registration = Registration.objects.get(intake=intake)
    assert (registration.consent, registration.consent_how, registration.gender) == ("given", "written", "woman")
    assert CaseContact.objects.filter(intake=intake, counted=True).count() == 2

    # The correction page, reached and left with the keyboard.
    follow(page, page.get_by_role("link", name="Rett registreringen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rett registreringen")
    expect(page.get_by_label("Initialer", exact=True)).to_have_value("EK")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Tilbake til kontaktene"))

    # Deleting the phone conversation: the confirmation page, then Enter on its button.
    follow(page, page.get_by_role("link", name="Slett telefonsamtale"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Slett kontakten")
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Slett kontakten"))
    expect(page.get_by_text("Telefonsamtale slettet.")).to_be_visible()
    assert_accessible(page)
    assert list(CaseContact.objects.filter(intake=intake).values_list("kind", flat=True)) == ["stay"]
    assert list(ContactCount.objects.values_list("kind", flat=True)) == ["stay"]
    assert PersonCount.objects.get().group == "resident"

    # The manager: the year's report, and its CSV, with the keyboard.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", service_workers="block")
    manager = context.new_page()
    keyboard_log_in(manager, "manager")
    manager.goto(reverse("annual_report:report") + f"?year={today.year}")
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Årsrapport")
    assert_accessible(manager)
    with manager.expect_download() as download:
        follow(manager, manager.get_by_role("link", name="Last ned CSV"))
    assert download.value.suggested_filename == f"annual-report-{intake.unit.slug}-{today.year}.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Beboere;<5" in text
    # Last year's report can be made final: the confirmation page, left again with the keyboard.
    manager.goto(reverse("annual_report:report") + f"?year={today.year - 1}")
    follow(manager, manager.get_by_role("link", name="Gjør rapporten endelig"))
    expect(manager.get_by_role("heading", level=1)).to_contain_text(f"Gjør rapporten for {today.year - 1} endelig")
    assert_accessible(manager)
    follow(manager, manager.get_by_role("link", name="Avbryt"))
    expect(manager.get_by_text("Åpen: rettinger i sakene endrer fortsatt disse tallene.")).to_be_visible()
    context.close()
