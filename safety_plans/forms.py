"""Forms for safety plans: the plan, its review, the discreet printout's choices and the editors' checklist.
They validate and convert; safety_plans.services writes."""

import re
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.phone import dial_format
from safety_plans.models import ChecklistItem, PlanContact, PlanItem, SafetyPlan
from safety_plans.printout import A6, ITEM_TITLE_MAX, SIZES, TITLE_MAX, default_title
from safety_plans.snapshots import SECTION_FIELDS

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().-]+$")


class NoFormHistory:
    """Case forms: the browser keeps nothing typed here in its form history (a shared computer would offer it
    to the next person). Every field says ``autocomplete="off"``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"


def said_limit(field: forms.Field) -> None:
    """Text beyond the field's ``max_length`` is refused with a clear error instead of cut in silence by the
    browser (no ``maxlength`` attribute), with a live counter near the limit (static/js/limits.js; the page
    loads it)."""
    attrs = field.widget.attrs
    attrs["data-maxlength"] = attrs.pop("maxlength")
    attrs["data-label-count"] = gettext("{count} of {limit} characters")
    attrs["data-label-over"] = gettext("{over} characters too many. Shorten the text; what you typed is kept.")


class FutureDateField(forms.DateField):
    """A date after today: a review date in the past or today is a mistake, said so on the field."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."), code="not_future")


class PlanStartForm(NoFormHistory, forms.Form):
    label = forms.CharField(
        label=_("Label for the plan"),
        max_length=60,
        help_text=_("Something you will recognise, such as initials or a made-up word. Not the person's name."),
        error_messages={
            "required": _("Give the plan a label you will recognise. It does not have to be a name."),
            "max_length": _("The label can be at most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    next_review_on = FutureDateField(
        label=_("Next review"),
        required=False,
        help_text=_("When to go through the plan with the person again. You can set it later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        said_limit(self.fields["label"])

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(self.fields["label"].error_messages["required"], code="required")
        return label


class PlanSectionsForm(NoFormHistory, forms.ModelForm):
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


class PlanItemForm(NoFormHistory, forms.ModelForm):
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


class ContactForm(NoFormHistory, forms.Form):
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


class ReviewForm(NoFormHistory, forms.Form):
    next_review_on = FutureDateField(label=_("Next review"))
    note = forms.CharField(
        label=_("What you went through (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


# --- The discreet printout (safety_plans.views.printout) ---------------------------------------------------


class _PlanRowChoice(forms.ModelMultipleChoiceField):
    """Chooses among one plan's rows. A value that is not one of those rows' ids is refused as a choice before
    the database sees it: Django's ``pk__in`` lookup passes an out-of-range number on to the database, which
    fails with a server error instead of a field error."""

    def _check_values(self, value):
        allowed = {str(pk) for pk in self.queryset.values_list("pk", flat=True)}
        for pk in value:
            if str(pk) not in allowed:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class _ItemChoice(_PlanRowChoice):
    def label_from_instance(self, obj: PlanItem) -> str:
        # The status helps the counsellor choose; it never reaches the card.
        return f"{obj.item.title} ({obj.get_status_display()})"


class _ContactChoice(_PlanRowChoice):
    def label_from_instance(self, obj) -> str:
        return f"{obj.label}: {dial_format(obj.number)}"


@dataclass(frozen=True)
class ItemRow:
    """One item on the printout form: the plan's item, its tick box, its title field and that field's input."""

    plan_item: PlanItem
    box: Any
    field: forms.BoundField
    widget: str


class PrintoutForm(NoFormHistory, forms.Form):
    """The person's choices for the discreet printout. Nothing is chosen at first: what prints is only what is
    ticked here. Each item has a field of its own (``item_title_<PlanItem pk>``) for the person's wording of it
    on the card, filled with what they wrote last time; ``cleaned_data["item_titles"]`` gathers them by pk
    (empty: the checklist's wording). Validates only: the view saves the titles and makes the card."""

    title = forms.CharField(
        label=_("Title on the printout"),
        max_length=TITLE_MAX,
        help_text=_("Something neutral that means nothing to others. It is also the PDF's title."),
        error_messages={
            "required": _("Give the printout a title, for example “Reminders”."),
            "max_length": _("The title can be at most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    size = forms.ChoiceField(label=_("Size"), choices=SIZES, initial=A6, widget=forms.RadioSelect)
    items = _ItemChoice(
        label=_("Items from the plan"),
        queryset=PlanItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    include_notes = forms.BooleanField(
        label=_("Include the notes for the chosen items"),
        required=False,
        help_text=_("Notes can say more than the person wants others to see. Check the preview."),
    )
    contacts = _ContactChoice(
        label=_("Phone numbers"),
        queryset=PlanContact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    show_centre = forms.BooleanField(label=_("Show the centre's name"), required=False)

    def __init__(self, *args, plan: SafetyPlan, **kwargs):
        self.plan = plan
        self.plan_items = list(plan.items.select_related("item"))
        contacts = plan.contacts.all()
        if not args and "data" not in kwargs:
            kwargs.setdefault("initial", {"title": default_title()})
        super().__init__(*args, **kwargs)
        cast(_ItemChoice, self.fields["items"]).queryset = plan.items.select_related("item")
        cast(_ContactChoice, self.fields["contacts"]).queryset = contacts
        self.fields["show_centre"].help_text = _("Shows “%(centre)s” on the printout.") % {"centre": plan.unit.name}
        for plan_item in self.plan_items:
            field = forms.CharField(
                label=_("Title on the card"),
                max_length=ITEM_TITLE_MAX,
                required=False,
                initial=plan_item.card_title,
                error_messages={
                    "max_length": _(
                        "The title on the card can be at most %(limit_value)d characters (it has %(show_value)d)."
                    )
                },
            )
            field.widget.attrs["autocomplete"] = "off"
            said_limit(field)
            self.fields[self.item_title_name(plan_item)] = field
        said_limit(self.fields["title"])

    @staticmethod
    def item_title_name(plan_item: PlanItem) -> str:
        return f"item_title_{plan_item.pk}"

    def item_rows(self) -> list[ItemRow]:
        """For the page: each item with its tick box and its title field, in the plan's order."""
        boxes = {str(box.data["value"]): box for box in self["items"]}
        rows = []
        for plan_item in self.plan_items:
            if str(plan_item.pk) not in boxes:
                continue
            field = self[self.item_title_name(plan_item)]
            attrs: dict[str, str | bool] = {"class": "form-control" + (" is-invalid" if field.errors else "")}
            if field.errors:
                attrs |= {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}_error"}
            rows.append(ItemRow(plan_item, boxes[str(plan_item.pk)], field, field.as_widget(attrs=attrs)))
        return rows

    def clean(self):
        data = super().clean()
        data["item_titles"] = {
            plan_item.pk: data[self.item_title_name(plan_item)].strip()
            for plan_item in self.plan_items
            if self.item_title_name(plan_item) in data
        }
        if "items" in data and "contacts" in data and not data["items"] and not data["contacts"]:
            raise forms.ValidationError(
                gettext(
                    "Nothing is chosen yet, so there is nothing to print. "
                    "Choose at least one item or phone number for the printout."
                ),
                code="empty",
            )
        return data


# --- The checklist editor (safety_plans.views.checklist): validates only; saving is checklist_item_save ------

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
