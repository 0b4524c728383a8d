"""First journeys: each persona logs in, the language switch, keyboard use and a phone's first screen.

axe-core checks every page these journeys visit.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.demo import PERSONAS
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


@pytest.mark.parametrize("persona", [p.username for p in PERSONAS])
def test_persona_logs_in_sees_their_home_and_logs_out(page, users, persona):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    assert_accessible(page)

    log_in(page, persona, PASSWORD)
    user = users[persona]
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hei, {user.first_name}")
    assert_accessible(page)

    # Every card on the home page opens a page that works and is accessible.
    card_links = page.locator(".cards a")
    hrefs = [card_links.nth(i).get_attribute("href") for i in range(card_links.count())]
    assert hrefs, "every persona has at least one thing to do"
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, href
        if not href.startswith("/admin/"):  # Django's own admin is not our markup
            assert_accessible(page)

    page.goto("/")
    page.get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("button", name="Logg ut")).to_have_count(0)


def test_wrong_password_says_so_and_keeps_the_username(page, users):
    log_in(page, "counsellor", "not-the-password")
    expect(page.get_by_role("alert").or_(page.locator(".alert-danger"))).to_contain_text("brukernavn")
    expect(page.get_by_label("Brukernavn")).to_have_value("counsellor")
    assert_accessible(page)


def test_switch_language_and_back(page, db):
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    # Not signed in, the switch is a link (no per-visitor token on public pages; core/i18n.py).
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Norsk")).click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")


def test_keyboard_skip_link_and_visible_focus(page, db):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovedinnholdet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # The next Tab stops on something inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_password_change_journey(page, users):
    log_in(page, "staff", PASSWORD)
    page.get_by_role("link", name="Passord", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Gammelt passord").fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Nytt passord")).fill("kort")
    page.get_by_label("Bekreft nytt passord").fill("kort")
    page.get_by_role("button", name="Endre passord").click()
    # Too short: a clear message, and the old password typed is still there.
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Gammelt passord").fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Nytt passord")).fill("et-langt-og-trygt-passord-2026")
    page.get_by_label("Bekreft nytt passord").fill("et-langt-og-trygt-passord-2026")
    page.get_by_role("button", name="Endre passord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passordet er endret")
    assert_accessible(page)


def test_not_found_page_is_accessible(page, db):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert_accessible(page)


def test_emergency_numbers_on_a_phones_first_screen(phone_page, db):
    phone_page.goto("/")
    for number in ["tel:112", "tel:113", "tel:116117"]:
        link = phone_page.locator(f"header a[href='{number}']")
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box["y"] + box["height"] <= 667 and box["height"] >= 44
    assert_accessible(phone_page)


def test_locked_out_page_explains_and_is_accessible(page, users):
    for _ in range(5):
        log_in(page, "editor", "wrong-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("For mange mislykkede forsøk")
    expect(page.locator("main")).to_contain_text("15 minutter")
    assert_accessible(page)
