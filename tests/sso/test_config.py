"""The providers a deployment names in its environment (sso.config): read as documented, or a start-up error
that names the variable."""

import pytest
from django.core import mail

from accounts.models import Unit
from accounts.services import member_add
from sso.config import ProviderConfigError, providers_from_env

FEIDE = {
    "DJANGO_OIDC_PROVIDERS": "feide, entra",
    "DJANGO_OIDC_FEIDE_ISSUER": "https://auth.dataporten.no/",
    "DJANGO_OIDC_FEIDE_CLIENT_ID": "feide-client",
    "DJANGO_OIDC_FEIDE_CLIENT_SECRET": "feide-secret",
    "DJANGO_OIDC_FEIDE_NAME": "Feide",
    "DJANGO_OIDC_FEIDE_TRUST_EMAIL": "1",
    "DJANGO_OIDC_FEIDE_MFA_ACR": "https://id.feide.no/ac/refeds/mfa",
    "DJANGO_OIDC_ENTRA_ISSUER": "https://login.microsoftonline.com/0000-tenant/v2.0",
    "DJANGO_OIDC_ENTRA_CLIENT_ID": "entra-client",
    "DJANGO_OIDC_ENTRA_CLIENT_SECRET": "entra-secret",
    "DJANGO_OIDC_ENTRA_MFA_AMR": "mfa",
    "DJANGO_OIDC_ENTRA_SUBJECT_CLAIM": "oid",
}


def test_two_providers_in_their_order():
    feide, entra = providers_from_env(FEIDE, debug=False)
    assert (feide.key, feide.name, feide.issuer) == ("feide", "Feide", "https://auth.dataporten.no")
    assert feide.trust_email and feide.mfa_acr == {"https://id.feide.no/ac/refeds/mfa"} and not feide.mfa_amr
    assert (entra.key, entra.name, entra.subject_claim) == ("entra", "Entra", "oid")
    assert entra.mfa_amr == {"mfa"} and not entra.trust_email and entra.logout
    assert entra.origin == "https://login.microsoftonline.com"


def test_none_configured():
    assert providers_from_env({}, debug=False) == ()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"DJANGO_OIDC_FEIDE_CLIENT_SECRET": ""}, "DJANGO_OIDC_FEIDE_CLIENT_SECRET"),
        ({"DJANGO_OIDC_FEIDE_ISSUER": "http://auth.example.org"}, "DJANGO_OIDC_FEIDE_ISSUER"),
        ({"DJANGO_OIDC_FEIDE_TRUST_EMAIL": "maybe"}, "DJANGO_OIDC_FEIDE_TRUST_EMAIL"),
        ({"DJANGO_OIDC_FEIDE_SCOPES": "email profile"}, "DJANGO_OIDC_FEIDE_SCOPES"),
        ({"DJANGO_OIDC_PROVIDERS": "feide,../x"}, "DJANGO_OIDC_PROVIDERS"),
    ],
)
def test_a_bad_variable_is_named(change, named):
    with pytest.raises(ProviderConfigError, match=named):
        providers_from_env(
            {**FEIDE, **change, "DJANGO_OIDC_PROVIDERS": change.get("DJANGO_OIDC_PROVIDERS", "feide")}, debug=False
        )


def test_plain_http_issuer_only_for_local_use():
    local = {**FEIDE, "DJANGO_OIDC_PROVIDERS": "feide", "DJANGO_OIDC_FEIDE_ISSUER": "http://127.0.0.1:9000"}
    assert providers_from_env(local, debug=True)[0].issuer == "http://127.0.0.1:9000"


def test_invitation_without_local_passwords_says_which_sign_in_to_use(
    db, settings, users, django_capture_on_commit_callbacks
):
    settings.PASSWORD_LOGIN = False
    settings.OIDC_PROVIDERS = providers_from_env(FEIDE, debug=False)
    unit = Unit.objects.create(slug="sorvik", name="Sørvik", kind=Unit.Kind.CRISIS_CENTRE)
    with django_capture_on_commit_callbacks(execute=True):
        member_add(by=users["admin"], unit=unit, email="ny@example.org", role="counsellor")
    [message] = mail.outbox
    assert message.subject == "Krisestøtte: du har fått tilgang"
    assert "Logg inn her med Feide / Entra, med e-postadressen du bruker på jobb (ny@example.org):" in message.body
    assert f"{settings.SITE_URL}/login/" in message.body and "/invitation/" not in message.body


def test_production_settings_read_the_providers():
    from tests.security.test_security import PRODUCTION_ENV, run_manage

    show = (
        "from django.conf import settings; "
        "print([p.key for p in settings.OIDC_PROVIDERS], settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'],"
        " [b.rsplit('.', 1)[-1] for b in settings.AUTHENTICATION_BACKENDS])"
    )
    env = {**PRODUCTION_ENV, **FEIDE, "DJANGO_PASSWORD_LOGIN": "0"}
    result = run_manage("shell", "-c", show, env_overrides=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "['feide', 'entra'] [\"'self'\", 'https://auth.dataporten.no', 'https://login.microsoftonline.com']"
        " ['AxesStandaloneBackend', 'PermissionsInOneQueryBackend', 'SingleSignOnBackend', 'ObjectPermissionBackend']"
    )
    broken = run_manage("check", env_overrides={**env, "DJANGO_OIDC_ENTRA_CLIENT_ID": ""})
    assert broken.returncode != 0 and "DJANGO_OIDC_ENTRA_CLIENT_ID must be set" in broken.stderr
    alone = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_PASSWORD_LOGIN": "0"})
    assert alone.returncode != 0 and "DJANGO_PASSWORD_LOGIN=0 needs a single sign-on provider" in alone.stderr
