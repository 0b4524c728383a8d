"""Finalizing an intake: the help actually offered, the information given, the journal note's first draft,
and the anonymous statistics row. Forms validate and convert; intake.services writes."""

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.evaluator import Evaluation
from intake.questionnaire import PLACEHOLDER, Tree
from intake.wizard import answers_display

# The information a counsellor gives in a first conversation (seed 004), each recorded as given or not.
# Keys are stored in Intake.information_given; the labels are what the counsellor reads.
INFORMATION = [
    ("centre-offers", gettext_lazy("What the centre offers")),
    (
        "rights-services",
        gettext_lazy(
            "Rights and other services: lawyer, police, the welfare office (NAV), residence permit on an "
            "independent basis"
        ),
    ),
    ("risk-seeking-help", gettext_lazy("The risk of seeking help")),
    ("duty-report-child-welfare", gettext_lazy("The duty to report to child welfare")),
    ("duty-to-avert", gettext_lazy("The duty to avert")),
]

# The questions of the demo tree that statistics and the going-home path read. Trees that lack one simply
# record nothing for it (statistics) or never show the path.
WANTS_HOME = "wants-home"
STAT_CONTACT_CHANNEL = "contact-channel"
STAT_INTERPRETER = "interpreter-needed"
STAT_CHILDREN = "has-children"


def outcome_code(item) -> str:
    return item.raw["code"][0]["code"]


def outcome_name(item) -> str:
    coding = item.raw["code"][0]
    return coding.get("display") or coding["code"]


def help_choices(tree: Tree) -> list[tuple[str, str]]:
    """Every kind of help the tree knows, once each, in document order."""
    seen: dict[str, str] = {}
    for item in tree.outcomes:
        seen.setdefault(outcome_code(item), outcome_name(item))
    return list(seen.items())


def recommended_codes(evaluation: Evaluation) -> list[str]:
    return list(dict.fromkeys(outcome_code(item) for item in evaluation.outcomes))


def wants_home(evaluation: Evaluation) -> bool:
    return evaluation.answers.get(WANTS_HOME) == [True]


class FinalizeForm(forms.Form):
    offered_help = forms.ChoiceField(label=gettext_lazy("Help offered"), widget=forms.RadioSelect)
    offered_reason = forms.CharField(
        label=gettext_lazy("Why this help rather than the recommended one"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when the help offered is not among the recommended kinds of help."),
    )

    def __init__(self, *args, tree: Tree, recommended: list[str], **kwargs):
        initial = kwargs.setdefault("initial", {})
        if len(recommended) == 1:
            initial.setdefault("offered_help", recommended[0])
        super().__init__(*args, **kwargs)
        self.recommended = recommended
        self.fields["offered_help"].choices = help_choices(tree)
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
        return cleaned

    @property
    def information_fields(self):
        return [self[f"info_{key}"] for key, _label in INFORMATION]

    def information(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"info_{key}")) for key, _label in INFORMATION}


def draft_note(tree: Tree, answers: dict) -> str:
    """The journal note's first draft: the tree's template with each {{linkId}} replaced by the enabled
    answer as the counsellor saw it (empty when unanswered or disabled)."""
    evaluation = Evaluation(tree, answers)

    def fill(match) -> str:
        name = match.group(1)
        if name == "outcomes":
            return ", ".join(outcome_name(item) for item in evaluation.outcomes)
        if name == "flags":
            return " ".join(item.text for item in evaluation.flags)
        item = tree.by_link_id.get(name)
        values = evaluation.answers.get(name)
        return answers_display(item, values) if item is not None and values else ""

    return PLACEHOLDER.sub(fill, tree.note_template).strip()


def _code(values) -> str:
    if values and isinstance(values[0], dict):
        return str(values[0].get("code", ""))[:64]
    return ""


def _flag(values) -> bool | None:
    if values and isinstance(values[0], bool):
        return values[0]
    return None


def statistic_fields(evaluation: Evaluation, *, offered_help: str, when: date) -> dict:
    """The anonymous statistics row's values: codes and yes/no only, never free text."""
    return {
        "month": when.replace(day=1),
        "contact_channel": _code(evaluation.answers.get(STAT_CONTACT_CHANNEL)),
        "interpreter_used": _flag(evaluation.answers.get(STAT_INTERPRETER)),
        "children_involved": _flag(evaluation.answers.get(STAT_CHILDREN)),
        "help_recommended": ",".join(recommended_codes(evaluation))[:255],
        "help_offered": offered_help[:64],
    }


class NoteForm(forms.Form):
    note_text = forms.CharField(
        label=gettext_lazy("Journal note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": gettext_lazy("The journal note cannot be empty.")},
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Addendum"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "The note itself no longer changes; an addendum is added under it with your name and the time."
        ),
        error_messages={"required": gettext_lazy("Write the addendum before adding it.")},
    )
