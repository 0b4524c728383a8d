from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyPlansConfig(AppConfig):
    name = "safety_plans"
    verbose_name = _("Safety plans")

    def ready(self) -> None:
        from intake.extensions import related_records
        from safety_plans.intake_links import SAFETY_PLANS

        related_records.register(SAFETY_PLANS)
