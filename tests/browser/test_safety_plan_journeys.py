"""Safety-plan journeys in a real browser, axe on every page: a plan started from an intake, statuses set
together with the person, reviewed a week later (time frozen and moved on), printed as a discreet card; and
another centre's counsellor gets 404."""

import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from safety_plans.models import PlanReview, SafetyPlan
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD, PLAN_A

CODING = "https://krisestotte.no/fhir/CodeSystem/first-contact"
START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def item(page, title: str):
    return page.get_by_role("group", name=title, exact=True)


def test_plan_from_an_intake_statuses_and_a_review_a_week_later(page, intake_a):
    intake_a.answers = {
        "police": [{"system": CODING, "code": "before"}],
        "has-children": [True],
        "children-count": [1],
    }
    intake_a.save()
    with time_machine.travel(START, tick=True) as traveller:
        log_in(page, "counsellor", PASSWORD)
        page.goto(reverse("intake:review", args=[intake_a.pk]))
        page.get_by_role("link", name="Start en sikkerhetsplan fra denne kartleggingen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ny sikkerhetsplan")
        assert_accessible(page)

        # An empty label and a past review date: both explained, and the date typed stays.
        page.get_by_label("Neste gjennomgang").fill("2026-03-01")
        page.get_by_role("button", name="Start planen").click()
        expect(
            page.get_by_text("Gi planen en merkelapp du kjenner igjen. Det trenger ikke være et navn.")
        ).to_be_visible()
        expect(page.get_by_text("Velg en dato etter i dag.")).to_be_visible()
        expect(page.get_by_label("Neste gjennomgang")).to_have_value("2026-03-01")
        assert_accessible(page)
        page.get_by_label("Merkelapp for planen").fill("Sommerfugl")
        page.get_by_label("Neste gjennomgang").fill("2026-03-09")
        page.get_by_role("button", name="Start planen").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Rediger sikkerhetsplanen")
        assert_accessible(page)
        police = item(page, "Vet hvordan politiet nås (112)")
        expect(police.get_by_label("Merknad")).to_have_value(
            "Fra kartleggingen: politiet har vært involvert tidligere."
        )
        police.get_by_label("På plass", exact=True).check()
        item(page, "Plan for å komme seg i sikkerhet").get_by_label("På plass", exact=True).check()
        money = item(page, "Penger lagt til side")
        money.get_by_label("Trenger hjelp", exact=True).check()
        page.get_by_role("button", name="Lagre planen").click()
        # A needs-help item with no next step: said on the item, and every choice made stays.
        expect(money.get_by_text("Skriv neste steg for et punkt som trenger hjelp.")).to_be_visible()
        expect(police.get_by_label("På plass", exact=True)).to_be_checked()
        assert_accessible(page)
        money.get_by_label("Neste steg").fill("Åpne en egen bankkonto")
        money.get_by_label("Hvem gjør det").select_option(label="Rådgiveren")
        page.get_by_role("group", name="Telefonnummer 4").get_by_label("Navn").fill("Søster")
        page.get_by_role("group", name="Telefonnummer 4").get_by_label("Telefonnummer").fill("99887766")
        page.get_by_role("button", name="Lagre planen").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Sikkerhetsplan: Sommerfugl")
        expect(page.get_by_role("link", name="99887766")).to_have_attribute("href", "tel:+4799887766")
        assert_accessible(page)

        page.get_by_role("link", name="Gå gjennom med personen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Gå gjennom sikkerhetsplanen")
        assert_accessible(page)
        page.get_by_label("Neste gjennomgang").fill("2026-03-09")
        page.get_by_role("button", name="Registrer gjennomgangen").click()
        expect(page.get_by_text("Gjennomgangen er registrert.")).to_be_visible()

        # A week later the plan is due; the session has long expired, so log in again.
        traveller.shift(timedelta(days=7, hours=1))
        log_in(page, "counsellor", PASSWORD)
        page.goto(reverse("safety_plans:list"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sikkerhetsplaner")
        row = page.get_by_role("row").filter(has_text="Sommerfugl")
        expect(row.get_by_text("forfalt")).to_be_visible()
        expect(page.get_by_text("Åpne en egen bankkonto")).to_be_visible()  # her task
        assert_accessible(page)
        row.get_by_role("link", name="Sommerfugl").click()
        page.get_by_role("link", name="Rediger planen").click()
        money = item(page, "Penger lagt til side")
        money.get_by_label("På plass", exact=True).check()
        money.get_by_label("Merknad").fill("Har åpnet konto")
        page.get_by_role("button", name="Lagre planen").click()

        changes = page.get_by_role("table", name="Endringer siden forrige gjennomgang")
        expect(changes.get_by_role("row").filter(has_text="Penger lagt til side: status")).to_contain_text("På plass")
        expect(changes).to_contain_text("Har åpnet konto")
        assert_accessible(page)
        page.get_by_role("link", name="Gå gjennom med personen").click()
        page.get_by_label("Neste gjennomgang").fill("2026-03-23")
        page.get_by_role("button", name="Registrer gjennomgangen").click()
        expect(page.get_by_text("Ingenting er endret siden forrige gjennomgang.")).to_be_visible()

    plan = SafetyPlan.objects.get(label="Sommerfugl")
    reviews = list(PlanReview.objects.filter(plan=plan).order_by("reviewed_at"))
    assert [r.reviewed_at.date() for r in reviews] == [START.date(), (START + timedelta(days=7)).date()]
    assert reviews[0].snapshot["items"]["money"]["status"] == "needs_help"
    assert reviews[1].snapshot["items"]["money"]["status"] == "in_place"
    assert str(plan.intake_id) == str(intake_a.pk)


def test_another_centres_counsellor_gets_404(page, safety_plan_a):
    log_in(page, "counsellor_other", PASSWORD)
    response = page.goto(reverse("safety_plans:detail", args=[PLAN_A]))
    assert response.status == 404
    expect(page.get_by_text("Demo-plan A")).to_have_count(0)
    assert_accessible(page)


def test_in_english_a_plan_on_its_own_declined_services_and_a_discreet_a4_printout(page, demo, tmp_path):
    log_in(page, "counsellor", PASSWORD)
    page.get_by_role("button", name="English").click()
    page.goto(reverse("safety_plans:list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety plans")
    page.get_by_role("link", name="New safety plan").click()
    page.get_by_label("Label for the plan").fill("Blue")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the safety plan")
    code_word = item(page, "Code word with family or friends")
    expect(code_word).to_contain_text("Has the person agreed a code word with family or friends")
    code_word.get_by_label("In place", exact=True).check()
    code_word.get_by_label("Note").fill("The word is umbrella")
    bag = item(page, "Bag ready with documents and clothes")
    bag.get_by_label("Needs help", exact=True).check()
    bag.get_by_label("Next step").fill("Pack copies of the passports")
    bag.get_by_label("Who does it").select_option(label="The person")
    page.get_by_label("Safe way to make contact").fill("Text the work phone")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety plan: Blue")
    assert_accessible(page)

    page.get_by_role("button", name="Record: does not want involvement from services").click()
    expect(page.get_by_role("note")).to_contain_text("Does not want involvement from services.")
    assert_accessible(page)

    page.get_by_role("link", name="Share the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share the safety plan")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the plan").click()

    page.get_by_role("link", name="Discreet printout").click()
    expect(page.get_by_label("Title on the printout")).to_have_value("Reminders")
    page.get_by_label("A4 page").check()
    # Nothing is ticked at first (issue 17): the person chooses what goes on the page.
    items = page.get_by_role("group", name="Items from the plan")
    items.get_by_role("checkbox", name="Code word with family or friends").check()
    items.get_by_role("checkbox", name="Bag ready with documents and clothes").check()
    page.get_by_role("checkbox", name="Police: 112").check()
    page.get_by_role("checkbox", name="Out-of-hours medical service: 116 117").check()
    page.get_by_role("button", name="Show preview").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == "list-a4.pdf"
    path = tmp_path / "card.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Reminders" in text
    assert "Code word with family or friends" in text and "Bag ready with documents and clothes" in text
    assert "112" in text and "116 117" in text
    # Only what was chosen: items not discussed, the notes (not asked for), the label, the centre: none of them.
    assert "Money put aside" not in text
    assert "umbrella" not in text
    assert "Blue" not in text
    assert demo["units"][CENTRE_A].name not in text
    assert "counsellor" not in text.lower()
