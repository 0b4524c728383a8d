"""Talking to one OpenID Connect provider: its discovery document, the code exchange, the ID token's checks.

mozilla-django-oidc's ``OIDCAuthenticationBackend`` does the protocol (token request, the signing key from the
provider's JWKS matched by ``kid`` and ``alg``, the signature, the nonce, the userinfo request); it is written
for one provider named in settings, so :class:`ProviderClient` gives it one provider's values instead, and adds
the checks it leaves out: issuer, audience, expiry and the subject of the userinfo answer.
"""

import threading
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sso.config import OidcProvider

DISCOVERY_TTL = 3600  # seconds a provider's discovery document is kept before it is fetched again
_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider could not be reached, or answered something that is no OpenID Connect."""


def discovery(provider: OidcProvider) -> dict[str, Any]:
    """The provider's ``/.well-known/openid-configuration``, cached for ``DISCOVERY_TTL`` seconds per process."""
    now = time.monotonic()
    with _discovery_lock:
        cached = _discovery.get(provider.issuer)
        if cached and now - cached[0] < DISCOVERY_TTL:
            return cached[1]
    try:
        response = requests.get(
            f"{provider.issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT, allow_redirects=False
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{provider.key}: discovery failed: {exc.__class__.__name__}") from exc
    if document.get("issuer", "").rstrip("/") != provider.issuer:
        raise ProviderUnavailable(f"{provider.key}: the discovery document names another issuer")
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(endpoint):
            raise ProviderUnavailable(f"{provider.key}: the discovery document has no {endpoint}")
    with _discovery_lock:
        _discovery[provider.issuer] = (now, document)
    return document


def forget_discovery() -> None:
    """Drop the cached discovery documents (tests start a new provider on a new port)."""
    with _discovery_lock:
        _discovery.clear()


class ProviderClient(OIDCAuthenticationBackend):
    """mozilla-django-oidc's client for one provider. Not an authentication backend here: ``sso.views`` calls it
    and decides who the person is (``sso.services``)."""

    def __init__(self, provider: OidcProvider):
        document = discovery(provider)
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is not signed with the expected algorithm.")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=60,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"The ID token was refused: {exc.__class__.__name__}") from exc
        # Several audiences: the authorised party must be us (OpenID Connect Core 3.1.3.7).
        if (
            isinstance(claims.get("aud"), list)
            and len(claims["aud"]) > 1
            and claims.get("azp") != self.provider.client_id
        ):
            raise SuspiciousOperation("The ID token was issued to another party.")
        return claims

    def exchange(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> tuple[dict[str, Any], str]:
        """Trade the authorisation code for tokens; return the person's claims and the raw ID token.

        The claims are the ID token's, with the userinfo endpoint's added where the provider has one (the same
        subject, or the login is refused). ``amr`` and ``acr`` are only ever the ID token's: they describe this
        authentication, which the userinfo answer does not."""
        try:
            tokens = self.get_token(
                {
                    "client_id": self.provider.client_id,
                    "client_secret": self.provider.client_secret,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "code_verifier": code_verifier,
                }
            )
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"{self.provider.key}: the token request failed") from exc
        id_token = tokens.get("id_token")
        if not id_token:
            raise SuspiciousOperation("The provider sent no ID token.")
        try:
            claims = self.verify_token(id_token, nonce=nonce)
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"{self.provider.key}: its signing keys could not be fetched") from exc
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            # A token that is no JWT, or keys with no usable entry: refused as any other bad token.
            raise SuspiciousOperation(f"The ID token could not be read: {exc.__class__.__name__}") from exc
        if self.OIDC_OP_USER_ENDPOINT and tokens.get("access_token"):
            try:
                userinfo = self.get_userinfo(tokens["access_token"], id_token, claims)
            except (requests.RequestException, ValueError) as exc:
                raise ProviderUnavailable(f"{self.provider.key}: the userinfo request failed") from exc
            if not isinstance(userinfo, dict) or userinfo.get("sub") != claims["sub"]:
                raise SuspiciousOperation("The userinfo answer is about someone else.")
            extra = {k: v for k, v in userinfo.items() if k not in {"amr", "acr", "iss", "aud", "nonce", "auth_time"}}
            claims = {**extra, **claims}
        return claims, id_token
