"""The one way to write the access and change log."""

import re
from typing import Any

from django.db import models

from accounts.models import Unit
from audit.models import AuditEvent

ACTION_CODE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")


def audit_log(*, actor: Any, action: str, target: models.Model | None = None, unit: Unit | None = None) -> AuditEvent:
    """Record that ``actor`` did ``action`` (a dotted code such as ``unit.viewed``) to ``target``.

    Only the target's type and primary key are stored, never its content: the log itself must not become
    a second copy of the sensitive data.
    """
    if not ACTION_CODE.match(action):
        raise ValueError(f"Audit action codes are dotted lower-case words, got {action!r}")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        unit=unit,
    )
