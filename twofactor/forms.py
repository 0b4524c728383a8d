from django import forms
from django.utils.translation import gettext_lazy as _

from twofactor.codes import RECOVERY_CODE_DIGITS, normalize_code


def code_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


class TotpCodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    code = code_field(_("Six-digit code from your app"))

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != 6:
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return code


class VerifyCodeForm(forms.Form):
    """The second step of logging in: a code from the app, or one of the recovery codes."""

    code = code_field(
        _("Code"),
        _("The six digits your authenticator app shows now, or one of your 12-digit recovery codes."),
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if len(code) not in (6, RECOVERY_CODE_DIGITS):
            raise forms.ValidationError(_("Enter the six digits your app shows, or a 12-digit recovery code."))
        return code
