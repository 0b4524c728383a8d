"""Question trees as FHIR R4 Questionnaire documents: reading, indexing and validating them.

``check_questionnaire(text)`` is the one validation the import command and the upload form share. It returns
the parsed document and a list of problems, each one line naming the item's linkId and what is wrong.
Structure is checked by ``fhir.resources`` (its R4B models read R4 Questionnaires: the Questionnaire resource
did not change between R4 and R4B); what the wizard can run is checked here. docs/intake-trees.md is the
reference for the supported subset and our extensions.
"""

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from django.utils.translation import gettext as _

# Our extensions (docs/intake-trees.md).
EXT_BASE = "https://krisestotte.no/fhir/StructureDefinition/"
EXT_ROLE = EXT_BASE + "intake-item-role"  # valueCode: flag | outcome | outcomes | risk-*
EXT_NOTE_TEMPLATE = EXT_BASE + "intake-journal-note-template"  # valueString, on the Questionnaire
# valueString, on a boolean or choice question: the label of its "not clarified yet" answer, stored as a coding
# with code NOT_CLARIFIED, an open item that the review lists and finalizing must give a reason for. On a choice
# question it is offered as one more option, after the tree's own.
EXT_NOT_CLARIFIED = EXT_BASE + "intake-not-clarified"
NOT_CLARIFIED = "not-clarified"
HELP_KIND_SYSTEM = "https://krisestotte.no/fhir/CodeSystem/help-kind"
ROLE_FLAG, ROLE_OUTCOME, ROLE_OUTCOMES = "flag", "outcome", "outcomes"
# The risk summary (docs/intake-trees.md): a top-level group, not a step, holding one display item per sign of
# risk (enabled when the answer that is the sign is given; ``intake-risk-high`` marks the signs of serious danger)
# and one choice item, the level, whose answer is computed from how many signs are present: its first option
# whose ``intake-risk-min-signs`` or ``intake-risk-min-high-signs`` is reached. Later items' enableWhen may use
# the level like any answer (the recommendation follows it). Until the FHIR calculation lands (another issue).
ROLE_RISK_SUMMARY, ROLE_RISK_SIGN, ROLE_RISK_LEVEL = "risk-summary", "risk-sign", "risk-level"
ROLES = {ROLE_FLAG, ROLE_OUTCOME, ROLE_OUTCOMES, ROLE_RISK_SUMMARY, ROLE_RISK_SIGN, ROLE_RISK_LEVEL}
EXT_RISK_HIGH = EXT_BASE + "intake-risk-high"  # valueBoolean, on a risk sign
EXT_RISK_MIN_SIGNS = EXT_BASE + "intake-risk-min-signs"  # valueInteger, on a level's answerOption
EXT_RISK_MIN_HIGH_SIGNS = EXT_BASE + "intake-risk-min-high-signs"  # valueInteger, on a level's answerOption
# valueCode, on a question: the anonymous statistics dimension its answer is counted under (intake.finalize).
# contact-channel takes a choice question's code; interpreter-used and children-involved a boolean's yes or no.
EXT_STATISTIC = EXT_BASE + "intake-statistic"
STATISTIC_DIMENSIONS = {"contact-channel": "choice", "interpreter-used": "boolean", "children-involved": "boolean"}
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
TEMPLATE_NAMES = {"outcomes", "flags"}

# How deep a document may nest: items in items (each level is a group or question a counsellor opens), and
# JSON in general (a file nested thousands deep is refused before a parser or validator recurses into it).
MAX_ITEM_DEPTH = 12
MAX_JSON_DEPTH = 64

# Standard extensions we act on.
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
EXT_MIN_LENGTH = "http://hl7.org/fhir/StructureDefinition/minLength"
EXT_MAX_DECIMAL_PLACES = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
EXT_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
EXT_UNIT_OPTION = "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption"
EXT_OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
# Helsenorge's message for an answer that fails the item's regex, shown instead of our general one.
EXT_VALIDATION_TEXT = "http://ehelse.no/fhir/StructureDefinition/validationtext"
# Text constraints (regex, minLength, maxLength) apply to what is typed: these types, and open-choice's "other".
TEXT_TYPES = {"string", "text", "url", "open-choice"}

# Extensions that change what a form asks, computes or accepts. Ignoring one would make us run a different
# form than its author wrote, so a document using any of them is refused. The SDC expressions (variable,
# calculatedExpression, enableWhenExpression, initialExpression, answerExpression, targetConstraint, and
# Helsenorge's sdf-calculatedExpression) are run and checked by intake.expressions. Other extensions (rendering
# hints such as itemControl, rendering-xhtml, Helsenorge's presentation extensions) are ignored: they change
# how a question looks, never what it means.
UNSUPPORTED_EXTENSIONS = {
    "http://hl7.org/fhir/StructureDefinition/questionnaire-unitValueSet": "unitValueSet",
    "http://hl7.org/fhir/StructureDefinition/cqf-expression": "cqf-expression",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-candidateExpression": "candidateExpression",
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-subQuestionnaire": "subQuestionnaire",
}
# The same, on an answer option (or its valueCoding): an option that clears the others when chosen. Scores
# (ordinalValue, itemWeight) are read by expressions (intake.expressions).
UNSUPPORTED_OPTION_EXTENSIONS = {}
# itemControl is a rendering hint, except where it narrows what a date question accepts: a year ("2026") or
# a year and month ("2026-12"), stored as that partial date (``date_precision``).
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
NARROWING_DATE_CONTROLS = {"year", "yearMonth"}
# An item that is not shown but whose (initial) value is kept in the answers.
EXT_HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
# The itemControl codes whose meaning the plain control already is, by the item types where that holds
# (radio-button only when the question does not repeat, check-box only when it does). Any other code is accepted and rendered as the plain control, with a notice
# on upload (``questionnaire_notices``).
RENDERED_CONTROLS = {
    "page": {"group"},
    "list": {"group"},
    "radio-button": {"choice", "open-choice", "boolean"},
    "check-box": {"choice", "open-choice"},
    "text-box": {"string", "text"},
}
# Which initial[x] (and answerOption value[x] for initialSelected) fits a question of each type.
INITIAL_KEYS = {
    "boolean": {"valueBoolean"},
    "integer": {"valueInteger"},
    "decimal": {"valueDecimal", "valueInteger"},
    "date": {"valueDate"},
    "string": {"valueString"},
    "text": {"valueString"},
    "dateTime": {"valueDateTime"},
    "time": {"valueTime"},
    "url": {"valueUri"},
    "quantity": {"valueQuantity"},
    "choice": {"valueCoding", "valueString", "valueInteger", "valueDate", "valueTime"},
    "open-choice": {"valueCoding", "valueString", "valueInteger", "valueDate", "valueTime"},
}
EXT_ANSWER_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-answerExpression"

# R4 allows answerOption on integer, date, time and string questions too: the answer is one of the options
# (R5's answerConstraint "optionsOnly", its default); SDC allows an answerExpression there. Such a question
# runs as a choice among them, answered with the option's own value, as a choice with valueInteger,
# valueDate, ... options is (``Item.type`` says "choice"; the document keeps its type). The options must be
# of the question's type (an answerExpression's values that are not are left out).
OPTION_TYPES = {"integer": "valueInteger", "date": "valueDate", "time": "valueTime", "string": "valueString"}

QUESTION_TYPES = {
    "boolean", "choice", "open-choice", "string", "text", "integer", "decimal", "date",
    "dateTime", "time", "url", "quantity", "attachment",
}  # fmt: skip
SUPPORTED_TYPES = QUESTION_TYPES | {"group", "display"}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
ORDERED_TYPES = {"integer", "decimal", "date", "dateTime", "time", "quantity"}
# Which enableWhen answer[x] fits a question of each type.
ANSWER_KEYS = {
    "boolean": {"answerBoolean"},
    "integer": {"answerInteger", "answerDecimal"},
    "decimal": {"answerDecimal", "answerInteger"},
    "date": {"answerDate"},
    "dateTime": {"answerDateTime"},
    "time": {"answerTime"},
    "quantity": {"answerQuantity"},
    "attachment": set(),  # only "exists"
    "string": {"answerString"},
    "text": {"answerString"},
    "url": {"answerString"},
    # On a choice question, answer[x] is the type of its options' value[x] (checked in _condition_problems).
    "choice": {"answerCoding", "answerString", "answerInteger", "answerDate", "answerTime"},
    "open-choice": {"answerCoding", "answerString", "answerInteger", "answerDate", "answerTime"},
}
# The answerOption value[x] R4 allows, and the enableWhen answer[x] that compares with each.
OPTION_ANSWER_KEYS = {
    "valueCoding": "answerCoding",
    "valueString": "answerString",
    "valueInteger": "answerInteger",
    "valueDate": "answerDate",
    "valueTime": "answerTime",
}
ALL_ANSWER_KEYS = {
    "answerBoolean", "answerDecimal", "answerInteger", "answerDate", "answerDateTime", "answerTime",
    "answerString", "answerCoding", "answerQuantity", "answerReference",
}  # fmt: skip
MIN_MAX_KEYS = {
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "time": "valueTime",
    "quantity": "valueDecimal",  # a limit on the quantity's number, in its unit
}


@dataclass
class Item:
    """One Questionnaire item with what the wizard needs to know about its place in the tree."""

    link_id: str
    type: str
    raw: dict
    index: int  # position in document order (depth-first)
    parent: "Item | None" = None
    children: list["Item"] = field(default_factory=list)
    # For a top-level question or display item: the step made to hold it (``Tree.steps``).
    wrapper: "Item | None" = None
    # True for such a made step, which is not in the document (and not in ``Tree.items``).
    synthetic: bool = False

    @property
    def text(self) -> str:
        return self.raw.get("text", "")

    @cached_property
    def role(self) -> str:  # read on every evaluation of every item: worked out once
        return extension_value(self.raw, EXT_ROLE) or ""

    @property
    def is_question(self) -> bool:
        return self.type in QUESTION_TYPES

    @property
    def required(self) -> bool:
        return bool(self.raw.get("required"))

    @property
    def not_clarified_label(self) -> str:
        return extension_value(self.raw, EXT_NOT_CLARIFIED) or ""

    @property
    def is_computed(self) -> bool:
        """A question the wizard never asks: its answer is computed (the risk level)."""
        return self.role == ROLE_RISK_LEVEL

    @property
    def is_high_risk(self) -> bool:
        return extension_value(self.raw, EXT_RISK_HIGH) is True

    @property
    def repeats(self) -> bool:
        return bool(self.raw.get("repeats"))

    @property
    def enable_when(self) -> list[dict]:
        return self.raw.get("enableWhen", [])

    @property
    def enable_behavior(self) -> str:
        return self.raw.get("enableBehavior", "all")

    @property
    def step(self) -> "Item":
        """The top-level group (wizard step) this item sits in (for a top-level question, the step made to
        hold it)."""
        item = self
        while item.parent is not None:
            item = item.parent
        return item.wrapper or item

    @property
    def read_only(self) -> bool:
        """readOnly: shown, never changed by the counsellor; keeps its initial (or computed) value."""
        return bool(self.raw.get("readOnly")) or (self.parent is not None and self.parent.read_only)

    @property
    def hidden(self) -> bool:
        """questionnaire-hidden (on the item or a group around it): not shown; its value is kept."""
        return extension_value(self.raw, EXT_HIDDEN) is True or (self.parent is not None and self.parent.hidden)

    @cached_property
    def initial_options(self) -> list[dict]:
        """For a choice question with no answer list of its own (no answerOption, answerValueSet, answerExpression
        or calculatedExpression) but initial valueCodings: those codings, as answerOptions. R4 does not require
        a choice question to list its options; such a question (often hidden, carrying a fixed code for
        extraction) can be answered with its initial codings or left empty, and nothing else is known to offer.
        [] for any other item."""
        raw = self.raw
        initials = raw.get("initial") or []
        if (
            self.type not in {"choice", "open-choice"}
            or not initials
            or raw.get("answerOption")
            or raw.get("answerValueSet")
            or extension_value(raw, EXT_ANSWER_EXPRESSION) is not None
            or not all(
                isinstance(i, dict) and isinstance(i.get("valueCoding"), dict) and i["valueCoding"].get("code")
                for i in initials
            )
            or _is_calculated(raw)
        ):
            return []
        return [{"valueCoding": initial["valueCoding"]} for initial in initials]

    @property
    def is_locked(self) -> bool:
        """An answer the counsellor cannot change from the step page (read-only or hidden)."""
        return self.read_only or self.hidden


def extension_value(element: dict, url: str):
    """The value[x] of the first extension with ``url`` on ``element``, or None."""
    for ext in element.get("extension", []) or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            for key, value in ext.items():
                if key.startswith("value"):
                    return value
    return None


def fhir_date(value: str, *, last: bool = False) -> date:
    """A FHIR date, which may be partial ("1900", "2026-12", "2026-12-03"), as its first day, or with
    ``last`` its last day: a partial minValue means from the start of that year or month, a maxValue to its
    end. Raises ValueError on anything else (the import check refuses such a document)."""
    parts = value.split("-")
    if len(parts) == 3:
        return date.fromisoformat(value)
    if len(parts) not in (1, 2) or len(parts[0]) != 4 or (len(parts) == 2 and len(parts[1]) != 2):
        raise ValueError(f"not a FHIR date: {value!r}")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) == 2 else (12 if last else 1)
    day = calendar.monthrange(year, month)[1] if last else 1
    return date(year, month, day)


def fhir_datetime(value: str, *, last: bool = False, tz=None) -> datetime:
    """A FHIR dateTime, which may be partial ("2026", "2026-12", "2026-12-03") or a full time with its zone,
    as an aware datetime: a partial one is the start of that day, month or year, or with ``last`` its end. A
    time without a zone (not valid FHIR, but seen) is read in ``tz``. Raises ValueError on anything else."""
    if "T" not in value:
        day = fhir_date(value, last=last)
        moment = datetime.combine(day, time.max if last else time.min)
    else:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        from django.utils import timezone

        moment = timezone.make_aware(moment, tz or timezone.get_current_timezone())
    return moment


def fhir_time(value: str) -> time:
    """A FHIR time ("14:30:00"; "14:30" is read too). Raises ValueError on anything else."""
    return time.fromisoformat(value)


PARTIAL_DATES = {"year": re.compile(r"\d{4}"), "yearMonth": re.compile(r"\d{4}-(0[1-9]|1[0-2])")}


def date_precision(item: "Item") -> str:
    """For a date question with itemControl year or yearMonth, that code: its answer is a partial date of
    that precision ("2026", "2026-12"). "" for any other question."""
    if item.type != "date":
        return ""
    control = extension_value(item.raw, EXT_ITEM_CONTROL)
    codings = control.get("coding", []) if isinstance(control, dict) else []
    return next((c["code"] for c in codings or [] if isinstance(c, dict) and c.get("code") in PARTIAL_DATES), "")


def partial_date_fits(item: "Item", value: str) -> bool:
    """Whether ``value`` is a date of the precision the question asks for (``date_precision``)."""
    pattern = PARTIAL_DATES.get(date_precision(item))
    return bool(pattern and pattern.fullmatch(value))


def option_value(option: dict):
    """An answer option's value[x] as the answer stores it: a coding as {system, code, display}, anything else
    (valueString, valueInteger, valueDate, valueTime) as the value itself, as R4 says."""
    if "valueCoding" in option:
        c = option["valueCoding"]
        return {
            k: v for k, v in (("system", c.get("system")), ("code", c.get("code")), ("display", c.get("display"))) if v
        }
    return next((v for k, v in option.items() if k.startswith("value")), None)


def units(item: "Item") -> list[dict]:
    """The units a quantity (or number) question offers, as codings: questionnaire-unitOption's, else its one
    questionnaire-unit."""
    found = [
        ext["valueCoding"]
        for ext in item.raw.get("extension", []) or []
        if isinstance(ext, dict) and ext.get("url") == EXT_UNIT_OPTION and isinstance(ext.get("valueCoding"), dict)
    ]
    if not found:
        unit = extension_value(item.raw, EXT_UNIT)
        found = [unit] if isinstance(unit, dict) else []
    return found


def unit_label(coding: dict) -> str:
    return str(coding.get("display") or coding.get("code") or "")


def is_exclusive(option: dict) -> bool:
    """An answer option that, when chosen, must be the only answer (questionnaire-optionExclusive)."""
    coding = option.get("valueCoding") if isinstance(option.get("valueCoding"), dict) else {}
    return (
        extension_value(option, EXT_OPTION_EXCLUSIVE) is True or extension_value(coding, EXT_OPTION_EXCLUSIVE) is True
    )


class Tree:
    """A Questionnaire document indexed for the evaluator and the wizard. Assumes a validated document."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.items: list[Item] = []
        self.by_link_id: dict[str, Item] = {}
        self.top: list[Item] = [self._add(raw, None) for raw in doc.get("item", [])]
        self._steps = self._make_steps()
        self.value_sets = {
            vs.get("id"): vs
            for vs in doc.get("contained", [])
            if isinstance(vs, dict) and vs.get("resourceType") == "ValueSet"
        }

    def _add(self, raw: dict, parent: Item | None) -> Item:
        kind = raw.get("type", "")
        if (
            kind in OPTION_TYPES
            and not raw.get("answerValueSet")
            and (raw.get("answerOption") or extension_value(raw, EXT_ANSWER_EXPRESSION) is not None)
        ):
            kind = "choice"  # a choice among options of its own type (OPTION_TYPES)
        item = Item(link_id=raw.get("linkId", ""), type=kind, raw=raw, index=len(self.items), parent=parent)
        self.items.append(item)
        self.by_link_id.setdefault(item.link_id, item)
        item.children = [self._add(child, item) for child in raw.get("item", []) or []]
        return item

    def _make_steps(self) -> list[Item]:
        """The wizard's steps: each top-level group (except the outcomes, the risk summary and hidden ones),
        and each run of consecutive top-level questions and display items, wrapped in a step made for it and
        titled with the Questionnaire's title (numbered when there is more than one such run)."""
        runs: list[list[Item]] = []
        steps: list[Item | list[Item]] = []
        for item in self.top:
            if item.type == "group":
                if item.role not in {ROLE_OUTCOMES, ROLE_RISK_SUMMARY} and not item.hidden:
                    steps.append(item)
            elif steps and isinstance(steps[-1], list):
                steps[-1].append(item)
            else:
                runs.append([item])
                steps.append(runs[-1])
        title = self.doc.get("title") or self.doc.get("name") or _("Questions")
        result = []
        for entry in steps:
            if isinstance(entry, Item):
                result.append(entry)
                continue
            number = runs.index(entry) + 1
            link_id = f"step-{number}"
            while link_id in self.by_link_id:
                link_id = "_" + link_id
            text = f"{title} ({number})" if len(runs) > 1 else title
            wrapper = Item(
                link_id=link_id,
                type="group",
                raw={"linkId": link_id, "type": "group", "text": text},
                index=-1,
                children=entry,
                synthetic=True,
            )
            for child in entry:
                child.wrapper = wrapper
            if not all(child.hidden for child in entry):
                result.append(wrapper)
        return result

    @property
    def steps(self) -> list[Item]:
        """The wizard's steps in order (``_make_steps``): top-level groups, except the ones holding the
        outcomes and the risk summary, and the steps made for top-level questions."""
        return self._steps

    @property
    def questions(self) -> list[Item]:
        return [item for item in self.items if item.is_question]

    @property
    def risk_signs(self) -> list[Item]:
        return [item for item in self.items if item.role == ROLE_RISK_SIGN]

    @property
    def risk_level(self) -> Item | None:
        return next((item for item in self.items if item.role == ROLE_RISK_LEVEL), None)

    @property
    def risk_summary(self) -> Item | None:
        return next((item for item in self.top if item.role == ROLE_RISK_SUMMARY), None)

    def level_thresholds(self, item: Item) -> list[tuple[dict, int | None, int | None]]:
        """The level's options, each with its minimum count of signs and of high-risk signs (None: no limit)."""
        return [
            (coding, extension_value(raw, EXT_RISK_MIN_SIGNS), extension_value(raw, EXT_RISK_MIN_HIGH_SIGNS))
            for raw, coding in zip(item.raw.get("answerOption", []), self.options(item), strict=False)
        ]

    @property
    def flags(self) -> list[Item]:
        return [item for item in self.items if item.role == ROLE_FLAG]

    @property
    def outcomes(self) -> list[Item]:
        return [item for item in self.items if item.role == ROLE_OUTCOME]

    @property
    def language(self) -> str:
        return self.doc.get("language", "")

    @property
    def title(self) -> str:
        return self.doc.get("title", "")

    @property
    def note_template(self) -> str:
        return extension_value(self.doc, EXT_NOTE_TEMPLATE) or ""

    def options(self, item: Item) -> list[dict]:
        """The answer options of a choice item as codings ({system, code, display}) or plain strings."""
        if "answerValueSet" in item.raw:
            vs = self.value_sets.get(item.raw["answerValueSet"].lstrip("#"), {})
            return self._with_not_clarified(
                item,
                [
                    {"system": inc.get("system", ""), "code": c.get("code"), "display": c.get("display", c.get("code"))}
                    for inc in vs.get("compose", {}).get("include", [])
                    for c in inc.get("concept", [])
                ],
            )
        options = []
        for option in item.raw.get("answerOption", []) or item.initial_options:
            if "valueCoding" in option:
                c = option["valueCoding"]
                options.append(
                    {"system": c.get("system", ""), "code": c.get("code"), "display": c.get("display", c.get("code"))}
                )
            else:
                # valueString, valueInteger, valueDate, valueTime: the answer is the value itself ("value").
                value = next(v for k, v in option.items() if k.startswith("value"))
                options.append({"system": "", "code": str(value), "display": str(value), "value": value})
            if is_exclusive(option):
                options[-1]["exclusive"] = True
        return self._with_not_clarified(item, options)

    @staticmethod
    def _with_not_clarified(item: Item, options: list[dict]) -> list[dict]:
        label = item.not_clarified_label
        if label and item.type in {"choice", "open-choice"} and all(o["code"] != NOT_CLARIFIED for o in options):
            options.append({"system": "", "code": NOT_CLARIFIED, "display": label})
        return options


def check_questionnaire(text: str | bytes) -> tuple[dict | None, list[str]]:
    """Parse and validate a Questionnaire file's text. Returns (document or None, problems).

    Never raises on bad input: every problem becomes one line naming the linkId where there is one.
    """
    try:
        doc = json.loads(text)
    except RecursionError:
        return None, [_("The file is nested too deeply to read (more than %(max)d levels).") % {"max": MAX_JSON_DEPTH}]
    except (ValueError, UnicodeDecodeError) as exc:
        return None, [_("The file is not JSON: %(error)s") % {"error": exc}]
    if not isinstance(doc, dict) or doc.get("resourceType") != "Questionnaire":
        found = doc.get("resourceType") if isinstance(doc, dict) else type(doc).__name__
        return None, [_("The file is not a FHIR Questionnaire (resourceType is %(found)s).") % {"found": found or "-"}]
    problems = depth_problems(doc)
    if problems:
        return None, problems
    problems = structure_problems(doc)
    if problems:
        return None, problems
    # An external answerValueSet takes its options from an imported ValueSet, copied in (intake.terminology).
    from intake.terminology import snapshot_answer_value_sets

    doc = snapshot_answer_value_sets(doc)
    problems = tree_problems(doc)
    return (None if problems else doc), problems


def depth_problems(doc: dict) -> list[str]:
    """Nesting beyond what a form can hold, found without recursion (so a hostile file cannot exhaust the
    stack): items within items deeper than MAX_ITEM_DEPTH, or any JSON deeper than MAX_JSON_DEPTH."""
    stack: list[tuple[object, int, int]] = [(doc, 1, 0)]  # (node, JSON depth, item depth)
    while stack:
        node, depth, item_depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return [_("The file is nested too deeply to read (more than %(max)d levels).") % {"max": MAX_JSON_DEPTH}]
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "item" and isinstance(value, list):
                    for child in value:
                        if item_depth + 1 > MAX_ITEM_DEPTH:
                            link_id = child.get("linkId") if isinstance(child, dict) else None
                            return [
                                _("linkId %(link_id)s: items are nested more than %(max)d levels deep.")
                                % {"link_id": link_id or "?", "max": MAX_ITEM_DEPTH}
                            ]
                        stack.append((child, depth + 2, item_depth + 1))
                else:
                    stack.append((value, depth + 1, item_depth))
        elif isinstance(node, list):
            stack.extend((value, depth + 1, item_depth) for value in node)
    return []


def structure_problems(doc: dict) -> list[str]:
    """What fhir.resources finds wrong with the document's structure, one line each."""
    # Imported here: building the pydantic models costs ~1 s, only paid where documents are validated.
    from fhir.resources.R4B.questionnaire import Questionnaire
    from pydantic import ValidationError

    checked, elements = _without_extension_value_elements(doc)
    try:
        # A missing status (required in R4, often left out) is taken as draft: see questionnaire_notices.
        Questionnaire.model_validate(checked if checked.get("status") else {**checked, "status": "draft"})
    except ValidationError as exc:
        return [_structure_line(doc, error) for error in exc.errors()]
    return _element_problems(doc, elements)


def _without_extension_value_elements(doc: dict) -> tuple[dict, list[tuple[tuple, dict]]]:
    """The document without the ``_value[x]`` of its extensions, and those elements with where they were.

    R4's JSON gives a primitive value its id and extensions in a sibling ``_name`` element, and an extension's
    ``valueString`` is such a primitive (``"_valueString": {"extension": [rendering-xhtml]}``). fhir.resources'
    Extension model does not take ``_value[x]`` (it takes ``_text`` and the other elements' primitives), so they
    are taken out here and checked on their own as the Element they are (``_element_problems``)."""
    elements: list[tuple[tuple, dict]] = []
    copied = json.loads(json.dumps(doc))
    stack: list[tuple[object, tuple]] = [(copied, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, value in list(node.items()):
                if key in {"extension", "modifierExtension"} and isinstance(value, list):
                    for number, ext in enumerate(value):
                        if not isinstance(ext, dict):
                            continue
                        for name in [k for k in ext if k.startswith("_value") and k[1:] in ext]:
                            elements.append(((*path, key, number, name), ext.pop(name)))
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, number)) for number, value in enumerate(node))
    return copied, elements


def _element_problems(doc: dict, elements: list[tuple[tuple, dict]]) -> list[str]:
    from fhir.resources.R4B.element import Element
    from pydantic import ValidationError

    problems = []
    for path, element in elements:
        try:
            Element.model_validate(element)
        except ValidationError as exc:
            problems.extend(
                _structure_line(doc, {**error, "loc": (*path, *error.get("loc", ()))}) for error in exc.errors()
            )
    return problems


def _structure_line(doc: dict, error: dict) -> str:
    # Point at the innermost item the error sits in, by its linkId, so the author can find it.
    loc = error.get("loc", ())
    node, link_id, path = doc, "", []
    for part in loc:
        path.append(str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and path[-2:-1] == ["item"] and node.get("linkId"):
            link_id = node["linkId"]
    message = " ".join(str(error.get("msg", "")).split())
    where = ".".join(path)
    if link_id:
        return _("linkId %(link_id)s: %(where)s: %(message)s") % {
            "link_id": link_id,
            "where": where,
            "message": message,
        }
    return _("%(where)s: %(message)s") % {"where": where, "message": message}


def tree_problems(doc: dict) -> list[str]:
    """Our own checks: only what the wizard can run, linkIds unique, conditions pointing backwards."""
    problems: list[str] = []
    add = problems.append

    def line(link_id: str, message: str) -> str:
        return _("linkId %(link_id)s: %(message)s") % {"link_id": link_id or "?", "message": message}

    if doc.get("modifierExtension"):
        add(_("The Questionnaire has a modifierExtension, which must not be ignored and is not supported."))
    template = extension_value(doc, EXT_NOTE_TEMPLATE)
    if template is not None and not isinstance(template, str):
        add(_("The journal-note template extension must have a valueString."))
    if not doc.get("item"):
        add(_("The Questionnaire has no items."))
        return problems

    tree = Tree(doc)
    seen: dict[str, Item] = {}
    for item in tree.items:
        if item.link_id in seen:
            add(line(item.link_id, _("duplicate linkId (also used by an earlier item).")))
        seen.setdefault(item.link_id, item)

    if isinstance(template, str):
        for name in PLACEHOLDER.findall(template):
            target = tree.by_link_id.get(name)
            repeating_group = target is not None and target.type == "group" and target.repeats
            if name not in TEMPLATE_NAMES and (target is None or not (target.is_question or repeating_group)):
                add(_("The journal-note template uses {{%(name)s}}, which is not a question.") % {"name": name})

    if not tree.steps:
        add(
            _(
                "The Questionnaire has nothing to ask: every top-level item is hidden, or holds the outcomes or the risk summary."
            )
        )

    for item in tree.items:
        problems.extend(line(item.link_id, message) for message in _item_problems(tree, item))
    # Imported here: intake.expressions builds on this module.
    from intake.expressions import expression_problems

    problems.extend(expression_problems(tree))
    return problems


def _item_problems(tree: Tree, item: Item) -> list[str]:
    raw, problems = item.raw, []
    add = problems.append
    if item.type not in SUPPORTED_TYPES:
        add(_("item type %(type)s is not supported.") % {"type": item.type})
        return problems
    if raw.get("modifierExtension"):
        add(_("modifierExtension is not supported."))
    for ext in raw.get("extension", []) or []:
        name = UNSUPPORTED_EXTENSIONS.get(ext.get("url"))
        if name == "cqf-expression" and "valueString" in ext and _copies_an_answer(raw):
            continue  # Helsenorge's data-receiver: a calculation (intake.expressions)
        if name:
            add(_("the %(name)s extension is not supported.") % {"name": name})
    control = extension_value(raw, EXT_ITEM_CONTROL)
    codes = (
        {c.get("code") for c in control.get("coding", []) or [] if isinstance(c, dict)}
        if isinstance(control, dict)
        else set()
    )
    if item.type == "date" and len(codes & NARROWING_DATE_CONTROLS) > 1:
        add(_("itemControl year and yearMonth contradict each other."))
    for key, name in (("answerExpression", "answerExpression"),):
        if raw.get(key):
            add(_("%(name)s is not supported.") % {"name": name})
    problems.extend(_repeat_problems(item))
    if item.type == "group" and not item.children:
        add(_("a group must contain items."))
    if item.type == "display" and item.children:
        add(_("a display item cannot contain items."))
    problems.extend(_initial_problems(tree, item))
    if "maxLength" in raw and item.type not in TEXT_TYPES:
        add(_("maxLength applies only to string, text, url and open-choice questions."))
    problems.extend(_constraint_problems(item))

    role = item.role
    if role:
        if role not in ROLES:
            add(
                _("unknown intake-item-role %(role)s (use %(roles)s).")
                % {"role": role, "roles": ", ".join(sorted(ROLES))}
            )
        elif role in {ROLE_FLAG, ROLE_OUTCOME, ROLE_RISK_SIGN} and item.type != "display":
            add(_("a flag, outcome or risk sign must be a display item."))
        elif role in {ROLE_OUTCOMES, ROLE_RISK_SUMMARY} and (item.type != "group" or item.parent is not None):
            add(_("the %(role)s role belongs on a top-level group.") % {"role": role})
        elif role == ROLE_RISK_LEVEL and (item.type != "choice" or item.repeats):
            add(_("the risk level must be a choice question with one answer."))
        elif role in {ROLE_RISK_SIGN, ROLE_RISK_LEVEL} and (
            item.parent is None or item.parent.role != ROLE_RISK_SUMMARY
        ):
            add(_("risk signs and the risk level belong in the risk-summary group."))
        if role == ROLE_OUTCOME and not any(c.get("code") for c in raw.get("code", []) or []):
            add(_("an outcome needs a code saying the kind of help."))
        if role in {ROLE_FLAG, ROLE_OUTCOME, ROLE_RISK_SIGN} and not raw.get("enableWhen"):
            add(_("a flag, outcome or risk sign needs an enableWhen saying when it applies."))
        if role == ROLE_RISK_LEVEL and raw.get("enableWhen"):
            add(_("the risk level is computed from the signs; it takes no enableWhen."))

    dimension = extension_value(raw, EXT_STATISTIC)
    if dimension is not None:
        expected_type = STATISTIC_DIMENSIONS.get(dimension)
        if expected_type is None:
            add(
                _("unknown intake-statistic %(dimension)s (use %(dimensions)s).")
                % {"dimension": dimension, "dimensions": ", ".join(sorted(STATISTIC_DIMENSIONS))}
            )
        elif item.type != expected_type or item.repeats:
            add(
                _("the intake-statistic %(dimension)s belongs on a %(type)s question with one answer.")
                % {"dimension": dimension, "type": expected_type}
            )
    if item.not_clarified_label and item.type not in {"boolean", "choice", "open-choice"}:
        add(_('a "not clarified yet" answer is supported only on boolean and choice questions.'))
    elif item.not_clarified_label and item.type == "boolean" and item.repeats:
        add(_('a "not clarified yet" answer is not supported on a boolean question that repeats.'))
    if item.type in {"choice", "open-choice"}:
        problems.extend(_option_problems(tree, item))
    elif raw.get("answerOption") or raw.get("answerValueSet"):
        add(_("answer options are supported only on choice and open-choice questions."))

    for key, name in ((EXT_MIN_VALUE, "minValue"), (EXT_MAX_VALUE, "maxValue")):
        if any(ext.get("url") == key for ext in raw.get("extension", []) or []):
            expected = MIN_MAX_KEYS.get(item.type)
            ext = next(e for e in raw["extension"] if e.get("url") == key)
            if expected is None:
                add(
                    _("%(name)s applies only to integer, decimal, quantity, date, dateTime and time questions.")
                    % {"name": name}
                )
            elif expected not in ext and not (item.type in {"decimal", "quantity"} and "valueInteger" in ext):
                add(
                    _("%(name)s must be given as %(key)s for a %(type)s question.")
                    % {"name": name, "key": expected, "type": item.type}
                )
            elif not _limit_readable(item.type, ext.get(expected, ext.get("valueInteger"))):
                add(_("%(name)s is not a valid %(type)s.") % {"name": name, "type": item.type})

    conditions = raw.get("enableWhen", []) or []
    if len(conditions) > 1 and raw.get("enableBehavior") not in {"all", "any"}:
        add(_("enableBehavior (all or any) is required when there is more than one enableWhen."))
    for condition in conditions:
        problems.extend(_condition_problems(tree, item, condition))
    return problems


EXT_MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
EXT_MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"


def _ancestors(item: Item) -> list[Item]:
    result, parent = [], item.parent
    while parent is not None:
        result.append(parent)
        parent = parent.parent
    return result


def _repeat_problems(item: Item) -> list[str]:
    """repeats and min/maxOccurs (intake.repeats runs them)."""
    problems = []
    if item.repeats and item.type in {"display", "attachment"}:
        problems.append(_("repeats is not supported on items of type %(type)s.") % {"type": item.type})
    if item.type == "attachment" and any(p.type == "group" and p.repeats for p in _ancestors(item)):
        problems.append(_("an attachment question in a repeating group is not supported."))
    if item.repeats and item.type == "group" and item.role:
        problems.append(_("a group with an intake-item-role cannot repeat."))
    low, high = extension_value(item.raw, EXT_MIN_OCCURS), extension_value(item.raw, EXT_MAX_OCCURS)
    for value, name in ((low, "minOccurs"), (high, "maxOccurs")):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            problems.append(_("%(name)s must be a valueInteger of 0 or more.") % {"name": name})
    if isinstance(high, int) and not isinstance(high, bool) and high < 1:
        problems.append(_("maxOccurs must be at least 1."))
    if isinstance(low, int) and isinstance(high, int) and low > high >= 1:
        problems.append(_("minOccurs is more than maxOccurs."))
    # maxOccurs on an item that does not repeat is accepted and has no effect: one answer is within any maximum
    # (Helsenorge's form builder writes it on every item). minOccurs above 1 could never be met.
    if isinstance(low, int) and low > 1 and not item.repeats:
        problems.append(_("minOccurs above 1 needs repeats: true."))
    if item.type == "display" and (low is not None or high is not None):
        problems.append(_("minOccurs and maxOccurs do not apply to a display item."))
    return problems


def _copies_an_answer(raw: dict) -> bool:
    # Imported here: intake.expressions builds on this module.
    from intake.expressions import is_data_receiver

    return raw.get("type") in QUESTION_TYPES and is_data_receiver(raw)


def _is_calculated(raw: dict) -> bool:
    # Imported here: intake.expressions builds on this module.
    from intake.expressions import CALCULATED, element_expressions

    return any(e.kind == CALCULATED for e in element_expressions(raw))


def _option_problems(tree: Tree, item: Item) -> list[str]:
    raw, problems = item.raw, []
    if raw.get("answerOption") and raw.get("answerValueSet"):
        problems.append(_("use either answerOption or answerValueSet, not both."))
    elif "answerValueSet" in raw:
        ref = raw["answerValueSet"]
        if not ref.startswith("#"):
            # Imported ValueSets were copied in as answerOption by check_questionnaire: this one was not.
            from intake.terminology import is_free_text_answer_service, unresolved_reason

            if not is_free_text_answer_service(item):
                problems.append(unresolved_reason(ref, raw))
        elif ref[1:] not in tree.value_sets:
            problems.append(_("answerValueSet %(ref)s names no contained ValueSet.") % {"ref": ref})
        elif not tree.options(item):
            problems.append(_("the ValueSet %(ref)s lists no concepts in compose.include.") % {"ref": ref})
    elif (
        not raw.get("answerOption")
        and extension_value(raw, EXT_ANSWER_EXPRESSION) is None
        and item.type != "open-choice"  # without options it takes the counsellor's own words
        and not _is_calculated(raw)  # its answer comes from its expression
        and not item.initial_options  # its initial codings are its options
    ):
        problems.append(_("a choice question needs answerOption or answerValueSet."))
    own_type = raw.get("type")
    if own_type in OPTION_TYPES and any(
        not isinstance(o, dict) or OPTION_TYPES[own_type] not in o for o in raw.get("answerOption") or []
    ):
        problems.append(
            _("the answer options of a %(type)s question must be %(key)s.")
            % {"type": own_type, "key": OPTION_TYPES[own_type]}
        )
    option_extensions: set[str] = set()
    for option in raw.get("answerOption", []) or []:
        keys = {k for k in option if k.startswith("value")}
        coding = option.get("valueCoding") if isinstance(option.get("valueCoding"), dict) else {}
        for ext in (option.get("extension") or []) + (coding.get("extension") or []):
            if isinstance(ext, dict) and ext.get("url") in UNSUPPORTED_OPTION_EXTENSIONS:
                option_extensions.add(UNSUPPORTED_OPTION_EXTENSIONS[ext["url"]])
        if keys - set(OPTION_ANSWER_KEYS):
            problems.append(_("answer options must be valueCoding, valueString, valueInteger, valueDate or valueTime."))
        elif "valueCoding" in keys and not option["valueCoding"].get("code"):
            problems.append(_("an answer option's valueCoding needs a code."))
    problems.extend(
        _("the %(name)s extension on an answer option is not supported.") % {"name": name}
        for name in sorted(option_extensions)
    )
    if any(is_exclusive(o) for o in raw.get("answerOption", []) or [] if isinstance(o, dict)) and not item.repeats:
        problems.append(_("optionExclusive applies only to a question that takes several answers (repeats)."))
    return problems


def _condition_problems(tree: Tree, item: Item, condition: dict) -> list[str]:
    target_id = condition.get("question", "")
    target = tree.by_link_id.get(target_id)
    operator = condition.get("operator")
    answer_keys = [k for k in condition if k in ALL_ANSWER_KEYS]
    fmt = {"target": target_id, "operator": operator}
    if target is None:
        return [_("enableWhen points at %(target)s, which does not exist.") % fmt]
    if target.index >= item.index:
        return [_("enableWhen points at %(target)s, which comes later; conditions may only use earlier answers.") % fmt]
    if not target.is_question:
        return [_("enableWhen points at %(target)s, which is not a question.") % fmt]
    if operator not in OPERATORS:
        return [_("enableWhen operator %(operator)s is not supported.") % fmt]
    if len(answer_keys) != 1:
        return [_("enableWhen on %(target)s needs exactly one answer[x].") % fmt]
    key = answer_keys[0]
    fmt.update(key=key, type=target.type)
    if operator == "exists":
        return [] if key == "answerBoolean" else [_("enableWhen exists on %(target)s needs answerBoolean.") % fmt]
    if key not in ANSWER_KEYS[target.type]:
        return [_("enableWhen on %(target)s uses %(key)s, which does not match its type %(type)s.") % fmt]
    ordered_options = target.type in {"choice", "open-choice"} and key in {"answerInteger", "answerDate", "answerTime"}
    if operator in {">", "<", ">=", "<="} and target.type not in ORDERED_TYPES and not ordered_options:
        return [
            _("enableWhen operator %(operator)s needs an integer, decimal or date question; %(target)s is %(type)s.")
            % fmt
        ]
    if target.type in {"choice", "open-choice"} and not (key == "answerString" and target.type == "open-choice"):
        option_keys = {
            OPTION_ANSWER_KEYS.get(k)
            for o in target.raw.get("answerOption", []) or []
            for k in o
            if k.startswith("value")
        } or {"answerCoding"}  # an answerValueSet's options are codings
        if key not in option_keys:
            return [
                _("enableWhen on %(target)s uses %(key)s; its options are %(options)s.")
                % {**fmt, "options": ", ".join(sorted(k.replace("answer", "value") for k in option_keys if k))}
            ]
    if key == "answerCoding" and target.type in {"choice", "open-choice"}:
        code = condition[key].get("code")
        if code not in {o["code"] for o in tree.options(target)}:
            return [
                _("enableWhen on %(target)s uses code %(code)s, which is not one of its options.")
                % {**fmt, "code": code}
            ]
    return []


def _initial_problems(tree: Tree, item: Item) -> list[str]:
    """initial[x] and answerOption.initialSelected: only on questions, typed as the question is, one value
    unless the question repeats, a choice's value among its options."""
    raw = item.raw
    initials = raw.get("initial") or []
    selected = [o for o in raw.get("answerOption") or [] if isinstance(o, dict) and o.get("initialSelected")]
    if not initials and not selected:
        return []
    if not item.is_question:
        return [_("initial values belong on questions, not on a %(type)s item.") % {"type": item.type}]
    if len(initials) + len(selected) > 1 and not item.repeats:
        return [_("only a question that repeats can have more than one initial value.")]
    for initial in initials:
        keys = [k for k in initial if k.startswith("value")] if isinstance(initial, dict) else []
        if len(keys) != 1 or keys[0] not in INITIAL_KEYS.get(item.type, set()):
            return [
                _("initial %(key)s does not fit a %(type)s question.")
                % {"key": ", ".join(keys) or "-", "type": item.type}
            ]
        value = initial[keys[0]]
        if keys[0] == "valueDate" and item.type == "date":  # an option's date may be partial, as R4 allows
            if date_precision(item):
                if not partial_date_fits(item, str(value)):
                    return [
                        _("initial valueDate %(value)s does not fit the question's itemControl.") % {"value": value}
                    ]
                continue
            try:
                date.fromisoformat(str(value))
            except ValueError:
                return [_("initial valueDate %(value)s must be a full date (YYYY-MM-DD).") % {"value": value}]
        if item.type in {"choice", "open-choice"} and _initial_value(tree, item, initial) is None:
            return [_("initial %(value)s is not one of the question's options.") % {"value": _plain(value)}]
    return []


def _plain(value) -> str:
    if isinstance(value, dict):
        return str(value.get("code") or value.get("display") or "-")
    return str(value)


def _initial_value(tree: Tree, item: Item, initial: dict):
    """One initial[x] (or an initially selected answerOption) as a stored answer, typed as the wizard stores
    answers (intake.wizard.answers_from); None when it does not fit the question."""
    key = next((k for k in initial if k.startswith("value")), None)
    if key is None:
        return None
    value = initial[key]
    if item.type in {"choice", "open-choice"}:
        code = value.get("code") if isinstance(value, dict) else str(value)
        for option in tree.options(item):
            if option["code"] == code:
                # an option with its own value is answered with that value (R4), a coding as a coding
                if "value" in option:
                    return option["value"]
                return {k: v for k, v in option.items() if v and k in {"system", "code", "display"}}
        if item.type == "open-choice" and key == "valueString":
            return value  # free text, as the "Other" field stores it
        return None
    if item.type == "decimal":
        return float(value)
    return value


def initial_answers(tree: Tree) -> dict[str, list]:
    """A new intake's answers from the tree's initial[x] and answerOption.initialSelected, per linkId (for a
    validated tree; the caller prunes those of disabled questions)."""
    answers: dict[str, list] = {}
    for item in tree.questions:
        sources = list(item.raw.get("initial") or []) + [
            o for o in item.raw.get("answerOption") or [] if isinstance(o, dict) and o.get("initialSelected")
        ]
        values = [v for v in (_initial_value(tree, item, s) for s in sources) if v is not None]
        if values:
            answers[item.link_id] = values if item.repeats else values[:1]
    return answers


def questionnaire_notices(doc: dict) -> list[str]:
    """What the editor should know about an accepted document, one line each: a missing status taken as
    draft, top-level questions wrapped into steps, itemControl codes shown as the plain control, questions
    that start empty because their initialExpression needs a launch context we do not provide."""
    notices = []
    if not doc.get("status"):
        notices.append(_("The Questionnaire has no status (R4 requires one); it is taken as a draft."))
    tree = Tree(doc)
    made = [step for step in tree.steps if step.synthetic]
    if made:
        notices.append(
            _("Top-level questions outside a group are shown as %(count)d step(s) titled «%(title)s».")
            % {"count": len(made), "title": made[0].text}
        )
    plain: dict[str, list[str]] = {}
    for item in tree.items:
        control = extension_value(item.raw, EXT_ITEM_CONTROL)
        if not isinstance(control, dict):
            continue
        for coding in control.get("coding", []) or []:
            code = coding.get("code") if isinstance(coding, dict) else None
            if not code or (item.type == "date" and code in NARROWING_DATE_CONTROLS):
                continue
            if item.type in RENDERED_CONTROLS.get(code, set()) and (
                code not in {"radio-button", "check-box"} or (code == "check-box") == item.repeats
            ):
                continue
            plain.setdefault(code, []).append(item.link_id)
    for code, link_ids in plain.items():
        shown = ", ".join(link_ids[:5]) + (", ..." if len(link_ids) > 5 else "")
        notices.append(
            _("itemControl %(code)s (linkId %(link_ids)s) is not rendered as such; the plain control is shown.")
            % {"code": code, "link_ids": shown}
        )
    from_initial = [item.link_id for item in tree.items if item.initial_options]
    if from_initial:
        shown = ", ".join(from_initial[:5]) + (", ..." if len(from_initial) > 5 else "")
        notices.append(
            _(
                "Choice questions without answer options (linkId %(link_ids)s) offer only their initial "
                "value as the answer."
            )
            % {"link_ids": shown}
        )
    # Imported here: intake.expressions and intake.terminology build on this module.
    from intake.expressions import launch_notices
    from intake.terminology import answer_service_notices

    notices.extend(answer_service_notices(tree))

    notices.extend(launch_notices(tree))
    return notices


def _limit_readable(item_type: str, value) -> bool:
    """Whether a minValue/maxValue can be read for a question of this type."""
    try:
        if item_type == "date":
            fhir_date(value)
        elif item_type == "dateTime":
            fhir_datetime(value)
        elif item_type == "time":
            fhir_time(value)
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def _constraint_problems(item: Item) -> list[str]:
    """regex, minLength, maxDecimalPlaces and units: where they apply and whether they can be read."""
    raw, problems = item.raw, []
    add = problems.append
    present = {ext.get("url") for ext in raw.get("extension", []) or [] if isinstance(ext, dict)}
    if EXT_REGEX in present:
        pattern = extension_value(raw, EXT_REGEX)
        if item.type not in TEXT_TYPES:
            add(_("regex applies only to string, text, url and open-choice questions."))
        elif not isinstance(pattern, str):
            add(_("the regex extension must have a valueString."))
        else:
            try:
                re.compile(pattern)
            except re.error as exc:
                add(_("the regex %(pattern)s cannot be read: %(error)s.") % {"pattern": pattern, "error": exc})
    if EXT_MIN_LENGTH in present:
        length = extension_value(raw, EXT_MIN_LENGTH)
        if item.type not in TEXT_TYPES:
            add(_("minLength applies only to string, text, url and open-choice questions."))
        elif isinstance(length, bool) or not isinstance(length, int) or length < 0:
            add(_("minLength must be a valueInteger of 0 or more."))
        elif isinstance(raw.get("maxLength"), int) and length > raw["maxLength"]:
            add(_("minLength is more than maxLength."))
    if EXT_MAX_DECIMAL_PLACES in present:
        places = extension_value(raw, EXT_MAX_DECIMAL_PLACES)
        if item.type not in {"decimal", "quantity"}:
            add(_("maxDecimalPlaces applies only to decimal and quantity questions."))
        elif isinstance(places, bool) or not isinstance(places, int) or places < 0:
            add(_("maxDecimalPlaces must be a valueInteger of 0 or more."))
    max_size = extension_value(raw, "http://hl7.org/fhir/StructureDefinition/maxSize")
    mime_types = [
        ext.get("valueCode")
        for ext in raw.get("extension", []) or []
        if isinstance(ext, dict) and ext.get("url") == "http://hl7.org/fhir/StructureDefinition/mimeType"
    ]
    if (max_size is not None or mime_types) and item.type != "attachment":
        add(_("maxSize and mimeType apply only to attachment questions."))
    elif max_size is not None and (
        isinstance(max_size, bool) or not isinstance(max_size, int | float) or max_size <= 0
    ):
        add(_("maxSize must be a valueDecimal of bytes, more than 0."))
    elif item.type == "attachment" and raw.get("repeats"):
        pass  # refused with the other repeats
    elif mime_types and not _takes_any(mime_types):
        add(
            _("mimeType %(types)s: none of these kinds of file is taken (PDF, JPEG, PNG, Word, Excel, OpenDocument).")
            % {"types": ", ".join(str(t) for t in mime_types)}
        )
    if present & {EXT_UNIT, EXT_UNIT_OPTION}:
        if item.type not in {"integer", "decimal", "quantity"}:
            add(_("a unit applies only to integer, decimal and quantity questions."))
        elif EXT_UNIT_OPTION in present and item.type != "quantity":
            add(_("unitOption applies only to quantity questions."))
        elif not units(item) or any(not unit_label(u) for u in units(item)):
            add(_("a unit must be a valueCoding with a code or display."))
    return problems


def _takes_any(mime_types: list) -> bool:
    from core.uploads import KINDS

    return any(
        k.content_type in mime_types or f"{k.content_type.split('/')[0]}/*" in mime_types for k in KINDS.values()
    )
