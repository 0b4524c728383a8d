"""The routine editor in parts: an editor works through a draft one part at a time, by keyboard, and a save over
someone else's newer save is refused with a notice that keeps what she typed."""

import re

from playwright.sync_api import expect

from routines.demo_content import ROUTINES
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

VIOLENCE = ROUTINES[0]
PARTS = ["Tittel og sammendrag", "Nødkontakter", "Deler og trinn", "Rollekort", "Relaterte rutiner"]


def _open_draft(page):
    log_in(page, "editor", PASSWORD)
    page.goto("/routines/editor/")
    page.get_by_role("button", name=f"Nytt utkast ({VIOLENCE['slug']})").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rediger utkast 2")


def _current_part(page):
    return page.get_by_role("navigation", name="Delene av utkastet").locator("[aria-current=step]")


def test_an_editor_works_through_the_parts_by_keyboard(page, routines):
    _open_draft(page)
    for n, name in enumerate(PARTS, start=1):
        expect(_current_part(page)).to_have_text(f"{n}. {name}")
        expect(page.get_by_role("heading", level=2).first).to_contain_text(name)
        assert_accessible(page)
        if name == "Nødkontakter":
            page.locator("#id_contacts-0-when_nb").fill("Ring først, alltid")
        if n < len(PARTS):
            # "Save and continue" is reached and pressed from the keyboard.
            button = page.get_by_role("button", name=f"Lagre og fortsett: {PARTS[n]}")
            button.focus()
            expect(button).to_be_focused()
            page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("^Lagre og fortsett"))).to_have_count(0)

    # What was typed in the contacts part was saved on the way.
    page.get_by_role("navigation", name="Delene av utkastet").get_by_role("button", name="2. Nødkontakter").click()
    expect(_current_part(page)).to_have_text("2. Nødkontakter")
    expect(page.locator("#id_contacts-0-when_nb")).to_have_value("Ring først, alltid")

    # Enter in a one-line field saves this part and stays on it; it never jumps to another part.
    page.locator("#id_contacts-0-hours_nb").fill("Hele døgnet")
    page.locator("#id_contacts-0-hours_nb").press("Enter")
    expect(page.get_by_text("Utkastet er lagret.")).to_be_visible()
    expect(_current_part(page)).to_have_text("2. Nødkontakter")
    expect(page.locator("#id_contacts-0-hours_nb")).to_have_value("Hele døgnet")

    # A part with an error keeps the editor where she is, with everything she typed.
    page.get_by_role("navigation", name="Delene av utkastet").get_by_role(
        "button", name="1. Tittel og sammendrag"
    ).click()
    page.get_by_label("Tittel (bokmål)").fill("")
    page.get_by_label("Sammendrag (bokmål)").fill("Et sammendrag jeg skrev nå")
    page.get_by_role("button", name="Lagre og fortsett: Nødkontakter").click()
    expect(_current_part(page)).to_have_text("1. Tittel og sammendrag")
    expect(page.get_by_text("Feltet er påkrevet.")).to_be_visible()
    expect(page.get_by_label("Sammendrag (bokmål)")).to_have_value("Et sammendrag jeg skrev nå")
    assert_accessible(page)


def test_a_save_over_a_newer_save_shows_the_notice_and_keeps_the_typing(page, routines):
    _open_draft(page)
    page.get_by_role("navigation", name="Delene av utkastet").get_by_role("button", name="2. Nødkontakter").click()
    page.locator("#id_contacts-0-when_nb").fill("Skrevet i den første fanen")

    # Meanwhile the same draft is saved from a second tab.
    other = page.context.new_page()
    other.goto(page.url.rsplit("/contacts/", 1)[0] + "/")
    other.get_by_label("Sammendrag (bokmål)").fill("Lagret i den andre fanen")
    other.get_by_role("button", name="Lagre utkast").click()
    expect(other.get_by_text("Utkastet er lagret.")).to_be_visible()
    other.close()

    page.get_by_role("button", name="Lagre utkast").click()
    notice = page.locator("#save-conflict")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Noen andre lagret dette utkastet mens du redigerte det.")
    expect(page.locator("#id_contacts-0-when_nb")).to_have_value("Skrevet i den første fanen")
    assert_accessible(page)

    # Saving again is a knowing choice: this part is saved, the other tab's summary stays.
    page.get_by_role("button", name="Lagre utkast").click()
    expect(page.get_by_text("Utkastet er lagret.")).to_be_visible()
    expect(page.locator("#id_contacts-0-when_nb")).to_have_value("Skrevet i den første fanen")
    page.get_by_role("navigation", name="Delene av utkastet").get_by_role(
        "button", name="1. Tittel og sammendrag"
    ).click()
    expect(page.get_by_label("Sammendrag (bokmål)")).to_have_value("Lagret i den andre fanen")
