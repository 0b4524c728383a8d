from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from intake.checks import check_duty_to_avert_routine, check_intake_tree

        checks.register(check_intake_tree)
        checks.register(check_duty_to_avert_routine)

        # What this app adds to the house: its home-page cards, its audit codes and record types, and what
        # the retention run deletes or anonymises of it (core's registries).
        from intake import audit, bootstrap, home, retention

        audit.register()
        bootstrap.register()
        home.register()
        retention.register()
