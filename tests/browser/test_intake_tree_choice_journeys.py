"""Any tree in real use, in the browser: a manager chooses the unit's trees, a counsellor picks one on the
new-intake page and starts it, and starts another intake from a QuestionnaireResponse file. axe on each page."""

import json

from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from intake.models import Intake
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.intake.second_tree import URL, publish_second_tree


def test_a_manager_chooses_trees_and_a_counsellor_starts_one(page, browser, live_server, demo, users, intake_trees):
    second = publish_second_tree(users["editor"])
    log_in(page, "manager", PASSWORD)
    page.goto(reverse("intake:unit_trees_list"))
    assert_accessible(page)
    page.goto(reverse("intake:unit_trees", args=[CENTRE_A]))
    assert_accessible(page)
    page.get_by_label("Oppfølgingssamtale (follow-up)").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Lagret. Rådgiverne ved Nordby krisesenter")).to_be_visible()

    context = browser.new_context(base_url=live_server.url)
    counsellor = context.new_page()
    log_in(counsellor, "counsellor", PASSWORD)
    counsellor.goto(reverse("intake:list"))
    counsellor.get_by_role("link", name="Ny kartlegging").click()
    expect(counsellor.get_by_role("heading", level=1)).to_have_text("Ny kartlegging")
    assert_accessible(counsellor)
    # Nothing chosen: a clear error, nothing started.
    counsellor.get_by_role("button", name="Start kartleggingen").click()
    expect(counsellor.get_by_text("Velg spørsmålstreet som skal brukes.")).to_be_visible()
    assert not Intake.objects.exists()
    assert_accessible(counsellor)
    counsellor.get_by_label("Oppfølgingssamtale").check()
    counsellor.get_by_role("button", name="Start kartleggingen").click()
    expect(counsellor.get_by_role("heading", level=1)).to_have_text("Om samtalen")
    assert Intake.objects.get().tree_version == second

    # Another intake from a file another tool wrote: one answer taken, one skipped and named.
    doc = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": f"{URL}|1.0",
        "item": [
            {
                "linkId": "about",
                "item": [
                    {"linkId": "sessions", "answer": [{"valueInteger": 2}]},
                    {"linkId": "kids", "answer": [{"valueString": "kanskje"}]},
                ],
            }
        ],
    }
    counsellor.goto(reverse("intake:new"))
    counsellor.get_by_role("link", name="Start fra en QuestionnaireResponse-fil i stedet").click()
    expect(counsellor.get_by_role("heading", level=1)).to_have_text("Start en kartlegging fra en fil")
    assert_accessible(counsellor)
    counsellor.get_by_label("QuestionnaireResponse (FHIR R4 JSON)").set_input_files(
        {"name": "response.json", "mimeType": "application/fhir+json", "buffer": json.dumps(doc).encode()}
    )
    counsellor.get_by_role("button", name="Start kartleggingen").click()
    expect(counsellor.get_by_role("heading", level=1)).to_have_text("Om samtalen")
    expect(
        counsellor.get_by_text("linkId kids: valueString passer ikke til et boolean-spørsmål; utelatt.")
    ).to_be_visible()
    expect(counsellor.get_by_label("Antall samtaler hittil")).to_have_value("2")
    assert_accessible(counsellor)
    context.close()
