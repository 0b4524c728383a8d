"""Anonymous reporting journey: a manager turns it on, a logged-out visitor reports at the unit's link and
follows the report with her receipt code, the manager asks a question through the report and reads the
answer. axe-core checks every page visited."""

from playwright.sync_api import expect

from accounts.demo import UNIVERSITY
from incidents.models import Incident
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


def test_an_anonymous_report_followed_through_its_receipt_code(page, browser, live_server, demo):
    # The manager turns anonymous reporting on for the university section, and gets its link.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    manager = context.new_page()
    log_in(manager, "manager", PASSWORD)
    manager.goto("/incidents/")
    manager.get_by_role("link", name="Innstillinger for avvik: Studentseksjonen, Universitetet i Nordby").click()
    assert_accessible(manager)
    manager.get_by_label("Ta imot anonyme meldinger").check()
    manager.get_by_label("Konsekvens 3").fill("Alvorlig skade")
    manager.get_by_role("button", name="Lagre innstillingene").click()
    expect(manager.get_by_text("Innstillingene er lagret.")).to_be_visible()
    link = f"/incidents/anonymous/{UNIVERSITY}/"
    expect(manager.get_by_text(link)).to_be_visible()
    assert_accessible(manager)

    # A logged-out visitor reports at the link, with the unit's own words in the risk matrix.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld et avvik anonymt")
    assert_accessible(page)
    page.get_by_label("Type").select_option("threat_in_person")
    page.get_by_label("Sted").fill("Kantina")
    page.get_by_label("Hva som skjedde").fill("En student truet en ansatt ved kassen.")
    page.get_by_label("Konsekvens: hvor alvorlig").select_option(label="3 Alvorlig skade")
    page.get_by_role("button", name="Send meldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen er mottatt")
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert len(code) == 39  # 32 characters in groups of four
    assert_accessible(page)
    incident = Incident.objects.get()
    assert incident.anonymous and incident.reporter is None

    # The manager sees an anonymous report and asks a question through it.
    manager.goto(f"/incidents/{incident.pk}/")
    expect(manager.get_by_text("Anonym melding")).to_be_visible()
    manager.get_by_label("Beskjed til melderen").fill("Vet du om noen andre så det?")
    manager.get_by_role("button", name="Send beskjeden").click()
    expect(manager.get_by_text("Beskjeden er lagret.")).to_be_visible()
    assert_accessible(manager)

    # The reporter follows the report with her code, reads the question and answers.
    page.get_by_role("link", name="siden for anonyme meldinger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Følg en anonym melding")
    assert_accessible(page)
    page.get_by_label("Kvitteringskode").fill(code.lower())
    page.get_by_role("button", name="Vis meldingen").click()
    expect(page.get_by_text("Vet du om noen andre så det?")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Meldt")).to_be_visible()  # its state
    assert_accessible(page)
    page.get_by_label("Ditt svar").fill("Ja, to andre ansatte i kantina.")
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_text("Svaret ditt er sendt.")).to_be_visible()
    expect(page.get_by_text("Ja, to andre ansatte i kantina.")).to_be_visible()
    assert_accessible(page)

    manager.reload()
    expect(manager.get_by_text("Ja, to andre ansatte i kantina.")).to_be_visible()
    expect(manager.get_by_text("Den anonyme melderen").first).to_be_visible()  # the change log's "who"

    # A wrong code is told plainly.
    page.goto("/incidents/follow/")
    page.get_by_label("Kvitteringskode").fill("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    page.get_by_role("button", name="Vis meldingen").click()
    expect(page.get_by_text("Ingen melding har denne kvitteringskoden.")).to_be_visible()
    assert_accessible(page)
