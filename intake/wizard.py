"""Turning a Questionnaire step into a Django form, and answers back into what people read.

A form class is generated per step from its items. Every field is optional at the form level: whether a
``required`` question must be answered depends on whether it is enabled, which depends on the answers being
posted; the view checks that after merging (``intake.navigation.missing_required``). Field names are ``q<index>`` (the item's
position in the document), since linkIds may hold characters a form field name should not.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.evaluator import Evaluation, condition_holds
from intake.expressions import ANSWER, ENABLE, INITIAL, expressions_of, is_calculated
from intake.navigation import step_questions
from intake.questionnaire import (
    EXT_MAX_DECIMAL_PLACES,
    EXT_MAX_VALUE,
    EXT_MIN_LENGTH,
    EXT_MIN_VALUE,
    EXT_REGEX,
    EXT_VALIDATION_TEXT,
    NOT_CLARIFIED,
    Item,
    Tree,
    date_precision,
    extension_value,
    fhir_date,
    fhir_datetime,
    fhir_time,
    partial_date_fits,
    unit_label,
    units,
)
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
UNIT_SUFFIX = "_unit"  # a quantity's unit, when the question offers more than one
REMOVE_SUFFIX = "_remove"  # an attachment question's "remove the saved file"
BOOL_CHOICES = [("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]


def field_name(item: Item) -> str:
    return f"q{item.index}"


def _limits(item: Item):
    low, high = extension_value(item.raw, EXT_MIN_VALUE), extension_value(item.raw, EXT_MAX_VALUE)
    if item.type == "date":
        low = fhir_date(low) if low else None
        high = fhir_date(high, last=True) if high else None
    elif item.type == "dateTime":
        low = fhir_datetime(low) if low else None
        high = fhir_datetime(high, last=True) if high else None
    elif item.type == "time":
        low = fhir_time(low) if low else None
        high = fhir_time(high) if high else None
    elif item.type == "quantity":
        low = Decimal(str(low)) if low is not None else None
        high = Decimal(str(high)) if high is not None else None
    return low, high


def _text_validators(item: Item) -> list:
    """regex on what is typed: the whole answer must match. Helsenorge's validationtext, where the tree gives
    one, says what is expected; otherwise a general message."""
    pattern = extension_value(item.raw, EXT_REGEX)
    if not isinstance(pattern, str):
        return []
    message = extension_value(item.raw, EXT_VALIDATION_TEXT)
    if not isinstance(message, str) or not message.strip():
        message = _("The answer is not in the form this question expects. Check it; what you typed is kept.")
    return [RegexValidator(re.compile(rf"\A(?:{pattern})\Z"), message=message, code="regex")]


def _text_limits(item: Item) -> dict:
    """min_length (minLength) with a clear message, for a text field's keyword arguments."""
    length = extension_value(item.raw, EXT_MIN_LENGTH)
    return {"min_length": length} if isinstance(length, int) and not isinstance(length, bool) and length else {}


MIN_LENGTH_MESSAGE = gettext_lazy(
    "The answer must be at least %(limit_value)d characters (it has %(show_value)d). Add to it; what you typed is kept."
)


def _unit_hint(item: Item) -> str:
    found = units(item)
    if len(found) == 1:
        return _("In %(unit)s.") % {"unit": unit_label(found[0])}
    return ""


def unit_field(item: Item) -> forms.ChoiceField | None:
    """The unit chooser of a quantity question with more than one unit (questionnaire-unitOption)."""
    found = units(item)
    if item.type != "quantity" or len(found) < 2:
        return None
    return forms.ChoiceField(
        label=_("Unit: %(question)s") % {"question": item.text or item.link_id},
        required=False,
        choices=[("", "---------")] + [(str(i), unit_label(u)) for i, u in enumerate(found)],
    )


def _decimal_field(item: Item, validators: list, **common) -> forms.DecimalField:
    places = extension_value(item.raw, EXT_MAX_DECIMAL_PLACES)
    field = forms.DecimalField(
        validators=validators,
        decimal_places=places if isinstance(places, int) and not isinstance(places, bool) else None,
        **common,
    )
    field.error_messages["max_decimal_places"] = _(
        "Give at most %(max)s decimals. Round the number; what you typed is kept."
    )
    return field


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


def options_for(tree: Tree, item: Item, evaluation: Evaluation | None = None, path: tuple[int, ...] = ()) -> list[dict]:
    """A choice item's options: its answerExpression's, computed from the answers as ``evaluation`` saw them
    (in the instance at ``path``), or else the tree's."""
    if evaluation is not None and evaluation.expressions is not None and expressions_of(item, ANSWER):
        return tree._with_not_clarified(item, evaluation.expressions.options(item, path) or [])
    return tree.options(item)


class PartialDateField(forms.CharField):
    """A date question with itemControl year or yearMonth: typed as "2026" or "2026-12" (a text field with
    the format said, the same in every browser), stored as that partial date; minValue/maxValue hold when
    the whole year or month is within them."""

    def __init__(self, item: Item, low, high, **kwargs):
        self.item, self.low, self.high = item, low, high
        year = date_precision(item) == "year"
        kwargs["help_text"] = (
            _("A year, as YYYY (for example 2026).")
            if year
            else _("A year and month, as YYYY-MM (for example 2026-03).")
        )
        self.format_message = (
            _("Give the year as YYYY, for example 2026. What you typed is kept.")
            if year
            else _("Give the year and month as YYYY-MM, for example 2026-03. What you typed is kept.")
        )
        attrs = {"inputmode": "numeric" if year else "text", "autocomplete": "off", "size": 7}
        super().__init__(widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        if not partial_date_fits(self.item, value):
            raise forms.ValidationError(self.format_message, code="invalid")
        if self.low is not None:
            MinValueValidator(self.low)(fhir_date(value, last=True))
        if self.high is not None:
            MaxValueValidator(self.high)(fhir_date(value))
        return value


def _field(tree: Tree, item: Item, evaluation: Evaluation | None = None, path: tuple[int, ...] = ()) -> forms.Field:
    field = refuse_beyond_limit(_plain_field(tree, item, evaluation, path))
    if item.is_locked:  # read-only or hidden: shown (or not) with its value, never taken from the post
        field.disabled = True
    return field


def _plain_field(
    tree: Tree, item: Item, evaluation: Evaluation | None = None, path: tuple[int, ...] = ()
) -> forms.Field:
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
        options = options_for(tree, item, evaluation, path)
        choices = [(o["code"], o["display"]) for o in options]
        if item.repeats:
            exclusive = [o for o in options if o.get("exclusive")]
            if exclusive:
                common["help_text"] = _("Choosing %(options)s clears the other answers.") % {
                    "options": _(" or ").join(f"«{o['display']}»" for o in exclusive)
                }
            return forms.MultipleChoiceField(
                choices=choices,
                widget=ExclusiveCheckboxSelectMultiple(exclusive={o["code"] for o in exclusive}),
                **common,
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if item.type in {"string", "text", "url"}:
        widget = forms.Textarea(attrs={"rows": 3}) if item.type == "text" else forms.TextInput
        text_field = forms.URLField if item.type == "url" else forms.CharField
        kwargs = {"assume_scheme": "https", "widget": forms.URLInput} if item.type == "url" else {"widget": widget}
        text = text_field(
            max_length=item.raw.get("maxLength"),
            validators=_text_validators(item),
            **_text_limits(item),
            **kwargs,
            **common,
        )
        text.error_messages["min_length"] = MIN_LENGTH_MESSAGE
        if item.type == "url":
            text.error_messages["invalid"] = _(
                "Enter a web address, such as https://example.org/page. What you typed is kept."
            )
        return text
    if item.type == "attachment":
        return _attachment_field(item, **common)
    low, high = _limits(item)
    validators = [
        v for v in (low is not None and MinValueValidator(low), high is not None and MaxValueValidator(high)) if v
    ]
    common["help_text"] = _unit_hint(item)
    if item.type == "integer":
        return forms.IntegerField(validators=validators, **common)
    if item.type in {"decimal", "quantity"}:
        return _decimal_field(item, validators, **common)
    if item.type == "date" and date_precision(item):
        return PartialDateField(item, low, high, **common)
    if item.type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), validators=validators, **common)
    if item.type == "dateTime":
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            validators=validators,
            **common,
        )
    if item.type == "time":
        return forms.TimeField(
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), validators=validators, **common
        )
    raise ValueError(f"unsupported item type {item.type}")  # the validator refuses these on import


class ExclusiveCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes where some options (questionnaire-optionExclusive) must stand alone: they are marked for the
    page's script, which clears the others when one is ticked. The server checks it too (step_form_class)."""

    def __init__(self, *args, exclusive: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exclusive = exclusive or set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.exclusive:
            option["attrs"]["data-exclusive"] = "true"
        return option


def _attachment_field(item: Item, **common) -> forms.FileField:
    """A file input whose cleaned value is the checked file (intake.attachments), stored by the step's save."""
    from intake.attachments import allowed_kinds, check_attachment, size_limit, size_text

    kinds = allowed_kinds(item)
    limit = size_limit(item)

    class AttachmentField(forms.FileField):
        def clean(self, data, initial=None):
            upload = super().clean(data, None)  # the saved file (the initial) is no new upload
            return check_attachment(item, upload) if upload else None

    return AttachmentField(
        widget=forms.FileInput(attrs={"accept": ",".join(k.content_type for k in kinds)}),
        help_text=_("%(kinds)s, at most %(size)s.")
        % {
            "kinds": ", ".join(k.extension.upper() for k in kinds),
            "size": size_text(limit),
        },
        **common,
    )


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
    # (question, its field's name, the instance it is in), for the checks across fields
    added: list[tuple[Item, str, tuple[int, ...]]] = []

    def add(item: Item, path: tuple[int, ...], context: str = "", scope: tuple[int, ...] | None = None) -> None:
        scope = path if scope is None else scope  # a row's field is named with its row, its scope without
        field_ = _field(tree, item, evaluation, scope)
        if context:
            field_.summary_label = f"{field_.label} ({context})"  # type: ignore[attr-defined]
        base = name(item, path)
        fields[base] = field_
        added.append((item, base, scope))
        if item.type == "open-choice":
            other = refuse_beyond_limit(
                forms.CharField(
                    label=_("Other"),
                    required=False,
                    max_length=item.raw.get("maxLength"),
                    validators=_text_validators(item),
                    disabled=item.is_locked,
                    **_text_limits(item),
                )
            )
            other.error_messages["min_length"] = MIN_LENGTH_MESSAGE
            fields[base + OTHER_SUFFIX] = other
        unit = unit_field(item)
        if unit is not None:
            unit.disabled = item.is_locked
            fields[base + UNIT_SUFFIX] = unit
        if item.type == "attachment":
            fields[base + REMOVE_SUFFIX] = forms.BooleanField(
                label=_("Remove the saved file"), required=False, disabled=item.is_locked
            )

    def walk(items: list[Item], path: tuple[int, ...], context: str) -> None:
        for item in scope_items(items):
            if is_calculated(item):
                continue  # shown, never asked
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
                        add(item, (*path, i), label, path)
                        fields[name(item, (*path, i))].label = where
                        if name(item, (*path, i)) + UNIT_SUFFIX in fields:  # each row's unit names its row
                            fields[name(item, (*path, i)) + UNIT_SUFFIX].label = _("Unit: %(question)s") % {
                                "question": where
                            }
                    else:
                        walk(item.children, (*path, i), label)
            elif item.is_question:
                add(item, path, context)

    walk([step], (), "")
    fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(form):
        cleaned = forms.Form.clean(form)
        for item, base, scope in added:
            if item.type in {"choice", "open-choice"} and item.repeats:
                chosen = cleaned.get(base) or []
                options = options_for(tree, item, evaluation, scope)
                alone = [o for o in options if o.get("exclusive") and o["code"] in chosen]
                if alone and (len(chosen) > 1 or (cleaned.get(base + OTHER_SUFFIX) or "").strip()):
                    form.add_error(
                        base,
                        _("«%(option)s» cannot be combined with other answers: choose it alone, or untick it.")
                        % {"option": alone[0]["display"]},
                    )
            if (
                base + UNIT_SUFFIX in form.fields
                and cleaned.get(base) is not None
                and not cleaned.get(base + UNIT_SUFFIX)
            ):
                form.add_error(base + UNIT_SUFFIX, _("Choose the unit of the number you gave."))
        return cleaned

    # __module__ set, or the class would claim to come from django.forms.widgets (its metaclass's module).
    return type("StepForm", (forms.Form,), {**fields, "clean": clean, "__module__": __name__})


def _option_code(tree: Tree, item: Item, value) -> str | None:
    """The form's code for a stored choice answer: a coding's code, or the option whose own value it is."""
    if isinstance(value, dict):
        return value.get("code")
    for option in tree.options(item):
        if "value" in option and option["value"] == value and type(option["value"]) is type(value):
            return option["code"]
    return None


def instance_label(item: Item, index: int, count: int) -> str:
    """ "Child 2 of 3": an instance of a repeating group, or a row of a repeating question."""
    return _("%(item)s %(number)d of %(count)d") % {
        "item": item.text or item.link_id,
        "number": index + 1,
        "count": count,
    }


def _initial_values(tree: Tree, item: Item, values: list, field: str, initial: dict) -> None:
    if not values:
        return
    if item.type == "boolean":
        initial[field] = NOT_CLARIFIED if is_open(values) else ("true" if values[0] else "false")
    elif item.type in {"choice", "open-choice"}:
        found = [(v, _option_code(tree, item, v)) for v in values]
        codes = [code for _v, code in found if code is not None]
        initial[field] = codes if item.repeats else (codes[0] if codes else None)
        others = [v for v, code in found if code is None and isinstance(v, str)]
        if others:
            initial[field + OTHER_SUFFIX] = others[0]
    elif item.type == "dateTime":
        initial[field] = _stored(fhir_datetime, values[0])
    elif item.type == "time":
        initial[field] = _stored(fhir_time, values[0])
    elif item.type == "quantity" and isinstance(values[0], dict):
        initial[field] = values[0].get("value")
        for i, unit in enumerate(units(item)):
            if (unit.get("code"), unit.get("system")) == (values[0].get("code"), values[0].get("system")):
                initial[field + UNIT_SUFFIX] = str(i)
    else:
        initial[field] = values[0]


def _stored(parse, value):
    """A stored answer read back, or None for one that cannot be (the preview's answers come from the page)."""
    try:
        return parse(value)
    except (TypeError, ValueError, AttributeError):
        return None


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
                    _initial_values(tree, item, [value], name(item, (*path, k)), initial)
            elif isinstance(values, list) and not is_calculated(item):
                _initial_values(tree, item, values, name(item, path), initial)

    walk([step], answers if isinstance(answers, dict) else {}, ())
    return initial


def expression_initial(tree: Tree, step: Item, evaluation: Evaluation) -> dict:
    """Form initial values for the step's unanswered questions that have an initialExpression: a suggestion
    computed from the answers and the launch context, which the counsellor may change."""
    expressions = evaluation.expressions
    if expressions is None:
        return {}

    def walk(items: list[Item], scope, path: tuple[int, ...]) -> dict:
        """The suggestions in one scope (the top level or an instance), shaped as stored answers."""
        suggested: dict = {}
        for item in scope_items(items):
            if is_repeating_group(item):
                found = [walk(item.children, child, child.path) for child in scope.instances.get(item.link_id, [])]
                if any(found):
                    suggested[item.link_id] = found
            elif (
                scope.enabled.get(item.link_id)
                and not scope.answers.get(item.link_id)
                and not is_calculated(item)
                and expressions_of(item, INITIAL)
            ):
                values = expressions.initial(item, path)
                if values:
                    suggested[item.link_id] = values
        return suggested

    return initial_for(tree, step, walk([step], evaluation.root, ()))


def _typed(
    tree: Tree,
    item: Item,
    cleaned: dict,
    field: str,
    evaluation: Evaluation | None = None,
    path: tuple[int, ...] = (),
) -> list:
    value = cleaned.get(field)
    result: list = []
    if item.type in {"choice", "open-choice"}:
        options = {o["code"]: o for o in options_for(tree, item, evaluation, path)}
        codes = value if isinstance(value, list) else ([value] if value else [])
        # An option with its own value (valueString, valueInteger, ...) is answered with that value, as R4 says;
        # a coding as {system, code, display}.
        result = [
            options[c]["value"]
            if "value" in options[c]
            else {k: v for k, v in options[c].items() if v and k in {"system", "code", "display"}}
            for c in codes
            if c in options
        ]
        other = (cleaned.get(field + OTHER_SUFFIX) or "").strip()
        if item.type == "open-choice" and other:
            result.append(other)
    elif item.type == "boolean":
        result = [] if value is None else [value]
    elif item.type in {"string", "text", "url"}:
        result = [value.strip()] if value and value.strip() else []
    elif item.type == "decimal":
        result = [] if value is None else [float(value)]
    elif item.type == "date":
        result = [] if value is None else [value if isinstance(value, str) else value.isoformat()]
    elif item.type == "dateTime":
        result = [] if value is None else [timezone.localtime(value).isoformat(timespec="seconds")]
    elif item.type == "time":
        result = [] if value is None else [value.isoformat(timespec="seconds")]
    elif item.type == "quantity":
        result = [] if value is None else [_quantity(item, value, cleaned.get(field + UNIT_SUFFIX))]
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
            elif item.type == "attachment":
                # A new file is stored by the save (``uploads``); without one the saved file stays, unless removed.
                if cleaned.get(name(item, path) + REMOVE_SUFFIX) and cleaned.get(name(item, path)) is None:
                    result[item.link_id] = []
                continue
            elif item.is_question:
                values = _typed(tree, item, cleaned, name(item, path), evaluation, path)
            else:
                continue
            if values or top:
                result[item.link_id] = values
        return result

    return collect([step], (), True)


def _quantity(item: Item, value: Decimal, chosen: str | None) -> dict:
    """A Quantity as R4 stores it: {value, unit, system, code}, the unit from the one offered or the chosen."""
    found = units(item)
    unit = (
        found[0]
        if len(found) == 1
        else (found[int(chosen)] if chosen and chosen.isdigit() and int(chosen) < len(found) else None)
    )
    quantity: dict = {"value": float(value)}
    if unit:
        quantity.update({"unit": unit_label(unit), "system": unit.get("system"), "code": unit.get("code")})
    return {k: v for k, v in quantity.items() if v is not None and v != ""}


def uploads_from(step: Item, cleaned: dict) -> dict:
    """The step's newly chosen files, checked: {linkId: CheckedAttachment}, for ``intake_save_step``."""
    return {
        item.link_id: cleaned[field_name(item)]
        for item in step_questions(step)
        if item.type == "attachment" and cleaned.get(field_name(item)) is not None
    }


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
        match = NAME.match(key.removesuffix(OTHER_SUFFIX).removesuffix(UNIT_SUFFIX).removesuffix(REMOVE_SUFFIX))
        if not match or int(match.group(1)) >= len(tree.items):
            continue
        item = tree.items[int(match.group(1))]
        outer = ([*repeating_ancestors(item), item] if has_rows(item) else repeating_ancestors(item)) or [item]
        values[outer[0].link_id] = saved.get(outer[0].link_id, [])
        if item not in unsaved:
            unsaved.append(item)
    return values, unsaved


def _number_text(value) -> str:
    text = str(value)
    return text[:-2] if text.endswith(".0") else text


def answer_display(item: Item, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict) and item is not None and item.type == "attachment":
        from intake.attachments import attachment_display

        return attachment_display(value)
    if isinstance(value, dict) and item is not None and item.type == "quantity":
        unit = value.get("unit") or value.get("code") or ""
        return f"{_number_text(value.get('value', ''))} {unit}".strip()
    if isinstance(value, dict):
        return str(value.get("display") or value.get("code", ""))
    if item is not None and item.type == "dateTime" and isinstance(value, str):
        moment = _stored(fhir_datetime, value)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment and "T" in value else value
    if item is not None and item.type == "time" and isinstance(value, str):
        return value[:5] if value.endswith(":00") else value
    if item is not None and item.type in {"integer", "decimal"} and units(item):
        return f"{_number_text(value)} {unit_label(units(item)[0])}"
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
    saved_file: dict | None = None  # an attachment question's saved file: {title, size, id}
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
    calculated: bool = False  # a calculated question: shown read-only with its value
    value: str = ""  # a calculated question's value as the counsellor reads it
    # Its element's id, one per instance in a repeating group ("calculated-7", "calculated-7-1").
    calculated_id: str = ""
    # What could not be computed for this item (intake.expressions), said in its place; "" when all went well.
    expression_error: str = ""


@dataclass
class Instance:
    """One instance of a repeating group (``children``) or one row of a repeating question (``bound``)."""

    label: str  # "Child 2 of 3"
    dom_id: str
    remove: str  # the "Remove" button's action
    children: list[Node] = field(default_factory=list)
    bound: forms.BoundField | None = None
    other: forms.BoundField | None = None  # a quantity row's unit, when the question offers more than one


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
        elif key == "answerQuantity":
            value = value.get("value")
        elif key == "answerDateTime":  # as the page's datetime-local field gives it
            moment = _stored(fhir_datetime, value)
            value = timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else value
        elif key == "answerTime":
            value = str(value)[:5]
        elif key in {"answerInteger", "answerDate"} and target.type in {"choice", "open-choice"}:
            value = str(value)  # the option's code
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

    def may_apply(item: Item, path: tuple[int, ...]) -> bool:
        if evaluation.expressions is not None and expressions_of(item, ENABLE):
            return evaluation.enabled_at(item, path)
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
            if item.hidden or not may_apply(item, path):
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
            if is_calculated(item):
                node.calculated = True
                node.calculated_id = "-".join(["calculated", str(item.index), *map(str, path)])
                node.value = answers_display(item, evaluation.answers_at(item, path))
                node.children = build(item.children, path)
            elif is_repeating_group(item) or has_rows(item):
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
                        if name(item, here) + UNIT_SUFFIX in form.fields:
                            instance.other = form[name(item, here) + UNIT_SUFFIX]
                    else:
                        instance.children = build(item.children, here)
                    node.instances.append(instance)
            elif item.is_question:
                node.bound = form[name(item, path)]
                if item.type == "open-choice":
                    node.other = form[name(item, path) + OTHER_SUFFIX]
                if name(item, path) + UNIT_SUFFIX in form.fields:
                    node.other = form[name(item, path) + UNIT_SUFFIX]
                if item.type == "attachment":
                    saved_value = (saved.get(item.link_id) or [None])[0]
                    if isinstance(saved_value, dict) and str(saved_value.get("url", "")).startswith("urn:uuid:"):
                        node.saved_file = {
                            "text": answer_display(item, saved_value),
                            "id": saved_value["url"].removeprefix("urn:uuid:"),
                        }
                        node.other = form[name(item, path) + REMOVE_SUFFIX]
                node.children = build(item.children, path)  # items nested in a question, shown right after it
            elif item.type == "group":
                node.children = build(item.children, path)
            nodes.append(node)
        return nodes

    return build([step] if is_repeating_group(step) else step.children, ())
