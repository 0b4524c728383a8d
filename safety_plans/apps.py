from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyPlansConfig(AppConfig):
    name = "safety_plans"
    verbose_name = _("Safety plans")

    def ready(self) -> None:
        from intake.extensions import related_records
        from safety_plans.intake_links import SAFETY_PLANS

        related_records.register(SAFETY_PLANS)

        # What this app adds to the house: its home-page cards, its audit codes and record types, and what
        # the retention run deletes or anonymises of it, what the daily reminder counts (core's registries).
        from safety_plans import audit, bootstrap, home, reminders, retention

        audit.register()
        bootstrap.register()
        home.register()
        reminders.register()
        retention.register()
