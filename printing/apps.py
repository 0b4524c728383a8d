from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    """Print orders: print runs of routine folders, and the print shop's queue. Depends on routines (an order
    is for a routine's folder); routines does not know about printing."""

    name = "printing"
    verbose_name = _("Print orders")

    def ready(self) -> None:
        # Its home-page cards and its audit codes and record type (core's registries). Print orders hold no
        # personal data beyond who ordered and handled them: see printing/retention.py.
        from printing import audit, home, retention

        audit.register()
        home.register()
        retention.register()
