"""Logging in through an OpenID Connect provider: the authorisation request, and the provider's answer.

The state, nonce and PKCE verifier of each login started live in the session, keyed by state, until the
provider's answer uses them once. The redirect address given to the provider is built from
``settings.SITE_URL``, never from the request's Host header."""

import logging
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_safe
from django_otp import login as otp_login
from mozilla_django_oidc.utils import generate_code_challenge

from audit.services import audit_log
from sso import services
from sso.client import ProviderClient, ProviderUnavailable, discovery
from sso.config import OidcProvider
from twofactor.middleware import safe_next
from usersessions.middleware import SESSION_STARTED_KEY

logger = logging.getLogger(__name__)

STATES_KEY = "sso_states"  # state -> what the login needs when the provider answers
PROVIDER_KEY = "sso_provider"  # the provider this session logged in through
ID_TOKEN_KEY = "sso_id_token"  # its ID token, the hint its logout endpoint asks for
MAX_PENDING = 5  # logins started and not finished that one session keeps (several tabs)
PENDING_SECONDS = 10 * 60  # a login not finished within this long is started again
BACKEND = "sso.backends.SingleSignOnBackend"


def provider_for(key: str) -> OidcProvider:
    """The configured provider of that short name, or "not found"."""
    for provider in settings.OIDC_PROVIDERS:
        if provider.key == key:
            return provider
    raise Http404


def callback_uri(provider: OidcProvider) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("sso:callback", args=[provider.key])


def _problem(request: HttpRequest, provider: OidcProvider, problem: str, *, status: int) -> HttpResponse:
    return render(request, "sso/problem.html", {"provider": provider, "problem": problem}, status=status)


@require_safe
def start(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the person to the provider to log in (the "Log in with ..." button)."""
    chosen = provider_for(provider)
    try:
        endpoint = discovery(chosen)["authorization_endpoint"]
    except ProviderUnavailable as exc:
        logger.warning("single sign-on unavailable: %s", exc)
        return _problem(request, chosen, "unavailable", status=503)
    state = get_random_string(43)
    nonce = get_random_string(43)
    verifier = get_random_string(64)
    pending: dict[str, Any] = dict(request.session.get(STATES_KEY) or {})
    for old in sorted(pending, key=lambda s: pending[s]["at"])[: max(0, len(pending) - MAX_PENDING + 1)]:
        del pending[old]
    pending[state] = {
        "provider": chosen.key,
        "nonce": nonce,
        "verifier": verifier,
        "next": safe_next(request),
        "at": time.time(),
    }
    request.session[STATES_KEY] = pending
    params = {
        "response_type": "code",
        "client_id": chosen.client_id,
        "redirect_uri": callback_uri(chosen),
        "scope": chosen.scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    if chosen.acr_values:
        params["acr_values"] = chosen.acr_values
    return HttpResponseRedirect(f"{endpoint}?{urlencode(params)}")


@require_safe
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider sends the person back here: check the answer, find her, log her in."""
    chosen = provider_for(provider)
    pending: dict[str, Any] = dict(request.session.get(STATES_KEY) or {})
    started = pending.pop(request.GET.get("state", ""), None)
    request.session[STATES_KEY] = pending  # each state is used once, whatever the answer
    if started is None or started["provider"] != chosen.key or time.time() - started["at"] > PENDING_SECONDS:
        return _problem(request, chosen, "expired", status=400)
    if request.GET.get("error") or not request.GET.get("code"):
        # Cancelled at the provider, or refused there (an Entra ID user not assigned to the application).
        audit_log(actor=None, action="auth.sso_refused")
        return _problem(request, chosen, "cancelled", status=400)
    try:
        claims, id_token = ProviderClient(chosen).exchange(
            code=request.GET["code"],
            redirect_uri=callback_uri(chosen),
            nonce=started["nonce"],
            code_verifier=started["verifier"],
        )
    except ProviderUnavailable as exc:
        logger.warning("single sign-on unavailable: %s", exc)
        return _problem(request, chosen, "unavailable", status=502)
    except SuspiciousOperation as exc:
        logger.warning("single sign-on answer refused (%s): %s", chosen.key, exc)
        audit_log(actor=None, action="auth.sso_refused")
        return _problem(request, chosen, "invalid", status=400)

    outcome = services.sso_person(provider=chosen, claims=claims)
    if outcome.user is None:
        return render(request, "sso/refused.html", {"provider": chosen, "refusal": str(outcome.refusal)}, status=403)
    user = outcome.user
    login(request, user, backend=BACKEND)  # a new session id, as at every login
    request.session[SESSION_STARTED_KEY] = time.time()
    request.session[PROVIDER_KEY] = chosen.key
    if chosen.logout:
        request.session[ID_TOKEN_KEY] = id_token
    audit_log(actor=user, action="auth.sso_login")
    if outcome.second_factor:
        otp_login(request, services.provider_device(user=user, provider=chosen))
        audit_log(actor=user, action="auth.sso_second_factor")
    return redirect(started["next"])


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where to send a person who logs out, to end her session at the provider she logged in through too
    (OpenID Connect RP-initiated logout), or None: a password login, a provider without an end-session
    endpoint or with logout turned off, or one that cannot be reached now (she is logged out here all the
    same). Call it before the local session is ended: it reads the session."""
    key = request.session.get(PROVIDER_KEY)
    id_token = request.session.get(ID_TOKEN_KEY)
    if not key or not id_token:
        return None
    try:
        chosen = provider_for(key)
        endpoint = discovery(chosen).get("end_session_endpoint")
    except (Http404, ProviderUnavailable):
        return None
    if not chosen.logout or not endpoint:
        return None
    if not endpoint.startswith(chosen.origin + "/"):
        # The content security policy lets forms lead only to the providers' own origins.
        logger.warning("single sign-on logout skipped: %s's end-session endpoint is on another origin", key)
        return None
    params = {
        "id_token_hint": id_token,
        "client_id": chosen.client_id,
        "post_logout_redirect_uri": settings.SITE_URL.rstrip("/") + reverse("login"),
    }
    return f"{endpoint}?{urlencode(params)}"
