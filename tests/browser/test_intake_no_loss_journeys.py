"""Nothing typed in the intake is lost (issue 17): text typed a moment before leaving the step is saved when
the counsellor clicks a step in the progress bar, uses the browser's Back button or closes the tab; long text
gets a live counter and a clear refusal instead of being cut. axe on the pages met on the way."""

import time

from django.urls import reverse
from playwright.sync_api import expect

from intake.models import Intake
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import INTAKE_A, PASSWORD

WHY_NOW = "Hva gjorde at personen tok kontakt akkurat nå?"


def saved_answer(link_id: str, expected: str, seconds: float = 5.0) -> list:
    """The stored answer once it equals [expected] (the save may still be on its way), or as it is after
    waiting ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        answers = Intake.objects.get(pk=INTAKE_A).answers.get(link_id, [])
        if answers == [expected] or time.monotonic() > deadline:
            return answers
        time.sleep(0.1)


def open_situation(page) -> None:
    page.goto(reverse("intake:step", args=[INTAKE_A, "contact"]))
    page.goto(reverse("intake:step", args=[INTAKE_A, "situation"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    expect(page.locator("form.intake-step[data-autosave-ready]")).to_have_count(1)


def test_text_typed_just_before_a_progress_bar_click_is_saved(page, intake_a):
    log_in(page, "counsellor", PASSWORD)
    open_situation(page)
    page.get_by_label(WHY_NOW).fill("Truet med kniv i går")
    page.get_by_role("navigation", name="Steg").get_by_role("link", name="Kontakt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    assert saved_answer("why-now", "Truet med kniv i går") == ["Truet med kniv i går"]
    page.get_by_role("navigation", name="Steg").get_by_role("link", name="Situasjonen").click()
    expect(page.get_by_label(WHY_NOW)).to_have_value("Truet med kniv i går")
    assert_accessible(page)


def test_text_typed_just_before_the_back_button_is_saved(page, intake_a):
    log_in(page, "counsellor", PASSWORD)
    open_situation(page)
    field = page.get_by_label(WHY_NOW)
    field.click()
    page.keyboard.type("Ble slått")  # typed, still in the field: no change or blur before leaving
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    assert saved_answer("why-now", "Ble slått") == ["Ble slått"]
    page.goto(reverse("intake:step", args=[INTAKE_A, "situation"]))
    expect(page.get_by_label(WHY_NOW)).to_have_value("Ble slått")


def test_text_typed_just_before_closing_the_tab_is_saved(page, intake_a):
    log_in(page, "counsellor", PASSWORD)
    tab = page.context.new_page()
    open_situation(tab)
    tab.get_by_label(WHY_NOW).click()
    tab.keyboard.type("Redd for barna")
    tab.close(run_before_unload=True)  # as a person closing the tab: the page's unload handlers run
    assert saved_answer("why-now", "Redd for barna") == ["Redd for barna"]
    page.goto(reverse("intake:step", args=[INTAKE_A, "situation"]))
    expect(page.get_by_label(WHY_NOW)).to_have_value("Redd for barna")


def test_leaving_with_an_answer_that_cannot_be_saved_asks_first(page, intake_a):
    """Text beyond the limit is not saved (it would be refused): leaving then asks, and staying keeps it."""
    log_in(page, "counsellor", PASSWORD)
    open_situation(page)
    too_long = "x" * 2001
    page.get_by_label(WHY_NOW).click()  # a person's own action: browsers ask before leaving only after one
    page.get_by_label(WHY_NOW).fill(too_long)
    page.get_by_label(WHY_NOW).blur()
    expect(page.get_by_text("unntatt de som må rettes")).to_be_visible()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("navigation", name="Steg").get_by_role("link", name="Kontakt").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    expect(page.get_by_label(WHY_NOW)).to_have_value(too_long)


def test_long_text_gets_a_counter_and_a_clear_refusal_instead_of_being_cut(page, intake_a):
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("intake:step", args=[INTAKE_A, "contact"]))
    page.get_by_role("group", name="Hvordan kom personen i kontakt med krisesenteret?").get_by_label(
        "Brakt hit av en annen tjeneste", exact=True
    ).check()
    page.get_by_role("group", name="Trenger personen tolk for å fortelle om situasjonen sin?").get_by_label(
        "Nei", exact=True
    ).check()
    service = page.get_by_label("Hvilken tjeneste?")
    pasted = "Legevakten i sentrum, " * 11 + "og så videre"  # 254 characters, the limit is 200
    assert len(pasted) > 200
    service.fill("L" * 150)
    expect(page.get_by_text("av 200 tegn")).to_be_hidden()
    service.fill("L" * 170)
    expect(page.get_by_text("170 av 200 tegn")).to_be_visible()
    service.fill(pasted)
    expect(service).to_have_value(pasted)  # nothing cut
    expect(page.get_by_text(f"{len(pasted) - 200} tegn for mye.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Lagre og fortsett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    # In the error summary at the top and at the field itself.
    expect(page.get_by_text(f"Teksten kan være på høyst 200 tegn (den har {len(pasted)})")).to_have_count(2)
    expect(page.get_by_label("Hvilken tjeneste?")).to_have_value(pasted)
    # Neither cut nor stored: at most what autosave stored while the text was still within the limit.
    assert Intake.objects.get(pk=INTAKE_A).answers.get("contact-service", []) in ([], ["L" * 150], ["L" * 170])
    assert_accessible(page)
    page.get_by_label("Hvilken tjeneste?").fill("Legevakten")
    page.get_by_role("button", name="Lagre og fortsett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    assert Intake.objects.get(pk=INTAKE_A).answers["contact-service"] == ["Legevakten"]


def test_a_plan_label_beyond_the_limit_is_refused_not_cut(page, demo, intake_trees):
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("safety_plans:new"))
    label = page.get_by_label("Merkelapp for planen")
    label.fill("S" * 70)
    expect(label).to_have_value("S" * 70)
    expect(page.get_by_text("10 tegn for mye.")).to_be_visible()
    page.get_by_role("button", name="Start planen").click()
    expect(page.get_by_text("Merkelappen kan være på høyst 60 tegn (den har 70).")).to_be_visible()
    expect(page.get_by_label("Merkelapp for planen")).to_have_value("S" * 70)
    assert_accessible(page)
