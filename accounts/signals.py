"""A failed password check on an existing account is audit-logged wherever it happens, and a login through the
admin's page. (Ending the sessions of
a deactivated person is usersessions.signals.)"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from audit.services import audit_log


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    """A failed password check (the login page, the admin's login, the sessions page's password) is a security
    event (ASVS V7.2.1), logged against the account it was tried on, locked-out tries included. Nothing typed
    is stored, and a username that is no account writes nothing: the append-only log must not grow at the
    pace of anyone on the internet guessing names (django-axes counts those tries)."""
    username = credentials.get("username") or ""
    account = get_user_model().objects.filter(username=username).first() if username else None
    if account is not None:
        audit_log(actor=account, action="auth.login_failed")


@receiver(user_logged_in)
def log_admin_login(sender, request=None, user=None, **kwargs):
    """A login through the Django admin's own page is logged as one through ours (accounts.views.LoginView
    logs its own)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "admin:login" and user is not None:
        audit_log(actor=user, action="auth.login")
