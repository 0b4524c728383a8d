"""The checklist editor in a real browser, axe on every page: an editor adds an item (after a missing English
text is pointed out, with what she typed kept), then retires it."""

from django.urls import reverse
from playwright.sync_api import expect

from safety_plans.models import ChecklistItem
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


def test_an_editor_adds_an_item_and_retires_it(page, demo):
    log_in(page, "editor", PASSWORD)
    page.get_by_role("link", name="Sjekkliste for sikkerhetsplaner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sjekkliste for sikkerhetsplaner")
    expect(page.get_by_text("Punkter slettes aldri")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nytt punkt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt sjekklistepunkt")
    assert_accessible(page)
    page.get_by_label("Kortnavn").fill("spare-phone")
    page.get_by_label("Tekst (bokmål)").fill("Ekstra telefon")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Skriv punktets tekst på engelsk.")).to_be_visible()
    expect(page.get_by_label("Tekst (bokmål)")).to_have_value("Ekstra telefon")
    expect(page.get_by_label("Tekst (engelsk)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Tekst (engelsk)").fill("A spare phone")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Punktet er lagt til.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="spare-phone")
    expect(row).to_contain_text("Ekstra telefon")
    expect(row).to_contain_text("A spare phone")
    assert ChecklistItem.objects.get(code="spare-phone").active

    row.get_by_role("link", name="Endre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Endre sjekklistepunkt")
    assert_accessible(page)
    page.get_by_label("Tilbys i planer").uncheck()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Punktet er lagret.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="spare-phone")).to_contain_text("Tatt ut av bruk")
    assert not ChecklistItem.objects.get(code="spare-phone").active
    assert page.url.endswith(reverse("safety_plans:checklist_item_list"))
