from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # What this app adds to the house: its home-page cards, its audit codes and record types, and what
        # the retention run deletes or anonymises of it (core's registries).
        from incidents import audit, home, retention

        audit.register()
        home.register()
        retention.register()
