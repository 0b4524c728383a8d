"""Finalizing an intake: the help actually offered, the information given, the journal note's first draft,
and the anonymous statistics row. Its forms are in intake.forms; intake.services writes."""

from datetime import date

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
