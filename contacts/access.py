"""The one way a view reaches a contact: through the intake it belongs to (intake.access's rules)."""

from typing import Any

from django.core.exceptions import PermissionDenied

from contacts.models import CaseContact
from contacts.selectors import visible_contacts
from core.access import RecordNotFound
from intake.selectors import may_change_intake


def get_contact_for_user(user: Any, pk: Any, *, for_change: bool = False) -> CaseContact:
    """The contact, or RecordNotFound (404) for anyone who may not see its intake; PermissionDenied (403) for a
    reader who may see it but not change it (a manager)."""
    contact = visible_contacts(user).select_related("intake", "unit").filter(pk=pk).first()
    if contact is None:
        raise RecordNotFound
    if for_change and not may_change_intake(user, contact.intake):
        raise PermissionDenied
    return contact
