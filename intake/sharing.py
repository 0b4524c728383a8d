"""The owner's sharing screen: who else in her unit may see and change an intake."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from accounts.models import Membership
from accounts.roles import Role
from intake.models import Intake, IntakeUserObjectPermission


def shared_with(intake: Intake) -> list:
    """The colleagues the intake is shared with (direct user grants other than the owner's)."""
    ids = (
        IntakeUserObjectPermission.objects.filter(content_object=intake, permission__codename="view_intake")
        .exclude(user=intake.owner_id)
        .values("user")
    )
    return list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "username"))


def share_candidates(intake: Intake) -> list:
    """Counsellors of the intake's own unit, other than the owner and those already shared with: nobody
    outside the unit can be chosen."""
    already = {user.pk for user in shared_with(intake)} | {intake.owner_id}
    members = Membership.objects.filter(unit=intake.unit, role=Role.COUNSELLOR).values("user")
    return list(
        get_user_model().objects.filter(pk__in=members, is_active=True).exclude(pk__in=already).order_by("first_name", "username")
    )


def person_label(user) -> str:
    return user.get_full_name() or user.username


class ShareForm(forms.Form):
    colleague = forms.TypedChoiceField(
        label=gettext_lazy("Colleague"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Choose a counsellor in the intake's own unit.")},
    )

    def __init__(self, *args, candidates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.fields["colleague"].choices = [("", "---------")] + [(u.pk, person_label(u)) for u in candidates]

    def chosen(self):
        return self.candidates[self.cleaned_data["colleague"]]
