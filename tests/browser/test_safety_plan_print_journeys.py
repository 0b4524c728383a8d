"""The discreet printout in a real browser: choose, preview (axe on the page with the card), download."""

import subprocess

import pikepdf
from django.urls import reverse
from playwright.sync_api import expect

from safety_plans.models import PlanContact, PlanItem
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


def test_choose_preview_and_download_a_pocket_card(page, safety_plan_a, tmp_path):
    PlanItem.objects.filter(plan=safety_plan_a, item__code="escape-plan").update(status=PlanItem.Status.IN_PLACE)
    PlanContact.objects.create(plan=safety_plan_a, label="Søster", number="91234567", order=10)
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("safety_plans:print", args=[safety_plan_a.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Diskret utskrift")
    assert_accessible(page)

    # Nothing chosen (nothing is ticked at first): the error, with the title kept.
    page.get_by_label("Tittel på utskriften").fill("Handleliste")
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    expect(page.get_by_role("alert")).to_contain_text("Velg minst ett punkt eller telefonnummer til utskriften.")
    expect(page.get_by_label("Tittel på utskriften")).to_have_value("Handleliste")
    assert_accessible(page)

    items = page.get_by_role("group", name="Punkter fra planen")
    items.get_by_role("checkbox", name="Plan for å komme seg i sikkerhet").check()
    page.get_by_role("group", name="Telefonnumre").get_by_label("Søster: 912 34 567").check()
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    preview = page.locator(".pocket-card-preview")
    expect(preview.get_by_role("heading", level=3)).to_have_text("Handleliste")
    expect(preview.get_by_role("link", name="912 34 567")).to_have_attribute("href", "tel:+4791234567")
    expect(preview).to_contain_text("Plan for å komme seg i sikkerhet")
    expect(preview).not_to_contain_text("Demo-plan A")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned PDF").click()
    assert download.value.suggested_filename == "list-a6.pdf"
    assert "Handleliste" not in download.value.url


def test_the_card_starts_with_nothing_ticked_and_prints_an_item_in_the_persons_words(page, safety_plan_a, tmp_path):
    """Issue 17: nothing is chosen in advance, so "Download" at once prints nothing (and says why); one item,
    reworded, is what the preview shows and what the PDF holds: not the checklist's wording, not the centre's
    number."""
    PlanItem.objects.filter(plan=safety_plan_a, item__code="go-bag").update(status=PlanItem.Status.IN_PLACE)
    PlanContact.objects.create(plan=safety_plan_a, label="Nordby krisesenter", number="22123456", order=10)
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("safety_plans:print", args=[safety_plan_a.pk]))
    boxes = page.locator("input[name=items], input[name=contacts]")
    expect(boxes).to_have_count(10 + 4)
    for box in boxes.all():
        expect(box).not_to_be_checked()
    expect(page.get_by_label("Vis navnet på senteret")).not_to_be_checked()
    assert_accessible(page)

    # "Download" at once: no file, a clear message.
    page.get_by_role("button", name="Last ned PDF").click()
    expect(page.get_by_role("alert")).to_contain_text("Ingenting er valgt ennå, så det er ingenting å skrive ut.")
    expect(page.locator(".pocket-card")).to_have_count(0)
    assert_accessible(page)

    # One item, in the person's words; the field for them is labelled with the item, out of form history.
    items = page.get_by_role("group", name="Punkter fra planen")
    own = items.get_by_role(
        "textbox", name="Tittel på kortet for «Bag klar med dokumenter og klær»", include_hidden=True
    )
    expect(own).to_be_hidden()  # shown once the item is ticked
    items.get_by_role("checkbox", name="Bag klar med dokumenter og klær").check()
    expect(own).to_be_visible()
    expect(own).to_have_attribute("autocomplete", "off")
    own.fill("Sko til turen")
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    preview = page.locator(".pocket-card-preview")
    expect(preview.get_by_role("listitem")).to_have_text(["Sko til turen"])
    expect(preview).not_to_contain_text("Bag klar")
    expect(preview).not_to_contain_text("22 12 34 56")
    expect(page.locator("#printout-preview-stale")).to_be_hidden()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "reworded.png"), full_page=True)

    # The preview says when the form no longer matches it.
    page.get_by_label("A4-side").check()
    expect(page.locator("#printout-preview-stale")).to_be_visible()
    expect(page.locator("#printout-preview-stale")).to_contain_text("Valgene er endret siden denne forhåndsvisningen")
    page.get_by_label("A6-lommekort").check()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned PDF").click()
    path = tmp_path / "card.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Sko til turen" in text and "Huskeliste" in text
    for absent in ["Bag klar", "dokumenter", "22 12 34 56", "22123456", "Nordby", "krisesenter", "112"]:
        assert absent not in text, absent
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Huskeliste"

    # The words are kept for the next printout; the ticks are not.
    page.goto(reverse("safety_plans:print", args=[safety_plan_a.pk]))
    expect(own).to_have_value("Sko til turen")
    expect(own).to_be_hidden()
    expect(items.get_by_role("checkbox", name="Bag klar med dokumenter og klær")).not_to_be_checked()


def test_a_long_item_title_is_counted_and_refused_with_nothing_lost(page, safety_plan_a):
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("safety_plans:print", args=[safety_plan_a.pk]))
    items = page.get_by_role("group", name="Punkter fra planen")
    items.get_by_role("checkbox", name="Penger lagt til side").check()
    own = items.get_by_role("textbox", name="Tittel på kortet for «Penger lagt til side»")
    own.fill("z" * 50)
    expect(page.get_by_text("50 av 60 tegn")).to_be_visible()
    own.fill("z" * 63)
    expect(page.get_by_text("3 tegn for mye")).to_be_visible()
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    expect(page.get_by_text("Tittelen på kortet kan ha høyst 60 tegn (den har 63).")).to_be_visible()
    expect(own).to_have_value("z" * 63)
    expect(own).to_have_attribute("aria-invalid", "true")
    expect(items.get_by_role("checkbox", name="Penger lagt til side")).to_be_checked()
    expect(page.locator(".pocket-card")).to_have_count(0)
    assert_accessible(page)
