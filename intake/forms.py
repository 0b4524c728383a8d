"""The intake's forms: finalizing, the journal note and its addenda, and the editors' upload. They validate
and convert; intake.services writes. A wizard step's form is generated from its questions (intake.wizard)."""

from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.pii import looks_like_national_id, looks_like_phone
from intake.finalize import INFORMATION, help_choices
from intake.models import COVER_LABEL_MAX, QuestionTree, TreeVersion
from intake.questionnaire import Tree
from intake.wizard import refuse_beyond_limit


class CoverLabelForm(forms.Form):
    """A draft's cover label. What looks like an identity or phone number stops the first save with a warning
    (as in incident reports, incidents.forms.PiiWarningMixin); ticking "Save anyway" lets it through."""

    cover_label = refuse_beyond_limit(
        forms.CharField(
            label=gettext_lazy("Cover label"),
            required=False,
            max_length=COVER_LABEL_MAX,
            help_text=gettext_lazy(
                'A few words so you can tell your drafts apart in the list, such as "Tuesday walk-in". '
                "Never a name, an identity number or a phone number: the list is seen by others at the centre."
            ),
        )
    )
    save_anyway = forms.BooleanField(label=gettext_lazy("Save anyway"), required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("cover_label") or ""
        kinds = []
        if looks_like_national_id(text):
            kinds.append(_("a national identity number"))
        if looks_like_phone(text):
            kinds.append(_("a phone number"))
        if kinds and not cleaned.get("save_anyway"):
            self.add_error(
                "cover_label",
                _(
                    "This text looks like it holds %(kinds)s. Write as little personal data as possible: "
                    'remove it, or tick "Save anyway" below if it must be there.'
                )
                % {"kinds": _(" and ").join(str(k) for k in kinds)},
            )
            self.fields["save_anyway"].widget = forms.CheckboxInput()
        return cleaned


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
        help_text=gettext_lazy(
            "Leave empty to file it under the Questionnaire's canonical url (or its name, title or id). "
            "Uploading the same document again changes nothing."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        help_text=gettext_lazy(
            "Leave empty to use the Questionnaire's own language. Needed when the Questionnaire has none."
        ),
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


class TerminologyUploadForm(forms.Form):
    """ValueSets and CodeSystems for Questionnaires' answerValueSet (intake.terminology reads the file)."""

    file = forms.FileField(
        label=gettext_lazy("ValueSet or CodeSystem (FHIR R4 JSON, or a Bundle of them)"),
        help_text=gettext_lazy(
            "Import the ValueSets a Questionnaire names in answerValueSet before the Questionnaire. "
            "Uploading the same resource again changes nothing; a new version is added beside the old."
        ),
        error_messages={"required": gettext_lazy("Choose the file to import.")},
    )

    def __init__(self, *args, **kwargs):
        # It shares the page with the Questionnaire upload, whose field is "file" too: ids must differ.
        kwargs.setdefault("auto_id", "id_terminology_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; import it with manage.py import_valueset."))
        return upload


class NewIntakeForm(forms.Form):
    """Which of the unit's question trees a new intake uses (one radio per tree enabled for the unit)."""

    tree = forms.ChoiceField(label=gettext_lazy("Question tree"), widget=forms.RadioSelect)

    def __init__(self, *args, versions: list[TreeVersion], **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {version.tree.slug: version for version in versions}
        field = cast(forms.ChoiceField, self.fields["tree"])
        field.choices = [
            (version.tree.slug, version.questionnaire.get("title") or version.tree.title) for version in versions
        ]
        if len(versions) == 1:
            self.initial.setdefault("tree", versions[0].tree.slug)
        field.error_messages["required"] = _("Choose the question tree to use.")
        field.error_messages["invalid_choice"] = _("That question tree is not in use here; choose one of the list.")

    def version(self) -> TreeVersion:
        return self.versions[self.cleaned_data["tree"]]


MAX_RESPONSE_BYTES = 2 * 1024 * 1024


class ResponseUploadForm(forms.Form):
    """A QuestionnaireResponse file to start an intake from."""

    file = forms.FileField(
        label=gettext_lazy("QuestionnaireResponse (FHIR R4 JSON)"),
        help_text=gettext_lazy(
            "Exported from this service or from another tool, answering one of the question trees in use here."
        ),
        error_messages={"required": gettext_lazy("Choose the file to start the intake from.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RESPONSE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; a QuestionnaireResponse is much smaller."))
        return upload


class TreeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.slug})"


class UnitTreesForm(forms.Form):
    """The question trees a unit's counsellors may start."""

    trees = TreeChoiceField(
        label=gettext_lazy("Question trees in use"),
        queryset=QuestionTree.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Counsellors choose among these when they start an intake. Started intakes keep theirs."
        ),
        error_messages={
            "required": gettext_lazy("Choose at least one question tree, or counsellors cannot start an intake.")
        },
    )

    def __init__(self, *args, trees: list[QuestionTree], **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(TreeChoiceField, self.fields["trees"])
        field.queryset = QuestionTree.objects.filter(pk__in=[tree.pk for tree in trees]).order_by("title", "slug")
