"""Incident journeys: staff report from a routine, a manager follows up and closes, two managers collide,
and a manager of another unit finds nothing. axe-core checks every page visited."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import INCIDENT_CENTRE_B, INCIDENT_UNIVERSITY, PASSWORD


def test_staff_reports_a_threat_from_the_violence_routine_and_manager_closes_it(page, browser, live_server, routines):
    # Anonymous on the routine page: the afterwards section links to the form; login comes first.
    page.goto("/routines/vold-og-trusler/")
    page.get_by_role("link", name="Trussel ansikt til ansikt").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Brukernavn").fill("staff")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld et avvik")
    expect(page.get_by_label("Type")).to_have_value("threat_in_person")
    assert_accessible(page)

    page.get_by_label("Sted").fill("Resepsjonen")
    page.get_by_label("Hva som skjedde").fill("En besøkende truet en kollega og gikk.")
    page.get_by_label("Leder varslet").check()
    page.get_by_label("Berørte ansatte").fill("1")
    page.get_by_label("Konsekvens: hvor alvorlig").select_option(label="4 Svært alvorlig")
    page.get_by_label("Sannsynlighet: hvor sannsynlig").select_option(label="4 Sannsynlig")
    page.get_by_role("button", name="Send meldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen er mottatt")
    assert_accessible(page)
    page.get_by_role("link", name="Mine meldinger").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine meldinger")
    assert_accessible(page)
    incident = Incident.objects.get()
    assert incident.type == "threat_in_person" and incident.reporter.username == "staff"
    page.goto(f"/incidents/{incident.pk}/")
    assert_accessible(page)

    # The manager takes it, adds an action, and closes it with an evaluation.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    manager = context.new_page()
    log_in(manager, "manager", PASSWORD)
    manager.goto("/incidents/")
    assert_accessible(manager)
    manager.get_by_role("link", name=incident.short_id).click()
    assert_accessible(manager)
    manager.get_by_role("button", name="Ta meldingen").click()
    expect(manager.locator(".badge").first).to_have_text("Under behandling")
    # The reporter's suggestion is high; the manager confirms a medium risk, in words beside the colour.
    expect(manager.get_by_text("Høy risiko")).to_be_visible()
    manager.locator("#id_consequence").select_option(label="3 Alvorlig")
    manager.locator("#id_probability").select_option(label="3 Mulig")
    manager.get_by_role("button", name="Lagre risikovurderingen").click()
    expect(manager.get_by_text("Risikovurderingen er lagret.")).to_be_visible()
    expect(manager.get_by_text("Middels risiko").first).to_be_visible()
    assert_accessible(manager)
    manager.get_by_label("Beskrivelse").fill("Montere alarmknapp i resepsjonen.")
    manager.locator("#id_responsible").select_option(label="Marit Leder")
    manager.get_by_label("Frist").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    manager.get_by_role("button", name="Legg til tiltaket").click()
    expect(manager.get_by_text("Montere alarmknapp i resepsjonen.", exact=True)).to_be_visible()
    assert_accessible(manager)
    manager.get_by_role("link", name="Lukk meldingen").click()
    expect(manager.get_by_text("1 tiltak er fortsatt åpent.")).to_be_visible()  # told before she starts
    assert_accessible(manager)
    manager.get_by_role("button", name="Lukk meldingen").click()  # empty: told what to fill in
    expect(manager.locator(".invalid-feedback").first).to_be_visible()
    assert_accessible(manager)
    manager.get_by_label("Oppsummering av evalueringen").fill("Rutinen ble fulgt, og det virket.")
    manager.get_by_label("Læringspunkter").fill("Ha døren til naborommet åpen.")
    manager.get_by_label("Debrief ble tilbudt").check()
    manager.get_by_label("Dato for debrief").fill(timezone.localdate().isoformat())
    manager.get_by_label("Tilbakemelding til melder").fill("Det er montert en alarmknapp i resepsjonen.")
    # The action is still open: refused, with what to do, and nothing she typed is lost.
    manager.get_by_role("button", name="Lukk meldingen").click()
    expect(manager.get_by_role("alert")).to_contain_text("1 tiltak er fortsatt åpent")
    expect(manager.get_by_label("Læringspunkter")).to_have_value("Ha døren til naborommet åpen.")
    assert_accessible(manager)
    assert Incident.objects.get(pk=incident.pk).state == "in_review"
    manager.get_by_role("link", name="Gå til tiltakene").click()
    manager.get_by_label("Status").select_option(label="Utført")
    manager.get_by_label("Virket det?").fill("Ja, knappen er testet.")
    manager.get_by_role("button", name="Lagre tiltaket").click()
    expect(manager.get_by_text("Tiltaket er lagret.")).to_be_visible()
    expect(manager.get_by_text("Status: Åpent → Utført")).to_be_visible()  # the change log says what changed
    assert_accessible(manager)
    manager.get_by_role("link", name="Lukk meldingen").click()
    manager.get_by_label("Oppsummering av evalueringen").fill("Rutinen ble fulgt, og det virket.")
    manager.get_by_label("Læringspunkter").fill("Ha døren til naborommet åpen.")
    manager.get_by_label("Tilbakemelding til melder").fill("Det er montert en alarmknapp i resepsjonen.")
    manager.get_by_role("button", name="Lukk meldingen").click()
    expect(manager.locator(".badge").first).to_have_text("Lukket")
    assert_accessible(manager)
    manager.goto("/incidents/overview/")
    assert_accessible(manager)
    context.close()
    incident.refresh_from_db()
    assert incident.state == "closed" and incident.actions.get().status == "done"
    assert (incident.suggested_consequence, incident.consequence, incident.risk_level) == (4, 3, "medium")

    # The reporter got a short notice (a link, no content) and reads the outcome on "My reports".
    notice = [m for m in mail.outbox if m.to == ["staff@example.org"]]
    assert len(notice) == 1 and "alarmknapp" not in notice[0].body and "Resepsjonen" not in notice[0].body
    page.goto("/incidents/mine/")
    expect(page.get_by_text("Det er montert en alarmknapp i resepsjonen.")).to_be_visible()
    assert_accessible(page)


def test_two_managers_edit_the_same_report_and_the_second_is_told(page, browser, live_server, incident_records):
    log_in(page, "manager", PASSWORD)
    page.goto(f"/incidents/{INCIDENT_UNIVERSITY}/edit/")
    assert_accessible(page)
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    other = context.new_page()
    log_in(other, "admin", PASSWORD)
    other.goto(f"/incidents/{INCIDENT_UNIVERSITY}/edit/")

    page.get_by_label("Sted").fill("Kantina")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_text("Meldingen er lagret.")).to_be_visible()

    other.get_by_label("Sted").fill("Lesesalen")
    other.get_by_role("button", name="Lagre", exact=True).click()
    expect(other.get_by_text("Noen andre endret meldingen")).to_be_visible()
    expect(other.get_by_label("Sted")).to_have_value("Lesesalen")
    assert_accessible(other)
    context.close()
    assert Incident.objects.get(pk=INCIDENT_UNIVERSITY).place == "Kantina"


def test_manager_other_gets_404_and_works_the_checklist_in_english(page, incident_records):
    log_in(page, "manager_other", PASSWORD)
    response = page.goto(f"/incidents/{INCIDENT_UNIVERSITY}/")
    assert response.status == 404
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.goto(f"/incidents/{INCIDENT_CENTRE_B}/")
    expect(page.get_by_role("heading", name="Follow-up checklist")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Done").first.check()
    page.get_by_role("button", name="Save step 1").click()
    expect(page.get_by_text("The step was saved.")).to_be_visible()
    for url in ["/incidents/", "/incidents/overview/", "/incidents/new/?type=exchange_students", "/incidents/mine/"]:
        page.goto(url)
        assert_accessible(page)
    assert Incident.objects.get(pk=INCIDENT_CENTRE_B).steps.get(number=1).done_at is not None
