from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Units and people")

    def ready(self):
        from accounts import audit, home, signals  # noqa: F401  (signals connects the failed-login receiver)

        audit.register()
        home.register()
