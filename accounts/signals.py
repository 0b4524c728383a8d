"""Deactivating a person ends their sessions at once, however it is done (the admin, a script, a service); a
failed password check on an existing account is audit-logged wherever it happens."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.sessions import end_sessions
from audit.services import audit_log


@receiver(pre_save, sender=get_user_model())
def note_deactivation(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance.is_active:
        instance._deactivated_now = False
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    instance._deactivated_now = was_active


@receiver(post_save, sender=get_user_model())
def end_sessions_on_deactivation(sender, instance, created=False, raw=False, **kwargs):
    if raw or not getattr(instance, "_deactivated_now", False):
        return
    instance._deactivated_now = False
    # Who deactivated is not known here (the admin's own change log records it); no actor means "the system".
    end_sessions(instance)


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
