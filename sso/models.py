from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Identity(models.Model):
    """A person's account at a single sign-on provider: the provider's short name and its stable subject for her.

    Made on her first login through that provider (matched by a verified e-mail address, or a new account where
    the deployment allows it); every later login finds her by it, whatever her e-mail address has become."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities", verbose_name=_("user")
    )
    provider = models.CharField(_("provider"), max_length=32)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("linked"), default=timezone.now)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_unique_subject"),
            # One account per person at each provider: a second subject for the same account is refused.
            models.UniqueConstraint(fields=["user", "provider"], name="sso_identity_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"


class ProviderDevice(Device):
    """The second factor a provider vouched for in its ID token (``amr``/``acr``), as a django-otp device so that
    a session it verified is verified everywhere django-otp is asked (``user.is_verified()``). It accepts no
    code: it is only ever put in a session by ``sso.views.callback``."""

    # Annotated: django-otp has no type stubs, so mypy's Django plugin does not see this as a model.
    provider: "models.CharField[str, str]" = models.CharField(_("provider"), max_length=32)

    class Meta(Device.Meta):
        verbose_name = _("single sign-on second factor")
        verbose_name_plural = _("single sign-on second factors")
        constraints = [models.UniqueConstraint(fields=["user", "provider"], name="sso_device_one_per_provider")]

    def verify_token(self, token) -> bool:
        return False
