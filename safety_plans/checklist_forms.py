"""The form for the checklist editor (safety_plans.checklist_views). It validates only; saving is
safety_plans.services.checklist_item_save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safety_plans.models import ChecklistItem

# checklist/new/ is the page for adding an item, so no item may take that address.
RESERVED_CODES = {"new"}


class ChecklistItemForm(forms.ModelForm):
    """Code (only when the item is made: plans and reviews refer to it), order, the text and guidance in both
    languages, and whether new plans are offered the item."""

    class Meta:
        model = ChecklistItem
        fields = ["code", "order", "title_nb", "title_en", "help_nb", "help_en", "active"]
        widgets = {"help_nb": forms.Textarea(attrs={"rows": 3}), "help_en": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": _("Lower-case letters, digits and hyphens, for example “spare-phone”. It cannot be changed later."),
            "order": _("Items are shown from the lowest number up."),
            "active": _("Untick to retire the item: new plans no longer get it, plans that have it keep it."),
        }
        error_messages = {
            "order": {
                "required": _("Give the item a number for its place in the list."),
                "invalid": _("Give the item a whole number for its place in the list."),
                "min_value": _("Give the item a whole number for its place in the list."),
            },
            "title_nb": {"required": _("Write the item's text in bokmål.")},
            "title_en": {"required": _("Write the item's text in English.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"]
        else:
            # A new item goes last unless the editor chooses otherwise.
            last = ChecklistItem.objects.order_by("-order").values_list("order", flat=True).first() or 0
            self.fields["order"].initial = last + 10
            self.fields["code"].error_messages["required"] = _("Give the item a short name.")
            self.fields["code"].error_messages["invalid"] = _(
                "Use only letters, digits, hyphens and underscores in the short name, for example “spare-phone”."
            )

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if code in RESERVED_CODES:
            raise forms.ValidationError(
                _("“%(code)s” is reserved for the editor's own pages. Choose another short name."),
                params={"code": code},
            )
        if ChecklistItem.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("An item with the short name “%(code)s” exists already. Choose another short name."),
                params={"code": code},
            )
        return code
