"""Single sign-on in the browser against a real OpenID Connect provider (`oidc-provider` under node, on
loopback; tests/oidc/harness.py): logging in with the provider's button, an unknown person refused, the
provider's second factor honoured or not, and logging out of both. axe-core checks our pages."""

import re

import pytest
from csp.constants import NONE, SELF
from playwright.sync_api import expect

from accounts.models import Unit
from accounts.roles import Role
from accounts.services import membership_grant
from audit.models import AuditEvent
from sso.client import forget_discovery
from tests.browser.conftest import assert_accessible
from tests.oidc.harness import NAME, PASSWORD, provider_config, running_provider


@pytest.fixture(scope="module")
def issuer(live_server):
    with running_provider([live_server.url]) as issuer:
        yield issuer


@pytest.fixture
def sso(settings, live_server, issuer, transactional_db):
    forget_discovery()
    settings.SITE_URL = live_server.url
    settings.OIDC_PROVIDERS = (provider_config(issuer),)
    settings.TWO_FACTOR_REQUIRED = True
    # As config.settings does for configured providers: logging out may lead on to the provider.
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": [SELF, issuer], "frame-ancestors": [NONE]},
    }
    unit = Unit.objects.create(slug="nordby", name="Nordby krisesenter", kind=Unit.Kind.CRISIS_CENTRE)
    from django.contrib.auth import get_user_model

    people = {}
    for username, email in (("kari", "kari@example.org"), ("ola", "ola@example.org")):
        people[username] = get_user_model().objects.create_user(username=username, email=email)
        membership_grant(user=people[username], unit=unit, role=Role.COUNSELLOR)
    return people


def log_in_with_provider(page, username: str, next_path: str = "/") -> None:
    page.goto(f"/login/?next={next_path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
    assert_accessible(page)
    page.get_by_role("link", name=f"Logg inn med {NAME}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test provider")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_provider_second_factor_counts_and_logging_out_ends_both_sessions(page, sso, live_server):
    log_in_with_provider(page, "kari", "/intake/")
    # Her provider's login had a second factor (amr "mfa"): no code here, straight to her intakes.
    expect(page).to_have_url(f"{live_server.url}/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kartlegginger")
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").click()
    # RP-initiated logout: the provider asks, then sends her back to our login page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Log out of the test provider?")
    page.get_by_role("button", name="Yes, log me out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")

    # Logged out here: the intake list asks for a login ...
    page.goto("/intake/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/intake/"))
    # ... and at the provider: its button shows its login form again instead of logging her straight in.
    page.get_by_role("link", name=f"Logg inn med {NAME}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test provider")
    kari = sso["kari"]
    assert list(AuditEvent.objects.filter(actor=kari).order_by("at", "pk").values_list("action", flat=True)) == [
        "auth.sso_linked",
        "auth.sso_login",
        "auth.sso_second_factor",
        "auth.logout",
    ]


def test_without_the_provider_second_factor_our_own_two_factor_login_applies(page, sso, live_server):
    log_in_with_provider(page, "ola", "/intake/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/enrol/\?next=%2Fintake%2F"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sett opp tofaktorinnlogging")
    assert_accessible(page)


def test_an_unknown_person_is_refused_with_a_clear_page(page, sso, live_server):
    log_in_with_provider(page, "ukjent")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du ble ikke logget inn")
    expect(page.get_by_role("main")).to_contain_text(f"{NAME} vet hvem du er, men du har ingen konto her.")
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til innlogging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
    assert AuditEvent.objects.filter(action="auth.sso_refused", actor=None).count() == 1
