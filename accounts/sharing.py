"""Sharing a record about a person (an intake, a safety plan) with colleagues in its own unit.

The owner's sharing screen uses these: who it is shared with now, who may be chosen, and the form. Grants are
guardian user permissions on the record; the app's services write them.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Unit
from accounts.roles import Role


def shared_with(record, *, permission_model, codename: str) -> list:
    """The colleagues ``record`` is shared with: direct user grants of ``codename`` other than the owner's."""
    ids = (
        permission_model.objects.filter(content_object=record, permission__codename=codename)
        .exclude(user=record.owner_id)
        .values("user")
    )
    return list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "username"))


def share_candidates(*, unit: Unit, exclude: set[int]) -> list:
    """Active counsellors of ``unit`` other than those in ``exclude`` (the owner and those already shared
    with): nobody outside the unit can be chosen."""
    members = Membership.objects.filter(unit=unit, role=Role.COUNSELLOR).values("user")
    return list(
        get_user_model().objects.filter(pk__in=members, is_active=True).exclude(pk__in=exclude).order_by("first_name", "username")
    )


def person_label(user) -> str:
    return user.get_full_name() or user.username


class ShareForm(forms.Form):
    colleague = forms.TypedChoiceField(
        label=gettext_lazy("Colleague"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Choose a counsellor in the same unit.")},
    )

    def __init__(self, *args, candidates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.fields["colleague"].choices = [("", "---------")] + [(u.pk, person_label(u)) for u in candidates]

    def chosen(self):
        return self.candidates[self.cleaned_data["colleague"]]
