"""The idle warning and autosave in a real browser, with a short idle timeout (20 s, warned 14 s before):
the dialog opens with focus on "Stay signed in", passes axe and extends the session; activity elsewhere (the
server's time left) keeps it closed; an intake step autosaves while typing, the session runs out, and logging
in again lands on the same step with the answer there. The page of one's own sessions passes axe.

Nothing waits for real: a fake clock moves the page's time (Playwright's clock: Date and the timers of
static/js/idle.js) and the server's (time-machine, which the live server's thread sees too) forward together.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Intake
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from usersessions.models import UserSession

AGE = 20
WARNING = 14


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_COOKIE_AGE = AGE
    settings.SESSION_IDLE_WARNING_SECONDS = WARNING


class Clocks:
    """The browser's clock and the server's, moved forward together; both keep running between moves."""

    def __init__(self, page, server):
        self.page, self.server = page, server

    def skip(self, seconds: float) -> None:
        self.server.shift(seconds)  # first, so a status check the page makes at once sees the new time
        self.page.clock.fast_forward(int(seconds * 1000))


@pytest.fixture
def clocks(page):
    """Install before the first page loads: idle.js reads the clock when it starts."""
    with time_machine.travel(timezone.now(), tick=True) as server:
        page.clock.install()
        yield Clocks(page, server)


def test_idle_warning_opens_with_focus_and_staying_signed_in_extends_the_session(page, users, short_sessions, clocks):
    log_in(page, "counsellor", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    dialog = page.get_by_role("dialog", name="Er du der fortsatt?")
    clocks.skip(AGE - WARNING + 1)
    expect(dialog).to_be_visible()
    stay = dialog.get_by_role("button", name="Forbli innlogget")
    expect(stay).to_be_focused()
    expect(dialog.get_by_role("button", name="Logg ut")).to_be_visible()
    expect(dialog.get_by_role("timer")).to_have_text(re.compile(r"^0:\d\d$"))
    assert_accessible(page)

    before = UserSession.objects.get(user=users["counsellor"]).expire_date
    page.keyboard.press("Enter")  # the keyboard alone
    expect(dialog).to_be_hidden()
    after = UserSession.objects.get(user=users["counsellor"]).expire_date
    assert after > before and after - timezone.now() > timedelta(seconds=AGE - 4)

    # Another tab keeps the session alive: the page asks the server before warning, and stays quiet.
    UserSession.objects.filter(user=users["counsellor"]).update(expire_date=timezone.now() + timedelta(seconds=90))
    with page.expect_response(lambda response: response.url.endswith(reverse("usersessions:status"))):
        clocks.skip(AGE - WARNING + 3)
    expect(dialog).to_be_hidden()
    # Asking did not renew the session itself.
    assert UserSession.objects.get(user=users["counsellor"]).expire_date - timezone.now() < timedelta(seconds=90)

    # The page listing one's other sessions, reached from the password page.
    page.get_by_role("link", name="Passord", exact=True).click()
    page.get_by_role("link", name="Øktene dine: hvor du er logget inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Øktene dine")
    expect(page.get_by_text("Du er ikke logget inn noe annet sted.")).to_be_visible()
    assert_accessible(page)


def test_autosaved_answer_survives_the_session_ending_and_logging_in_again(
    page, users, intake_a, short_sessions, clocks
):
    log_in(page, "counsellor", PASSWORD)
    step = reverse("intake:step", args=[intake_a.pk, "situation"])
    page.goto(step)
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    page.get_by_label("Hva gjorde at personen tok kontakt akkurat nå?").fill("Skrevet rett før pausen")
    expect(page.get_by_text("Svarene er lagret automatisk.")).to_be_visible()
    intake = Intake.objects.get(pk=intake_a.pk)
    assert intake.answers["why-now"] == ["Skrevet rett før pausen"] and intake.revision == 1
    assert page.locator("input[name=revision]").input_value() == "1"  # the buttons still save without conflict
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0

    # Nobody answers the warning: the session ends, on the server too.
    clocks.skip(AGE - WARNING + 1)
    expect(page.get_by_role("dialog", name="Er du der fortsatt?")).to_be_visible()
    ended = page.get_by_role("dialog", name="Økten din er avsluttet")
    clocks.skip(WARNING + 1)
    expect(ended).to_be_visible()
    login = ended.get_by_role("link", name="Logg inn på nytt")
    expect(login).to_be_focused()
    assert_accessible(page)
    assert not UserSession.objects.filter(user=users["counsellor"], expire_date__gt=timezone.now()).exists()

    login.click()
    expect(page).to_have_url(re.compile(f"{reverse('login')}\\?next={step}$"))
    page.get_by_label("Brukernavn").fill("counsellor")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    assert page.url.endswith(step)
    expect(page.get_by_label("Hva gjorde at personen tok kontakt akkurat nå?")).to_have_value("Skrevet rett før pausen")


def test_autosave_never_overwrites_a_save_from_another_tab(browser, live_server, users, intake_a):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    first = context.new_page()
    log_in(first, "counsellor", PASSWORD)
    step = reverse("intake:step", args=[intake_a.pk, "situation"])
    first.goto(step)
    second = context.new_page()
    second.goto(step)
    question = "Hva gjorde at personen tok kontakt akkurat nå?"
    second.get_by_label(question).fill("Fra den andre fanen")
    expect(second.get_by_text("Svarene er lagret automatisk.")).to_be_visible()

    first.get_by_label(question).fill("Fra den første fanen")
    problem = first.get_by_role("alert").filter(has_text="Ikke lagret automatisk")
    expect(problem).to_contain_text("endret i en annen fane")
    assert_accessible(first)
    assert Intake.objects.get(pk=intake_a.pk).answers["why-now"] == ["Fra den andre fanen"]
    expect(first.get_by_label(question)).to_have_value("Fra den første fanen")  # nothing typed is lost
    # Saving with the button is then a knowing choice, shown as the wizard's conflict page.
    first.get_by_role("button", name="Lagre og fortsett").click()
    expect(first.get_by_text("Ikke lagret: kartleggingen ble endret i en annen fane")).to_be_visible()
    context.close()
