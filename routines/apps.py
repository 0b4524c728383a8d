from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = _("Routines")

    def ready(self) -> None:
        # What this app adds to the house: its home-page cards, its audit codes and record types, and what
        # the retention run deletes or anonymises of it, what the daily reminder counts (core's registries).
        from routines import audit, bootstrap, home, reminders, retention, signals  # noqa: F401 (connects)

        audit.register()
        # The public routine pages, answered from the cache before the session and login middleware run.
        from core import public_pages
        from routines.views.public import detail_page_key, session_page_key

        public_pages.register(r"/routines/(?P<slug>[-a-zA-Z0-9_]+)/", detail_page_key)
        public_pages.register(r"/routines/(?P<slug>[-a-zA-Z0-9_]+)/session/", session_page_key)
        bootstrap.register()
        home.register()
        reminders.register()
        retention.register()
