"""Two-factor login pages: enrol an authenticator app, give a code after the password, and the person's own
status page with new recovery codes. The rules live in accounts.two_factor."""

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

from accounts import two_factor
from accounts.two_factor_forms import TotpCodeForm, VerifyCodeForm
from audit.services import audit_log


def _recovery_codes_page(request, codes, next_url):
    response = render(
        request,
        "two_factor/recovery_codes.html",
        {"codes": [f"{c[:4]} {c[4:8]} {c[8:]}" for c in codes], "next": next_url},
    )
    response["Cache-Control"] = "no-store"  # shown once: never from the browser's cache or history
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and secret, confirmed by a code from the app."""
    next_url = two_factor.safe_next(request)
    if two_factor.confirmed_totp_device(request.user) is not None:
        # Replacing an authenticator goes through an administrator's reset: otherwise a stolen password
        # alone could enrol the thief's phone.
        if request.user.is_verified():
            return redirect("two_factor_account")
        return redirect(two_factor.url_with_next("two_factor_verify", next_url))
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_enrol(request, form.cleaned_data["code"])
        if codes is not None:
            return _recovery_codes_page(request, codes, next_url)
        form.add_error(
            "code",
            _(
                "That code is not right. Check that your app shows the account you just added, and try the code it shows now."
            ),
        )
    key = two_factor.enrolment_key(request)
    response = render(
        request,
        "two_factor/enrol.html",
        {
            "form": form,
            "qr": two_factor.qr_data_uri(two_factor.otpauth_uri(request.user, key)),
            "secret": two_factor.grouped_secret(key),
            "must_enrol": two_factor.must_enrol(request.user),
            "next": next_url,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in."""
    next_url = two_factor.safe_next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if two_factor.confirmed_totp_device(request.user) is None:
        return redirect(two_factor.url_with_next("two_factor_enrol", next_url))
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, detail = two_factor.code_check(request.user, form.cleaned_data["code"], allow_recovery=True)
        if result in (two_factor.VerifyResult.OK, two_factor.VerifyResult.RECOVERY):
            two_factor.session_verify(request, detail)
            if result == two_factor.VerifyResult.RECOVERY:
                left = two_factor.recovery_codes_left(request.user)
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
    return render(request, "two_factor/verify.html", {"form": form, "next": next_url})


def _code_error(result, detail) -> str:
    if result == two_factor.VerifyResult.THROTTLED:
        seconds = max(1, int((detail - timezone.now()).total_seconds()) + 1)
        return ngettext(
            "Too many wrong codes. Wait %(seconds)s second and try again.",
            "Too many wrong codes. Wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    return _("That code is not right. Try the code your app shows now.")


def _account_page(request, form):
    device = two_factor.confirmed_totp_device(request.user)
    last_used = ""
    if device is not None and device.last_used_at:
        last_used = formats.date_format(timezone.localtime(device.last_used_at), "DATETIME_FORMAT")
    return render(
        request,
        "two_factor/account.html",
        {
            "device": device,
            "last_used": last_used,
            "recovery_left": two_factor.recovery_codes_left(request.user) if device else 0,
            "must_enrol": two_factor.must_enrol(request.user),
            "enforced": settings.TWO_FACTOR_REQUIRED,
            "form": form,
        },
    )


@login_required
@require_safe
def two_factor_account(request: HttpRequest) -> HttpResponse:
    """The person's own two-factor status, with new recovery codes behind a code from the app."""
    return _account_page(request, TotpCodeForm())


@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes, after a code from the app; the new ones are shown once."""
    if two_factor.confirmed_totp_device(request.user) is None:
        return redirect("two_factor_account")
    form = TotpCodeForm(request.POST)
    if form.is_valid():
        result, detail = two_factor.code_check(request.user, form.cleaned_data["code"], allow_recovery=False)
        if result == two_factor.VerifyResult.OK:
            codes = two_factor.recovery_codes_replace(request.user)
            audit_log(actor=request.user, action="auth.otp_recovery_regenerated")
            return _recovery_codes_page(request, codes, reverse("two_factor_account"))
        form.add_error("code", _code_error(result, detail))
    return _account_page(request, form)
