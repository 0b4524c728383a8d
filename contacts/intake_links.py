"""The contacts on an intake, for the intake's review page (registered with
``intake.extensions.related_records``: intake never imports contacts). The start link opens the phone
conversation form with today's date filled in, so recording a phone call is two clicks: the link and Save."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.models import RECORD_LABELS, CaseContact
from intake.extensions import RelatedLink, RelatedRecords
from intake.models import Intake
from intake.selectors import may_change_intake


def contact_links(user: Any, intake: Intake) -> list[RelatedLink]:
    # The review page has already checked that ``user`` may see ``intake``: its contacts come with it.
    count = CaseContact.objects.filter(intake=intake).count()
    registered = hasattr(intake, "registration")
    label = _("Contacts and registration (%(n)s contacts, %(state)s)") % {
        "n": count,
        "state": _("registered") if registered else _("not registered"),
    }
    return [RelatedLink(label=label, url=reverse("contacts:list", args=[intake.pk]))]


def record_phone_link(user: Any, intake: Intake) -> RelatedLink | None:
    if not may_change_intake(user, intake):
        return None
    return RelatedLink(
        label=str(RECORD_LABELS[CaseContact.Kind.PHONE]),
        url=reverse("contacts:new", args=[intake.pk, CaseContact.Kind.PHONE]),
    )


CONTACTS = RelatedRecords(
    key="contacts", heading=gettext_lazy("Contacts"), links=contact_links, start=record_phone_link
)
