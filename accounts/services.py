"""Granting and removing roles. Each membership keeps two things in step:

- the ``Membership`` row: which records of which units the person sees (the ``visible_<things>`` selectors
  read it on every request; see ``accounts.access.visible_records``),
- the global role group (model permissions: which features the person may use).

No record is granted to a unit: removing a membership removes access to everything the unit owns on the
person's next request, with no grant rows to touch.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from accounts.models import Membership, Preferences, Unit
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.tokens import invitation_token_generator
from audit.services import audit_log
from core.mail import send_mail_later


def role_group(role: str) -> Group:
    """The global group for a role, with exactly the model permissions ROLE_PERMISSIONS gives it."""
    group, _created = Group.objects.get_or_create(name=role)
    wanted = ROLE_PERMISSIONS[role]
    perms = [
        Permission.objects.get(content_type__app_label=label.split(".")[0], codename=label.split(".")[1])
        for label in wanted
    ]
    group.permissions.set(perms)
    return group


@transaction.atomic
def membership_grant(*, user, unit: Unit, role: str) -> Membership:
    """Give ``user`` ``role`` in ``unit``. Safe to repeat."""
    role = Role(role)
    membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    user.groups.add(role_group(role))
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Remove one role in one unit; the person loses its access on their next request."""
    user, role = membership.user, membership.role
    membership.delete()
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(role_group(role))


# --- Managing people in a unit (the unit page; accounts.views.members) ---------------------------------------


class MemberError(Exception):
    """A change to a person that is not allowed or not possible; the message says why, for the page."""


def username_for_email(email: str) -> str:
    """A new person's username: the e-mail address, lower-cased (a valid username, and what she knows)."""
    return email.strip().lower()


def invitation_url(user: Any) -> str:
    """The one-time link a new person sets her password with (accounts.tokens)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[uid, token])


def invitation_send(*, by: Any, user: Any) -> None:
    """E-mail ``user`` her one-time link to set a password (only a link and who invited her; no case content)."""
    context = {"user": user, "by": by, "url": invitation_url(user), "days": settings.INVITATION_TIMEOUT // 86400}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail_later(to=[user.email], subject=subject, body=body)
    audit_log(actor=by, action="member.invited", target=user)


@dataclass(frozen=True)
class Added:
    user: Any
    membership: Membership
    invited: bool  # a new account, or one that never set a password: an invitation was sent


@transaction.atomic
def member_add(
    *, by: Any, unit: Unit, email: str, role: str, first_name: str = "", last_name: str = "", invite: bool = True
) -> Added:
    """Give the person with ``email`` ``role`` in ``unit``, making her account (no password yet) if there is none
    and sending her an invitation (unless ``invite`` is False: one was sent already). ``by`` must manage the unit
    (the view's access helper checked that)."""
    email = email.strip()
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        username = username_for_email(email)
        if user_model.objects.filter(username__iexact=username).exists():
            raise MemberError(gettext("Another account already uses this address as its username."))
        user = user_model(username=username, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    elif not user.is_active:
        raise MemberError(gettext("This person's account is deactivated. Ask an administrator to reactivate it."))
    role = Role(role)
    already = Membership.objects.filter(user=user, unit=unit, role=role).exists()
    membership = membership_grant(user=user, unit=unit, role=role)
    if not already:
        audit_log(actor=by, action="member.role_granted", target=user, unit=unit)
    invited = not user.has_usable_password()
    if invited and invite:
        invitation_send(by=by, user=user)
    return Added(user=user, membership=membership, invited=invited)


@transaction.atomic
def member_roles_set(*, by: Any, unit: Unit, user: Any, roles: Iterable[str]) -> tuple[list[str], list[str]]:
    """Make ``user``'s roles in ``unit`` exactly ``roles``; returns (granted, removed). Each change is logged."""
    wanted = {Role(role) for role in roles}
    current = {Role(m.role): m for m in Membership.objects.filter(user=user, unit=unit)}
    granted = sorted(wanted - set(current))
    removed = sorted(set(current) - wanted)
    for role in granted:
        membership_grant(user=user, unit=unit, role=role)
        audit_log(actor=by, action="member.role_granted", target=user, unit=unit)
    for role in removed:
        membership_revoke(membership=current[role])
        audit_log(actor=by, action="member.role_removed", target=user, unit=unit)
    return [str(r) for r in granted], [str(r) for r in removed]


def may_deactivate(*, by: Any, user: Any) -> bool:
    """An administrator deactivates anyone but herself; a manager only someone who has roles nowhere but in units
    she manages, and who is no administrator."""
    if user.pk == by.pk or not user.is_active:
        return False
    if by.is_superuser:
        return True
    if user.is_superuser or user.is_staff:
        return False
    managed = set(Membership.objects.filter(user=by, role=Role.MANAGER).values_list("unit", flat=True))
    units = set(Membership.objects.filter(user=user).values_list("unit", flat=True))
    return bool(units) and units <= managed


@transaction.atomic
def person_deactivate(*, by: Any, user: Any) -> None:
    """Deactivate ``user``: she cannot log in, her sessions end now (logged with who did it)."""
    if not may_deactivate(by=by, user=user):
        raise MemberError(gettext("You cannot deactivate this person. Ask an administrator."))
    user.is_active = False
    user._deactivated_by = by  # usersessions.signals logs the ended sessions with who did it
    user.save(update_fields=["is_active"])
    audit_log(actor=by, action="member.deactivated", target=user)


def preferences_set(*, user: Any, language: str, daily_reminder: bool) -> Preferences:
    """Save the person's own preferences (created on the first change)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    preferences, _created = Preferences.objects.update_or_create(
        user=user, defaults={"language": language, "daily_reminder": daily_reminder}
    )
    return preferences


def preferences_language_set(*, user: Any, language: str) -> None:
    """Save the language the person chose with the language switcher (nothing written if it is hers already)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    changed = Preferences.objects.filter(user=user).exclude(language=language).update(language=language)
    if not changed:
        Preferences.objects.get_or_create(user=user, defaults={"language": language})
