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
