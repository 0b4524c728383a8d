from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    """Single sign-on through OpenID Connect (Feide, Entra ID, ...), with mozilla-django-oidc's client.

    The providers come from the environment (``sso.config``, ``settings.OIDC_PROVIDERS``). A person is found by
    the provider's stable subject (``Identity``), linked on her first login by a verified e-mail address to an
    account that exists, or refused (unless the deployment creates accounts with no role). The provider's
    authentication counts as the second factor only when its ID token says so (``ProviderDevice``).
    """

    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        from sso import audit

        audit.register()
