"""Forms for print orders: ordering a print run, and the print shop's next step with a note."""

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

    def __init__(self, *args, routine_choices, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["routine"].choices = routine_choices
        self.fields["delivery_unit"].queryset = units

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
