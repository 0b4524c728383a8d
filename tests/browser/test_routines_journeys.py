"""Routine journeys: an anonymous person on a phone finds the number to call at once."""

import re

from playwright.sync_api import expect

from routines.demo_content import ROUTINES
from tests.browser.conftest import assert_accessible


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
