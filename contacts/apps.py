from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from contacts.intake_links import CONTACTS
        from intake.extensions import related_records

        related_records.register(CONTACTS)

        # What this app adds to the house: its audit codes and what the retention run deletes of it.
        from contacts import audit, bootstrap, retention

        audit.register()
        bootstrap.register()
        retention.register()
