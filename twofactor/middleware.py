"""Enforcing the second step on every request."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from twofactor.selectors import confirmed_totp_device, second_step_needed

# Reachable before the second step: the two-factor pages themselves, logging out, the language switch, the
# health probe, and the public routine pages (an emergency is no time for a code; they open without any
# login, and a staff-only routine asks no more than a staff member's password, who is not made to enrol).
EXEMPT_URL_NAMES = {
    "twofactor:verify",
    "twofactor:enrol",
    # The idle dialog's time check and keep-alive (also shown on the code pages) say nothing about records.
    "usersessions:status",
    "usersessions:keep_alive",
    "logout",
    # Single sign-on replaces the session: someone halfway through a password login may log in through a
    # provider instead (whose second factor may count).
    "sso:start",
    "sso:callback",
    "set_language",
    "choose_language",
    "healthz",
    "routines:list",
    "routines:detail",
    "routines:session",
    "routines:folder_pdf",
    "routines:a4_pdf",
    "routines:offline",
    "service_worker",
    "web_manifest",
}


def safe_next(request, default=None) -> str:
    """The ``next`` target from the query or form if it is a local URL, else the default (home)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def url_with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


class TwoFactorMiddleware:
    """Sends a signed-in person who must give a code (see ``second_step_needed``) to the code page, or to
    enrolment when they have no authenticator yet, from every page but ``EXEMPT_URL_NAMES``. The page they
    asked for travels along as ``next`` (for GET requests), so they land there afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.TWO_FACTOR_REQUIRED:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not second_step_needed(request.user):
            return None
        name = "twofactor:verify" if confirmed_totp_device(request.user) else "twofactor:enrol"
        if request.method == "GET":
            return redirect(url_with_next(name, request.get_full_path()))
        return redirect(name)
