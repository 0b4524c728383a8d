"""Single sign-on against a real OpenID Connect provider (`oidc-provider` on loopback, tests/oidc/harness.py).

The people: ``kari`` (kari@example.org, the provider says she used a second factor), ``ola`` (password only),
``ukjent`` (unknown here), ``ulla`` (known here by e-mail, but the provider does not vouch for her address).
"""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation

from accounts.models import Unit
from accounts.roles import Role
from accounts.services import membership_grant
from audit.models import AuditEvent
from sso.client import ProviderClient, forget_discovery
from sso.models import Identity
from tests.oidc.harness import KEY, log_in_at_provider, provider_config, running_provider

SITE = "http://testserver"
User = get_user_model()


@pytest.fixture(scope="module")
def issuer():
    with running_provider([SITE]) as issuer:
        yield issuer


@pytest.fixture
def sso(settings, issuer, db):
    forget_discovery()
    settings.SITE_URL = SITE
    settings.OIDC_PROVIDERS = (provider_config(issuer),)
    settings.OIDC_CREATE_USERS = False
    settings.TWO_FACTOR_REQUIRED = True
    return settings.OIDC_PROVIDERS[0]


@pytest.fixture
def unit(db):
    return Unit.objects.create(slug="nordby", name="Nordby krisesenter", kind=Unit.Kind.CRISIS_CENTRE)


def person(username, email, *, unit=None, role=Role.COUNSELLOR, active=True):
    user = User.objects.create_user(username=username, email=email, password="a-long-local-password-1")
    user.is_active = active
    user.save()
    if unit is not None:
        membership_grant(user=user, unit=unit, role=role)
    return user


def sso_login(client, username, next_url="/"):
    """Start at our login button, log in at the provider, and bring its answer back to our callback."""
    start = client.get(f"/sso/{KEY}/start/", {"next": next_url})
    assert start.status_code == 302, start.content[:300]
    back = log_in_at_provider(start["Location"], username, site_url=SITE)
    parts = urlsplit(back)
    return client.get(parts.path, parse_qs(parts.query))


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_login_button_per_provider(client, sso):
    page = client.get("/login/")
    assert f'href="/sso/{KEY}/start/"'.encode() in page.content
    assert "Logg inn med Test-ID" in page.content.decode()


def test_known_person_is_linked_by_verified_email_then_found_by_subject(client, sso, unit):
    kari = person("kari", "Kari@Example.org", unit=unit)
    response = sso_login(client, "kari", next_url="/intake/")
    assert response.status_code == 302
    assert response["Location"] == "/intake/"
    assert int(client.session["_auth_user_id"]) == kari.pk
    assert Identity.objects.get(provider=KEY).user == kari
    assert Identity.objects.get(provider=KEY).subject == "kari"
    assert "auth.sso_linked" in actions() and "auth.sso_login" in actions()

    # Her e-mail address changes here; the link by subject still finds her.
    kari.email = "kari.nordmann@example.org"
    kari.save()
    client.post("/logout/")
    response = sso_login(client, "kari")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == kari.pk


def test_unknown_person_is_refused_with_a_clear_page(client, sso, unit):
    response = sso_login(client, "ukjent")
    assert response.status_code == 403
    text = response.content.decode()
    assert "du har ingen konto her" in text
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="ukjent@example.org").exists()
    refusal = AuditEvent.objects.get(action="auth.sso_refused")
    assert refusal.actor is None and refusal.target_id == ""


def test_unknown_person_gets_an_account_with_no_role_where_the_deployment_allows(client, sso, settings):
    settings.OIDC_CREATE_USERS = True
    response = sso_login(client, "ukjent")
    assert response.status_code == 302
    created = User.objects.get(email="ukjent@example.org")
    assert not created.has_usable_password()
    assert not created.memberships.exists() and not created.groups.exists()
    assert "auth.sso_account_created" in actions()
    # No role: she reaches no record page. No password to change either.
    assert client.get("/intake/").status_code == 404
    assert 'href="/password/"' not in client.get("/").content.decode()


def test_unverified_email_is_not_matched(client, sso, unit):
    person("ulla", "ulla@example.org", unit=unit)
    response = sso_login(client, "ulla")
    assert response.status_code == 403
    assert not Identity.objects.exists()


def test_trusted_provider_email_is_matched_without_email_verified(client, sso, unit, settings, issuer):
    settings.OIDC_PROVIDERS = (provider_config(issuer, trust_email=True),)
    ulla = person("ulla", "ulla@example.org", unit=unit)
    assert sso_login(client, "ulla").status_code == 302
    assert int(client.session["_auth_user_id"]) == ulla.pk


def test_deactivated_person_is_refused(client, sso, unit):
    kari = person("kari", "kari@example.org", unit=unit, active=False)
    response = sso_login(client, "kari")
    assert response.status_code == 403
    assert "deaktivert" in response.content.decode()
    assert AuditEvent.objects.get(action="auth.sso_refused").actor == kari


def test_provider_mfa_counts_as_the_second_factor(client, sso, unit):
    person("kari", "kari@example.org", unit=unit)
    sso_login(client, "kari")
    # A counsellor must use two-factor login: the provider's "mfa" was enough, no code is asked for.
    assert client.get("/intake/").status_code == 200
    assert "auth.sso_second_factor" in actions()


def test_without_the_mfa_claim_our_own_two_factor_applies(client, sso, unit):
    person("ola", "ola@example.org", unit=unit)
    sso_login(client, "ola")
    response = client.get("/intake/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/enrol/")
    assert "auth.sso_second_factor" not in actions()


def test_the_mfa_claim_counts_only_where_the_provider_is_configured_so(client, sso, unit, settings, issuer):
    settings.OIDC_PROVIDERS = (provider_config(issuer, mfa_amr=frozenset()),)
    person("kari", "kari@example.org", unit=unit)
    sso_login(client, "kari")
    assert client.get("/intake/")["Location"].startswith("/account/two-factor/enrol/")


def test_acr_rule(client, sso, unit, settings, issuer):
    settings.OIDC_PROVIDERS = (provider_config(issuer, mfa_amr=frozenset(), mfa_acr=frozenset({"urn:test:mfa"})),)
    person("kari", "kari@example.org", unit=unit)
    sso_login(client, "kari")
    assert client.get("/intake/").status_code == 200


def test_logout_ends_the_local_session_and_goes_on_to_the_provider(client, sso, unit, issuer):
    person("ola", "ola@example.org", unit=unit)
    sso_login(client, "ola")
    response = client.post("/logout/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}" == issuer
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == [f"{SITE}/login/"]
    assert query["id_token_hint"]
    assert "_auth_user_id" not in client.session
    assert client.get("/intake/").status_code == 302  # to the login page


def test_a_replayed_or_foreign_state_is_refused(client, sso, unit):
    person("ola", "ola@example.org", unit=unit)
    start = client.get(f"/sso/{KEY}/start/")
    back = urlsplit(log_in_at_provider(start["Location"], "ola", site_url=SITE))
    assert client.get(back.path, parse_qs(back.query)).status_code == 302
    client.post("/logout/")
    again = client.get(back.path, parse_qs(back.query))
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session


def test_unknown_provider_is_not_found(client, sso):
    assert client.get("/sso/nobody/start/").status_code == 404


def test_passwords_off(client, sso, settings, unit):
    settings.PASSWORD_LOGIN = False
    settings.TWO_FACTOR_REQUIRED = False  # what is asked after the login is not under test here
    settings.AUTHENTICATION_BACKENDS = [b for b in settings.AUTHENTICATION_BACKENDS if not b.endswith("ModelBackend")]
    person("ola", "ola@example.org", unit=unit)
    page = client.get("/login/").content.decode()
    assert 'name="password"' not in page and "Logg inn med Test-ID" in page
    refused = client.post("/login/", {"username": "ola", "password": "a-long-local-password-1"})
    assert "_auth_user_id" not in client.session and refused.status_code == 200
    assert client.get("/password/reset/").status_code == 404
    assert sso_login(client, "ola").status_code == 302
    assert client.get("/password/").status_code == 404
    assert 'href="/password/"' not in client.get("/").content.decode()  # neither in the menu nor as a card


def test_an_id_token_for_someone_else_or_expired_is_refused(sso):
    """The checks mozilla-django-oidc leaves to us (sso.client): issuer, audience, authorised party, expiry, and
    the algorithm pinned, with a key of our own standing in for the provider's."""
    client = ProviderClient(sso)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    good = {"iss": sso.issuer, "aud": sso.client_id, "sub": "x", "iat": now, "exp": now + 60}
    assert client._verify_jws(jwt.encode(good, key, algorithm="RS256"), key.public_key())["sub"] == "x"
    for bad in (
        {"aud": "someone-else"},
        {"iss": "https://elsewhere.example"},
        {"exp": now - 3600},
        {"aud": [sso.client_id, "another-client"]},  # several audiences and no azp naming us
    ):
        with pytest.raises(SuspiciousOperation):
            client._verify_jws(jwt.encode({**good, **bad}, key, algorithm="RS256"), key.public_key())
    with pytest.raises(SuspiciousOperation):
        client._verify_jws(jwt.encode(good, "a-shared-secret-that-is-long-enough!", algorithm="HS256"), key)
