"""Two-factor login pages: enrol an authenticator app, give a code after the password, and the person's own
status page with new recovery codes. The rules live in twofactor.selectors and twofactor.services; what
belongs to the HTTP session (the key being enrolled, marking the session verified) is done here."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.util import random_hex

from audit.services import audit_log
from twofactor import codes, selectors, services
from twofactor.forms import TotpCodeForm, VerifyCodeForm
from twofactor.middleware import safe_next, url_with_next

ENROL_KEY_SESSION_KEY = "two_factor_enrol_key"


def _enrolment_key(request: HttpRequest) -> str:
    """The secret being enrolled, kept in the session until a code proves the app has it (so opening the page
    writes nothing, and reloading it shows the same QR code)."""
    key = request.session.get(ENROL_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[ENROL_KEY_SESSION_KEY] = key
    return key


def _verified(request: HttpRequest, device) -> None:
    """Mark this session as having passed the second step."""
    # A new session id at the change of privilege, as at login: a session id seen before it is worthless.
    request.session.cycle_key()
    otp_login(request, device)


def _recovery_codes_page(request, recovery_codes, next_url):
    response = render(
        request,
        "twofactor/recovery_codes.html",
        {"codes": [f"{c[:4]} {c[4:8]} {c[8:]}" for c in recovery_codes], "next": next_url},
    )
    response["Cache-Control"] = "no-store"  # shown once: never from the browser's cache or history
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and secret, confirmed by a code from the app."""
    next_url = safe_next(request)
    if selectors.confirmed_totp_device(request.user) is not None:
        # Replacing an authenticator goes through an administrator's reset: otherwise a stolen password
        # alone could enrol the thief's phone.
        if selectors.is_verified(request.user):
            return redirect("twofactor:account")
        return redirect(url_with_next("twofactor:verify", next_url))
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = services.totp_enrol(user=request.user, key=_enrolment_key(request), code=form.cleaned_data["code"])
        if enrolment is not None:
            del request.session[ENROL_KEY_SESSION_KEY]
            _verified(request, enrolment.device)
            return _recovery_codes_page(request, enrolment.recovery_codes, next_url)
        form.add_error(
            "code",
            _(
                "That code is not right. Check that your app shows the account you just added, and try the code it shows now."
            ),
        )
    key = _enrolment_key(request)
    response = render(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "qr": codes.qr_data_uri(codes.otpauth_uri(request.user, key)),
            "secret": codes.grouped_secret(key),
            "must_enrol": selectors.must_enrol(request.user),
            "next": next_url,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in."""
    next_url = safe_next(request)
    if selectors.is_verified(request.user):
        return redirect(next_url)
    if selectors.confirmed_totp_device(request.user) is None:
        return redirect(url_with_next("twofactor:enrol", next_url))
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, detail = services.code_check(request.user, form.cleaned_data["code"], allow_recovery=True)
        if result in (services.VerifyResult.OK, services.VerifyResult.RECOVERY):
            _verified(request, detail)
            audit_log(actor=request.user, action="auth.otp_verified")
            if result == services.VerifyResult.RECOVERY:
                left = selectors.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. You have %(count)s left: make new ones on your two-factor page.",
                        "You used a recovery code. You have %(count)s left: make new ones on your two-factor page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        form.add_error("code", _code_error(result, detail))
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url})


def _code_error(result, detail) -> str:
    if result == services.VerifyResult.THROTTLED:
        seconds = max(1, int((detail - timezone.now()).total_seconds()) + 1)
        return ngettext(
            "Too many wrong codes. Wait %(seconds)s second and try again.",
            "Too many wrong codes. Wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    return _("That code is not right. Try the code your app shows now.")


def _account_page(request, form):
    device = selectors.confirmed_totp_device(request.user)
    last_used = ""
    if device is not None and device.last_used_at:
        last_used = formats.date_format(timezone.localtime(device.last_used_at), "DATETIME_FORMAT")
    return render(
        request,
        "twofactor/account.html",
        {
            "device": device,
            "last_used": last_used,
            "recovery_left": selectors.recovery_codes_left(request.user) if device else 0,
            "must_enrol": selectors.must_enrol(request.user),
            "enforced": settings.TWO_FACTOR_REQUIRED,
            "form": form,
        },
    )


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """The person's own two-factor status, with new recovery codes behind a code from the app."""
    return _account_page(request, TotpCodeForm())


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes, after a code from the app; the new ones are shown once."""
    if selectors.confirmed_totp_device(request.user) is None:
        return redirect("twofactor:account")
    form = TotpCodeForm(request.POST)
    if form.is_valid():
        result, detail = services.code_check(request.user, form.cleaned_data["code"], allow_recovery=False)
        if result == services.VerifyResult.OK:
            new_codes = services.recovery_codes_replace(request.user)
            audit_log(actor=request.user, action="auth.otp_recovery_regenerated")
            return _recovery_codes_page(request, new_codes, reverse("twofactor:account"))
        form.add_error("code", _code_error(result, detail))
    return _account_page(request, form)
