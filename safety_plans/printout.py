"""The discreet printout of a safety plan: what the person chooses to carry, and nothing else.

The person decides what is on it: a neutral title of their own, the items and phone numbers they pick, notes
only if asked for, the centre's name only if asked for. Never the plan's label, the counsellor, a logo or the
site's name. The form only validates; ``card_for`` turns its choices into what the card shows, and the page's
preview and the PDF render that same card (templates/safety_plans/_card.html).
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.phone import dial_format, tel_href
from safety_plans.models import PlanContact, PlanItem, SafetyPlan

A6, A4 = "a6", "a4"
SIZES = [(A6, _("A6 pocket card")), (A4, _("A4 page"))]
# What the person is working on or already has: on the card unless unticked.
DEFAULT_STATUSES = {PlanItem.Status.IN_PLACE, PlanItem.Status.NEEDS_HELP}


def default_title() -> str:
    return gettext("Reminders")


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


class PrintoutForm(forms.Form):
    title = forms.CharField(
        label=_("Title on the printout"),
        max_length=60,
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
        widget=forms.CheckboxSelectMultiple,
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
        items = plan.items.select_related("item")
        contacts = plan.contacts.all()
        if not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "title": default_title(),
                    "items": [i.pk for i in items if i.status in DEFAULT_STATUSES],
                    "contacts": [c.pk for c in contacts],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["contacts"].queryset = contacts
        self.fields["show_centre"].help_text = _("Shows “%(centre)s” on the printout.") % {"centre": plan.unit.name}

    def clean(self):
        data = super().clean()
        if "items" in data and "contacts" in data and not data["items"] and not data["contacts"]:
            raise forms.ValidationError(
                gettext("Choose at least one item or phone number for the printout."), code="empty"
            )
        return data


@dataclass
class Card:
    """What one printout shows, in the order it shows it."""

    title: str
    size: str
    centre: str = ""
    contacts: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)


def card_for(plan: SafetyPlan, data: dict) -> Card:
    """The card for a valid form's ``cleaned_data``: numbers formatted for dialling with tel: links, items in
    the plan's order, notes only when asked for."""
    chosen_items = {i.pk for i in data["items"]}
    chosen_contacts = {c.pk for c in data["contacts"]}
    return Card(
        title=data["title"],
        size=data["size"],
        centre=plan.unit.name if data["show_centre"] else "",
        contacts=[
            {"label": c.label, "number": dial_format(c.number), "tel": tel_href(c.number)}
            for c in plan.contacts.all()
            if c.pk in chosen_contacts
        ],
        items=[
            {"title": i.item.title, "note": i.note.strip() if data["include_notes"] else ""}
            for i in plan.items.select_related("item")
            if i.pk in chosen_items
        ],
    )
