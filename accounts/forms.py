import hashlib
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.cache import cache
from django.http import HttpRequest
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit_log
from core.mail import send_mail_later


class ConfirmPasswordForm(forms.Form):
    """The signed-in person's password once more, before something that deserves it ("log out everywhere
    else" on the sessions page)."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through authenticate(), so django-axes counts wrong passwords here as at the login page.
        user = authenticate(self.request, username=self.request.user.get_username(), password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("The password is not right."))
        return password


class MemberAddForm(forms.Form):
    """A manager adds a person to her unit by e-mail, with one role."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberRolesForm(forms.Form):
    """The person's roles in this unit: ticked ones are kept or given, the rest removed."""

    roles = forms.MultipleChoiceField(
        label=_("Roles in this unit"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with the mail sent through ``core.mail.send_mail_later`` and a limit on how many are sent: at
    most ``PASSWORD_RESET_RATE`` an hour to one account and requests from one client address. Whatever happens,
    the page answers the same, so nobody learns whether an address has an account."""

    def __init__(self, *args, client_address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.client_address = client_address

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_mail_later(to=[to_email], subject=subject, body=body, from_email=from_email)

    def get_users(self, email):
        """Django's (active accounts with a usable password and this address), less those sent
        ``PASSWORD_RESET_RATE`` links in the last hour; each one sent a link is logged."""
        if not rate_allows(f"password-reset:{self.client_address}", settings.PASSWORD_RESET_RATE):
            return
        recent = timezone.now() - timedelta(hours=1)
        for user in super().get_users(email):
            # Durable and shared by every process: the log's own rows count the links one account was sent.
            sent = AuditEvent.objects.filter(
                action="auth.password_reset_requested",
                target_type=user._meta.label_lower,
                target_id=str(user.pk),
                at__gte=recent,
            ).count()
            if sent < settings.PASSWORD_RESET_RATE:
                audit_log(actor=None, action="auth.password_reset_requested", target=user)
                yield user


def rate_allows(key: str, limit: int) -> bool:
    """Count one more request under ``key`` in the cache for an hour; False past ``limit``."""
    key = "rate:" + hashlib.sha256(key.encode()).hexdigest()
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return bool(count <= limit)


class LoginForm(auth_forms.AuthenticationForm):
    """Django's, refusing an account that is under attack from many addresses to browsers it has never logged
    in from (accounts.devices), before the password is even checked."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed logins to this account from elsewhere. Log in from a computer or phone you have "
            "used here before, wait 15 minutes, or ask for a new password."
        ),
    }

    def __init__(self, data=None, files=None, *, request=None, **kwargs):
        # Data first, like every other form (Django's puts the request first).
        super().__init__(request, data=data, files=files, **kwargs)

    def clean(self):
        from accounts.devices import account_throttled, is_known_device

        username = self.cleaned_data.get("username") or ""
        if username and account_throttled(username) and not is_known_device(self.request, username):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()


class PreferencesForm(forms.Form):
    """A person's own settings: the language of her e-mail, and whether she gets the daily reminder."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The pages, and the daily reminder you get by e-mail, are in this language."),
    )
    daily_reminder = forms.BooleanField(
        label=_("Send me a daily reminder"),
        required=False,
        help_text=_(
            "Once a day, when something waits for you (actions due, reports to take, reviews due): counts and "
            "links, never what the records say."
        ),
    )
