from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyPlansConfig(AppConfig):
    name = "safety_plans"
    verbose_name = _("Safety plans")
