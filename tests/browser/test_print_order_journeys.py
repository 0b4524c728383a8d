"""Print-order journeys: the print shop works its queue; an editor orders a print run (with a mistake first)
and re-issues an order after a newer version is published."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from printing.demo import NEW_ORDER
from printing.models import PrintOrder
from routines.selectors import get_published_routine
from routines.services import routine_draft_start, routine_version_publish_demo
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


def test_print_shop_accepts_prints_and_delivers_an_order_and_downloads_the_pdf(page, print_orders):
    log_in(page, "printshop", PASSWORD)
    page.get_by_role("link", name="Trykkerikø").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trykkerikø")
    assert_accessible(page)
    page.locator(f"a[href='/print-orders/{NEW_ORDER}/']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trykkbestilling")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned trykk-PDF-en").click()
    assert download.value.suggested_filename == "routine-vold-og-trusler-v1-nb-folder.pdf"

    for note, button, status in [
        ("Trykkes mandag", "Merk som godtatt", "Godtatt"),
        ("Trykt på 170 g silk", "Merk som trykt", "Trykt"),
        ("Levert i resepsjonen", "Merk som levert", "Levert"),
    ]:
        page.get_by_label("Merknad").fill(note)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_contain_text(status)
        expect(page.get_by_role("cell", name=note)).to_be_visible()
        assert_accessible(page)
    expect(page.get_by_label("Merknad")).to_have_count(0)  # delivered: no next step
    assert PrintOrder.objects.get(pk=NEW_ORDER).status == "delivered"


def test_editor_orders_a_print_run_after_fixing_a_mistake(page, routines):
    log_in(page, "editor", PASSWORD)
    page.get_by_role("link", name="Trykkbestillinger").first.click()
    page.get_by_role("link", name="Bestill trykk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestill trykk")
    page.get_by_label("Rutine").select_option("vold-og-trusler")
    assert_accessible(page)
    page.get_by_label("Antall eksemplarer").fill("250")
    page.get_by_label("Leveringsadresse").fill("Bygg B, rom 101")
    page.get_by_label("Papir").select_option("gloss_170")
    page.get_by_label("Korrektur").select_option("printed")
    expect(page.get_by_label("Kontaktperson")).to_have_value("Eva Redaktør")
    page.get_by_label("Kontakttelefon").fill("73 59 32 80")
    page.get_by_label("Fakturareferanse").fill("KS-4410")
    page.get_by_label("Ønskes innen").fill("2001-01-01")
    page.get_by_role("button", name="Send bestillingen").click()
    expect(page.get_by_text("Datoen har passert")).to_be_visible()
    # Nothing typed is lost.
    expect(page.get_by_label("Antall eksemplarer")).to_have_value("250")
    expect(page.get_by_label("Leveringsadresse")).to_have_value("Bygg B, rom 101")
    assert_accessible(page)
    page.get_by_label("Ønskes innen").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Send bestillingen").click()
    expect(page.get_by_text("Trykkbestillingen er sendt til trykkeriet.")).to_be_visible()
    order = PrintOrder.objects.get()
    assert (order.quantity, order.routine.slug, order.version.number) == (250, "vold-og-trusler", 1)
    assert (order.paper, order.proof, order.contact_phone, order.billing_reference) == (
        "gloss_170",
        "printed",
        "73 59 32 80",
        "KS-4410",
    )
    spec = page.get_by_role("region", name="Trykkspesifikasjon")
    expect(spec).to_contain_text("170 g/m² blankstrøket")
    expect(spec).to_contain_text("Et trykt prøvetrykk før opplaget")
    expect(spec.locator(".qr-target")).to_have_text(re.compile(r"/routines/vold-og-trusler/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Alle trykkbestillinger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trykkbestillingene dine")
    assert_accessible(page)


def test_editor_reissues_an_order_after_a_new_version_is_published(page, print_orders, users):
    routine = get_published_routine("vold-og-trusler").routine
    draft = routine_draft_start(routine=routine, user=users["editor"])
    routine_version_publish_demo(version=draft, user=users["editor"])
    log_in(page, "editor", PASSWORD)
    page.goto("/print-orders/")
    expect(page.get_by_text("Det finnes en nyere versjon").first).to_be_visible()
    assert_accessible(page)
    page.locator(f"a[href='/print-orders/{NEW_ORDER}/']").click()
    page.get_by_role("button", name="Send bestillingen på nytt for versjon 2").click()
    expect(page.get_by_text("En ny bestilling for gjeldende versjon er sendt")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/print-orders/[0-9a-f-]{36}/$"))
    assert_accessible(page)
    assert PrintOrder.objects.get(pk=NEW_ORDER).status == "superseded"
