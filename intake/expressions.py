"""SDC expressions (FHIRPath) in question trees: checked on import, evaluated on the server.

The wizard's answers are presented to the expressions as an R4 QuestionnaireResponse
(``intake.response.answers_to_response``), and FHIRPath is evaluated by ``fhirpathpy`` (docs/architecture.md says why).
There is no evaluator in the browser: a step posts, and the server answers it.

What is supported (docs/intake-trees.md, "Expressions"):

- ``variable`` on the Questionnaire and on items (``%name``, visible to the item and everything in it);
- ``calculatedExpression`` (and Helsenorge's ``sdf-calculatedExpression``, a FHIRPath ``valueString``):
  a read-only answer, recomputed whenever the answers are evaluated and stored when a step is saved;
- ``enableWhenExpression``: plugged into ``intake.evaluator`` so there is one enable evaluator;
- ``initialExpression``: a suggested answer for a question that has none yet;
- ``answerExpression``: options computed from the answers (FHIRPath only: no queries);
- ``targetConstraint``: a check with its human message, on the step that holds the item;
- ``ordinalValue`` / ``itemWeight`` on answer options, read with ``ordinal()`` / ``weight()``.

Launch context (what ``%name`` may point at besides the form's own variables): ``%resource`` (the
QuestionnaireResponse), ``%context`` (the item's QuestionnaireResponse item, or the response at the root),
``%questionnaire`` (the Questionnaire), ``%qitem`` (the item's Questionnaire item) and ``%unit`` (an
Organization with the counsellor's unit's id and name). What an EHR launch would add (``%patient``, ``%user``,
``%encounter``, names the form declares with ``launchContext`` or ``sourceQueries``, ``x-fhir-query``
variables, and variables computed from any of them) we do not have (``launch_needs``): an initialExpression
needing it on a question the counsellor fills in is accepted, and the question starts empty (the editor is
told, ``launch_notices``); anywhere else it would change what the form means, and is refused on import.

Evaluation never raises: an expression that fails (a runtime type error, a runaway expression past
``TIME_LIMIT`` or ``SIZE_LIMIT``) gives no value and an error the page shows as "could not be computed".
"""

import copy
import logging
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from intake.questionnaire import OPTION_TYPES, Item, Tree, fhir_date, fhir_time
from intake.repeats import has_rows, is_repeating_group, repeating_ancestors

logger = logging.getLogger(__name__)

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-"
EXT_VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
EXT_CALCULATED = SDC + "calculatedExpression"
EXT_ENABLE_WHEN = SDC + "enableWhenExpression"
EXT_INITIAL = SDC + "initialExpression"
EXT_ANSWER = SDC + "answerExpression"
EXT_LAUNCH_CONTEXT = SDC + "launchContext"
EXT_SDF_CALCULATED = "http://ehelse.no/fhir/StructureDefinition/sdf-calculatedExpression"
# Helsenorge's "copy from" (Refero's data-receiver): a question with itemControl data-receiver whose
# cqf-expression (a FHIRPath valueString on the whole response) gives its value, read-only.
EXT_CQF = "http://hl7.org/fhir/StructureDefinition/cqf-expression"
DATA_RECEIVER = "data-receiver"
EXT_TARGET_CONSTRAINT = "http://hl7.org/fhir/StructureDefinition/targetConstraint"
EXT_ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
EXT_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
FHIRPATH = "text/fhirpath"

CALCULATED, ENABLE, INITIAL, ANSWER, VARIABLE, CONSTRAINT = (
    "calculatedExpression",
    "enableWhenExpression",
    "initialExpression",
    "answerExpression",
    "variable",
    "targetConstraint",
)
ITEM_EXTENSIONS = {
    EXT_CALCULATED: CALCULATED,
    EXT_SDF_CALCULATED: CALCULATED,
    EXT_ENABLE_WHEN: ENABLE,
    EXT_INITIAL: INITIAL,
    EXT_ANSWER: ANSWER,
    EXT_VARIABLE: VARIABLE,
}
# The names an expression may use besides the form's variables (see the module's docstring). FHIRPath's own
# %ucum, %sct and %loinc are plain strings.
LAUNCH_NAMES = {"resource", "context", "questionnaire", "qitem", "unit", "ucum", "sct", "loinc"}
# The launch context names SDC defines (http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext): what an EHR
# launch supplies and we do not. A form may declare more (launchContext, sourceQueries).
EHR_LAUNCH_NAMES = {"patient", "user", "encounter", "location", "study"}
EXT_SOURCE_QUERIES = SDC + "sourceQueries"
# A name an item's population from an EHR gives (one instance per resource found): nothing here either.
EXT_POPULATION_CONTEXT = SDC + "itemPopulationContext"
QUERY_LANGUAGES = {"application/x-fhir-query"}
# Given to Helsenorge's scores only (see HELSENORGE_SCORES).
SCORE_NAMES = {"helsenorgeQS", "helsenorgeSectionQS"}
# Guards against a runaway expression (nested selects over unions grow as a product): a limit on the
# expression's text, on the time one evaluation may take, and on the size of any collection it builds.
MAX_LENGTH = 4000
# CPU seconds of the evaluating thread (time.thread_time), so that a busy machine does not fail an expression
# that merely waited for a core.
TIME_LIMIT = 0.5
SIZE_LIMIT = 10_000  # items in any intermediate collection
# How often the calculations are repeated so that one depending on a later one settles.
MAX_PASSES = 3


class ExpressionError(Exception):
    """An expression that cannot be evaluated (or parsed); the message is for the log and the editor."""


@dataclass(frozen=True)
class Expression:
    """One expression found on a Questionnaire element."""

    kind: str
    expression: str
    language: str = FHIRPATH
    name: str = ""  # a variable's name
    human: str = ""  # a targetConstraint's message
    severity: str = "error"  # a targetConstraint's severity
    reference: str = ""  # a query's reference (refused)
    # Evaluated on the whole QuestionnaireResponse, not on the item's: Helsenorge's sdf-calculatedExpression
    # ("QuestionnaireResponse.descendants()...").
    on_response: bool = False


def is_data_receiver(element: dict) -> bool:
    """A Helsenorge data-receiver: its itemControl says so (its cqf-expression copies another answer)."""
    from intake.questionnaire import EXT_ITEM_CONTROL, extension_value

    control = extension_value(element, EXT_ITEM_CONTROL)
    codings = control.get("coding", []) if isinstance(control, dict) else []
    return any(isinstance(c, dict) and c.get("code") == DATA_RECEIVER for c in codings or [])


def element_expressions(element: dict) -> list[Expression]:
    """The expressions on a Questionnaire or item, in the order they appear."""
    result = []
    for ext in element.get("extension", []) or []:
        if not isinstance(ext, dict):
            continue
        url = ext.get("url")
        if url == EXT_CQF and isinstance(ext.get("valueString"), str) and is_data_receiver(element):
            result.append(Expression(kind=CALCULATED, expression=ext["valueString"], on_response=True))
        elif url == EXT_SDF_CALCULATED:
            result.append(Expression(kind=CALCULATED, expression=str(ext.get("valueString") or ""), on_response=True))
        elif url in ITEM_EXTENSIONS:
            found = ext.get("valueExpression")
            value: dict = found if isinstance(found, dict) else {}
            result.append(
                Expression(
                    kind=ITEM_EXTENSIONS[url],
                    expression=str(value.get("expression") or ""),
                    language=str(value.get("language") or ""),
                    name=str(value.get("name") or ""),
                    reference=str(value.get("reference") or ""),
                )
            )
        elif url == EXT_TARGET_CONSTRAINT:
            parts = {p.get("url"): p for p in ext.get("extension", []) or [] if isinstance(p, dict)}
            value = (parts.get("expression") or {}).get("valueExpression") or {}
            result.append(
                Expression(
                    kind=CONSTRAINT,
                    expression=str(value.get("expression") or ""),
                    language=str(value.get("language") or ""),
                    human=str((parts.get("human") or {}).get("valueString") or ""),
                    severity=str((parts.get("severity") or {}).get("valueCode") or "error"),
                )
            )
    if not any(e.kind == CALCULATED for e in result):
        result.extend(_helsenorge_scores(element))
    return result


# Helsenorge's scoring (Refero): a question coded QS in http://ehelse.no/scoringFormulas scores the ordinalValues
# of its chosen options; an item coded SS sums the QS questions of its section (its parent), one coded TS those of
# the whole form. Mapped onto the same engine as calculatedExpressions; the QS linkIds are given to the
# expression as %helsenorgeQS (of the form) and %helsenorgeSectionQS (of the item's section), since finding
# them in FHIRPath for every item of the response is too slow for fhirpathpy.
HELSENORGE_SCORING = "http://ehelse.no/scoringFormulas"
HELSENORGE_SCORES = {
    "TS": "%resource.repeat(item).where(linkId in %helsenorgeQS).answer.value.ordinal().sum()",
    "SS": "%resource.repeat(item).where(linkId in %helsenorgeSectionQS).answer.value.ordinal().sum()",
}


def _question_scores(items: list[Item]) -> list[str]:
    """The linkIds of the questions coded QS among ``items`` and everything inside them."""
    found, stack = [], list(items)
    while stack:
        item = stack.pop()
        codes = item.raw.get("code", []) or []
        if any(isinstance(c, dict) and c.get("system") == HELSENORGE_SCORING and c.get("code") == "QS" for c in codes):
            found.append(item.link_id)
        stack.extend(item.children)
    return found


def _helsenorge_scores(element: dict) -> list[Expression]:
    return [
        Expression(kind=CALCULATED, expression=HELSENORGE_SCORES[code["code"]])
        for code in element.get("code", []) or []
        if isinstance(code, dict) and code.get("system") == HELSENORGE_SCORING and code.get("code") in HELSENORGE_SCORES
    ][:1]


def expressions_of(item: Item, kind: str) -> list[Expression]:
    return [e for e in element_expressions(item.raw) if e.kind == kind]


def is_calculated(item: Item) -> bool:
    """A question whose answer is computed by a calculatedExpression: shown read-only, never asked."""
    return item.is_question and bool(expressions_of(item, CALCULATED))


def has_expressions(tree: Tree) -> bool:
    """Whether the tree uses any expression or scores at all (most do not, and pay nothing)."""
    cached = getattr(tree, "_has_expressions", None)
    if cached is None:
        cached = bool(element_expressions(tree.doc)) or any(element_expressions(i.raw) for i in tree.items)
        tree._has_expressions = cached  # type: ignore[attr-defined]
    return cached


def step_uses_expressions(step: Item) -> bool:
    """Whether anything in a step follows from expressions the server evaluates (so the page offers to update
    it without going on)."""
    stack = [step]
    while stack:
        item = stack.pop()
        if any(e.kind in {CALCULATED, ENABLE, ANSWER} for e in element_expressions(item.raw)):
            return True
        stack.extend(item.children)
    return False


def _fits(kind: str, value) -> bool:
    """Whether an answerExpression's value is an answer to an integer, date, time or string question."""
    try:
        if kind == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if kind == "date":
            return isinstance(value, str) and bool(fhir_date(value))
        if kind == "time":
            return isinstance(value, str) and bool(fhir_time(value))
    except ValueError:
        return False
    return kind == "string" and isinstance(value, str)


# The QuestionnaireResponse


def _option_values(item: Item) -> dict[str, dict]:
    """For a choice item's answerOptions, the R4 answer value[x] each option code stands for."""
    values: dict[str, dict] = {}
    for option in item.raw.get("answerOption", []) or []:
        if not isinstance(option, dict):
            continue
        if isinstance(option.get("valueCoding"), dict):
            coding = dict(option["valueCoding"])
            scores = [
                e
                for e in (option.get("extension") or []) + (coding.get("extension") or [])
                if isinstance(e, dict) and e.get("url") in {EXT_ORDINAL, EXT_WEIGHT}
            ]
            if scores:  # so that answer.value.extension(ordinalValue) reads the score, as LHC-Forms writes it
                coding["extension"] = scores
            values[str(coding.get("code"))] = {"valueCoding": coding}
        elif "valueString" in option:
            values[str(option["valueString"])] = {"valueString": option["valueString"]}
        elif "valueInteger" in option:
            values[str(option["valueInteger"])] = {"valueInteger": option["valueInteger"]}
    return values


Path = tuple[int, ...]


def _response(tree: Tree, answers: dict[str, list]) -> tuple[dict, dict[tuple[str, Path], dict]]:
    """The answers as they stand as a QuestionnaireResponse (``intake.response.answers_to_response``, the one
    way to make one), every item and instance present so that an expression's %context exists, a coding
    answer carrying its option's ordinalValue or itemWeight (as LHC-Forms writes it, for
    answer.value.extension(...)); and each item's node by (linkId, path): ``path`` the instance indices of the
    repeating groups around it, as the evaluator's scopes have them (a repeating group's own node per instance
    is keyed by the path of that instance)."""
    # Imported here: intake.response builds on the evaluator, which builds on this module.
    from intake.response import answers_to_response

    response = answers_to_response(tree, answers, as_given=True, every_item=True)
    nodes: dict[tuple[str, Path], dict] = {}

    def walk(items: list, path: Path) -> None:
        counts: dict[str, int] = {}
        for node in items:
            item = tree.by_link_id.get(node["linkId"])
            here = path
            if item is not None and is_repeating_group(item):
                here = (*path, counts.get(item.link_id, 0))
                counts[item.link_id] = here[-1] + 1
            nodes.setdefault((node["linkId"], here), node)
            for answer in node.get("answer", []):
                coding = answer.get("valueCoding")
                if item is not None and coding is not None:
                    known = _option_values(item).get(str(coding.get("code")), {}).get("valueCoding", {})
                    if known.get("extension"):
                        answer["valueCoding"] = {**coding, "extension": known["extension"]}
                walk(answer.get("item", []), here)
            walk(node.get("item", []), here)

    walk(response.get("item", []), ())
    return response, nodes


def _depth(item: Item) -> int:
    """How many instance indices locate ``item``'s own node: one per repeating group around it, and one more
    for a repeating group itself (each of its instances is a node)."""
    return len(repeating_ancestors(item)) + (1 if is_repeating_group(item) else 0)


def _raising_listener():
    from antlr4.error.ErrorListener import ErrorListener

    class Listener(ErrorListener):
        def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):
            # The first part only: antlr goes on to list every token it expected.
            message = msg.split(" expecting ")[0]
            raise ExpressionError(
                _("at character %(column)d: %(message)s") % {"column": column + 1, "message": message}
            )

    return Listener()


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> dict:
    """The expression's syntax tree as fhirpathpy evaluates it; raises ExpressionError unless the whole
    expression is valid FHIRPath (fhirpathpy's own ``parse`` recovers from some errors in silence, so the
    grammar's ``entireExpression`` is run here with errors raised)."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.Errors import LexerNoViableAltException
    from antlr4.tree.Tree import ParseTreeWalker
    from fhirpathpy.parser.ASTPathListener import ASTPathListener
    from fhirpathpy.parser.generated.FHIRPathLexer import FHIRPathLexer
    from fhirpathpy.parser.generated.FHIRPathParser import FHIRPathParser

    lexer = FHIRPathLexer(InputStream(expression))
    lexer.removeErrorListeners()
    lexer.addErrorListener(_raising_listener())
    parser = FHIRPathParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(_raising_listener())
    try:
        tree = parser.entireExpression()
    except LexerNoViableAltException as exc:
        raise ExpressionError(_("a character that cannot start a FHIRPath token")) from exc
    listener = ASTPathListener()
    ParseTreeWalker().walk(listener, tree.expression())
    return listener.parentStack[0]


def _names(ast: dict) -> tuple[set[str], set[str]]:
    """The %names and the functions an expression's syntax tree uses."""
    variables, functions = set(), set()
    stack = [ast]
    while stack:
        node = stack.pop()
        if node.get("type") == "ExternalConstant":
            ident = next((c for c in node.get("children", []) if c.get("type") == "Identifier"), None)
            text = (ident or {}).get("text") or "".join(node.get("terminalNodeText", [])[1:])
            variables.add(text.replace("`", "").strip("'"))
        elif node.get("type") == "Functn":
            ident = next((c for c in node.get("children", []) if c.get("type") == "Identifier"), None)
            if ident:
                functions.add(ident.get("text", ""))
        stack.extend(node.get("children", []) or [])
    return variables, functions


@lru_cache(maxsize=1024)
def _used_names(expression: str) -> frozenset[str]:
    """The %names a (valid) expression uses, worked out once per text."""
    return frozenset(_names(_compiled(expression))[0])


def _known_functions() -> set[str]:
    from fhirpathpy.engine.invocations import invocation_registry

    return set(invocation_registry) | set(SCORE_FUNCTIONS)


def check_expression(expression: Expression, visible: set[str], launch: set[str] | frozenset = frozenset()) -> str:
    """What is wrong with one expression on import, as the end of a sentence, or "" when nothing is.
    ``launch`` are the names a launch would supply and we do not (``launch_needs``): known, not refused here."""
    name = expression.kind
    if expression.kind == CONSTRAINT and not (expression.expression.strip() and expression.human.strip()):
        return _("a targetConstraint needs an expression and a human message.")
    if expression.kind == VARIABLE and expression.name and expression.language in QUERY_LANGUAGES:
        return ""  # a query we do not run: the variable is empty, and what uses it is checked where it is used
    if expression.language in QUERY_LANGUAGES or expression.reference:
        return _(
            "the %(name)s is a query (%(language)s) to an electronic health record, which this service cannot run."
        ) % {"name": name, "language": expression.language or "reference"}
    if expression.language != FHIRPATH:
        return _("the %(name)s is in %(language)s; only FHIRPath (text/fhirpath) is supported.") % {
            "name": name,
            "language": expression.language or "-",
        }
    text = expression.expression
    fmt = {"name": name, "expression": " ".join(text.split())[:200]}  # one line, whatever the document has
    if not text.strip():
        return _("the %(name)s has no expression.") % fmt
    if len(text) > MAX_LENGTH:
        return _("the %(name)s is longer than %(max)d characters.") % {**fmt, "max": MAX_LENGTH}
    try:
        ast = _compiled(text)
    except ExpressionError as exc:
        return _("the %(name)s «%(expression)s» is not valid FHIRPath (%(error)s).") % {**fmt, "error": exc}
    except Exception as exc:  # the parser's own errors, whatever their class
        return _("the %(name)s «%(expression)s» is not valid FHIRPath (%(error)s).") % {**fmt, "error": exc}
    variables, functions = _names(ast)
    unknown = sorted(
        variables
        - visible
        - LAUNCH_NAMES
        - launch
        - (SCORE_NAMES if expression.expression in HELSENORGE_SCORES.values() else set())
    )
    if unknown:
        return _(
            "the %(name)s «%(expression)s» uses %%%(variable)s, which this service cannot supply (only "
            "%%resource, %%context, %%questionnaire, %%qitem, %%unit and the form's own variables)."
        ) % {**fmt, "variable": unknown[0]}
    unsupported = sorted(functions - _known_functions())
    if unsupported:
        return _("the %(name)s «%(expression)s» uses the function %(function)s(), which is not supported.") % {
            **fmt,
            "function": unsupported[0],
        }
    if expression.kind == VARIABLE and not expression.name:
        return _("a variable needs a name.")
    return ""


def _visible_variables(tree: Tree, item: Item | None) -> set[str]:
    names = {e.name for e in element_expressions(tree.doc) if e.kind == VARIABLE}
    chain = []
    while item is not None:
        chain.append(item)
        item = item.parent
    for element in chain:
        names |= {e.name for e in element_expressions(element.raw) if e.kind == VARIABLE}
    return names


def _declared_launch_names(doc: dict) -> set[str]:
    """The launch context names the Questionnaire declares: launchContext's name, sourceQueries' #ids."""
    names = set()
    for ext in doc.get("extension", []) or []:
        if not isinstance(ext, dict):
            continue
        if ext.get("url") == EXT_LAUNCH_CONTEXT:
            for part in ext.get("extension", []) or []:
                if isinstance(part, dict) and part.get("url") == "name":
                    coding = part.get("valueCoding")
                    value = coding.get("code") if isinstance(coding, dict) else part.get("valueId")
                    if isinstance(value, str) and value:
                        names.add(value)
        elif ext.get("url") == EXT_SOURCE_QUERIES:
            reference = (ext.get("valueReference") or {}).get("reference") if isinstance(ext, dict) else None
            if isinstance(reference, str) and reference.startswith("#") and len(reference) > 1:
                names.add(reference[1:])
    return names


def _needs_of(text: str, needs: dict[str, set[str]]) -> set[str]:
    """The launch names (``launch_needs``) a FHIRPath expression needs, directly or through variables."""
    try:
        variables, _functions = _names(_compiled(text))
    except Exception:  # an expression that does not parse is refused on its own
        return set()
    return {root for name in variables for root in needs.get(name, ())}


def launch_needs(tree: Tree) -> dict[str, set[str]]:
    """For each %name that needs a launch we do not have, the launch names it rests on: SDC's launch context
    names (``%patient``, ``%user``, ...), those the form declares (launchContext, sourceQueries,
    itemPopulationContext), its x-fhir-query variables, and its FHIRPath variables computed from any of
    these."""
    cached = getattr(tree, "_launch_needs", None)
    if cached is not None:
        return cached
    needs: dict[str, set[str]] = {name: {name} for name in EHR_LAUNCH_NAMES | _declared_launch_names(tree.doc)}
    for element in [tree.doc, *(item.raw for item in tree.items)]:
        for ext in element.get("extension", []) or []:
            value = ext.get("valueExpression") if isinstance(ext, dict) else None
            if ext.get("url") == EXT_POPULATION_CONTEXT and isinstance(value, dict) and value.get("name"):
                needs[str(value["name"])] = {str(value["name"])}
        for expression in element_expressions(element):
            if expression.kind != VARIABLE or not expression.name:
                continue
            if expression.language in QUERY_LANGUAGES or expression.reference:
                needs[expression.name] = {expression.name}
            elif expression.language == FHIRPATH:
                roots = _needs_of(expression.expression, needs)
                if roots:
                    needs[expression.name] = roots
    tree._launch_needs = needs  # type: ignore[attr-defined]
    return needs


def expression_needs(tree: Tree, expression: Expression) -> list[str]:
    """The launch names an expression needs and we do not provide, sorted ([] for most)."""
    if expression.language in QUERY_LANGUAGES:
        return []
    return sorted(_needs_of(expression.expression, launch_needs(tree)))


def _names_list(names: list[str]) -> str:
    return ", ".join(f"%{name}" for name in names)


def launch_notices(tree: Tree) -> list[str]:
    """One line per question whose initialExpression needs a launch we do not have: it starts empty."""
    notices = []
    for item in tree.items:
        for expression in expressions_of(item, INITIAL):
            names = expression_needs(tree, expression)
            if names:
                notices.append(
                    _("linkId %(link_id)s: starts empty: needs %(names)s, which this app does not provide.")
                    % {"link_id": item.link_id, "names": _names_list(names)}
                )
                break
    return notices


def _launch_problem(tree: Tree, item: Item | None, expression: Expression) -> str:
    """Why an expression that needs a launch we do not have changes what the form means ("" when it does
    not: a variable, or an initialExpression on a question the counsellor fills in)."""
    names = expression_needs(tree, expression)
    if not names or expression.kind == VARIABLE:
        return ""
    fmt = {"name": expression.kind, "expression": " ".join(expression.expression.split())[:200]}
    fmt["names"] = _names_list(names)
    if expression.kind == INITIAL:
        if item is None or not item.is_locked or item.raw.get("initial"):
            return ""
        return (
            _(
                "the %(name)s «%(expression)s» needs %(names)s, which this app does not provide, and the question is "
                "read-only or hidden: its value would come from nothing."
            )
            % fmt
        )
    return (
        _(
            "the %(name)s «%(expression)s» needs %(names)s, which this app does not provide (only %%resource, "
            "%%context, %%questionnaire, %%qitem, %%unit and the form's own variables)."
        )
        % fmt
    )


def expression_problems(tree: Tree) -> list[str]:
    """Every expression in the tree checked as on import: one line each, naming the linkId."""
    problems = []
    launch = set(launch_needs(tree))

    def line(link_id: str, message: str) -> str:
        if link_id:
            return _("linkId %(link_id)s: %(message)s") % {"link_id": link_id, "message": message}
        return _("Questionnaire: %(message)s") % {"message": message}

    for element, item in [(tree.doc, None), *((i.raw, i) for i in tree.items)]:
        visible = _visible_variables(tree, item)
        link_id = item.link_id if item is not None else ""
        found = element_expressions(element)
        if item is not None and is_repeating_group(item) and any(e.kind != VARIABLE for e in found):
            # A variable on a repeating group is evaluated per instance; anything else would be run once for
            # all of them.
            problems.append(line(link_id, _("on a repeating group only variables are supported.")))
            continue
        if (
            item is not None
            and (has_rows(item) or repeating_ancestors(item))
            and any(e.kind == CONSTRAINT for e in found)
        ):
            problems.append(
                line(link_id, _("a targetConstraint in a repeating group or on a repeating question is not supported."))
            )
            continue
        for expression in element_expressions(element):
            message = check_expression(expression, visible, launch) or _launch_problem(tree, item, expression)
            if message:
                problems.append(line(link_id, message))
            elif item is None and expression.kind not in {VARIABLE, CONSTRAINT}:
                problems.append(line("", _("the %(name)s belongs on an item.") % {"name": expression.kind}))
            elif (
                item is not None
                and expression.kind in {CALCULATED, INITIAL, ANSWER}
                and item.type
                in {
                    "group",
                    "display",
                }
            ):
                problems.append(line(link_id, _("the %(name)s belongs on a question.") % {"name": expression.kind}))
            elif expression.kind == ANSWER and item is not None and item.type not in {"choice", "open-choice"}:
                problems.append(line(link_id, _("an answerExpression belongs on a choice or open-choice question.")))
    return problems


# Scores: ordinal() and weight() on a coding read the answer option's ordinalValue or itemWeight.


def _scores(tree: Tree) -> dict[tuple[str, str], Decimal]:
    cached = getattr(tree, "_scores", None)
    if cached is not None:
        return cached
    scores: dict[tuple[str, str], Decimal] = {}
    for item in tree.items:
        for option in item.raw.get("answerOption", []) or []:
            coding = option.get("valueCoding") if isinstance(option, dict) else None
            if not isinstance(coding, dict):
                continue
            for ext in (option.get("extension") or []) + (coding.get("extension") or []):
                if isinstance(ext, dict) and ext.get("url") in {EXT_ORDINAL, EXT_WEIGHT}:
                    value = ext.get("valueDecimal", ext.get("valueInteger"))
                    if value is not None:
                        scores.setdefault((coding.get("system", ""), str(coding.get("code"))), Decimal(str(value)))
                        scores.setdefault(("*", str(coding.get("code"))), Decimal(str(value)))
    tree._scores = scores  # type: ignore[attr-defined]
    return scores


SCORE_FUNCTIONS = ("ordinal", "weight")


def _score_table(tree: Tree) -> dict:
    scores = _scores(tree)

    def score(inputs):
        result = []
        for value in inputs:
            if not isinstance(value, dict):
                continue
            coding = value.get("valueCoding") if "valueCoding" in value else value
            if not isinstance(coding, dict) or "code" not in coding:
                continue
            found = scores.get((coding.get("system", ""), str(coding["code"])))
            if found is None:
                found = scores.get(("*", str(coding["code"])))
            if found is not None:
                result.append(found)
        return result

    return {name: {"fn": score, "arity": {0: []}} for name in SCORE_FUNCTIONS}


# Evaluation


class _Guard(threading.local):
    deadline: float | None = None


_guard = _Guard()
_patched = False


def _install_guard() -> None:
    """Wrap fhirpathpy's node evaluator once, so that an evaluation started here stops past its deadline or
    when a collection grows past SIZE_LIMIT. Evaluations started elsewhere (none today) are not affected."""
    global _patched
    if _patched:
        return
    import fhirpathpy.engine as engine

    original = engine.do_eval

    def guarded(ctx, parent_data, node):
        deadline = _guard.deadline
        if deadline is not None and time.thread_time() > deadline:
            raise ExpressionError("time limit")
        result = original(ctx, parent_data, node)
        if deadline is not None and isinstance(result, list) and len(result) > SIZE_LIMIT:
            raise ExpressionError("size limit")
        return result

    engine.do_eval = guarded
    _patched = True


def _plain(value):
    """A FHIRPath result as a JSON value: dicts and primitives as they are, dates and times as strings,
    quantities as {value, unit}."""
    from fhirpathpy.engine.nodes import FP_Quantity, FP_Type, ResourceNode

    if isinstance(value, ResourceNode):
        value = value.data
    if isinstance(value, FP_Quantity):
        return {"value": value.value, "unit": value.unit}
    if isinstance(value, FP_Type):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else value
    return value


def evaluate_expression(text: str, focus, *, base: str, variables: dict, tree: Tree | None = None) -> list:
    """Evaluate one FHIRPath expression on ``focus`` (a dict of the given FHIR ``base`` path). Raises
    ExpressionError on any failure, including the guards'."""
    from fhirpathpy import apply_parsed_path
    from fhirpathpy.engine.nodes import ResourceNode
    from fhirpathpy.models import models

    _install_guard()
    try:
        ast = _compiled(text)
        if focus is None:
            resource: Any = []
        elif isinstance(focus, dict) and focus.get("resourceType"):
            resource = focus  # a resource knows its type; a path would hide it from "QuestionnaireResponse."
        else:
            resource = ResourceNode.create_node(focus, base)
        # A %name nobody supplies (a launch we do not have; a form changed since import) is empty, never an
        # error: fhirpathpy would raise on it.
        missing = _used_names(text) - set(variables)
        if missing:
            variables = {**variables, **{name: [] for name in missing}}
        _guard.deadline = time.thread_time() + TIME_LIMIT
        options = {"returnRawData": True, "userInvocationTable": _score_table(tree) if tree is not None else {}}
        result = apply_parsed_path(resource, ast, variables, models["r4"], options)
    except ExpressionError:
        raise
    except RecursionError as exc:
        raise ExpressionError("too deeply nested") from exc
    except Exception as exc:  # fhirpathpy raises plain exceptions of many kinds
        raise ExpressionError(str(exc)[:200]) from exc
    finally:
        _guard.deadline = None
    return [_plain(v) for v in (result if isinstance(result, list) else [result])]


def launch_context(unit) -> dict:
    """The launch context for one intake: its unit, as an Organization."""
    if unit is None:
        return {}
    return {"unit": {"resourceType": "Organization", "id": str(unit.pk), "name": unit.name}}


class Expressions:
    """The expressions of one tree evaluated against one set of answers, for ``intake.evaluator``.

    The evaluator walks the items in document order and tells this object what it finds (an item disabled,
    a value calculated); each expression is evaluated on the QuestionnaireResponse of the answers as they
    stand at that point, rebuilt only when they changed."""

    def __init__(self, tree: Tree, answers: dict[str, list], launch: dict | None = None):
        self.tree = tree
        self.launch = launch or {}
        # A copy to change as the evaluator goes: instances of repeating groups are dicts in lists.
        self.view = copy.deepcopy({k: v for k, v in answers.items() if v})
        self.errors: dict[str, str] = {}  # linkId -> which expression could not be computed
        self._response: tuple[dict, dict[tuple[str, Path], dict]] | None = None
        self._variables: dict[tuple[int, Path], dict] = {}
        self._options: dict[tuple[str, Path], list[dict]] = {}

    # What the evaluator tells us (``path``: the instance the item is answered in, as the evaluator's Scope)

    def _answers_at(self, item: Item, path: Path, *, create: bool) -> dict | None:
        """The answers dict of the instance at ``path`` that holds ``item``'s answers (None when missing)."""
        container: dict = self.view
        for group, index in zip(repeating_ancestors(item), path, strict=False):
            found = container.get(group.link_id)
            if not isinstance(found, list):
                if not create:
                    return None
                found = container[group.link_id] = []
            while len(found) <= index:
                if not create:
                    return None
                found.append({})
            if not isinstance(found[index], dict):
                found[index] = {}
            container = found[index]
        return container

    def drop(self, item: Item, path: Path = ()) -> None:
        container = self._answers_at(item, path, create=False)
        if container is not None and container.pop(item.link_id, None) is not None:
            self._changed()

    def put(self, item: Item, values: list, path: Path = ()) -> None:
        container = self._answers_at(item, path, create=bool(values))
        if container is not None and container.get(item.link_id, []) != values:
            if values:
                container[item.link_id] = list(values)
            else:
                container.pop(item.link_id, None)
            self._changed()

    def _changed(self) -> None:
        self._response = None
        self._variables = {}
        self._options = {}

    # Evaluating

    def _qr(self) -> tuple[dict, dict[tuple[str, Path], dict]]:
        if self._response is None:
            self._response = _response(self.tree, self.view)
        return self._response

    def _run(self, expression: Expression, item: Item | None, path: Path = ()) -> list:
        response, nodes = self._qr()
        at_item = item is not None and not expression.on_response
        focus = nodes.get((item.link_id, path)) if at_item and item is not None else response
        base = "QuestionnaireResponse.item" if at_item else "QuestionnaireResponse"
        variables = {
            "unit": [],
            **self.launch,
            "resource": response,
            "context": focus if focus is not None else [],
            "questionnaire": self.tree.doc,
            "qitem": item.raw if item is not None else [],
            "helsenorgeQS": _question_scores(self.tree.top),
            "helsenorgeSectionQS": _question_scores(item.parent.children if item and item.parent else self.tree.top),
            **self._variables_for(item, path),
        }
        return evaluate_expression(expression.expression, focus, base=base, variables=variables, tree=self.tree)

    def _variables_for(self, item: Item | None, path: Path = ()) -> dict:
        """The variables an expression on ``item`` (None: the Questionnaire) sees: the Questionnaire's, its
        ancestors' and its own, each evaluated on its own element's context (in a repeating group, that
        instance's: a variable on the group is evaluated once per instance)."""
        key = (item.index if item is not None else -1, path)
        if key in self._variables:
            return self._variables[key]
        if item is None:
            values: dict = {}
        elif item.parent is None:
            values = dict(self._variables_for(None))
        else:
            values = dict(self._variables_for(item.parent, path[: _depth(item.parent)]))
        self._variables[key] = values  # before evaluating, so that a variable sees the earlier ones
        element = item.raw if item is not None else self.tree.doc
        for expression in element_expressions(element):
            if expression.kind == VARIABLE and expression.name and expression.language in QUERY_LANGUAGES:
                values[expression.name] = []  # a query to an EHR, which we do not run (launch_needs)
            elif expression.kind == VARIABLE and expression.name:
                try:
                    values[expression.name] = self._run(expression, item, path)
                except ExpressionError as exc:
                    self._log(item, VARIABLE, exc)
                    values[expression.name] = []
        return values

    def _log(self, item: Item | None, kind: str, exc: Exception) -> None:
        # Never the answers: only where and which kind of expression failed.
        link_id = item.link_id if item is not None else ""
        logger.warning("intake expression failed: linkId=%s kind=%s error=%s", link_id, kind, exc)
        if item is not None:
            self.errors.setdefault(item.link_id, kind)

    def _first(self, item: Item, kind: str) -> Expression | None:
        found = expressions_of(item, kind)
        return found[0] if found else None

    def enabled(self, item: Item, path: Path = ()) -> bool | None:
        """The item's enableWhenExpression (in the instance at ``path``), or None when it has none. An
        expression that fails leaves the item enabled (the counsellor then sees the question, and the page
        says it could not be computed)."""
        expression = self._first(item, ENABLE)
        if expression is None:
            return None
        try:
            result = self._run(expression, item, path)
        except ExpressionError as exc:
            self._log(item, ENABLE, exc)
            return True
        return result == [True]

    def calculated(self, item: Item, path: Path = ()) -> list:
        """The item's calculated answers (in the instance at ``path``), typed as the item's type; [] when it
        could not be computed."""
        expression = self._first(item, CALCULATED)
        if expression is None:
            return []
        try:
            return self._typed(item, self._run(expression, item, path), path)
        except ExpressionError as exc:
            self._log(item, CALCULATED, exc)
            return []

    def initial(self, item: Item, path: Path = ()) -> list:
        """The item's suggested answers (in the instance at ``path``) from its initialExpression; [] when none
        or it could not be computed."""
        expression = self._first(item, INITIAL)
        if expression is None or expression_needs(self.tree, expression):
            return []  # one needing a launch we do not have: the question starts empty
        try:
            return self._typed(item, self._run(expression, item, path), path)
        except ExpressionError as exc:
            self._log(item, INITIAL, exc)
            return []

    def options(self, item: Item, path: Path = ()) -> list[dict] | None:
        """The item's options (in the instance at ``path``) from its answerExpression as codings ({system,
        code, display}), or None when it has none."""
        expression = self._first(item, ANSWER)
        if expression is None:
            return None
        if (item.link_id, path) not in self._options:
            self._options[(item.link_id, path)] = self._compute_options(item, expression, path)
        return self._options[(item.link_id, path)]

    def _compute_options(self, item: Item, expression: Expression, path: Path = ()) -> list[dict]:
        try:
            values = self._run(expression, item, path)
        except ExpressionError as exc:
            self._log(item, ANSWER, exc)
            return []
        options, seen = [], set()
        own_type = item.raw.get("type")
        for value in values:
            coding = value.get("valueCoding", value) if isinstance(value, dict) else None
            if own_type in OPTION_TYPES:  # an integer, date, time or string question: options of its type
                if not _fits(own_type, value):
                    continue
                option = {"system": "", "code": str(value), "display": str(value), "value": value}
            elif isinstance(coding, dict) and coding.get("code") is not None:
                option = {
                    "system": coding.get("system", ""),
                    "code": str(coding["code"]),
                    "display": coding.get("display") or str(coding["code"]),
                }
            elif isinstance(value, (str, int)) and not isinstance(value, bool):
                option = {"system": "", "code": str(value), "display": str(value)}
            else:
                continue
            if option["code"] not in seen:
                seen.add(option["code"])
                options.append(option)
        return options

    def failures(self, item: Item | None) -> list[tuple[Expression, str]]:
        """The item's (or with None, the Questionnaire's) targetConstraints that do not hold, each with its
        message; one that cannot be computed does not hold back the counsellor."""
        element = item.raw if item is not None else self.tree.doc
        result = []
        for expression in element_expressions(element):
            if expression.kind != CONSTRAINT:
                continue
            try:
                values = self._run(expression, item)
            except ExpressionError as exc:
                self._log(item, CONSTRAINT, exc)
                continue
            if values == [False]:
                result.append((expression, expression.human))
        return result

    def _typed(self, item: Item, values: list, path: Path = ()) -> list:
        """FHIRPath results as the stored answers of ``item`` (see intake.evaluator for their shape)."""
        typed = []
        for value in values:
            if isinstance(value, dict) and len(value) == 1:
                key = next(iter(value))
                if key.startswith("value"):
                    value = value[key]
            typed.append(self._one(item, value, path))
        if len(typed) > 1 and not item.repeats:
            raise ExpressionError("several values for a question with one answer")
        return typed

    def _one(self, item: Item, value, path: Path = ()):
        kind = item.type
        try:
            if kind == "boolean" and isinstance(value, bool):
                return value
            if kind == "integer" and not isinstance(value, bool):
                number = Decimal(str(value))
                if number != number.to_integral_value():
                    raise ExpressionError("not a whole number")
                return int(number)
            if kind == "decimal" and not isinstance(value, bool):
                return float(Decimal(str(value)))
            if kind == "date" and isinstance(value, str):
                fhir_date(value[:10])
                return value[:10]
            if kind in {"string", "text"} and not isinstance(value, (dict, list)):
                return str(value).lower() if isinstance(value, bool) else str(value)
            if kind in {"choice", "open-choice"}:
                code = value.get("code") if isinstance(value, dict) else str(value)
                options = self.options(item, path) if self._first(item, ANSWER) else self.tree.options(item)
                for option in options or []:
                    if option["code"] == str(code):
                        if "value" in option:  # an option with its own value is answered with it (R4)
                            return option["value"]
                        return {k: v for k, v in option.items() if v}
                if kind == "open-choice" and isinstance(value, str):
                    return value
                if isinstance(value, dict) and value.get("code"):
                    return {k: value[k] for k in ("system", "code", "display") if value.get(k)}
        except (ValueError, ArithmeticError) as exc:
            raise ExpressionError(str(exc)) from exc
        raise ExpressionError(f"a {type(value).__name__} is not an answer to a {kind} question")
