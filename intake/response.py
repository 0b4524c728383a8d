"""An intake's answers as a FHIR R4 QuestionnaireResponse, and back.

``answers_to_response`` turns stored answers (``{linkId: [value, ...]}``, intake.evaluator's format) into a
QuestionnaireResponse dict: only enabled answers, typed as R4 says (valueBoolean, valueDecimal, valueInteger,
valueDate, valueString, valueCoding, ...), nested like the Questionnaire's groups. A "not clarified yet" answer
is no answer at all in R4's terms: the item carries the standard data-absent-reason extension instead
(``temp-unknown``: not known yet, expected to become known).

``response_to_answers`` reads a QuestionnaireResponse back into answers for a tree. It never raises on what a
file holds: every answer the tree does not have, or of the wrong type, or that does not apply, is skipped and
reported in one line naming the linkId.

The QuestionnaireResponse resource is the same in R4 and R4B, so fhir.resources' R4B model validates it (as
intake.questionnaire does for Questionnaires). docs/intake-trees.md describes the mapping.
"""

import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from intake.evaluator import Evaluation, prune
from intake.questionnaire import (
    EXT_MAX_VALUE,
    EXT_MIN_VALUE,
    MAX_JSON_DEPTH,
    NOT_CLARIFIED,
    OPTION_TYPES,
    Item,
    Tree,
    date_precision,
    depth_problems,
    extension_value,
    fhir_date,
    partial_date_fits,
)
from intake.repeats import instances, is_blank, is_repeating_group

# A stable reference for a tree version whose Questionnaire has no canonical url: tree, language, number.
URN_PREFIX = "urn:krisestotte:questionnaire:"
EXT_DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
NOT_KNOWN_YET = "temp-unknown"
# The value[x] an answer to a question of each type is given as, where the type fixes it (choice questions
# depend on their options). Types the wizard may learn later map here too, so their answers export typed.
VALUE_KEYS = {
    "boolean": "valueBoolean",
    "decimal": "valueDecimal",
    "integer": "valueInteger",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "time": "valueTime",
    "string": "valueString",
    "text": "valueString",
    "url": "valueUri",
    "quantity": "valueQuantity",
    "attachment": "valueAttachment",
    "reference": "valueReference",
}
OPTION_OWN_VALUES = ("valueString", "valueInteger", "valueDate", "valueTime")
STRUCTURED = {"valueQuantity", "valueAttachment", "valueReference"}  # the value[x] that are JSON objects
STATUS_FOR = {"draft": "in-progress", "finalized": "completed"}
R4_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")


def questionnaire_reference(*, doc: dict, slug: str, language: str, number: int) -> str:
    """What a QuestionnaireResponse's ``questionnaire`` says for a tree version: its canonical url|version when
    the Questionnaire has a url, else our URN for the tree, language and version number."""
    url = doc.get("url")
    if isinstance(url, str) and url:
        version = doc.get("version")
        return f"{url}|{version}" if isinstance(version, str) and version else url
    return f"{URN_PREFIX}{slug}:{language}:{number}"


def parse_reference(reference: str) -> dict:
    """A ``questionnaire`` reference taken apart: {"url", "version"} for a canonical, {"slug", "language",
    "number"} for our URN, {} for anything else."""
    reference = (reference or "").strip()
    if reference.startswith(URN_PREFIX):
        parts = reference[len(URN_PREFIX) :].split(":")
        if len(parts) == 3 and parts[2].isdigit():
            return {"slug": parts[0], "language": parts[1], "number": int(parts[2])}
        return {}
    if not reference:
        return {}
    url, _sep, version = reference.partition("|")
    return {"url": url, "version": version}


# Export


def _option_key(item: Item, code: str) -> str:
    """How an answer option of a choice question is given: valueString and valueInteger options as such (R4),
    the rest as codings."""
    for option in item.raw.get("answerOption", []) or []:
        if "valueString" in option and str(option["valueString"]) == code:
            return "valueString"
        if "valueInteger" in option and str(option["valueInteger"]) == code:
            return "valueInteger"
    return "valueCoding"


def _answer(item: Item, value) -> dict | None:
    """One stored value as an R4 answer, or None when it cannot be one (never expected for saved answers)."""
    own_type = item.raw.get("type")
    if item.type == "choice" and own_type in OPTION_TYPES and not isinstance(value, dict):
        return {OPTION_TYPES[own_type]: value}  # an integer, date, time or string question with options
    if item.type in {"choice", "open-choice"}:
        if not isinstance(value, dict):
            # an option with its own value is answered with that value (R4): its own type
            for option in item.raw.get("answerOption", []) or []:
                for key in OPTION_OWN_VALUES:
                    if key in option and option[key] == value and type(option[key]) is type(value):
                        return {key: value}
            return {"valueString": value} if isinstance(value, str) else None  # an open-choice's own words
        if not value.get("code"):
            return None
        key = _option_key(item, str(value["code"]))
        if key == "valueInteger":
            return {"valueInteger": int(value["code"])}
        if key == "valueString":
            return {"valueString": str(value["code"])}
        return {"valueCoding": {k: value[k] for k in ("system", "code", "display") if value.get(k)}}
    value_key = VALUE_KEYS.get(item.type)
    if value_key is None or (isinstance(value, dict) and value_key not in STRUCTURED):
        return None
    if value_key == "valueDecimal" and isinstance(value, float) and value.is_integer():
        value = int(value)  # 2.0 is 2: JSON has one number type, and fhir.resources accepts either
    return {value_key: value}


class _Always(dict):
    def get(self, key, default=None):
        return True


class _Given:
    """Answers taken as they stand, every item enabled: the view intake.expressions evaluates on while the
    evaluator walks the tree (it has dropped what is disabled so far). Shaped like an evaluator ``Scope``."""

    def __init__(self, tree: Tree, answers: dict):
        self.answers = answers if isinstance(answers, dict) else {}
        self.enabled = _Always()
        self.instances = {
            item.link_id: [_Given(tree, values) for values in instances(self.answers[item.link_id])]
            for item in tree.items
            if is_repeating_group(item) and item.link_id in self.answers
        }


def _response_items(item: Item, scope, every_item: bool) -> list[dict]:
    """The QuestionnaireResponse items for ``item`` answered in ``scope`` (an evaluator ``Scope``): none when
    it is disabled or unanswered (``every_item``: unanswered ones are kept, without answers), one per
    instance of a repeating group (blank instances left out, but for ``every_item``)."""
    if not scope.enabled.get(item.link_id) or item.type == "display":
        return []
    head: dict = {"linkId": item.link_id}
    if item.text:
        head["text"] = item.text
    if is_repeating_group(item):
        found = []
        for instance in scope.instances.get(item.link_id, []):
            if is_blank(instance.answers) and not every_item:
                continue
            children = [n for child in item.children for n in _response_items(child, instance, every_item)]
            if children or every_item:  # every_item: each instance, so that its position is its index
                found.append({**head, "item": children} if children else dict(head))
        return found
    children = [n for child in item.children for n in _response_items(child, scope, every_item)]
    node = dict(head)
    if item.type == "group":
        if children:
            node["item"] = children
        return [node] if children or every_item else []
    values = scope.answers.get(item.link_id) or []
    answers = [a for a in (_answer(item, v) for v in values if not _is_open(v)) if a]
    if any(_is_open(v) for v in values):
        node["extension"] = [{"url": EXT_DATA_ABSENT, "valueCode": NOT_KNOWN_YET}]
    if children and answers:
        answers[0]["item"] = children  # R4: items nested under a question belong to its answer
    if answers:
        node["answer"] = answers
    elif "extension" not in node and not every_item:
        return []
    return [node]


def _is_open(value) -> bool:
    return isinstance(value, dict) and value.get("code") == NOT_CLARIFIED and not value.get("system")


def canonical_reference(tree: Tree) -> str:
    """The Questionnaire's canonical url, with its version when it has one ("" without a url)."""
    url = tree.doc.get("url") or ""
    version = tree.doc.get("version")
    return f"{url}|{version}" if url and version else url


def answers_to_response(
    tree: Tree,
    answers: dict[str, list],
    *,
    questionnaire: str = "",
    status: str = "in-progress",
    authored: datetime | None = None,
    language: str = "",
    launch: dict | None = None,
    as_given: bool = False,
    every_item: bool = False,
) -> dict:
    """The answers as a QuestionnaireResponse dict: only enabled answers, computed ones included (the risk
    level, calculated answers), nested like the tree, a repeating group's instances each an item of their own.
    ``questionnaire`` is the reference to give (by default the tree's canonical url|version); ``status`` is the
    intake's (draft or finalized) or already R4's; ``launch`` the expressions' launch context. Holds no
    subject, author or identifier: nothing beyond what the answers themselves say.

    The one way answers become a QuestionnaireResponse: intake.expressions evaluates FHIRPath on it too, with
    ``as_given`` (the answers as they stand while the evaluator walks, not evaluated again) and
    ``every_item`` (unanswered questions and empty groups kept, so that an expression's %context exists)."""
    scope = _Given(tree, answers) if as_given else Evaluation(tree, answers, launch=launch).root
    items = [node for item in tree.top for node in _response_items(item, scope, every_item)]
    response: dict = {"resourceType": "QuestionnaireResponse"}
    reference = questionnaire or canonical_reference(tree)
    if reference:
        response["questionnaire"] = reference
    response["status"] = STATUS_FOR.get(status, status)
    if authored is not None:
        response["authored"] = authored.isoformat()
    if language or tree.language:
        response["language"] = language or tree.language
    if items:
        response["item"] = items
    return response


def response_problems(doc: dict) -> list[str]:
    """What fhir.resources finds wrong with a QuestionnaireResponse, one line each ([] when it is valid R4)."""
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import ValidationError

    try:
        QuestionnaireResponse.model_validate(doc)
    except ValidationError as exc:
        return [
            _("%(where)s: %(message)s")
            % {
                "where": ".".join(str(part) for part in error.get("loc", ())) or "-",
                "message": " ".join(str(error.get("msg", "")).split()),
            }
            for error in exc.errors()
        ]
    return []


def read_response(text: str | bytes) -> tuple[dict | None, list[str]]:
    """Parse and validate a QuestionnaireResponse file's text: (document or None, problems). Never raises."""
    try:
        doc = json.loads(text)
    except RecursionError:
        return None, [_("The file is nested too deeply to read (more than %(max)d levels).") % {"max": MAX_JSON_DEPTH}]
    except (ValueError, UnicodeDecodeError) as exc:
        return None, [_("The file is not JSON: %(error)s") % {"error": exc}]
    if not isinstance(doc, dict) or doc.get("resourceType") != "QuestionnaireResponse":
        found = doc.get("resourceType") if isinstance(doc, dict) else type(doc).__name__
        return None, [
            _("The file is not a FHIR QuestionnaireResponse (resourceType is %(found)s).") % {"found": found or "-"}
        ]
    problems = depth_problems(doc) or response_problems(doc)
    if not problems and doc.get("status") not in R4_STATUSES:
        problems = [
            _("status: %(found)s is not a QuestionnaireResponse status (%(statuses)s).")
            % {"found": doc.get("status"), "statuses": ", ".join(R4_STATUSES)}
        ]
    if not problems and not doc.get("questionnaire"):
        problems = [_("The QuestionnaireResponse does not say which Questionnaire it answers (questionnaire).")]
    return (None if problems else doc), problems


# Import


class _Skip(Exception):
    """One answer that cannot be taken, with the reason."""


def _value(answer: dict) -> tuple[str, object]:
    keys = [k for k in answer if k.startswith("value")]
    if len(keys) != 1:
        raise _Skip(_("an answer without exactly one value[x]"))
    return keys[0], answer[keys[0]]


def _match_option(tree: Tree, item: Item, key: str, value):
    options = [o for o in tree.options(item) if o["code"] != NOT_CLARIFIED]
    for option in options:
        if key == "valueCoding" and isinstance(value, dict):
            systems = {option.get("system") or "", value.get("system") or ""}
            if option["code"] == value.get("code") and ("" in systems or len(systems) == 1):
                return {k: v for k, v in option.items() if v}
        elif key in OPTION_OWN_VALUES and option["code"] == str(value):
            if "value" in option:  # answered with the option's own value, as the wizard stores it
                return option["value"]
            return {k: v for k, v in option.items() if v and k in {"system", "code", "display"}}
    return None


def _limit(item: Item, url: str, *, last: bool):
    value = extension_value(item.raw, url)
    if value is None:
        return None
    if item.type == "date":
        return fhir_date(str(value), last=last)
    return Decimal(str(value))


def _within_limits(item: Item, value) -> None:
    low, high = _limit(item, EXT_MIN_VALUE, last=False), _limit(item, EXT_MAX_VALUE, last=True)
    compared = date.fromisoformat(value) if item.type == "date" else Decimal(str(value))
    if (low is not None and compared < low) or (high is not None and compared > high):
        raise _Skip(_("%(value)s is outside what the question accepts") % {"value": value})


def _stored(tree: Tree, item: Item, answer: dict):
    """One R4 answer as the wizard stores it, or _Skip saying why it cannot be taken."""
    key, value = _value(answer)
    wrong = _Skip(_("%(key)s does not fit a %(type)s question") % {"key": key, "type": item.type})
    if item.type in {"choice", "open-choice"}:
        if key not in {"valueCoding", *OPTION_OWN_VALUES}:
            raise wrong
        option = _match_option(tree, item, key, value)
        if option is not None:
            return option
        if item.type == "open-choice" and key == "valueString" and isinstance(value, str) and value.strip():
            return value.strip()
        shown = value.get("code") if isinstance(value, dict) else value
        raise _Skip(_("%(value)s is not one of the question's options") % {"value": shown})
    if item.type == "attachment":
        raise _Skip(_("files are not taken from a QuestionnaireResponse"))
    if item.type == "boolean":
        if key != "valueBoolean" or not isinstance(value, bool):
            raise wrong
        return value
    if item.type in {"string", "text"}:
        if key != "valueString" or not isinstance(value, str):
            raise wrong
        value = value.strip()
        limit = item.raw.get("maxLength")
        if isinstance(limit, int) and len(value) > limit:
            raise _Skip(_("the text is longer than the %(limit)d characters the question accepts") % {"limit": limit})
        return value
    if item.type == "integer":
        if key != "valueInteger" or isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        _within_limits(item, value)
        return value
    if item.type == "decimal":
        if key not in {"valueDecimal", "valueInteger"} or isinstance(value, bool):
            raise wrong
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise wrong from None
        _within_limits(item, number)
        return float(number)
    if item.type == "date":
        if key != "valueDate" or not isinstance(value, str):
            raise wrong
        if date_precision(item):  # a year or month question: that partial date, within its limits
            low, high = _limit(item, EXT_MIN_VALUE, last=False), _limit(item, EXT_MAX_VALUE, last=True)
            if not partial_date_fits(item, value):
                raise _Skip(_("%(value)s does not fit the question's itemControl") % {"value": value})
            if (low is not None and fhir_date(value, last=True) < low) or (
                high is not None and fhir_date(value) > high
            ):
                raise _Skip(_("%(value)s is outside what the question accepts") % {"value": value})
            return value
        try:
            date.fromisoformat(value)
        except ValueError:
            raise _Skip(_("%(value)s is not a whole date (year, month and day)") % {"value": value}) from None
        _within_limits(item, value)
        return value
    expected = VALUE_KEYS.get(item.type)
    if key != expected:
        raise wrong
    return value


def response_to_answers(tree: Tree, response: dict) -> tuple[dict[str, list], list[str]]:
    """The answers a (validated) QuestionnaireResponse gives to ``tree``, in the wizard's stored format, and a
    line for each answer skipped: not in the tree, of the wrong type, not one of the options, out of range, or
    not applying given the other answers. Computed answers (the risk level) are not read: they follow from
    the others."""
    answers: dict[str, list] = {}
    problems: list[str] = []

    def line(link_id: str, message: str) -> str:
        return _("linkId %(link_id)s: %(message)s; skipped.") % {"link_id": link_id or "?", "message": message}

    def note(link_id: str, message: str) -> str:
        return _("linkId %(link_id)s: %(message)s.") % {"link_id": link_id or "?", "message": message}

    def walk(nodes, scope: dict) -> None:
        # ``scope``: the answers at the top level, or those of one instance of a repeating group
        for node in nodes or []:
            if not isinstance(node, dict):
                continue
            link_id = str(node.get("linkId", ""))
            item = tree.by_link_id.get(link_id)
            nested = list(node.get("item") or [])
            for answer in node.get("answer") or []:
                nested.extend((answer.get("item") or []) if isinstance(answer, dict) else [])
            if item is None:
                problems.append(line(link_id, _("this question tree has no such item")))
                walk(nested, scope)
                continue
            if is_repeating_group(item):
                instance: dict = {}
                walk(nested, instance)
                if not is_blank(instance):
                    scope.setdefault(item.link_id, []).append(instance)
                continue
            if item.is_question and not item.is_computed:
                take(item, node, scope)
            walk(nested, scope)

    def take(item: Item, node: dict, answers: dict) -> None:
        if item.link_id in answers:
            problems.append(note(item.link_id, _("answered more than once; the first answer is kept")))
            return
        values: list = []
        for answer in node.get("answer") or []:
            try:
                values.append(_stored(tree, item, answer))
            except _Skip as skip:
                problems.append(line(item.link_id, str(skip)))
        absent = extension_value(node, EXT_DATA_ABSENT)
        if absent and not values and item.not_clarified_label:
            values = [{"code": NOT_CLARIFIED, "display": item.not_clarified_label}]
        if not item.repeats:
            # One answer, except that an open-choice may hold an option and the counsellor's own words.
            chosen = [v for v in values if not isinstance(v, str)] if item.type == "open-choice" else values
            own = [v for v in values if isinstance(v, str)] if item.type == "open-choice" else []
            if len(chosen) > 1 or len(own) > 1:
                problems.append(
                    note(item.link_id, _("more than one answer to a question that takes one; the first is kept"))
                )
                values = chosen[:1] + own[:1]
        if values:
            answers[item.link_id] = values

    walk(response.get("item"), answers)
    kept, cleared = prune(tree, answers)
    problems.extend(line(link_id, _("the question does not apply given the other answers")) for link_id in cleared)
    return kept, problems
