from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    """Two-factor login with time-based one-time codes (TOTP, RFC 6238) and one-time recovery codes.

    django-otp does the cryptography and the bookkeeping: a ``TOTPDevice`` per person (its secret, the last time
    step used so a code never works twice, exponential throttling after wrong codes) and a ``StaticDevice`` with
    the recovery codes (each deleted when used). This app decides who must use it (``selectors``), enforces that
    on every request (``middleware.TwoFactorMiddleware``), and holds the operations the views and the admin's
    "lost phone" action call (``services``). No models of its own.

    Who: with ``settings.TWO_FACTOR_REQUIRED`` on (production), anyone with a counsellor, manager or editor
    membership and every superuser must enrol; anyone else who has enrolled (staff and the print shop may) is
    asked for a code too. With it off (the local demo, the test suite) nobody is asked.
    """

    name = "twofactor"
    verbose_name = _("Two-factor login")
