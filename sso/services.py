"""Who a single sign-on is: finding the person a provider vouched for, linking her account on her first login,
or making a new one with no role where the deployment allows it. Domain objects and keyword arguments only;
logging the person in (the session) is ``sso.views``' part."""

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_log
from sso.config import OidcProvider
from sso.models import Identity, ProviderDevice


class Refusal(StrEnum):
    """Why a login through a provider was refused (what the refusal page explains)."""

    UNKNOWN = "unknown"  # nobody here has a link to this subject or the verified e-mail address
    DEACTIVATED = "deactivated"
    NO_SUBJECT = "no_subject"  # the provider sent no usable subject claim
    OTHER_LINK = "other_link"  # the account is already linked to another account at this provider
    AMBIGUOUS = "ambiguous"  # several accounts here have that e-mail address


@dataclass(frozen=True)
class Outcome:
    user: Any | None
    refusal: Refusal | None = None
    second_factor: bool = False


def verified_email(provider: OidcProvider, claims: dict[str, Any]) -> str:
    """The e-mail address the provider vouches for, or "" (``email_verified: true``, or a trusted provider)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return ""
    if claims.get("email_verified") is True or provider.trust_email:
        return email.strip()
    return ""


def second_factor_given(provider: OidcProvider, claims: dict[str, Any]) -> bool:
    """Whether the ID token says the provider's own authentication had a second factor, by this provider's rule."""
    amr = claims.get("amr")
    if isinstance(amr, list) and provider.mfa_amr & {value for value in amr if isinstance(value, str)}:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in provider.mfa_acr


def _new_username(email: str) -> str:
    user_model = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:100] or "person"
    candidate = base
    while user_model.objects.filter(username=candidate).exists():
        candidate = f"{base}-{secrets.token_hex(3)}"
    return candidate


def _refuse(refusal: Refusal, *, actor: Any = None) -> Outcome:
    audit_log(actor=actor, action="auth.sso_refused")
    return Outcome(user=None, refusal=refusal)


def sso_person(*, provider: OidcProvider, claims: dict[str, Any]) -> Outcome:
    """The account these verified claims belong to, or why there is none.

    First by the link made at an earlier login (provider and subject); else, at a first login, by the
    verified e-mail address of exactly one account here, which is then linked; else a new account with no
    role when ``settings.OIDC_CREATE_USERS`` is on; else refused. Every refusal is audit-logged (with the
    account as actor where there is one)."""
    subject = claims.get(provider.subject_claim)
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        return _refuse(Refusal.NO_SUBJECT)
    user_model = get_user_model()
    with transaction.atomic():
        identity = Identity.objects.select_related("user").filter(provider=provider.key, subject=subject).first()
        if identity is not None:
            user = identity.user
        else:
            email = verified_email(provider, claims)
            matches = list(user_model.objects.filter(email__iexact=email)[:2]) if email else []
            if len(matches) > 1:
                return _refuse(Refusal.AMBIGUOUS)
            if matches:
                user = matches[0]
                if Identity.objects.filter(user=user, provider=provider.key).exists():
                    # She has logged in through this provider as someone else: a recycled or changed address
                    # must not take her account over.
                    return _refuse(Refusal.OTHER_LINK, actor=user)
                if not user.is_active:
                    return _refuse(Refusal.DEACTIVATED, actor=user)
                identity = _link(user=user, provider=provider, subject=subject)
                if identity is None:
                    return _refuse(Refusal.OTHER_LINK, actor=user)
                audit_log(actor=user, action="auth.sso_linked", target=user)
            elif settings.OIDC_CREATE_USERS and email:
                user = user_model.objects.create_user(
                    username=_new_username(email),
                    email=email,
                    first_name=str(claims.get("given_name") or "")[:150],
                    last_name=str(claims.get("family_name") or "")[:150],
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
                identity = _link(user=user, provider=provider, subject=subject)
                audit_log(actor=user, action="auth.sso_account_created", target=user)
            else:
                return _refuse(Refusal.UNKNOWN)
        if not user.is_active:
            return _refuse(Refusal.DEACTIVATED, actor=user)
        Identity.objects.filter(provider=provider.key, subject=subject).update(last_login_at=timezone.now())
    return Outcome(user=user, second_factor=second_factor_given(provider, claims))


def _link(*, user: Any, provider: OidcProvider, subject: str) -> Identity | None:
    try:
        with transaction.atomic():
            return Identity.objects.create(user=user, provider=provider.key, subject=subject)
    except IntegrityError:
        return None  # linked meanwhile by a parallel login


def provider_device(*, user: Any, provider: OidcProvider) -> ProviderDevice:
    """The django-otp device standing for this provider's second factor for this person."""
    device: ProviderDevice
    device, _created = ProviderDevice.objects.get_or_create(
        user=user, provider=provider.key, defaults={"name": provider.name, "confirmed": True}
    )
    return device
