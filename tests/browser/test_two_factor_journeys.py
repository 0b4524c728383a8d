"""Two-factor login as a counsellor meets it: from an intake step to enrolment, the recovery codes, back at the
same step; later a wrong code and a recovery code. axe-core checks every page."""

import re
from base64 import b32decode
from datetime import datetime

import time_machine
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD


def test_counsellor_enrols_on_the_way_to_an_intake_step_and_later_uses_a_recovery_code(page, settings, intake_a):
    settings.TWO_FACTOR_REQUIRED = True
    step = reverse("intake:step", args=[intake_a.pk, "contact"])
    with time_machine.travel(datetime.now().astimezone(), tick=True) as clock:
        page.goto(step)
        expect(page).to_have_url(re.compile(r"/login/\?next="))
        page.get_by_label("Brukernavn").fill("counsellor")
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()

        # Enrolment: the QR code with a text alternative, and the key by hand.
        expect(page).to_have_url(re.compile(r"/account/two-factor/enrol/\?next="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sett opp tofaktorinnlogging")
        expect(page.get_by_role("img", name="QR-kode for å sette opp autentiseringsappen")).to_be_visible()
        assert_accessible(page)
        secret = page.locator("main ol code").inner_text().replace(" ", "")
        key = b32decode(secret + "=" * (-len(secret) % 8))
        field = page.get_by_label("Sekssifret kode fra appen")
        expect(field).to_have_attribute("autocomplete", "one-time-code")
        expect(field).to_have_attribute("inputmode", "numeric")
        field.fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Bekreft").click()

        # The recovery codes, once; then on to the step the counsellor was going to.
        expect(page.get_by_role("heading", level=1)).to_have_text("Reservekodene dine")
        codes = page.locator(".recovery-codes code").all_inner_texts()
        assert len(codes) == 10
        assert_accessible(page)
        page.get_by_role("link", name="Jeg har tatt vare på dem, fortsett").click()
        expect(page).to_have_url(re.compile(re.escape(step) + "$"))

        page.get_by_role("button", name="Logg ut").click()
        clock.shift(60)

        # Next login: the code page. A wrong code says so; a recovery code lets her in, once.
        page.goto("/login/")
        page.get_by_label("Brukernavn").fill("counsellor")
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        expect(page).to_have_url(re.compile(r"/account/two-factor/verify/"))
        assert_accessible(page)
        page.get_by_label("Kode").fill("000000" if f"{totp(key):06d}" != "000000" else "111111")
        page.get_by_role("button", name="Fortsett").click()
        expect(page.locator(".invalid-feedback")).to_contain_text("Koden er ikke riktig")
        expect(page.get_by_label("Kode")).to_have_attribute("aria-invalid", "true")
        assert_accessible(page)
        page.get_by_label("Kode").fill(codes[0])
        page.get_by_role("button", name="Fortsett").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hei")
        expect(page.locator(".messages")).to_contain_text("Du har 9 igjen")

        # Her own page says two-factor login is on, with nine recovery codes left.
        page.goto(reverse("twofactor:account"))
        expect(page.locator("main")).to_contain_text("Tofaktorinnlogging er på")
        assert_accessible(page)
