from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    """Print orders: print runs of routine folders, and the print shop's queue. Depends on routines (an order
    is for a routine's folder); routines does not know about printing."""

    name = "printing"
    verbose_name = _("Print orders")
