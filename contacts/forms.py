"""Forms for contacts. They validate and convert; contacts.services writes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.models import CaseContact, Registration

MAX_CHILD_AGE = 17
MAX_CHILDREN = 12


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(forms.Form):
    """A day visit or a phone conversation: the day, today unless changed (two clicks: open, save)."""

    started_on = forms.DateField(label=gettext_lazy("Date"), widget=_date_input())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_started_on(self):
        day = self.cleaned_data["started_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future: record a contact once it has happened."))
        return day


class StayForm(ContactForm):
    """A stay: arrival, and once the person has left, departure and where to; the children staying along."""

    ended_on = forms.DateField(
        label=gettext_lazy("Departure"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy("Leave empty while the person is still staying."),
    )
    went_to = forms.ChoiceField(
        label=gettext_lazy("Where to afterwards"),
        required=False,
        choices=[("", gettext_lazy("Not yet known"))] + list(CaseContact.WentTo.choices),
    )
    children_ages = forms.CharField(
        label=gettext_lazy("Ages of the children staying with the person"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("One age per child, separated by commas (for instance 3, 7). Empty: no children."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].label = _("Arrival")

    def clean_children_ages(self) -> list[int]:
        text = (self.cleaned_data.get("children_ages") or "").replace(";", ",")
        parts = [part.strip() for part in text.split(",") if part.strip()]
        ages = []
        for part in parts:
            if not part.isdigit() or int(part) > MAX_CHILD_AGE:
                raise forms.ValidationError(
                    _("“%(value)s” is not an age from 0 to %(max)s.") % {"value": part, "max": MAX_CHILD_AGE}
                )
            ages.append(int(part))
        if len(ages) > MAX_CHILDREN:
            raise forms.ValidationError(_("At most %(n)s children per stay.") % {"n": MAX_CHILDREN})
        return ages

    def clean(self):
        cleaned = super().clean()
        arrived, left = cleaned.get("started_on"), cleaned.get("ended_on")
        if arrived and left:
            if left < arrived:
                self.add_error("ended_on", _("The departure is before the arrival."))
            elif left > timezone.localdate():
                self.add_error("ended_on", _("The departure is in the future: record it on the day the person leaves."))
        if cleaned.get("went_to") and not left:
            self.add_error("ended_on", _("Give the departure together with where the person went."))
        if left and not cleaned.get("went_to"):
            self.add_error("went_to", _("Say where the person went, or “Not known”."))
        return cleaned


def contact_form_class(kind: str) -> type[ContactForm]:
    return StayForm if kind == CaseContact.Kind.STAY else ContactForm


class ConsentForm(forms.Form):
    """Consent, and the attributes the pseudonym is made from, which the counsellor confirms with the person."""

    consent = forms.ChoiceField(
        label=gettext_lazy("Consent to register"), choices=Registration.Consent.choices, widget=forms.RadioSelect
    )
    consent_how = forms.ChoiceField(
        label=gettext_lazy("How consent was given"),
        required=False,
        choices=Registration.ConsentHow.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Written consent is preferred."),
    )
    birth_year = forms.IntegerField(label=gettext_lazy("Year of birth"), required=False, min_value=1900)
    initials = forms.CharField(
        label=gettext_lazy("Initials"),
        required=False,
        max_length=8,
        help_text=gettext_lazy("First letter of the first name and of the last name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirmed = forms.BooleanField(
        label=gettext_lazy("I have confirmed the year of birth, the initials and the gender with the person"),
        required=False,
    )

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth is in the future."))
        return year

    def clean_initials(self) -> str:
        text = (self.cleaned_data.get("initials") or "").strip()
        if text and not any(c.isalpha() for c in text):
            raise forms.ValidationError(_("Initials are letters."))
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent") == Registration.Consent.GIVEN:
            if not cleaned.get("consent_how"):
                self.add_error("consent_how", _("Say how consent was given."))
            if cleaned.get("birth_year") is None and "birth_year" not in self.errors:
                self.add_error("birth_year", _("Give the year of birth, so the person is counted once a year."))
            if not cleaned.get("initials") and "initials" not in self.errors:
                self.add_error("initials", _("Give the initials, so the person is counted once a year."))
            if not cleaned.get("confirmed"):
                self.add_error(
                    "confirmed", _("Confirm the year of birth, the initials and the gender with the person.")
                )
        return cleaned

    @property
    def consented(self) -> bool:
        return self.cleaned_data.get("consent") == Registration.Consent.GIVEN
