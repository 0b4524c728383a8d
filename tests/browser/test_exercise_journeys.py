"""Role cards and exercises: an editor adds role cards to a routine (published after a second person's
approval), and the unit's manager records an exercise whose finding becomes an action and marks the routine
as needing revision."""

import re

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from routines.demo_content import ROUTINES
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

VIOLENCE = ROUTINES[0]


def test_an_editor_adds_role_cards_and_a_second_person_publishes_them(page, browser, live_server, routines):
    log_in(page, "editor", PASSWORD)
    page.goto("/routines/editor/")
    page.get_by_role("button", name=f"Nytt utkast ({VIOLENCE['slug']})").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rediger utkast 2")
    page.get_by_role("button", name="Rollekort").click()  # the editor's part for role cards
    page.get_by_role("button", name="Legg til et rollekort").click()
    page.locator("#id_roles-0-title_nb").fill("Loggfører")
    page.locator("#id_roles-0-title_en").fill("Log-keeper")
    page.locator("#id_roles-0-duties_nb").fill("Skriver logg med klokkeslett\nTar vare på loggen etterpå")
    page.locator("#id_roles-0-duties_en").fill("Keeps a log with times\nKeeps the log afterwards")
    page.locator("#id_roles-0-holder_nb").fill("Rådgiver på vakt")
    page.locator("#id_roles-0-holder_en").fill("Adviser on duty")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre og send til godkjenning").click()
    expect(page.get_by_text("Utkast 2 er lagret og venter på godkjenning.")).to_be_visible()

    context = browser.new_context(base_url=live_server.url, locale="nb-NO", service_workers="block")
    manager = context.new_page()
    manager.set_default_timeout(10_000)
    log_in(manager, "manager", PASSWORD)
    manager.goto(f"/routines/editor/{VIOLENCE['slug']}/history/")
    manager.get_by_role("link", name="Se gjennom og godkjenn versjon 2").click()
    expect(manager.locator("main .routine-diff")).to_contain_text("Rollekort 1")
    expect(manager.locator("main .routine-diff")).to_contain_text("Skriver logg med klokkeslett")
    assert_accessible(manager)
    manager.get_by_role("button", name="Godkjenn og publiser").click()
    expect(manager.get_by_text("Versjon 2 er godkjent og publisert.")).to_be_visible()
    context.close()

    page.goto(f"/routines/{VIOLENCE['slug']}/")
    cards = page.get_by_role("region", name="Rollekort: hvem gjør hva")
    expect(cards).to_contain_text("Loggfører")
    expect(cards).to_contain_text("Vanligvis: Rådgiver på vakt")
    assert_accessible(page)


def test_a_manager_records_an_exercise_whose_finding_becomes_an_action(page, routines):
    editor = get_user_model().objects.get(username="editor")
    log_in(page, "manager", PASSWORD)
    page.get_by_role("link", name="Øvelser").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Øvelser")
    assert_accessible(page)
    page.get_by_role("link", name=f"Registrer en øvelse i «{VIOLENCE['title']['nb']}»").click()
    # Nothing typed is lost when something must be fixed.
    page.locator("#id_what_did_not").fill("Ingen visste hvem som skulle ringe pårørende.")
    page.locator("#id_needs_revision").check()
    page.get_by_role("button", name="Registrer øvelsen").click()
    expect(page.locator("#id_what_did_not")).to_have_value("Ingen visste hvem som skulle ringe pårørende.")
    expect(page.locator("main")).to_contain_text("Si med noen få ord hva i rutinen som må revideres.")
    assert_accessible(page)
    page.locator("#id_held_on").fill(timezone.localdate().isoformat())
    page.get_by_label("Skrivebordsøvelse").check()
    page.locator("#id_participant_count").fill("6")
    page.locator("#id_other_roles").fill("resepsjon, leder")
    page.locator("#id_revision_note").fill("Rollekort for kontakt med pårørende")
    page.get_by_role("button", name="Registrer øvelsen").click()
    expect(page.get_by_text("Øvelsen er registrert.")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_new-description").fill("Legg til et rollekort for kontakt med pårørende.")
    page.locator("#id_new-responsible").select_option(value=str(editor.pk))
    page.locator("#id_new-deadline").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Legg til tiltaket").click()
    expect(page.get_by_text("Tiltaket er lagt til.")).to_be_visible()
    expect(page.locator("main section")).to_contain_text("Legg til et rollekort for kontakt med pårørende.")
    assert_accessible(page)
    page.goto("/routines/editor/overdue/")
    expect(page.locator("#needs-revision + p + ul")).to_contain_text("Rollekort for kontakt med pårørende")
    expect(page.locator("#needs-revision + p + ul")).to_contain_text(re.compile(r"må revideres siden"))
    assert_accessible(page)
