"""Sharing a record about a person (an intake, a safety plan) with colleagues in its own unit.

``sharing_page`` is the owner's sharing screen for either kind of record: who it is shared with now, who may
be chosen, and the form. Grants are guardian user permissions on the record; the app's services write them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Membership, Unit
from accounts.roles import Role
from audit.services import audit_log


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
        get_user_model()
        .objects.filter(pk__in=members, is_active=True)
        .exclude(pk__in=exclude)
        .order_by("first_name", "username")
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


@dataclass(frozen=True)
class SharingPage:
    """What differs between the sharing screens of intakes and safety plans."""

    permission_model: type  # guardian's direct user-permission model for the record
    codename: str  # the view permission whose grants say who it is shared with
    share: Callable  # service: share(record, by=, with_user=)
    unshare: Callable  # service: unshare(record, by=, with_user=)
    viewed_action: str  # audit action for opening the screen
    template: str
    url_name: str  # this screen, to come back to after a change
    shared_message: str  # "... shared with %(name)s."
    unshared_message: str  # "... no longer shared with %(name)s."
    context_name: str  # the record's name in the template


def sharing_page(request: HttpRequest, record, page: SharingPage) -> HttpResponse:
    """The owner shares ``record`` with a colleague in its unit, or takes a share back. Anyone else who may see
    the record gets 403 (the caller's access helper has already given 404 to everyone who may not)."""
    if record.owner_id != request.user.pk:
        raise PermissionDenied

    def current_shares():
        return shared_with(record, permission_model=page.permission_model, codename=page.codename)

    def candidates():
        return share_candidates(unit=record.unit, exclude={u.pk for u in current_shares()} | {record.owner_id})

    form = ShareForm(candidates=candidates())
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            colleague = next((u for u in current_shares() if str(u.pk) == request.POST.get("user")), None)
            if colleague is not None:
                page.unshare(record, by=request.user, with_user=colleague)
                messages.success(request, gettext(page.unshared_message) % {"name": person_label(colleague)})
            return redirect(page.url_name, pk=record.pk)
        form = ShareForm(request.POST, candidates=candidates())
        if form.is_valid():
            colleague = form.chosen()
            page.share(record, by=request.user, with_user=colleague)
            messages.success(request, gettext(page.shared_message) % {"name": person_label(colleague)})
            return redirect(page.url_name, pk=record.pk)
    else:
        audit_log(actor=request.user, action=page.viewed_action, target=record, unit=record.unit)
    shares = [(user, person_label(user)) for user in current_shares()]
    return render(request, page.template, {page.context_name: record, "form": form, "shares": shares})
