"""The one evaluator of enableWhen, for questions, flags and outcomes alike (FHIR R4 semantics).

Answers are a dict ``{linkId: [value, ...]}`` (a list even for a single answer, as in a
QuestionnaireResponse): booleans, numbers, dates, dateTimes and times as ISO strings ("2026-11-23",
"2026-11-23T14:30:00+01:00", "14:30:00"), strings, codings as ``{"system": ..., "code": ..., "display": ...}``
and quantities as ``{"value": ..., "unit": ..., "system": ..., "code": ...}``. A choice option given as
valueString, valueInteger, valueDate or valueTime is answered with that value itself.

FHIR's rules, as applied here:
- an item is enabled when its enableWhen conditions hold (all of them, or any, per enableBehavior) and its
  parent is enabled; a disabled group disables everything in it;
- a condition on a question with no answer is false, except ``exists``;
- ``=`` holds when any answer equals the value, ``!=`` when any answer differs from it, and the ordering
  operators when any answer compares so;
- the answers of disabled items do not count, and are cleared on save (``prune``).

Conditions only point at earlier items (the validator enforces it), so one pass in document order settles
every item.
"""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from intake.questionnaire import Item, Tree, fhir_datetime, fhir_time


def _plain(value):
    # Answers to options with their own value were stored as codings before R4's rule was followed: compare
    # their code, so an intake saved then still evaluates the same.
    return value.get("code") if isinstance(value, dict) and "code" in value else value


def _number(value) -> Decimal | None:
    value = _plain(value)
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(_plain(value)))
    except ValueError:
        return None


def _datetime(value) -> datetime | None:
    try:
        return fhir_datetime(str(value))
    except ValueError:
        return None


def _time(value) -> time | None:
    try:
        return fhir_time(str(_plain(value)))
    except ValueError:
        return None


def _quantity(answer, expected) -> tuple[Decimal | None, Decimal | None]:
    """The two quantities' numbers, when they are in the same unit (or either gives none)."""
    if not isinstance(answer, dict) or not isinstance(expected, dict):
        return None, None
    for key in ("code", "unit"):
        if answer.get(key) and expected.get(key) and answer[key] != expected[key]:
            return None, None
    return _number(answer.get("value")), _number(expected.get("value"))


def _expected(condition: dict):
    return next(v for k, v in condition.items() if k.startswith("answer"))


def _coding_equal(answer, expected: dict) -> bool:
    if not isinstance(answer, dict):
        # An option's own value (valueString, valueInteger, ...) against an answerCoding in a tree published
        # before such options were answered with their value: its code was the value as text.
        return not isinstance(answer, bool) and not expected.get("system") and str(answer) == expected.get("code")
    if answer.get("code") != expected.get("code"):
        return False
    # A coding without a system matches on the code alone (answerOption codings often omit the system).
    return not (answer.get("system") and expected.get("system") and answer["system"] != expected["system"])


def _compare(answer, expected, key: str) -> int | None:
    """-1, 0 or 1 comparing answer with expected; None when they cannot be compared."""
    if key == "answerCoding":
        return 0 if _coding_equal(answer, expected) else None
    if key == "answerBoolean":
        if isinstance(answer, bool) and isinstance(expected, bool):
            return 0 if answer == expected else 1
        return None
    if key in {"answerInteger", "answerDecimal"}:
        a, b = _number(answer), _number(expected)
    elif key == "answerDate":
        a, b = _date(answer), _date(expected)
    elif key == "answerDateTime":
        a, b = _datetime(answer), _datetime(expected)
    elif key == "answerTime":
        a, b = _time(answer), _time(expected)
    elif key == "answerQuantity":
        a, b = _quantity(answer, expected)
    else:  # answerString, also against an open-choice's free text or a coding's display
        a = answer.get("display", answer.get("code")) if isinstance(answer, dict) else answer
        b = expected
        if not isinstance(a, str):
            return None
    if a is None or b is None:
        return None
    return (a > b) - (a < b)


def condition_holds(condition: dict, answers: list) -> bool:
    """Whether one enableWhen condition holds for the target question's (enabled) answers."""
    operator = condition["operator"]
    key = next(k for k in condition if k.startswith("answer"))
    expected = _expected(condition)
    if operator == "exists":
        return bool(answers) == bool(expected)
    results = [_compare(answer, expected, key) for answer in answers]
    if operator == "=":
        return any(r == 0 for r in results)
    if operator == "!=":
        # A value that cannot be compared (another coding) differs from the expected one.
        return any(r != 0 for r in results)
    checks = {">": lambda r: r > 0, "<": lambda r: r < 0, ">=": lambda r: r >= 0, "<=": lambda r: r <= 0}
    return any(r is not None and checks[operator](r) for r in results)


class Evaluation:
    """Which items are enabled for a set of answers, computed once, in document order."""

    def __init__(self, tree: Tree, answers: dict[str, list]):
        self.tree = tree
        self.enabled: dict[str, bool] = {}
        self.answers: dict[str, list] = {}
        for item in tree.items:
            on = (item.parent is None or self.enabled[item.parent.link_id]) and self._conditions_hold(item)
            self.enabled[item.link_id] = on
            if on and item.is_computed:
                self.answers[item.link_id] = self._level(item)
            elif on and item.is_question and answers.get(item.link_id):
                self.answers[item.link_id] = list(answers[item.link_id])
        computed = {item.link_id for item in tree.items if item.is_computed}
        self.cleared = sorted(k for k, v in answers.items() if v and k not in self.answers and k not in computed)

    def _level(self, item: Item) -> list:
        """The risk level: the first of its options whose threshold the signs present so far reach."""
        signs = [sign for sign in self.tree.risk_signs if self.enabled.get(sign.link_id)]
        high = sum(1 for sign in signs if sign.is_high_risk)
        for coding, min_signs, min_high in self.tree.level_thresholds(item):
            if (min_signs is not None and len(signs) >= min_signs) or (min_high is not None and high >= min_high):
                return [{k: v for k, v in coding.items() if v}]
        return []

    @property
    def risk_signs(self) -> list[Item]:
        """The signs of risk present, in the tree's order."""
        return [item for item in self.tree.risk_signs if self.is_enabled(item)]

    @property
    def risk_level(self) -> dict | None:
        """The computed risk level as a coding, or None when the tree has no risk summary."""
        item = self.tree.risk_level
        values = self.answers.get(item.link_id) if item is not None else None
        return values[0] if values else None

    def _conditions_hold(self, item: Item) -> bool:
        conditions = item.enable_when
        if not conditions:
            return True
        results = (condition_holds(c, self.answers.get(c["question"], [])) for c in conditions)
        return any(results) if item.enable_behavior == "any" else all(results)

    def is_enabled(self, item: Item) -> bool:
        return self.enabled.get(item.link_id, False)

    @property
    def flags(self) -> list[Item]:
        """Flags whose condition holds: advice to show now."""
        return [item for item in self.tree.flags if self.is_enabled(item)]

    @property
    def outcomes(self) -> list[Item]:
        """Outcomes whose condition holds: the recommended kinds of help."""
        return [item for item in self.tree.outcomes if self.is_enabled(item)]

    def reasons(self, item: Item) -> list[tuple[Item, list]]:
        """The questions and answers an enabled flag or outcome rests on (its enableWhen targets)."""
        seen, result = set(), []
        for condition in item.enable_when:
            target = self.tree.by_link_id[condition["question"]]
            if target.link_id not in seen and self.answers.get(target.link_id):
                seen.add(target.link_id)
                result.append((target, self.answers[target.link_id]))
        return result

    def steps(self) -> list[Item]:
        """The wizard's steps that are enabled for these answers."""
        return [step for step in self.tree.steps if self.is_enabled(step)]


def evaluate(tree: Tree, answers: dict[str, list]) -> Evaluation:
    return Evaluation(tree, answers)


def prune(tree: Tree, answers: dict[str, list]) -> tuple[dict[str, list], list[str]]:
    """The answers with those of disabled questions removed, and the linkIds that were cleared. Computed
    answers (the risk level) are never stored: they follow from the others each time."""
    evaluation = Evaluation(tree, answers)
    computed = {item.link_id for item in tree.items if item.is_computed}
    return {k: v for k, v in evaluation.answers.items() if k not in computed}, evaluation.cleared
