"""The discreet printout in a real browser: choose, preview (axe on the page with the card), download."""

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

    # Nothing chosen: the error, with the title kept.
    page.get_by_label("Tittel på utskriften").fill("Handleliste")
    for box in page.locator("input[name=items], input[name=contacts]").all():
        box.uncheck()
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    expect(page.get_by_role("alert")).to_contain_text("Velg minst ett punkt eller telefonnummer til utskriften.")
    expect(page.get_by_label("Tittel på utskriften")).to_have_value("Handleliste")
    assert_accessible(page)

    items = page.get_by_role("group", name="Punkter fra planen")
    items.get_by_label("Plan for å komme seg i sikkerhet", exact=False).check()
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
