"""Finalizing an intake: the help actually offered, the information given, the journal note's first draft,
and the anonymous statistics row. Its forms are in intake.forms; intake.services writes."""

from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.evaluator import Evaluation
from intake.questionnaire import EXT_STATISTIC, PLACEHOLDER, STATISTIC_DIMENSIONS, Tree, extension_value
from intake.wizard import answers_display, is_open

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

# The question of the demo tree that the going-home path reads. Trees that lack it never show the path.
WANTS_HOME = "wants-home"
# Statistics read the questions a tree marks with the intake-statistic extension (docs/intake-trees.md). A tree
# version with no marks at all was published before marks existed (the demo tree until issue 18): for it, the
# demo tree's questions are read as they were then, so intakes pinned to such a version still count the same.
STAT_CONTACT_CHANNEL = "contact-channel"
STAT_INTERPRETER = "interpreter-needed"
STAT_CHILDREN = "has-children"
UNMARKED_STATISTICS = {
    "contact-channel": STAT_CONTACT_CHANNEL,
    "interpreter-used": STAT_INTERPRETER,
    "children-involved": STAT_CHILDREN,
}


def statistic_questions(tree: Tree) -> dict[str, str]:
    """Statistics dimension -> the linkId of the question counted under it (the first one marked)."""
    marked: dict[str, str] = {}
    for item in tree.questions:
        dimension = extension_value(item.raw, EXT_STATISTIC)
        if dimension in STATISTIC_DIMENSIONS:
            marked.setdefault(dimension, item.link_id)
    return marked or dict(UNMARKED_STATISTICS)


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


RISK_LEVEL = "risk"  # the counsellor's own assessment in the demo tree


def risk_signs(tree: Tree, evaluation: Evaluation) -> list[str]:
    """The signs of risk present in the answers (the tree's risk summary), in the tree's order."""
    return [item.text for item in evaluation.risk_signs]


def computed_risk_level(evaluation: Evaluation) -> str:
    """The risk level computed from the signs, as the tree names it; "" when the tree has no risk summary."""
    level = evaluation.risk_level
    return str(level.get("display") or level.get("code", "")) if level else ""


def risk_summary(tree: Tree, evaluation: Evaluation) -> dict | None:
    """What the assessment step and the review show of the risk summary: the computed level, the signs present
    (the high-risk ones marked) and how many the tree knows; None when the tree has none."""
    if tree.risk_level is None:
        return None
    return {
        "level": computed_risk_level(evaluation),
        "code": (evaluation.risk_level or {}).get("code", ""),
        "signs": evaluation.risk_signs,
        "total": len(tree.risk_signs),
    }


def advice_once(evaluation: Evaluation) -> list[tuple[str, str]]:
    """The advice that applies, each text once, with the step it belongs to: (step's text, advice)."""
    seen: dict[str, str] = {}
    for item in evaluation.flags:
        seen.setdefault(item.text, item.step.text)
    return [(step, text) for text, step in seen.items()]


def risk_level(tree: Tree, evaluation: Evaluation) -> str:
    item = tree.by_link_id.get(RISK_LEVEL)
    values = evaluation.answers.get(RISK_LEVEL)
    return answers_display(item, values) if item is not None and values else ""


def open_items(tree: Tree, evaluation: Evaluation) -> list:
    """The questions answered "not clarified yet", in document order."""
    return [item for item in tree.items if item.is_question and is_open(evaluation.values(item))]


def decision_block(
    tree: Tree,
    evaluation: Evaluation,
    *,
    offered_help: str,
    offered_reason: str,
    information: dict[str, bool],
    open_reason: str = "",
) -> list[str]:
    """The decision as the filed note must show it: the help recommended and offered, why they differ, the
    information given and not given, the risk level and its signs. In the tree's language."""
    names = dict(help_choices(tree))
    with translation.override(tree.language or translation.get_language()):
        recommended = ", ".join(outcome_name(item) for item in evaluation.outcomes) or _("no recommendation")
        lines = [
            _("Decision"),
            _("Recommended help: %(help)s.") % {"help": recommended},
            _("Help offered: %(help)s.") % {"help": names.get(offered_help, offered_help) or _("none recorded")},
        ]
        if offered_reason.strip():
            lines.append(_("Why this help rather than the recommended one: %(reason)s") % {"reason": offered_reason})
        given = [str(label) for key, label in INFORMATION if information.get(key)]
        not_given = [str(label) for key, label in INFORMATION if not information.get(key)]
        if given:
            lines.append(_("Information given: %(items)s.") % {"items": "; ".join(given)})
        if not_given:
            lines.append(_("Information not given: %(items)s.") % {"items": "; ".join(not_given)})
        computed = computed_risk_level(evaluation)
        if computed:
            signs = risk_signs(tree, evaluation)
            lines.append(
                _("Risk level from the signs: %(level)s (%(count)d of %(total)d signs present).")
                % {"level": computed, "count": len(signs), "total": len(tree.risk_signs)}
            )
        level = risk_level(tree, evaluation)
        if level:
            lines.append(_("Risk of new violence, as assessed: %(level)s.") % {"level": level})
        unclear = open_items(tree, evaluation)
        if unclear:
            lines.append(_("Not clarified yet: %(items)s") % {"items": " ".join(item.text for item in unclear)})
            if open_reason.strip():
                lines.append(_("Finalized with open items because: %(reason)s") % {"reason": open_reason})
        signs = risk_signs(tree, evaluation)
        lines.append(
            _("Signs of risk: %(signs)s") % {"signs": "; ".join(signs) + "."}
            if signs
            else _("Signs of risk: none recorded.")
        )
    return lines


def draft_note(
    tree: Tree,
    answers: dict,
    *,
    offered_help: str = "",
    offered_reason: str = "",
    information: dict[str, bool] | None = None,
    open_reason: str = "",
) -> str:
    """The journal note's first draft: the tree's template with each {{linkId}} replaced by the enabled
    answer as the counsellor saw it, a line whose every placeholder is empty left out, then the decision."""
    evaluation = Evaluation(tree, answers)

    def fill(match) -> str:
        name = match.group(1)
        if name == "outcomes":
            return ", ".join(outcome_name(item) for item in evaluation.outcomes)
        if name == "flags":
            return " ".join(item.text for item in evaluation.flags)
        item = tree.by_link_id.get(name)
        # A question in a repeating group: its answers in every instance; a repeating group: its instances.
        values = evaluation.answers.get(name) if item is None or item.type == "group" else evaluation.values(item)
        return answers_display(item, values) if item is not None and values else ""

    lines = []
    for line in tree.note_template.splitlines():
        filled = PLACEHOLDER.sub(fill, line)
        if PLACEHOLDER.search(line) and not any(fill(m) for m in PLACEHOLDER.finditer(line)):
            continue
        lines.append(filled.rstrip())
    decision = decision_block(
        tree,
        evaluation,
        offered_help=offered_help,
        offered_reason=offered_reason,
        information=information or {},
        open_reason=open_reason,
    )
    return "\n".join([*lines, "", *decision]).strip()


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
    questions = statistic_questions(evaluation.tree)

    def answer(dimension: str) -> list | None:
        link_id = questions.get(dimension)
        return evaluation.answers.get(link_id) if link_id else None

    return {
        "month": when.replace(day=1),
        "contact_channel": _code(answer("contact-channel")),
        "interpreter_used": _flag(answer("interpreter-used")),
        "children_involved": _flag(answer("children-involved")),
        "help_recommended": ",".join(recommended_codes(evaluation))[:255],
        "help_offered": offered_help[:64],
    }
