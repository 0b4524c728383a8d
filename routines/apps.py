from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = _("Routines")

    def ready(self) -> None:
        # What this app adds to the house: its home-page cards, its audit codes and record types, and what
        # the retention run deletes or anonymises of it, what the daily reminder counts (core's registries).
        from routines import audit, bootstrap, home, reminders, retention

        audit.register()
        bootstrap.register()
        home.register()
        reminders.register()
        retention.register()
