"""Forms for safety plans. They validate; safety_plans.services writes."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safety_plans.models import PlanItem, SafetyPlan
from safety_plans.snapshots import SECTION_FIELDS

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().-]+$")


class FutureDateField(forms.DateField):
    """A date after today: a review date in the past or today is a mistake, said so on the field."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."), code="not_future")


class PlanStartForm(forms.Form):
    label = forms.CharField(
        label=_("Label for the plan"),
        max_length=60,
        help_text=_("Something you will recognise, such as initials or a made-up word. Not the person's name."),
        error_messages={"required": _("Give the plan a label you will recognise. It does not have to be a name.")},
    )
    next_review_on = FutureDateField(
        label=_("Next review"),
        required=False,
        help_text=_("When to go through the plan with the person again. You can set it later."),
    )

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(self.fields["label"].error_messages["required"], code="required")
        return label


class PlanSectionsForm(forms.ModelForm):
    """The plan's free sections. Validates only: the view hands cleaned_data to safety_plan_save."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = SafetyPlan
        fields = list(SECTION_FIELDS)
        help_texts = {
            "label": _("Not the person's name."),
            "contact_channel": _("For example a phone number only the person uses, or meeting at the centre."),
            "contact_times": _("When it is safe to call or write."),
            "contact_if_other_answers": _("What you say or do if someone else answers, so nothing is given away."),
            "protective_measures": _("What the person already does to protect themselves and others."),
            "dependents_note": _(
                "Children or other vulnerable people affected by the violence, and what the plan means for them."
            ),
        }
        error_messages = {
            "label": {"required": _("Give the plan a label you will recognise. It does not have to be a name.")}
        }
        widgets = {
            "contact_if_other_answers": forms.Textarea(attrs={"rows": 2}),
            "protective_measures": forms.Textarea(attrs={"rows": 3}),
            "dependents_note": forms.Textarea(attrs={"rows": 3}),
            "children_affected": forms.RadioSelect,
        }

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(_("Give the plan a label you will recognise. It does not have to be a name."))
        return label


class PlanItemForm(forms.ModelForm):
    """One checklist item's line on the edit page (prefix ``item-<pk>``)."""

    class Meta:
        model = PlanItem
        fields = ["status", "note", "next_step", "responsible"]
        widgets = {"status": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", _("Not decided yet"))] + list(PlanItem.Responsible.choices)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PlanItem.Status.NEEDS_HELP and not (cleaned.get("next_step") or "").strip():
            self.add_error("next_step", _("Write the next step for an item that needs help."))
        return cleaned


class ContactForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=60, required=False, help_text=_("A cover name is fine."))
    number = forms.CharField(label=_("Phone number"), max_length=32, required=False)

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and (not PHONE_CHARACTERS.match(number) or not 3 <= len(re.sub(r"\D", "", number)) <= 15):
            raise forms.ValidationError(_("Write the number with digits, for example 22 12 34 56 or 116 117."))
        return number

    def clean(self):
        cleaned = super().clean()
        label, number = (cleaned.get("label") or "").strip(), cleaned.get("number") or ""
        if number and not label:
            self.add_error("label", _("Give the number a name. It can be a cover name."))
        if label and not number and "number" not in self.errors:
            self.add_error("number", _("Write the phone number, or clear the name."))
        cleaned["label"] = label
        return cleaned


ContactFormSet = forms.formset_factory(ContactForm, extra=2, max_num=30, validate_max=True)


class ReviewForm(forms.Form):
    next_review_on = FutureDateField(label=_("Next review"))
    note = forms.CharField(
        label=_("What you went through (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
