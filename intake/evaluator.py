"""The one evaluator of enableWhen, for questions, flags and outcomes alike (FHIR R4 semantics).

Answers are a dict ``{linkId: [value, ...]}`` (a list even for a single answer, as in a
QuestionnaireResponse): booleans, numbers, dates, dateTimes and times as ISO strings ("2026-11-23",
"2026-11-23T14:30:00+01:00", "14:30:00"), strings, codings as ``{"system": ..., "code": ..., "display": ...}``
and quantities as ``{"value": ..., "unit": ..., "system": ..., "code": ...}``. A choice option given as
valueString, valueInteger, valueDate or valueTime is answered with that value itself. A repeating group's
answers are a list of instances, each such a dict (``intake.repeats`` describes the format).

FHIR's rules, as applied here:
- an item is enabled when its enableWhen conditions hold (all of them, or any, per enableBehavior) and its
  parent is enabled; a disabled group disables everything in it;
- a condition on a question with no answer is false, except ``exists``;
- ``=`` holds when any answer equals the value, ``!=`` when any answer differs from it, and the ordering
  operators when any answer compares so;
- the answers of disabled items do not count, and are cleared on save (``prune``);
- in a repeating group each instance is evaluated on its own (``Evaluation`` says how a condition finds its
  question's answers across instances).

Conditions only point at earlier items (the validator enforces it), so one pass in document order settles
every item.
"""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from intake.expressions import MAX_PASSES, Expressions, has_expressions, is_calculated
from intake.questionnaire import Item, Tree, fhir_date, fhir_datetime, fhir_time
from intake.repeats import instances, is_blank, is_repeating_group, repeating_ancestors


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
    # A partial date (a year or month question's answer, "2026-12") compares as its first day.
    try:
        return fhir_date(str(_plain(value)))
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


class Scope:
    """Where answers are looked up: the top level, or one instance of a repeating group (within the scope of
    its parent). Holds the enabled answers so far, in the stored shape, and what is enabled in it."""

    def __init__(self, raw: dict, parent: "Scope | None" = None, group: Item | None = None, index: int = 0):
        self.raw = raw if isinstance(raw, dict) else {}
        self.parent = parent
        self.group = group  # the repeating group this is an instance of; None at the top level
        self.path: tuple[int, ...] = (*parent.path, index) if parent is not None else ()
        self.groups: tuple[Item, ...] = (*parent.groups, group) if parent is not None and group else ()
        self.answers: dict[str, list] = {}
        self.enabled: dict[str, bool] = {}
        self.instances: dict[str, list[Scope]] = {}
        # An instance the counsellor left blank (calculated answers aside): it gets no calculated answers
        # either, so that it stays blank and counts for nothing.
        self.blank = parent.blank if parent is not None else False


def _without(values, link_ids: set[str]):
    """A stored value with the answers to ``link_ids`` left out of its instances (a repeating group holding
    calculated answers has not been cleared because they were recomputed)."""
    if not isinstance(values, list) or not link_ids:
        return values
    return [
        {k: _without(v, link_ids) for k, v in value.items() if k not in link_ids}
        if isinstance(value, dict) and all(isinstance(x, list) for x in value.values())
        else value
        for value in values
    ]


def _has_answers(values) -> bool:
    if not isinstance(values, list) or not values:
        return False
    return not all(isinstance(v, dict) and all(isinstance(x, list) for x in v.values()) and is_blank(v) for v in values)


class Evaluation:
    """Which items are enabled for a set of answers, computed once, in document order.

    Items in a repeating group are evaluated once per instance. An enableWhen pointing at a question is
    resolved as R4 says ("the nearest" occurrence of the linkId): a question in the same instance when the
    two share a repeating group (a child's "where does she live" follows that child's "lives at home"); a
    question in a repeating group the item is not in stands for all of that group's instances together
    (``=`` holds when any instance's answer matches: "any child lives with the perpetrator"). R4 would take
    the nearest preceding instance, the last; we take them all, so that advice and outcomes never depend on
    the order children were entered in. See docs/intake-trees.md.

    ``enabled`` says per linkId whether the item is enabled (for items in a repeating group: in at least one
    instance); ``answers`` are the enabled answers in the stored shape (``intake.repeats``).

    A tree with SDC expressions (intake.expressions) is evaluated the same way, with enableWhenExpression
    counting as one more condition and calculatedExpression giving the item's answer. A calculation may use a
    later one, so the pass is repeated (at most ``MAX_PASSES`` times) until the calculated answers settle.
    ``launch`` is the expressions' launch context (``intake.expressions.launch_context``)."""

    def __init__(self, tree: Tree, answers: dict[str, list], *, launch: dict | None = None):
        self.tree = tree
        self.expressions = None
        if has_expressions(tree):
            start = dict(answers)
            for _pass in range(MAX_PASSES):
                self.expressions = Expressions(tree, start, launch)
                self._walk(answers)
                calculated = {k: v for k, v in self.answers.items() if k in self._calculated_ids()}
                if all(start.get(k, []) == calculated.get(k, []) for k in self._calculated_ids()):
                    break
                start = {**answers, **{k: calculated.get(k, []) for k in self._calculated_ids()}}
        else:
            self._walk(answers)
        computed = {item.link_id for item in tree.items if item.is_computed} | self._calculated_ids()
        self.cleared = sorted(
            k
            for k, v in (answers if isinstance(answers, dict) else {}).items()
            if _has_answers(v)
            and k not in computed
            and _without(self.answers.get(k), computed) != _without(v, computed)
        )

    def _calculated_ids(self) -> set[str]:
        return {item.link_id for item in self.tree.items if is_calculated(item)} if self.expressions else set()

    def _walk(self, answers: dict[str, list]) -> None:
        self.enabled: dict[str, bool] = {}
        self.root = Scope(answers)
        self._scopes: dict[tuple[str, tuple[int, ...]], Scope] = {}
        for item in self.tree.top:
            self._visit(item, self.root, True)
        self.answers: dict[str, list] = self.root.answers
        for step in self.tree.steps:  # a step made for top-level questions applies while any of them does
            if step.synthetic:
                on = any(self.enabled.get(child.link_id) for child in step.children)
                self.enabled[step.link_id] = self.root.enabled[step.link_id] = on

    def could_not_compute(self, item: Item) -> str:
        """Which of the item's expressions could not be computed (its kind), or ""."""
        return self.expressions.errors.get(item.link_id, "") if self.expressions is not None else ""

    def _visit(self, item: Item, scope: Scope, parent_on: bool) -> None:
        expressions = self.expressions  # evaluated per instance: in the scope's, at its path
        on = parent_on and self._conditions_hold(item, scope)
        if on and expressions is not None:
            on = expressions.enabled(item, scope.path) is not False
        scope.enabled[item.link_id] = on
        self.enabled[item.link_id] = self.enabled.get(item.link_id, False) or on
        raw = scope.raw.get(item.link_id)
        if is_repeating_group(item):
            found = []
            for i, values in enumerate(instances(raw)):
                child = Scope(values, scope, item, i)
                if expressions is not None and not child.blank:
                    child.blank = is_blank(_without([child.raw], self._calculated_ids())[0])
                self._scopes[(item.link_id, child.path)] = child
                for sub in item.children:
                    self._visit(sub, child, on)
                found.append(child)
            scope.instances[item.link_id] = found
            kept = [child.answers for child in found]
            if on and not all(is_blank(k) for k in kept):
                scope.answers[item.link_id] = kept
            elif not on and expressions is not None:
                expressions.drop(item, scope.path)
            return
        if on and item.is_computed:
            scope.answers[item.link_id] = self._level(item)
        elif on and expressions is not None and is_calculated(item):
            values = [] if scope.blank else expressions.calculated(item, scope.path)
            expressions.put(item, values, scope.path)
            if values:
                scope.answers[item.link_id] = values
        elif on and item.is_question and isinstance(raw, list) and raw:
            scope.answers[item.link_id] = list(raw)
        elif not on and expressions is not None:
            expressions.drop(item, scope.path)
        for sub in item.children:
            self._visit(sub, scope, on)

    def scope_of(self, item: Item, path: tuple[int, ...] = ()) -> Scope | None:
        """The scope ``item`` is answered in, for the instance at ``path`` (None when there is no such one)."""
        groups = repeating_ancestors(item)
        if not groups:
            return self.root
        return self._scopes.get((groups[-1].link_id, path))

    def enabled_at(self, item: Item, path: tuple[int, ...] = ()) -> bool:
        scope = self.scope_of(item, path)
        return bool(scope and scope.enabled.get(item.link_id))

    def answers_at(self, item: Item, path: tuple[int, ...] = ()) -> list:
        scope = self.scope_of(item, path)
        return scope.answers.get(item.link_id, []) if scope else []

    def instances_at(self, group: Item, path: tuple[int, ...] = ()) -> list[Scope]:
        """The instances of a repeating group within the instance at ``path``, enabled answers in each."""
        scope = self.scope_of(group, path)
        return scope.instances.get(group.link_id, []) if scope else []

    def values(self, item: Item) -> list:
        """A question's enabled answers; in a repeating group, those of every instance together."""
        return self._target_answers(item, self.root)

    def _target_answers(self, target: Item, scope: Scope) -> list:
        groups = repeating_ancestors(target)
        chain: list[Scope] = []
        node: Scope | None = scope
        while node is not None:
            chain.append(node)
            node = node.parent
        chain.reverse()  # top level first: chain[k] is an instance k repeating groups deep
        common = 0
        while common < len(groups) and common + 1 < len(chain) and chain[common + 1].groups[common] is groups[common]:
            common += 1
        scopes = [chain[common]]
        for group in groups[common:]:
            scopes = [child for s in scopes for child in s.instances.get(group.link_id, [])]
        return [value for s in scopes for value in s.answers.get(target.link_id, [])]

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

    def _conditions_hold(self, item: Item, scope: Scope) -> bool:
        conditions = item.enable_when
        if not conditions:
            return True
        by_link_id = self.tree.by_link_id
        results = (condition_holds(c, self._target_answers(by_link_id[c["question"]], scope)) for c in conditions)
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
            values = self.values(target)
            if target.link_id not in seen and values:
                seen.add(target.link_id)
                result.append((target, values))
        return result

    def steps(self) -> list[Item]:
        """The wizard's steps that are enabled for these answers."""
        return [step for step in self.tree.steps if self.is_enabled(step)]


def evaluate(tree: Tree, answers: dict[str, list]) -> Evaluation:
    return Evaluation(tree, answers)


def prune(tree: Tree, answers: dict[str, list], *, launch: dict | None = None) -> tuple[dict[str, list], list[str]]:
    """The answers with those of disabled questions removed, and the linkIds that were cleared. Computed
    answers (the risk level) are never stored: they follow from the others each time. Calculated answers
    (calculatedExpression) are stored as computed now, so that what was saved can be read as it was shown;
    they are recomputed whenever the answers are evaluated."""
    evaluation = Evaluation(tree, answers, launch=launch)
    computed = {item.link_id for item in tree.items if item.is_computed}
    return {k: v for k, v in evaluation.answers.items() if k not in computed}, evaluation.cleared
