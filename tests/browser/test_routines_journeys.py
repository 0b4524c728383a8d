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
            page.get_by_role("link", name=lang_button).click()
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


def _go_to_part(page, name):
    """Move to another part of the editor with its navigation (which saves the part shown first)."""
    page.get_by_role("navigation", name="Delene av utkastet").get_by_role("button", name=name).click()
    expect(page.locator("nav [aria-current=step]")).to_contain_text(name)


def test_two_people_publish_a_version_with_a_number_change(page, browser, live_server, routines):
    _open_new_draft_of_the_violence_routine(page)
    _go_to_part(page, "Deler og trinn")
    page.locator("#id_sections-0-steps-0-nb").fill("Ring **112** med en gang, og si hvor du er.")
    page.get_by_role("button", name="Lagre og forhåndsvis").click()
    expect(page.get_by_text("Forhåndsvisning, ikke publisert.")).to_be_visible()
    expect(page.locator("main article")).to_contain_text("og si hvor du er.")
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til redigeringen").click()
    _go_to_part(page, "Nødkontakter")
    page.get_by_role("button", name="Legg til en nødkontakt").click()
    page.locator("#id_contacts-1-label_nb").fill("Vakttelefon")
    page.locator("#id_contacts-1-label_en").fill("Duty phone")
    page.locator("#id_contacts-1-number").fill("22 22 22 22")
    page.get_by_role("button", name="Lagre og send til godkjenning").click()
    expect(page.get_by_text("Utkast 2 er lagret og venter på godkjenning.")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("venter på godkjenning")
    assert_accessible(page)
    # The editor who sent it cannot approve it.
    page.get_by_role("link", name="Se gjennom og godkjenn versjon 2").click()
    expect(page.get_by_text("Du ba om at dette utkastet skulle publiseres")).to_be_visible()
    expect(page.get_by_role("button", name="Godkjenn og publiser")).to_have_count(0)

    # The unit's manager approves it in a browser of her own.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    manager = context.new_page()
    manager.set_default_timeout(10_000)
    log_in(manager, "manager", PASSWORD)
    manager.goto(f"/routines/editor/{VIOLENCE['slug']}/history/")
    manager.get_by_role("link", name="Se gjennom og godkjenn versjon 2").click()
    numbers = manager.get_by_role("table", name="Telefonnumre som endres med denne versjonen")
    expect(numbers).to_contain_text("Vakttelefon")
    expect(numbers).to_contain_text("22 22 22 22")
    expect(manager.locator("main .routine-diff h3").first).to_have_text("Nødkontakt 2")
    assert_accessible(manager)
    manager.get_by_role("button", name="Godkjenn og publiser").click()
    expect(manager.get_by_role("alert")).to_contain_text("kryss så av for at du har kontrollert dem")
    assert_accessible(manager)
    manager.get_by_label("Jeg har kontrollert hvert endret telefonnummer over mot kilden").check()
    manager.get_by_role("button", name="Godkjenn og publiser").click()
    expect(manager.get_by_text("Versjon 2 er godkjent og publisert.")).to_be_visible()
    row = manager.locator("tbody tr").first
    expect(row).to_contain_text("Publisert")
    expect(row).to_contain_text("sendt av Eva Redaktør")
    assert_accessible(manager)
    manager.get_by_role("link", name="Endringer i versjon 2").click()
    expect(manager.locator("main ins").filter(has_text="22 22 22 22")).to_have_count(1)
    assert_accessible(manager)
    context.close()

    page.goto(f"/routines/{VIOLENCE['slug']}/")
    expect(page.locator("main a.contact-call[href='tel:+4722222222']")).to_be_visible()
    expect(page.locator("main article")).to_contain_text("og si hvor du er.")


def test_changing_the_police_number_is_warned_at_save_and_refused_at_sending(page, routines):
    _open_new_draft_of_the_violence_routine(page)
    _go_to_part(page, "Nødkontakter")
    page.locator("#id_contacts-0-number").fill("02800")
    page.get_by_role("button", name="Lagre utkast").click()
    expect(page.locator("#draft-warnings")).to_contain_text("Nummeret til Politi er 112")
    expect(page.locator("#id_contacts-0-number")).to_have_value("02800")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre og send til godkjenning").click()
    expect(page.get_by_role("alert")).to_contain_text("Nødkontakt 1 heter “Politi”, men nummeret er 02800.")
    expect(page.locator("#id_contacts-0-number")).to_have_value("02800")
    assert_accessible(page)
    page.goto(f"/routines/{VIOLENCE['slug']}/")
    expect(page.locator("main a.contact-call[href='tel:112']")).to_be_visible()


def test_publishing_a_contact_without_a_number_says_what_to_fix_and_keeps_the_text(page, routines):
    _open_new_draft_of_the_violence_routine(page)
    _go_to_part(page, "Nødkontakter")
    page.locator("#id_contacts-0-number").fill("")
    page.locator("#id_contacts-0-when_nb").fill("Når det haster, skrevet nå")
    page.get_by_role("button", name="Lagre og send til godkjenning").click()
    expect(page.get_by_role("alert")).to_contain_text("Nødkontakt 1 mangler telefonnummer.")
    expect(page.locator("#id_contacts-0-when_nb")).to_have_value("Når det haster, skrevet nå")
    assert_accessible(page)
    # Adding a step works without JavaScript and keeps the text typed in that part too.
    _go_to_part(page, "Deler og trinn")
    page.locator("#id_sections-0-title_en").fill("Typed before adding a step")
    page.get_by_role("button", name="Legg til et trinn i del 1").click()
    expect(page.locator("#id_sections-0-title_en")).to_have_value("Typed before adding a step")
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


def test_session_mode_numbers_each_step_and_ends_in_a_finished_state(page, routines):
    page.goto(f"/routines/{GUIDE['slug']}/session/")
    total = len(GUIDE["agenda"])
    for n, item in enumerate(GUIDE["agenda"], start=1):
        expect(page.locator("[data-session-position]")).to_have_text(f"Punkt {n} av {total}")
        step = page.locator(".session-step:visible")
        expect(step).to_have_count(1)
        expect(step.get_by_role("heading", level=2)).to_contain_text(item["title"]["nb"])
        # The list marker matches the position ("5." beside "Punkt 5 av 5"), not "1." on every step.
        assert step.evaluate("li => li.value") == n
        if n < total:
            page.get_by_role("button", name="Neste punkt").click()
    page.get_by_role("button", name="Avslutt økten").click()
    finished = page.get_by_role("region", name="Økten er ferdig")
    expect(finished).to_be_visible()
    expect(finished).to_be_focused()
    expect(finished).to_contain_text(f"alle de {total} trinnene")
    expect(page.locator(".session-step:visible")).to_have_count(0)
    expect(page.get_by_role("button", name="Neste punkt")).to_be_hidden()
    assert_accessible(page)
    finished.get_by_role("button", name="Start økten på nytt").click()
    expect(page.locator("[data-session-position]")).to_have_text(f"Punkt 1 av {total}")
    expect(page.get_by_role("heading", name=GUIDE["agenda"][0]["title"]["nb"])).to_be_visible()


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
