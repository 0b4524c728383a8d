"""A person's preferences page by keyboard: from the home page's card she turns the daily reminder off and
chooses English; the pages follow, and the choice is saved. axe-core checks the page in both languages."""

from playwright.sync_api import expect

from accounts.models import Preferences
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


def test_turning_the_reminder_off_and_choosing_english_by_keyboard(page, live_server, users):
    log_in(page, "staff", PASSWORD)
    page.get_by_role("link", name="Innstillingene dine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Innstillingene dine")
    reminder = page.get_by_label("Send meg en daglig påminnelse")
    expect(reminder).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Språk").focus()
    page.keyboard.press("ArrowDown")  # bokmål -> English
    reminder.focus()
    page.keyboard.press("Space")
    expect(reminder).not_to_be_checked()
    page.get_by_role("button", name="Lagre").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your preferences")
    expect(page.locator(".messages")).to_contain_text("Your preferences are saved.")
    expect(page.get_by_label("Send me a daily reminder")).not_to_be_checked()
    assert_accessible(page)
    saved = Preferences.objects.get(user=users["staff"])
    assert (saved.language, saved.daily_reminder) == ("en", False)
