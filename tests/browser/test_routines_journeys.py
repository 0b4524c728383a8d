"""Routine journeys: an anonymous person on a phone finds the number to call at once."""

import re

from playwright.sync_api import expect

from routines.demo_content import ROUTINES
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


def test_anonymous_on_a_phone_opens_the_violence_routine_and_sees_112_first(phone_page, routines):
    phone_page.goto("/")
    phone_page.get_by_role("link", name="Åpne beredskapsrutinene").click()
    expect(phone_page).to_have_url(re.compile(r"/routines/$"))
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name=ROUTINES[0]["title"]["nb"]).click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(ROUTINES[0]["title"]["nb"])
    call = phone_page.locator("main a.contact-call[href='tel:112']")
    expect(call).to_be_in_viewport()
    box = call.bounding_box()
    assert box["y"] + box["height"] <= 667
    assert_accessible(phone_page)


def test_every_routine_page_is_accessible_in_both_languages(page, routines):
    for lang_button in [None, "English"]:
        if lang_button:
            page.get_by_role("button", name=lang_button).click()
        for data in ROUTINES:
            page.goto(f"/routines/{data['slug']}/")
            expect(page.get_by_role("heading", level=1)).to_have_text(data["title"]["en" if lang_button else "nb"])
            assert_accessible(page)


def test_search_finds_the_routine(page, routines):
    page.goto("/routines/")
    page.get_by_label("Søk i rutinene").fill("legevakt")
    page.get_by_role("button", name="Søk", exact=True).click()
    expect(page.get_by_role("link", name=ROUTINES[1]["title"]["nb"])).to_be_visible()
    assert_accessible(page)


# --- Editors ------------------------------------------------------------------------------------------------

VIOLENCE = ROUTINES[0]
GUIDE = next(r for r in ROUTINES if r["kind"] == "facilitator_guide")


def _open_new_draft_of_the_violence_routine(page):
    log_in(page, "editor", PASSWORD)
    page.get_by_role("link", name="Rediger rutiner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rediger rutiner")
    assert_accessible(page)
    page.get_by_role("button", name=f"Nytt utkast ({VIOLENCE['slug']})").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rediger utkast 2")
    assert_accessible(page)


def test_editor_makes_previews_and_publishes_a_new_version(page, routines):
    _open_new_draft_of_the_violence_routine(page)
    step = page.locator("#id_sections-0-steps-0-nb")
    step.fill("Ring **112** med en gang, og si hvor du er.")
    page.get_by_role("button", name="Lagre og forhåndsvis").click()
    expect(page.get_by_text("Forhåndsvisning, ikke publisert.")).to_be_visible()
    expect(page.locator("main article")).to_contain_text("og si hvor du er.")
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til redigeringen").click()
    page.get_by_role("button", name="Publiser", exact=True).click()
    expect(page.get_by_text("Versjon 2 er publisert.")).to_be_visible()
    expect(page.locator("main article")).to_contain_text("og si hvor du er.")
    assert_accessible(page)

    page.goto(f"/routines/editor/{VIOLENCE['slug']}/history/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Publisert")
    assert_accessible(page)
    page.get_by_role("link", name="Endringer i versjon 2").click()
    expect(page.locator("main ins").first).to_contain_text("og si hvor")
    expect(page.locator("main del").first).to_contain_text("[fjernet:]")
    assert_accessible(page)


def test_publishing_a_contact_without_a_number_says_what_to_fix_and_keeps_the_text(page, routines):
    _open_new_draft_of_the_violence_routine(page)
    page.locator("#id_contacts-0-number").fill("")
    page.locator("#id_summary_nb").fill("Et sammendrag jeg har skrevet nå")
    page.get_by_role("button", name="Publiser", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Nødkontakt 1 mangler telefonnummer.")
    expect(page.locator("#id_summary_nb")).to_have_value("Et sammendrag jeg har skrevet nå")
    assert_accessible(page)
    # Adding a step works without JavaScript and keeps the text too.
    page.get_by_role("button", name="Legg til et trinn i del 1").click()
    expect(page.locator("#id_summary_nb")).to_have_value("Et sammendrag jeg har skrevet nå")
    expect(page.get_by_role("group", name="Trinn 1 i del 1")).to_be_visible()


def test_editor_creates_a_routine_and_sees_the_overdue_list(page, routines):
    log_in(page, "editor", PASSWORD)
    page.goto("/routines/editor/new/")
    page.get_by_label("Adresse").fill(VIOLENCE["slug"])
    page.get_by_label("Kategori").select_option("violence")
    page.get_by_label("Tittel (bokmål)").fill("Brann")
    page.get_by_label("Tittel (engelsk)").fill("Fire")
    page.get_by_role("button", name="Opprett rutine").click()
    expect(page.locator("main")).to_contain_text("finnes allerede")
    expect(page.get_by_label("Tittel (bokmål)")).to_have_value("Brann")
    assert_accessible(page)
    page.get_by_label("Adresse").fill("brann")
    page.get_by_role("button", name="Opprett rutine").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rediger utkast 1 av brann")
    page.goto("/")
    page.get_by_role("link", name="Forfalte gjennomganger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forfalte gjennomganger")
    assert_accessible(page)


# --- Session mode -------------------------------------------------------------------------------------------


def test_facilitator_steps_through_the_agenda(page, routines):
    page.goto(f"/routines/{GUIDE['slug']}/")
    page.get_by_role("link", name="Start øktmodus").click()
    timer = page.locator("[data-session-timer]")
    first, second = GUIDE["agenda"][0], GUIDE["agenda"][1]
    expect(timer).to_have_text(re.compile(rf"^({first['minutes'] - 1}:[0-5]\d|{first['minutes']}:00)$"))
    expect(page.get_by_role("heading", name=first["title"]["nb"])).to_be_visible()
    expect(page.get_by_role("heading", name=second["title"]["nb"])).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("button", name="Neste punkt").click()
    expect(page.get_by_role("heading", name=second["title"]["nb"])).to_be_visible()
    expect(timer).to_have_text(re.compile(rf"^({second['minutes'] - 1}:[0-5]\d|{second['minutes']}:00)$"))
    expect(page.locator("[data-session-position]")).to_have_text(f"Punkt 2 av {len(GUIDE['agenda'])}")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Fortsett")).to_be_visible()
    page.get_by_role("button", name="Forrige punkt").click()
    expect(page.get_by_role("heading", name=first["title"]["nb"])).to_be_visible()
    assert_accessible(page)


def test_without_javascript_session_mode_is_the_plain_agenda(browser, live_server, routines):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/routines/{GUIDE['slug']}/session/")
        for item in GUIDE["agenda"]:
            expect(page.get_by_role("heading", name=item["title"]["nb"])).to_be_visible()
        expect(page.get_by_role("button", name="Neste punkt")).to_be_hidden()
    finally:
        context.close()
