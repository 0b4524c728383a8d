"""Deactivating a person ends their sessions at once, however it is done (the admin, a script, a service)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from usersessions.services import end_sessions


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
    # Who deactivated: the unit page's service and the admin set ``_deactivated_by``; none means "the system".
    end_sessions(instance, actor=getattr(instance, "_deactivated_by", None))
