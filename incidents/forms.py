import uuid
from collections.abc import Sequence

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from incidents.attachments import check_upload
from incidents.models import ChecklistStep, ImmediateAction, Incident, IncidentAction, IncidentType
from incidents.pii import looks_like_national_id, looks_like_phone
from incidents.risk import Consequence, Probability, RiskLevel, cause_categories
from routines.models import Routine

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FREE_TEXT = ("place", "what_happened")


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class NoFormHistory:
    """Case forms: the browser keeps nothing typed here in its form history (a shared computer would offer it
    to the next person). Every field says ``autocomplete="off"``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class RoutineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_category_display()} ({obj.slug})"


class PiiWarningMixin:
    """Free text that looks like a national identity number or a phone number stops the first save with a
    warning beside the field that holds it, naming what it looks like, with the "save anyway" box right under
    that field; ticking it lets the text through and marks the report (``pii_overridden``). Nothing typed is
    lost."""

    pii_warning = False
    pii_overridden = False

    def check_pii(self, cleaned):
        found = {}
        for name in FREE_TEXT:
            text = str(cleaned.get(name) or "")
            kinds = []
            if looks_like_national_id(text):
                kinds.append(_("a national identity number"))
            if looks_like_phone(text):
                kinds.append(_("a phone number"))
            if kinds:
                found[name] = kinds
        if not found:
            return
        if cleaned.get("save_anyway"):
            self.pii_overridden = True
            return
        self.pii_warning = True
        for name, kinds in found.items():
            self.add_error(
                name,
                forms.ValidationError(
                    _(
                        "This text looks like it holds %(kinds)s. Write as little personal data as possible: "
                        'remove it, or tick "Save anyway" below if it must be there.'
                    )
                    % {"kinds": _(" and ").join(str(k) for k in kinds)},
                    code="pii",
                ),
            )
        # The "save anyway" box only appears once there is something to confirm, right under the first field
        # that holds it, not a scroll away at the bottom of the form.
        self.fields["save_anyway"].widget = forms.CheckboxInput()
        order = [n for n in self.fields if n != "save_anyway"]
        first = next(n for n in FREE_TEXT if n in found)
        order.insert(order.index(first) + 1, "save_anyway")
        self.order_fields(order)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once; each one passes ``incidents.attachments.check_upload`` (size, virus scan, kind by
    content, photo metadata stripped). Cleaned: a list of ``CheckedFile``; every refused file is named."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx,.xlsx,.odt"}))
        kwargs.setdefault(
            "help_text",
            _(
                "Photos (JPEG, PNG) or documents (PDF, Word, Excel, OpenDocument text). Location and other "
                "details stored in a photo are removed. If the page shows an error, choose the files again."
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        checked, errors = [], []
        for upload in uploads:
            try:
                super().clean(upload, initial)
                checked.append(check_upload(upload))
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return checked


class IncidentReportForm(NoFormHistory, PiiWarningMixin, forms.ModelForm):
    immediate_actions = forms.MultipleChoiceField(
        label=_("Immediate actions taken"),
        choices=ImmediateAction.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    save_anyway = forms.BooleanField(label=_("Save anyway"), required=False, widget=forms.HiddenInput)
    attachments = AttachmentsField(label=_("Photos or documents (optional)"), required=False)

    class Meta:
        model = Incident
        fields = [
            "type",
            "occurred_at",
            "unit",
            "place",
            "what_happened",
            "immediate_actions",
            "affected_students",
            "affected_staff",
            "affected_others",
            "suggested_consequence",
            "suggested_probability",
        ]
        labels = {
            "suggested_consequence": _("Consequence: how serious was it, or could it have been?"),
            "suggested_probability": _("Probability: how likely is it to happen again?"),
        }
        widgets = {"occurred_at": DATETIME_INPUT, "what_happened": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "what_happened": _("Describe what happened without names or other details that identify anyone."),
            "affected_students": _("How many; no names."),
            "suggested_probability": _(
                "Your suggestion: a manager confirms the risk assessment. Leave both empty if you are unsure."
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        if "unit" not in self.fields:
            return
        units = Unit.objects.all() if user.is_superuser else Unit.objects.filter(memberships__user=user).distinct()
        self.fields["unit"].queryset = units
        if not self.is_bound and units.count() == 1:
            self.initial.setdefault("unit", units.first())

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value and value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        self.check_pii(cleaned)
        return cleaned


class AnonymousReportForm(IncidentReportForm):
    """The report form at a unit's anonymous link: no unit to choose (the link's), no files (a photo or a
    document can say who took it), and a reminder to leave out what would identify the reporter."""

    attachments = None  # type: ignore[assignment]

    class Meta(IncidentReportForm.Meta):
        fields = [name for name in IncidentReportForm.Meta.fields if name != "unit"]
        help_texts = {
            **IncidentReportForm.Meta.help_texts,
            "what_happened": _(
                "Describe what happened without names or other details that identify anyone, yourself included."
            ),
        }


class FollowForm(forms.Form):
    """The anonymous reporter's receipt code, and her answer when she writes one."""

    code = forms.CharField(label=_("Receipt code"), max_length=80, strip=True)
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"


class MessageForm(NoFormHistory, forms.Form):
    text = forms.CharField(label=_("Message to the reporter"), widget=forms.Textarea(attrs={"rows": 3}))


class UnitSettingsForm(NoFormHistory, forms.Form):
    anonymous_reporting = forms.BooleanField(
        label=_("Take anonymous reports"),
        required=False,
        help_text=_(
            "Anyone with the unit's link can then report without logging in. No reporter is stored; she gets "
            "a receipt code to follow the report and answer your questions."
        ),
    )

    def __init__(self, *args, **kwargs):
        from incidents.risk import Consequence, Probability

        super().__init__(*args, **kwargs)
        for prefix, choices, label in (
            ("consequence", Consequence, _("Consequence %(n)s")),
            ("probability", Probability, _("Probability %(n)s")),
        ):
            for value, default in choices.choices:
                name = f"{prefix}_{value}"
                self.fields[name] = forms.CharField(
                    label=label % {"n": value},
                    max_length=60,
                    required=False,
                    help_text=_("Empty: “%(default)s”") % {"default": default},
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )

    def labels(self, prefix: str) -> list[str]:
        return [self.cleaned_data.get(f"{prefix}_{n}", "").strip() for n in range(1, 6)]


class VersionedForm(NoFormHistory, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class IncidentEditForm(NoFormHistory, PiiWarningMixin, forms.ModelForm):
    immediate_actions = IncidentReportForm.base_fields["immediate_actions"]
    version = forms.IntegerField(widget=forms.HiddenInput)
    save_anyway = forms.BooleanField(label=_("Save anyway"), required=False, widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = [
            "type",
            "place",
            "what_happened",
            "immediate_actions",
            "affected_students",
            "affected_staff",
            "affected_others",
        ]
        widgets = {"what_happened": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        cleaned = super().clean()
        self.check_pii(cleaned)
        return cleaned


class AssignForm(VersionedForm):
    assignee = PersonChoiceField(label=_("Responsible manager"), queryset=get_user_model().objects.none())

    def __init__(self, *args, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = managers


class TransitionForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RiskForm(VersionedForm):
    consequence = forms.TypedChoiceField(label=_("Consequence"), choices=Consequence.choices, coerce=int)
    probability = forms.TypedChoiceField(label=_("Probability"), choices=Probability.choices, coerce=int)


class CloseForm(VersionedForm):
    evaluation_summary = forms.CharField(
        label=_("Evaluation summary"),
        help_text=_("What happened, and what worked."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    learning_points = forms.CharField(label=_("Learning points"), widget=forms.Textarea(attrs={"rows": 3}))
    debrief_offered = forms.BooleanField(label=_("A debrief was offered"), required=False)
    debrief_at = forms.DateField(label=_("Debrief date"), required=False, widget=DATE_INPUT)
    routine_needs_revision = forms.BooleanField(label=_("The routine needs revision"), required=False)
    routine = RoutineChoiceField(label=_("Routine"), queryset=Routine.objects.all(), required=False)
    cause_category = forms.ChoiceField(label=_("Cause category"), choices=(), required=False)
    root_cause = forms.CharField(
        label=_("Root cause"),
        help_text=_("Why did it happen? The underlying cause, not only what triggered it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reporter_feedback = forms.CharField(
        label=_("Feedback to the reporter"),
        help_text=_(
            "What the person who reported may read on “My reports”: the outcome, without names or "
            "other people's details. She gets a short notice by e-mail with a link, never this text."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause_category"].choices = [("", "---------"), *cause_categories()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("routine_needs_revision") and not cleaned.get("routine"):
            self.add_error("routine", _("Choose the routine that needs revision."))
        if cleaned.get("debrief_offered") and not cleaned.get("debrief_at"):
            self.add_error("debrief_at", _("Give the date of the debrief."))
        return cleaned


class ActionForm(NoFormHistory, forms.ModelForm):
    responsible = PersonChoiceField(label=_("Responsible"), queryset=get_user_model().objects.none())

    class Meta:
        model = IncidentAction
        fields = ["description", "responsible", "deadline"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "deadline": DATE_INPUT}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people
        self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past. Choose today or a later date."))
        return deadline


class ActionUpdateForm(NoFormHistory, forms.ModelForm):
    class Meta:
        model = IncidentAction
        fields = ["status", "status_reason", "evaluation"]
        labels = {"status_reason": _("Reason (when carried over or cancelled)")}
        widgets = {
            "evaluation": forms.Textarea(attrs={"rows": 2}),
            "status_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in IncidentAction.NEEDS_REASON and not (cleaned.get("status_reason") or "").strip():
            self.add_error(
                "status_reason",
                _("Give a reason for carrying the action over or cancelling it, e.g. the new report's reference."),
            )
        return cleaned


class StepForm(NoFormHistory, forms.ModelForm):
    responsible = PersonChoiceField(label=_("Responsible"), queryset=get_user_model().objects.none(), required=False)
    done = forms.BooleanField(label=_("Done"), required=False)

    class Meta:
        model = ChecklistStep
        fields = ["responsible"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people
        self.fields["done"].initial = self.instance.done_at is not None


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All"))] + Incident.State.choices, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("All"))] + IncidentType.choices, required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, empty_value=None, required=False)
    overdue = forms.BooleanField(label=_("Only with overdue actions"), required=False)
    risk = forms.ChoiceField(label=_("Risk level"), choices=[("", _("All"))] + RiskLevel.choices, required=False)
    late = forms.BooleanField(label=_("Only past the response deadline"), required=False)

    def __init__(self, *args, units: Sequence[Unit], **kwargs):
        """``units``: the person's units, already read (the list shows them too), so rendering reads nothing."""
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", _("All")), *((u.pk, u.name) for u in units)]


class AttachmentForm(forms.Form):
    """Attach files on the report page: to the report, or to one of its actions (the choices this person has,
    ``incidents.access.attachment_targets``)."""

    attachments = AttachmentsField(label=_("Photos or documents"))
    target = forms.ChoiceField(label=_("Attach to"), required=False)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {("" if t is None else str(t.pk)): t for t in targets}
        choices = []
        for key, target in self.targets.items():
            if target is None:
                choices.append((key, _("The report")))
            else:
                description = target.description[:60] or "-"
                choices.append((key, _("Action: %(description)s") % {"description": description}))
        self.fields["target"].choices = choices
        if len(choices) == 1:
            self.fields["target"].widget = forms.HiddenInput()

    def clean_target(self):
        key = self.cleaned_data.get("target") or ""
        if key not in self.targets:
            raise forms.ValidationError(_("Choose where to attach the files from the list."))
        return self.targets[key]
