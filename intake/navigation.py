"""Where the intake wizard goes next: the steps that apply, next/back/close, the required questions still
unanswered, and the review step after the last. Pure: no HTTP, no database, no forms; the views (the
counsellor's wizard, its autosave, the editors' preview) only call it.

Answers are the evaluator's ``{linkId: [value, ...]}``. A step is a top-level group of the tree; which steps
apply depends on the answers (``Evaluation.steps``).
"""

from dataclasses import dataclass, field
from enum import StrEnum

from intake.evaluator import Evaluation, prune
from intake.expressions import is_calculated
from intake.questionnaire import Item, Tree, initial_answers
from intake.repeats import is_blank, is_repeating_group, min_occurs, scope_items

# Past the last step: the page that shows every answer before finalizing.
REVIEW = "review"


class Action(StrEnum):
    """What the counsellor pressed on a step page."""

    NEXT = "next"  # save and continue
    BACK = "back"  # save what validates, go one step back; required questions may stay empty
    CLOSE = "close"  # save and stay here (the page then goes to the list)
    # Save and show the step again, as the server now answers it: calculated answers, questions an
    # enableWhenExpression shows or hides, computed options. Required questions may stay empty.
    UPDATE = "update"

    @classmethod
    def parse(cls, value: str | None) -> "Action":
        """The action a form posted; anything else (or nothing) means "next", as the default button does."""
        try:
            return cls(value or cls.NEXT)
        except ValueError:
            return cls.NEXT


def step_questions(step: Item) -> list[Item]:
    """The questions in a step, nested groups and questions nested in questions included, in document order."""
    result: list[Item] = []
    for child in step.children:
        if child.is_question:
            result.append(child)
            result.extend(step_questions(child))
        elif child.type == "group":
            result.extend(step_questions(child))
    return result


def start_answers(tree: Tree) -> dict[str, list]:
    """A new intake's answers: the tree's initial values (initial[x], answerOption.initialSelected), those of
    questions that do not apply with them left out."""
    return prune(tree, initial_answers(tree))[0]


def find_step(tree: Tree, link_id: str) -> Item | None:
    """The tree's step with this linkId, whether or not it applies; None when there is none."""
    return next((step for step in tree.steps if step.link_id == link_id), None)


def applicable_steps(tree: Tree, answers: dict[str, list]) -> list[Item]:
    """The steps that apply to these answers, in order."""
    return Evaluation(tree, answers).steps()


def step_index(steps: list[Item], step: Item | None) -> int:
    """The step's position in ``steps`` (0-based); 0 when it is not among them."""
    return next((i for i, s in enumerate(steps) if s is step), 0)


@dataclass(frozen=True)
class Missing:
    """An enabled question (or repeating group) with too few answers (or instances), in the instance at
    ``path`` (``intake.repeats``). ``needed`` is how many it must have: 1 for a required question."""

    item: Item
    path: tuple[int, ...]
    needed: int
    given: int


def missing_answers(step: Item, evaluation: Evaluation) -> list[Missing]:
    """Every place in the step where an enabled question is required and unanswered, or a repeating item has
    fewer answers or instances than its minOccurs; in each instance of a repeating group that has answers (a
    blank instance counts for nothing)."""
    result: list[Missing] = []

    def walk(items: list[Item], path: tuple[int, ...]) -> None:
        for item in scope_items(items):
            # read-only and hidden answers are not the counsellor's to give
            if item.is_computed or item.is_locked or not evaluation.enabled_at(item, path):
                continue
            # a calculated answer is nothing the counsellor can give; nor are options that could not be
            # computed: she goes on, the page says why
            if is_calculated(item) or _options_failed(item, evaluation, path):
                continue
            needed = min_occurs(item) if item.repeats else min(min_occurs(item), 1)
            if is_repeating_group(item):
                answered = [scope for scope in evaluation.instances_at(item, path) if not is_blank(scope.answers)]
                if len(answered) < needed:
                    result.append(Missing(item, path, needed, len(answered)))
                for scope in answered:
                    walk(item.children, scope.path)
            elif item.is_question:
                given = len(evaluation.answers_at(item, path))
                if given < needed:
                    result.append(Missing(item, path, needed, given))

    walk([step], ())
    return result


def missing_required(step: Item, evaluation: Evaluation) -> list[Item]:
    """Required questions in the step that are enabled by these answers and still unanswered (and repeating
    items with too few answers or instances), each once."""
    return _once([missing.item for missing in missing_answers(step, evaluation)])


def _once(items: list[Item]) -> list[Item]:
    result: list[Item] = []
    for item in items:
        if not any(item is seen for seen in result):
            result.append(item)
    return result


def _options_failed(item: Item, evaluation: Evaluation, path: tuple[int, ...] = ()) -> bool:
    """Whether the item's answerExpression could not be computed (it then has no options to answer with)."""
    if evaluation.expressions is None or evaluation.expressions.options(item, path) is None:
        return False
    return evaluation.could_not_compute(item) == "answerExpression"


def is_complete(evaluation: Evaluation) -> bool:
    """Whether every step that applies has all its required questions answered (the intake can be finalized)."""
    return not any(missing_required(step, evaluation) for step in evaluation.steps())


def destination(steps: list[Item], current: Item, action: Action) -> str:
    """The linkId to go to from ``current`` among ``steps`` (the steps that apply after the save), or
    ``REVIEW`` past the last. A current step that no longer applies counts as the first."""
    index = step_index(steps, current)
    if action is Action.BACK:
        return steps[max(index - 1, 0)].link_id
    if action in {Action.CLOSE, Action.UPDATE}:
        return current.link_id
    return steps[index + 1].link_id if index + 1 < len(steps) else REVIEW


@dataclass(frozen=True)
class Move:
    """The outcome of leaving a step: where to go, or the required questions that keep the counsellor here."""

    target: str
    missing: list[Item] = field(default_factory=list)
    where: list[Missing] = field(default_factory=list)  # the same, each in its instance
    # targetConstraints that do not hold: (the item, None for the Questionnaire, and the constraint's message)
    failed: list[tuple[Item | None, str]] = field(default_factory=list)
    # the same with severity "warning": said, but the counsellor goes on
    warnings: list[tuple[Item | None, str]] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.missing or self.failed)


def constraint_failures(
    tree: Tree, current: Item, evaluation: Evaluation, *, last: bool
) -> list[tuple[Item | None, str, str]]:
    """The targetConstraints that do not hold on the enabled items of ``current`` and, when it is the ``last``
    step, on the Questionnaire itself: (item or None, message, severity)."""
    if evaluation.expressions is None:
        return []
    items: list[Item | None] = [i for i in tree.items if i.step is current and evaluation.is_enabled(i)]
    if last:
        items.append(None)
    return [
        (item, message, expression.severity)
        for item in items
        for expression, message in evaluation.expressions.failures(item)
    ]


def move(tree: Tree, current: Item, answers: dict[str, list], action: Action, *, launch: dict | None = None) -> Move:
    """Leave ``current`` with ``answers`` (the saved answers with this step's new ones merged in). Going back
    or updating never asks for required questions or checks targetConstraints; going on or closing does, on
    this step only (the Questionnaire's own constraints on the last step)."""
    evaluation = Evaluation(tree, prune(tree, answers, launch=launch)[0], launch=launch)
    if action in {Action.BACK, Action.UPDATE}:
        return Move(target=destination(evaluation.steps(), current, action))
    where = missing_answers(current, evaluation)
    missing = _once([m.item for m in where])
    target = destination(evaluation.steps(), current, action)
    checks = constraint_failures(tree, current, evaluation, last=target == REVIEW)
    failed = [(item, message) for item, message, severity in checks if severity != "warning"]
    warnings = [(item, message) for item, message, severity in checks if severity == "warning"]
    if missing or failed:
        return Move(target=current.link_id, missing=missing, where=where, failed=failed, warnings=warnings)
    return Move(target=target, warnings=warnings)
