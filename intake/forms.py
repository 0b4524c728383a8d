"""The intake's forms: finalizing, the journal note and its addenda, and the editors' upload. They validate
and convert; intake.services writes. A wizard step's form is generated from its questions (intake.wizard)."""

from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.finalize import INFORMATION, help_choices
from intake.models import QuestionTree, TreeVersion
from intake.questionnaire import Tree


class FinalizeForm(forms.Form):
    offered_help = forms.ChoiceField(label=gettext_lazy("Help offered"), widget=forms.RadioSelect)
    offered_reason = forms.CharField(
        label=gettext_lazy("Why this help rather than the recommended one"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=gettext_lazy("Required when the help offered is not among the recommended kinds of help."),
    )

    open_reason = forms.CharField(
        label=gettext_lazy("Why finalize before these are clarified"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )

    def __init__(self, *args, tree: Tree, recommended: list[str], open_items: list | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if len(recommended) == 1:
            initial.setdefault("offered_help", recommended[0])
        super().__init__(*args, **kwargs)
        self.recommended = recommended
        self.open_items = open_items or []
        if not self.open_items:
            del self.fields["open_reason"]
        cast(forms.ChoiceField, self.fields["offered_help"]).choices = help_choices(tree)
        for key, label in INFORMATION:
            self.fields[f"info_{key}"] = forms.BooleanField(label=label, required=False)

    def clean(self):
        cleaned = super().clean()
        offered = cleaned.get("offered_help")
        if offered and offered not in self.recommended and not (cleaned.get("offered_reason") or "").strip():
            self.add_error(
                "offered_reason",
                _("The help offered differs from the recommendation: say why, in a sentence or two."),
            )
        if self.open_items and not (cleaned.get("open_reason") or "").strip():
            self.add_error(
                "open_reason",
                _("Some answers are not clarified yet: say why the intake is finalized now, or clarify them first."),
            )
        return cleaned

    @property
    def information_fields(self):
        return [self[f"info_{key}"] for key, _label in INFORMATION]

    def information(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"info_{key}")) for key, _label in INFORMATION}


class NoteForm(forms.Form):
    note_text = forms.CharField(
        label=gettext_lazy("Journal note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16, "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("The journal note cannot be empty.")},
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Addendum"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=gettext_lazy(
            "The note itself no longer changes; an addendum is added under it with your name and the time."
        ),
        error_messages={"required": gettext_lazy("Write the addendum before adding it.")},
    )


MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # the demo tree is ~60 kB; a Questionnaire far beyond this is a mistake


class UploadForm(forms.Form):
    tree = forms.ChoiceField(
        label=gettext_lazy("Question tree"),
        required=False,
        help_text=gettext_lazy("Leave empty to file it under the Questionnaire's own name."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        help_text=gettext_lazy("Leave empty to use the Questionnaire's own language."),
    )
    file = forms.FileField(label=gettext_lazy("Questionnaire (FHIR R4 JSON)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tree"].choices = [("", _("From the file"))] + [
            (tree.slug, f"{tree.title} ({tree.slug})") for tree in QuestionTree.objects.all()
        ]
        self.fields["language"].choices = [("", _("From the file"))] + list(TreeVersion.Language.choices)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; a Questionnaire is much smaller."))
        return upload
