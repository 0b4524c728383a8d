"""Turning a Questionnaire step into a Django form, and answers back into what people read.

A form class is generated per step from its items. Every field is optional at the form level: whether a
``required`` question must be answered depends on whether it is enabled, which depends on the answers being
posted; the view checks that after merging (``intake.navigation.missing_required``). Field names are ``q<index>`` (the item's
position in the document), since linkIds may hold characters a form field name should not.
"""

import json
from dataclasses import dataclass, field

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.evaluator import Evaluation, condition_holds
from intake.expressions import ANSWER, ENABLE, INITIAL, expressions_of, is_calculated
from intake.navigation import step_questions
from intake.questionnaire import EXT_MAX_VALUE, EXT_MIN_VALUE, NOT_CLARIFIED, Item, Tree, extension_value, fhir_date
from intake.repeats import (
    NAME,
    Shape,
    count_name,
    has_rows,
    instances,
    is_blank,
    is_repeating_group,
    max_occurs,
    name,
    repeating_ancestors,
    scope_items,
    shape_from_answers,
    shape_from_data,
    target_names,
    trim,
)

OTHER_SUFFIX = "_other"
BOOL_CHOICES = [("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]


def field_name(item: Item) -> str:
    return f"q{item.index}"


def _limits(item: Item):
    low, high = extension_value(item.raw, EXT_MIN_VALUE), extension_value(item.raw, EXT_MAX_VALUE)
    if item.type == "date":
        low = fhir_date(low) if low else None
        high = fhir_date(high, last=True) if high else None
    return low, high


def refuse_beyond_limit(field: forms.Field) -> forms.Field:
    """A text field that refuses text beyond its limit with a clear error instead of letting the browser cut a
    paste short in silence: no ``maxlength`` attribute, the limit for the live counter (static/js/limits.js)
    instead, and nothing remembered in the browser's form history."""
    field.widget.attrs["autocomplete"] = "off"
    limit = field.widget.attrs.pop("maxlength", None)
    if limit is not None:
        field.widget.attrs.update(
            {
                "data-maxlength": limit,
                "data-label-count": _("{count} of {limit} characters"),
                "data-label-over": _("{over} characters too many. Shorten the text; what you typed is kept."),
            }
        )
        field.error_messages["max_length"] = _(
            "The text can be at most %(limit_value)d characters (it has %(show_value)d). "
            "Shorten it; what you typed is kept."
        )
    return field


def options_for(tree: Tree, item: Item, evaluation: Evaluation | None = None) -> list[dict]:
    """A choice item's options: its answerExpression's, computed from the answers as ``evaluation`` saw them,
    or else the tree's."""
    if evaluation is not None and evaluation.expressions is not None and expressions_of(item, ANSWER):
        return tree._with_not_clarified(item, evaluation.expressions.options(item) or [])
    return tree.options(item)


def _field(tree: Tree, item: Item, evaluation: Evaluation | None = None) -> forms.Field:
    field = refuse_beyond_limit(_plain_field(tree, item, evaluation))
    if item.is_locked:  # read-only or hidden: shown (or not) with its value, never taken from the post
        field.disabled = True
    return field


def _plain_field(tree: Tree, item: Item, evaluation: Evaluation | None = None) -> forms.Field:
    label = item.text or item.link_id
    if item.required:  # marked before the first try; the form cannot require it (see the module's docstring)
        label = _("%(question)s (required)") % {"question": label}
    common = {"label": label, "required": False}
    if item.type == "boolean":
        choices = list(BOOL_CHOICES)
        if item.not_clarified_label:  # "not clarified yet", from the tree: never a false "No"
            choices.append((NOT_CLARIFIED, item.not_clarified_label))
        return forms.TypedChoiceField(
            choices=choices, widget=forms.RadioSelect, coerce=_boolean_coerce(item), empty_value=None, **common
        )
    if item.type in {"choice", "open-choice"}:
        choices = [(o["code"], o["display"]) for o in options_for(tree, item, evaluation)]
        if item.repeats:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if item.type in {"string", "text"}:
        widget = forms.Textarea(attrs={"rows": 3}) if item.type == "text" else forms.TextInput
        return forms.CharField(max_length=item.raw.get("maxLength"), widget=widget, **common)
    low, high = _limits(item)
    validators = [
        v for v in (low is not None and MinValueValidator(low), high is not None and MaxValueValidator(high)) if v
    ]
    if item.type == "integer":
        return forms.IntegerField(validators=validators, **common)
    if item.type == "decimal":
        return forms.DecimalField(validators=validators, **common)
    if item.type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), validators=validators, **common)
    raise ValueError(f"unsupported item type {item.type}")  # the validator refuses these on import


def _boolean_coerce(item: Item):
    def coerce(value: str):
        if value == NOT_CLARIFIED:
            return {"code": NOT_CLARIFIED, "display": item.not_clarified_label}
        return value == "true"

    return coerce


def is_open(values: list) -> bool:
    """An answer recorded as "not clarified yet"."""
    return any(isinstance(v, dict) and v.get("code") == NOT_CLARIFIED for v in values)


def step_form_class(
    tree: Tree, step: Item, shape: Shape | None = None, *, evaluation: Evaluation | None = None
) -> type[forms.Form]:
    """A form class for one step: one field per question (and a free-text field per open-choice). With
    repeating items, one field per question in each instance, one per row of a repeating question, and a
    hidden count per repeating item; ``shape`` says how many (``intake.repeats``; by default the rows for no
    answers: one blank row each). A calculated question has none: it is shown, never asked. ``evaluation``
    (of the saved answers) gives the options an answerExpression computes."""
    shape = shape or shape_from_answers(step, {})
    fields: dict[str, forms.Field] = {}

    def add(item: Item, path: tuple[int, ...], context: str = "") -> None:
        field_ = _field(tree, item, evaluation)
        if context:
            field_.summary_label = f"{field_.label} ({context})"  # type: ignore[attr-defined]
        fields[name(item, path)] = field_
        if item.type == "open-choice":
            fields[name(item, path) + OTHER_SUFFIX] = refuse_beyond_limit(
                forms.CharField(
                    label=_("Other"), required=False, max_length=item.raw.get("maxLength"), disabled=item.is_locked
                )
            )

    def walk(items: list[Item], path: tuple[int, ...], context: str) -> None:
        for item in scope_items(items):
            if is_repeating_group(item) or has_rows(item):
                count = shape.of(item, path)
                fields[count_name(item, path)] = forms.CharField(
                    label=item.text or item.link_id, required=False, widget=forms.HiddenInput
                )
                fields[count_name(item, path)].initial = count
                for i in range(count):
                    where = instance_label(item, i, count)
                    label = f"{context}, {where}" if context else where
                    if has_rows(item):
                        add(item, (*path, i), label)
                        fields[name(item, (*path, i))].label = where
                    else:
                        walk(item.children, (*path, i), label)
            elif item.is_question and not is_calculated(item):
                add(item, path, context)

    walk([step], (), "")
    fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # __module__ set, or the class would claim to come from django.forms.widgets (its metaclass's module).
    return type("StepForm", (forms.Form,), {**fields, "__module__": __name__})


def instance_label(item: Item, index: int, count: int) -> str:
    """ "Child 2 of 3": an instance of a repeating group, or a row of a repeating question."""
    return _("%(item)s %(number)d of %(count)d") % {
        "item": item.text or item.link_id,
        "number": index + 1,
        "count": count,
    }


def _initial_values(item: Item, values: list, field: str, initial: dict) -> None:
    if not values:
        return
    if item.type == "boolean":
        initial[field] = NOT_CLARIFIED if is_open(values) else ("true" if values[0] else "false")
    elif item.type in {"choice", "open-choice"}:
        codes = [v["code"] for v in values if isinstance(v, dict)]
        initial[field] = codes if item.repeats else (codes[0] if codes else None)
        others = [v for v in values if isinstance(v, str)]
        if others:
            initial[field + OTHER_SUFFIX] = others[0]
    else:
        initial[field] = values[0]


def initial_for(tree: Tree, step: Item, answers: dict[str, list]) -> dict:
    """Form initial values from stored answers (the form being ``step_form_class`` with
    ``shape_from_answers`` for the same answers)."""
    initial: dict = {}
    shape = shape_from_answers(step, answers)

    def walk(items: list[Item], scope: dict, path: tuple[int, ...]) -> None:
        for item in scope_items(items):
            values = scope.get(item.link_id) or []
            if is_repeating_group(item):
                found = instances(values)
                for i in range(shape.of(item, path)):
                    walk(item.children, found[i] if i < len(found) else {}, (*path, i))
            elif has_rows(item):
                for k, value in enumerate(values if isinstance(values, list) else []):
                    _initial_values(item, [value], name(item, (*path, k)), initial)
            elif isinstance(values, list) and not is_calculated(item):
                _initial_values(item, values, name(item, path), initial)

    walk([step], answers if isinstance(answers, dict) else {}, ())
    return initial


def expression_initial(tree: Tree, step: Item, evaluation: Evaluation) -> dict:
    """Form initial values for the step's unanswered questions that have an initialExpression: a suggestion
    computed from the answers and the launch context, which the counsellor may change."""
    if evaluation.expressions is None:
        return {}
    suggested = {}
    for item in step_questions(step):
        if evaluation.answers.get(item.link_id) or is_calculated(item) or not expressions_of(item, INITIAL):
            continue
        values = evaluation.expressions.initial(item)
        if values:
            suggested[item.link_id] = values
    return initial_for(tree, step, suggested)


def _typed(tree: Tree, item: Item, cleaned: dict, field: str, evaluation: Evaluation | None = None) -> list:
    value = cleaned.get(field)
    result: list = []
    if item.type in {"choice", "open-choice"}:
        options = {o["code"]: o for o in options_for(tree, item, evaluation)}
        codes = value if isinstance(value, list) else ([value] if value else [])
        result = [{k: v for k, v in options[c].items() if v} for c in codes if c in options]
        other = (cleaned.get(field + OTHER_SUFFIX) or "").strip()
        if item.type == "open-choice" and other:
            result.append(other)
    elif item.type == "boolean":
        result = [] if value is None else [value]
    elif item.type in {"string", "text"}:
        result = [value.strip()] if value and value.strip() else []
    elif item.type == "decimal":
        result = [] if value is None else [float(value)]
    elif item.type == "date":
        result = [] if value is None else [value.isoformat()]
    else:
        result = [] if value is None or value == "" else [value]
    return result


def answers_from(
    tree: Tree, step: Item, cleaned: dict, shape: Shape | None = None, *, evaluation: Evaluation | None = None
) -> dict[str, list]:
    """Typed answers (lists of JSON values) from a valid step form's cleaned_data, keyed by the step's
    questions and outermost repeating groups (their instances nested, ``intake.repeats``). ``shape`` is the
    form's (by default read from its count fields)."""
    shape = shape or shape_from_data(step, cleaned)

    def collect(items: list[Item], path: tuple[int, ...], top: bool) -> dict:
        result: dict = {}
        for item in scope_items(items):
            if item.is_locked or is_calculated(item):
                continue  # its saved (initial) or calculated answer stays as it is
            if is_repeating_group(item):
                found = [collect(item.children, (*path, i), False) for i in range(shape.of(item, path))]
                values = trim(found)
            elif has_rows(item):
                values = [
                    v
                    for k in range(shape.of(item, path))
                    for v in _typed(tree, item, cleaned, name(item, (*path, k)), evaluation)
                ]
            elif item.is_question:
                values = _typed(tree, item, cleaned, name(item, path), evaluation)
            else:
                continue
            if values or top:
                result[item.link_id] = values
        return result

    return collect([step], (), True)


def autosave_values(
    tree: Tree, step: Item, form: forms.Form, saved: dict[str, list], evaluation: Evaluation | None = None
) -> tuple[dict[str, list], list[Item]]:
    """The step's answers to autosave from a bound (validated) form: what validates per question; for a
    question that does not, its saved answer (for a question in a repeating group or in rows: the saved
    answers of the whole outermost repeating item, since rows may have moved). Returns (values, the
    questions left as they were saved)."""
    values = answers_from(tree, step, form.cleaned_data, evaluation=evaluation)
    unsaved: list[Item] = []
    for key in form.errors:
        match = NAME.match(key.removesuffix(OTHER_SUFFIX))
        if not match or int(match.group(1)) >= len(tree.items):
            continue
        item = tree.items[int(match.group(1))]
        outer = ([*repeating_ancestors(item), item] if has_rows(item) else repeating_ancestors(item)) or [item]
        values[outer[0].link_id] = saved.get(outer[0].link_id, [])
        if item not in unsaved:
            unsaved.append(item)
    return values, unsaved


def answer_display(item: Item, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return str(value.get("display") or value.get("code", ""))
    return str(value)


def answers_display(item: Item, values: list) -> str:
    if is_repeating_group(item):
        return instances_display(item, values)
    return ", ".join(answer_display(item, v) for v in values)


@dataclass
class AnswerRow:
    """An answered question as the review shows it, or a repeating group with its answered instances, each
    a label ("Child 2 of 3") and its own rows."""

    item: Item
    text: str = ""
    instances: list[tuple[str, list["AnswerRow"]]] = field(default_factory=list)


def answer_rows(step: Item, answers: dict) -> list[AnswerRow]:
    """The step's (enabled, ``Evaluation.answers``) answers in document order, instances nested."""

    def walk(items: list[Item], scope: dict) -> list[AnswerRow]:
        rows = []
        for item in scope_items(items):
            values = scope.get(item.link_id)
            if not values or not isinstance(values, list):
                continue
            if is_repeating_group(item):
                answered = [i for i in instances(values) if not is_blank(i)]
                rows.append(
                    AnswerRow(
                        item,
                        instances=[
                            (instance_label(item, n, len(answered)), walk(item.children, i))
                            for n, i in enumerate(answered)
                        ],
                    )
                )
            else:
                rows.append(AnswerRow(item, answers_display(item, values)))
        return rows

    return walk([step], answers if isinstance(answers, dict) else {})


def instances_display(group: Item, values: list) -> str:
    """A repeating group's answered instances on one line each, for the journal note:
    "Child 1 of 2: Name: Ada; Age: 4"."""

    def flat(rows: list[AnswerRow]) -> list[str]:
        parts = []
        for row in rows:
            if row.instances:
                parts.extend(f"{label}: {'; '.join(flat(sub))}" for label, sub in row.instances)
            else:
                parts.append(f"{row.item.text}: {row.text}")
        return parts

    return "\n".join(flat(answer_rows(group, {group.link_id: values})))


# What a step page shows: its items as a tree of nodes, each knowing whether it may apply.

OPERATOR_WORDS = {
    "=": gettext_lazy("is"),
    "!=": gettext_lazy("is not"),
    ">": gettext_lazy("is more than"),
    "<": gettext_lazy("is less than"),
    ">=": gettext_lazy("is at least"),
    "<=": gettext_lazy("is at most"),
}


@dataclass
class Node:
    item: Item
    bound: forms.BoundField | None = None
    other: forms.BoundField | None = None
    hint: str = ""
    enable_json: str = ""
    children: list["Node"] = field(default_factory=list)
    active: bool = True  # for flags: its condition holds with the saved answers
    new: bool = False  # for flags: it rests on an answer given on this step, so it is new here
    # A repeating group or question: its hidden count, its instances (or rows), and the "Add another" action
    # (empty at maxOccurs).
    count: forms.BoundField | None = None
    instances: list["Instance"] = field(default_factory=list)
    add: str = ""


@dataclass
class Instance:
    """One instance of a repeating group (``children``) or one row of a repeating question (``bound``)."""

    label: str  # "Child 2 of 3"
    dom_id: str
    remove: str  # the "Remove" button's action
    children: list[Node] = field(default_factory=list)
    bound: forms.BoundField | None = None
    calculated: bool = False  # a calculated question: shown read-only with its value
    value: str = ""  # a calculated question's value as the counsellor reads it
    # What could not be computed for this item (intake.expressions), said in its place; "" when all went well.
    expression_error: str = ""


def condition_hint(tree: Tree, item: Item) -> str:
    """ "Answer only if ..." for an item whose conditions rest on answers in its own step."""
    parts = []
    for condition in item.enable_when:
        target = tree.by_link_id[condition["question"]]
        expected = next(v for k, v in condition.items() if k.startswith("answer"))
        if condition["operator"] == "exists":
            word = _("is answered") if expected else _("is not answered")
            parts.append(f"«{target.text}» {word}")
        else:
            if isinstance(expected, dict):  # a coding: say it as the option reads
                options = {o["code"]: o for o in tree.options(target)}
                expected = options.get(expected.get("code"), expected)
            parts.append(
                f"«{target.text}» {OPERATOR_WORDS[condition['operator']]} «{answer_display(target, expected)}»"
            )
    joiner = f" {_('or')} " if item.enable_behavior == "any" else f" {_('and')} "
    return _("Only if %(conditions)s") % {"conditions": joiner.join(parts)}


def _enable_data(tree: Tree, item: Item, path: tuple[int, ...] = (), shape: Shape | None = None) -> str:
    """The conditions for the page's script, with field names instead of linkIds (``fields``: every field
    holding the answers the condition reads, in instances and rows; ``field``: the first)."""
    conditions = []
    for condition in item.enable_when:
        target = tree.by_link_id[condition["question"]]
        key = next(k for k in condition if k.startswith("answer"))
        value = condition[key]
        if key == "answerBoolean" and condition["operator"] != "exists":
            value = "true" if value else "false"
        elif key == "answerCoding":
            value = value.get("code")
        names = target_names(target, item, path, shape) if shape is not None else [field_name(target)]
        conditions.append(
            {
                "field": names[0] if names else field_name(target),
                "fields": names,
                "op": condition["operator"],
                "value": value,
                "type": target.type,
            }
        )
    return json.dumps({"behavior": item.enable_behavior, "conditions": conditions})


EXPRESSION_ERRORS = {
    "calculatedExpression": gettext_lazy(
        "Could not be computed from the answers. You can go on; tell the tree's editor."
    ),
    "enableWhenExpression": gettext_lazy(
        "Whether this applies could not be computed from the answers, so it is shown. You can go on; tell the "
        "tree's editor."
    ),
    "initialExpression": gettext_lazy("The suggested answer could not be computed. Answer as usual."),
    "answerExpression": gettext_lazy(
        "The answer options could not be computed from the answers. You can go on; tell the tree's editor."
    ),
    "variable": gettext_lazy("Could not be computed from the answers. You can go on; tell the tree's editor."),
    "targetConstraint": gettext_lazy("A check on this answer could not be computed. You can go on."),
}


def step_nodes(
    tree: Tree,
    step: Item,
    form: forms.Form,
    saved: dict[str, list],
    shape: Shape | None = None,
    *,
    evaluation: Evaluation | None = None,
) -> list[Node]:
    """The step's items as nodes to render. An item whose conditions rest on earlier steps is left out when
    they do not hold; one resting on this step's own answers is shown with an "only if" hint (and shown or
    hidden live by the script), since only the save can settle it without JavaScript. Repeating items get a
    node per instance or row, as many as ``shape`` says (the form's). An item with an enableWhenExpression is
    shown as the saved answers enable it: the server answers it when the step is saved (or updated), never a
    script. ``evaluation`` is of ``saved`` (with the launch context), made here when not given."""
    evaluation = evaluation or Evaluation(tree, saved)
    shape = shape or shape_from_answers(step, saved)

    def may_apply(item: Item) -> bool:
        if evaluation.expressions is not None and expressions_of(item, ENABLE):
            return evaluation.is_enabled(item)
        results = []
        for condition in item.enable_when:
            target = tree.by_link_id[condition["question"]]
            if target.step is step:
                results.append(True)  # decided on this page
            else:
                results.append(evaluation.is_enabled(target) and condition_holds(condition, evaluation.values(target)))
        if not results:
            return True
        return any(results) if item.enable_behavior == "any" else all(results)

    def build(items: list[Item], path: tuple[int, ...]) -> list[Node]:
        nodes = []
        for item in items:
            if item.hidden or not may_apply(item):
                continue
            local = any(tree.by_link_id[c["question"]].step is step for c in item.enable_when)
            node = Node(
                item=item,
                hint=condition_hint(tree, item) if local and item.role != "flag" else "",
                enable_json=_enable_data(tree, item, path, shape) if local else "",
                active=evaluation.is_enabled(item),
                new=local and item.role == "flag",
            )
            error = evaluation.could_not_compute(item)
            if error:
                node.expression_error = str(EXPRESSION_ERRORS.get(error, EXPRESSION_ERRORS["calculatedExpression"]))
            if is_repeating_group(item) or has_rows(item):
                count = shape.of(item, path)
                node.count = form[count_name(item, path)]
                node.add = f"add:{name(item, path)}" if count < max_occurs(item) else ""
                for i in range(count):
                    here = (*path, i)
                    instance = Instance(
                        label=instance_label(item, i, count),
                        dom_id=f"{name(item, here)}-row",
                        remove=f"remove:{name(item, here)}",
                    )
                    if has_rows(item):
                        instance.bound = form[name(item, here)]
                    else:
                        instance.children = build(item.children, here)
                    node.instances.append(instance)
            elif is_calculated(item):
                node.calculated = True
                node.value = answers_display(item, evaluation.answers.get(item.link_id, []))
                node.children = build(item.children, path)
            elif item.is_question:
                node.bound = form[name(item, path)]
                if item.type == "open-choice":
                    node.other = form[name(item, path) + OTHER_SUFFIX]
                node.children = build(item.children, path)  # items nested in a question, shown right after it
            elif item.type == "group":
                node.children = build(item.children, path)
            nodes.append(node)
        return nodes

    return build([step] if is_repeating_group(step) else step.children, ())
