"""The access log's card, for those who review the log (managers and administrators)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.review import may_review_audit
from core.home import HOME_SECTIONS, Card, HomeSection


def audit_cards(user: Any) -> list[Card]:
    if not may_review_audit(user):
        return []
    return [
        Card(
            title=_("Access log"),
            text=_("Who opened, changed, printed or shared which record, and the periodic access review."),
            url=reverse("audit:list"),
        )
    ]


def register() -> None:
    HOME_SECTIONS.register(HomeSection(order=80, cards=audit_cards, name="access log"))
