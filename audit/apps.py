from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The access and change log: who did what to which record, the catalogue of what each action code means,
    the log's pages for managers and administrators, and the periodic access review. Imports accounts (units,
    memberships, roles) and core, never a feature app: the features register their action codes and record
    types with ``core.auditing``."""

    name = "audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from audit import catalogue, home

        catalogue.register()
        home.register()
