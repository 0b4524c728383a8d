"""Forms for exercises. The actions reuse the incident action forms (``incidents.forms``)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exercises.models import Exercise

NO_NAMES = _("Describe how the routine worked. Write roles, not names, and nothing about anyone the centre helps.")


class ExerciseForm(forms.ModelForm):
    field_order = [
        "held_on",
        "kind",
        "participant_count",
        "roles_present",
        "other_roles",
        "what_worked",
        "what_did_not",
        "needs_revision",
        "revision_note",
    ]
    roles_present = forms.MultipleChoiceField(
        label=_("Roles that took part"),
        help_text=_("From the routine's role cards."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_roles = forms.CharField(
        label=_("Other roles that took part"),
        help_text=_("Optional, separated by commas, e.g. “reception, caretaker”. Roles, not names."),
        max_length=300,
        required=False,
    )
    revision_note = forms.CharField(
        label=_("What needs revision"),
        help_text=_("A few words for the routine's editors, shown on the review list."),
        max_length=300,
        required=False,
    )

    class Meta:
        model = Exercise
        fields = ["held_on", "kind", "participant_count", "what_worked", "what_did_not", "needs_revision"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.RadioSelect,
            "what_worked": forms.Textarea(attrs={"rows": 4}),
            "what_did_not": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "participant_count": _("How many took part, in all."),
            "what_worked": NO_NAMES,
            "what_did_not": _("Each finding you want followed up becomes an action on the next page."),
            "needs_revision": _("Puts the routine on the review list until a new version is published."),
        }

    def __init__(self, *args: Any, role_titles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles_field = self.fields["roles_present"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        roles_field.choices = [(title, title) for title in role_titles]
        if not role_titles:
            del self.fields["roles_present"]
        self.fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["participant_count"].widget.attrs["min"] = 1

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on and held_on > timezone.localdate():
            raise forms.ValidationError(_("An exercise is recorded after it is held: choose today or an earlier date."))
        return held_on

    def clean_participant_count(self):
        count = self.cleaned_data["participant_count"]
        if count is not None and count < 1:
            raise forms.ValidationError(_("At least one person took part: enter how many."))
        return count

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("needs_revision") and not (cleaned.get("revision_note") or "").strip():
            self.add_error("revision_note", _("Say in a few words what in the routine needs revision."))
        return cleaned

    def roles(self) -> list[str]:
        """The roles that took part: the ticked role cards, then the other roles typed."""
        ticked = list(self.cleaned_data.get("roles_present", []))
        typed = [role.strip() for role in (self.cleaned_data.get("other_roles") or "").split(",") if role.strip()]
        return ticked + [role for role in typed if role not in ticked]
