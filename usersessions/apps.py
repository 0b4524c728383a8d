from django.apps import AppConfig


class UserSessionsConfig(AppConfig):
    """Signed-in sessions: the database session engine that knows whose each session is, the idle and absolute
    time limits, the idle dialog's endpoints, and ending a person's sessions (deactivation, a password change,
    "log out everywhere else"). Named ``usersessions`` because ``sessions`` is the label of Django's own app."""

    name = "usersessions"

    def ready(self) -> None:
        from usersessions import signals  # noqa: F401  (connects the deactivation receivers)
