"""Forms for print orders: ordering a print run, and the print shop's next step with a note."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from printing.models import PrintOrder


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PrintOrderForm(forms.Form):
    """Order a print run of one routine's folder. Validates and converts; printing.services saves."""

    routine = forms.ChoiceField(label=_("Routine"))
    lang = forms.ChoiceField(label=_("Language"), choices=[("nb", _("Norwegian bokmål")), ("en", _("English"))])
    quantity = forms.IntegerField(
        label=_("Number of copies"),
        min_value=PrintOrder.MIN_QUANTITY,
        max_value=PrintOrder.MAX_QUANTITY,
        help_text=_("Between %(min)s and %(max)s.") % {"min": PrintOrder.MIN_QUANTITY, "max": PrintOrder.MAX_QUANTITY},
    )
    delivery_unit: "forms.ModelChoiceField[Unit]" = forms.ModelChoiceField(
        label=_("Deliver to unit"), queryset=None, empty_label=None
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        max_length=500,
        widget=_area(3),
        help_text=_("Building, floor and room, so the print shop can deliver the folders."),
    )
    wanted_by = forms.DateField(
        label=_("Wanted by"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Today or later.")
    )
    paper = forms.ChoiceField(label=_("Paper"), choices=PrintOrder.Paper.choices, initial=PrintOrder.Paper.SILK_170)
    proof = forms.ChoiceField(label=_("Proof"), choices=PrintOrder.Proof.choices, initial=PrintOrder.Proof.PDF)
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=200, help_text=_("Whom the print shop asks about this order.")
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=40,
        help_text=_("A number the print shop can reach the contact person on during the working day."),
    )
    billing_reference = forms.CharField(
        label=_("Billing reference"),
        max_length=100,
        help_text=_("The cost centre, project or order number the print shop puts on the invoice."),
    )

    def __init__(self, *args, routine_choices, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["routine"].choices = routine_choices
        self.fields["delivery_unit"].queryset = units

    def clean_contact_phone(self):
        number = self.cleaned_data["contact_phone"].strip()
        if not re.fullmatch(r"\+?\d{3,15}", re.sub(r"[\s\-.()]", "", number)):
            raise forms.ValidationError(_("Write the phone number with digits, for example 73 59 32 80."))
        return number

    def clean_wanted_by(self):
        wanted_by = self.cleaned_data["wanted_by"]
        if wanted_by < timezone.localdate():
            raise forms.ValidationError(_("The date has passed. Choose today or a later date."))
        return wanted_by


class PrintOrderAdvanceForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=_area(2),
        help_text=_("For example when it was printed, or where it was left. The orderer sees it."),
    )
