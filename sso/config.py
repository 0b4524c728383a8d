"""The single sign-on providers a deployment names in its environment, read by ``config.settings``.

Plain Python, no Django: the settings module calls :func:`providers_from_env` while Django is not set up yet.
``DJANGO_OIDC_PROVIDERS`` lists the providers' short names (``feide,entra``); each then has its own variables,
``DJANGO_OIDC_<NAME>_...`` (docs/deployment.md, "Single sign-on"). A missing or malformed one stops start-up
with a message that names it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

KEY = re.compile(r"^[a-z][a-z0-9]{0,31}$")


class ProviderConfigError(ValueError):
    """A provider's variables are missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class OidcProvider:
    """One OpenID Connect provider this deployment trusts."""

    key: str  # the short name in URLs and in the stored link (``feide``)
    name: str  # what the login button says after "Log in with" (``Feide``)
    issuer: str  # its issuer; the endpoints come from ``<issuer>/.well-known/openid-configuration``
    client_id: str
    client_secret: str
    scopes: str = "openid email profile"
    # The claim that names a person for good at this provider (``sub``; Entra ID may use ``oid``).
    subject_claim: str = "sub"
    # Whether the provider's ``email`` claim is vouched for without ``email_verified: true`` (an organisation's
    # own directory, such as Feide's or a single Entra ID tenant's): only then is a first login matched to an
    # existing account by its e-mail address.
    trust_email: bool = False
    # The provider's own authentication counts as our second factor only when its ID token says so: an ``amr``
    # value in ``mfa_amr`` or an ``acr`` value in ``mfa_acr``. Both empty: never (our own two-factor applies).
    mfa_amr: frozenset[str] = frozenset()
    mfa_acr: frozenset[str] = frozenset()
    # ``acr_values`` to ask for in the authentication request (empty: none).
    acr_values: str = ""
    # End the provider's session too when a person logs out here (RP-initiated logout), where it supports it.
    logout: bool = True
    sign_algo: str = "RS256"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"


def _flag(value: str, name: str, default: bool) -> bool:
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ProviderConfigError(f"{name} must be 1 or 0 (got {value!r}).")


def _words(value: str) -> frozenset[str]:
    return frozenset(word for word in re.split(r"[\s,]+", value) if word)


def providers_from_env(environ: Mapping[str, str], *, debug: bool) -> tuple[OidcProvider, ...]:
    """The providers ``DJANGO_OIDC_PROVIDERS`` names, in its order, each read from its own variables."""
    keys = [key.strip().lower() for key in environ.get("DJANGO_OIDC_PROVIDERS", "").split(",") if key.strip()]
    providers = []
    for key in keys:
        if not KEY.match(key):
            raise ProviderConfigError(
                f"DJANGO_OIDC_PROVIDERS: {key!r} is no short name (a letter, then letters or digits, at most 32)."
            )
        prefix = f"DJANGO_OIDC_{key.upper()}_"

        def get(field: str, prefix: str = prefix) -> str:
            return environ.get(prefix + field, "").strip()

        def required(field: str, prefix: str = prefix, key: str = key) -> str:
            value = get(field)
            if not value:
                raise ProviderConfigError(f"{prefix}{field} must be set (DJANGO_OIDC_PROVIDERS names {key!r}).")
            return value

        issuer = required("ISSUER").rstrip("/")
        scheme = urlsplit(issuer).scheme
        if scheme != "https" and not (debug and scheme == "http"):
            raise ProviderConfigError(f"{prefix}ISSUER must be an https address (got {issuer!r}).")
        scopes = get("SCOPES") or "openid email profile"
        if "openid" not in scopes.split():
            raise ProviderConfigError(f"{prefix}SCOPES must include openid (got {scopes!r}).")
        providers.append(
            OidcProvider(
                key=key,
                name=get("NAME") or key.capitalize(),
                issuer=issuer,
                client_id=required("CLIENT_ID"),
                client_secret=required("CLIENT_SECRET"),
                scopes=scopes,
                subject_claim=get("SUBJECT_CLAIM") or "sub",
                trust_email=_flag(get("TRUST_EMAIL"), prefix + "TRUST_EMAIL", False),
                mfa_amr=_words(get("MFA_AMR")),
                mfa_acr=_words(get("MFA_ACR")),
                acr_values=get("ACR_VALUES"),
                logout=_flag(get("LOGOUT"), prefix + "LOGOUT", True),
                sign_algo=get("SIGN_ALGO") or "RS256",
            )
        )
    if len(set(keys)) != len(keys):
        raise ProviderConfigError("DJANGO_OIDC_PROVIDERS names a provider twice.")
    return tuple(providers)
