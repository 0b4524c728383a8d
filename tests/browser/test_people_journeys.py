"""Onboarding and offboarding as a centre does it: a manager invites a counsellor, who sets her password from
the e-mail's link, enrols two-factor login and starts an intake; the manager removes her role and her next
request is refused. Every step is in the access log; axe-core checks every page."""

import re
from base64 import b32decode
from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from audit.models import AuditEvent
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

NEW_EMAIL = "nora.ny@example.org"
NEW_PASSWORD = "Nora-sitt-lange-passord-2026"


def enrol(page) -> None:
    """Set up two-factor login on the enrolment page the login led to, and go on."""
    expect(page).to_have_url(re.compile(r"/account/two-factor/enrol/"))
    secret = page.locator("main ol code").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Sekssifret kode fra appen").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bekreft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reservekodene dine")
    page.get_by_role("link", name="Jeg har tatt vare på dem, fortsett").click()


def test_a_manager_invites_a_counsellor_who_starts_an_intake_and_later_loses_her_role(
    page, browser, live_server, settings, users, intake_trees
):
    settings.TWO_FACTOR_REQUIRED = True
    # The manager adds Nora to her centre as a counsellor.
    log_in(page, "manager", PASSWORD)
    enrol(page)
    page.goto(reverse("unit_detail", args=[CENTRE_A]))
    page.get_by_role("link", name="Legg til en person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Legg til en person")
    assert_accessible(page)
    page.get_by_label("E-postadresse").fill(NEW_EMAIL)
    page.get_by_label("Fornavn").fill("Nora")
    page.get_by_label("Etternavn").fill("Ny")
    page.get_by_label("Rolle").select_option(label="Rådgiver")
    page.get_by_role("button", name="Legg til", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Nora Ny har fått rollen og en invitasjon")
    expect(page.get_by_role("row", name=re.compile(NEW_EMAIL))).to_contain_text("Rådgiver")
    assert_accessible(page)

    # Nora opens the link in the mail, sets her password, logs in and enrols.
    [message] = [m for m in mail.outbox if m.to == [NEW_EMAIL]]
    link = urlsplit(re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)).path
    nora = browser.new_context(base_url=live_server.url, locale="nb-NO").new_page()
    nora.goto(link)
    expect(nora.get_by_role("heading", level=1)).to_have_text("Velg passordet ditt")
    assert_accessible(nora)
    nora.locator("#id_new_password1").fill(NEW_PASSWORD)
    nora.locator("#id_new_password2").fill(NEW_PASSWORD)
    nora.get_by_role("button", name="Lagre passordet").click()
    expect(nora.locator(".messages")).to_contain_text("Passordet ditt er lagret")
    log_in(nora, NEW_EMAIL, NEW_PASSWORD)
    enrol(nora)

    # She starts an intake.
    nora.goto(reverse("intake:list"))
    nora.get_by_role("button", name="Ny kartlegging").click()
    expect(nora.get_by_role("heading", level=1)).to_have_text("Kontakt")
    step_url = nora.url

    # The manager removes her role; Nora's next request is refused.
    page.goto(reverse("unit_detail", args=[CENTRE_A]))
    page.get_by_role("row", name=re.compile(NEW_EMAIL)).get_by_role("link", name="Endre").click()
    assert_accessible(page)
    page.get_by_label("Rådgiver").uncheck()
    page.get_by_role("button", name="Lagre rollene").click()
    expect(page.locator(".messages")).to_contain_text("Rollene til Nora Ny er lagret")
    expect(page.get_by_role("row", name=re.compile(NEW_EMAIL))).to_have_count(0)
    response = nora.goto(step_url)
    assert response is not None and response.status == 404
    assert nora.goto(reverse("intake:list")).status == 404

    # Every step is in the access log, with who did it.
    manager = users["manager"]
    nora_pk = str(type(manager).objects.get(email=NEW_EMAIL).pk)
    steps = list(
        AuditEvent.objects.filter(action__in=STEPS)
        .order_by("at", "pk")
        .values_list("action", "actor__username", "target_id")
    )
    assert [(a, actor) for a, actor, target in steps if target == nora_pk or actor == NEW_EMAIL] == [
        ("member.role_granted", "manager"),
        ("member.invited", "manager"),
        ("auth.invitation_accepted", NEW_EMAIL),
        ("auth.login", NEW_EMAIL),
        ("auth.otp_enrolled", NEW_EMAIL),
        ("intake.created", NEW_EMAIL),
        ("member.role_removed", "manager"),
        ("record.access_refused", NEW_EMAIL),
    ]


STEPS = [
    "member.role_granted",
    "member.invited",
    "auth.invitation_accepted",
    "auth.login",
    "auth.otp_enrolled",
    "intake.created",
    "member.role_removed",
    # Her refused request after that: the intake pages' role check refuses it as a record's access helper would,
    # and audit.middleware logs it.
    "record.access_refused",
]
