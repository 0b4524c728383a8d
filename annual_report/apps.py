from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualReportConfig(AppConfig):
    # Not "statistics": a top-level package of that name would shadow Python's own ``statistics`` module for
    # every import in the process (numpy, pandas and the standard library itself import it).
    name = "annual_report"
    verbose_name = _("Annual report")

    def ready(self) -> None:
        from annual_report import audit, home

        audit.register()
        home.register()
