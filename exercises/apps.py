from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        # What this app adds to the house: its home card, audit codes and record type, retention and
        # reminders (core's registries).
        from exercises import audit, home, reminders, retention

        audit.register()
        home.register()
        reminders.register()
        retention.register()
