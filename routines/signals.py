"""What this process forgets when it saves a routine: the keys of the public pages it answers early
(core.public_pages keeps them for a second; a publish or a routine made staff-only shows at once here)."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.public_pages import forget_keys
from routines.models import Routine, RoutineVersion


@receiver([post_save, post_delete], sender=Routine)
@receiver([post_save, post_delete], sender=RoutineVersion)
def forget_public_page_keys(sender: Any, **kwargs: Any) -> None:
    # Now, and again when the change is committed: a request in between may have read the old key again.
    forget_keys()
    transaction.on_commit(forget_keys)
