"""Attachment journeys: a staff member reports with a photo (its location removed), and an EICAR test file is
refused where ClamAV runs. axe-core checks every page visited."""

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from incidents.models import Incident, IncidentAttachment
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import EICAR, PASSWORD
from tests.incidents.test_attachments import GPS_IFD, jpeg_with_location, report


def test_staff_reports_with_a_photo_and_the_manager_opens_it(page, browser, live_server, demo):
    log_in(page, "staff", PASSWORD)
    page.goto("/incidents/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld et avvik")
    page.get_by_label("Type").select_option("violence")
    page.get_by_label("Sted").fill("Resepsjonen")
    page.get_by_label("Hva som skjedde").fill("En stol ble kastet mot glassdøren, som knuste.")
    page.get_by_label("Bilder eller dokumenter (valgfritt)").set_input_files(
        {"name": "glassdor.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_location()}
    )
    assert_accessible(page)
    page.get_by_role("button", name="Send meldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen er mottatt")
    incident = Incident.objects.get()
    attachment = IncidentAttachment.objects.get()
    assert attachment.incident == incident and attachment.name == "glassdor.jpg"
    assert not Image.open(Path(attachment.file.path)).getexif().get_ifd(GPS_IFD)

    # The reporter sees her photo on the report, marked as not scanned (no scanner in this run).
    page.goto(f"/incidents/{incident.pk}/")
    expect(page.get_by_role("link", name="glassdor.jpg")).to_be_visible()
    expect(page.get_by_text("Ikke skannet: ingen virusskanner er satt opp")).to_be_visible()
    assert_accessible(page)

    # The manager opens it from the report; a manager of another unit gets 404 for the same address.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    manager = context.new_page()
    log_in(manager, "manager", PASSWORD)
    manager.goto(f"/incidents/{incident.pk}/")
    assert_accessible(manager)
    href = manager.get_by_role("link", name="glassdor.jpg").get_attribute("href")
    response = manager.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.body())).size == (40, 30)
    other = browser.new_context(base_url=live_server.url, locale="nb-NO").new_page()
    log_in(other, "manager_other", PASSWORD)
    assert other.request.get(href).status == 404


def test_an_eicar_file_is_refused_where_clamav_runs(page, live_server, demo, clamd):
    incident = report(demo["users"], demo["units"])
    log_in(page, "manager", PASSWORD)
    page.goto(f"/incidents/{incident.pk}/")
    page.locator("#id_attachments").set_input_files(
        {"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": EICAR}
    )
    page.get_by_role("button", name="Legg ved filene").click()
    expect(page.get_by_text("Filen «rapport.pdf» ble avvist: virusskanneren fant skadevare")).to_be_visible()
    assert_accessible(page)
    assert not IncidentAttachment.objects.exists()
    # A clean photo goes through, and is marked as scanned.
    page.locator("#id_attachments").set_input_files(
        {"name": "dor.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_location()}
    )
    page.get_by_role("button", name="Legg ved filene").click()
    expect(page.get_by_text("Filene ble lagt ved.")).to_be_visible()
    assert IncidentAttachment.objects.get().scan == IncidentAttachment.Scan.CLEAN
    assert_accessible(page)
