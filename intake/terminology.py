"""Terminology: the FHIR R4 ValueSets and CodeSystems an editor imports, so that a Questionnaire's external
``answerValueSet`` has answer options (docs/intake-trees.md, "Terminology").

- ``read_terminology(text)`` reads a file (a ValueSet, a CodeSystem, or a Bundle of them), each resource's
  structure checked with fhir.resources, and says what is wrong, one line each.
- ``expand(...)`` works out a ValueSet's concepts, once, when it is imported (intake.services.terminology_import
  stores them): its ``expansion.contains``, else its ``compose``: explicit ``concept``s, a whole imported
  CodeSystem, the few hierarchy filters that need nothing but the CodeSystem itself, other imported
  ValueSets (``include.valueSet``), and ``exclude``. Anything else is refused with a line saying what.
- ``snapshot_answer_value_sets(doc)`` copies an imported ValueSet's concepts into a Questionnaire as the
  question's ``answerOption``s when it is imported, so a tree version never changes with the terminology;
  ``unresolved_reason(ref)`` is the refusal for one that cannot be resolved.
"""

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from intake.questionnaire import EXT_BASE, depth_problems

if TYPE_CHECKING:
    from intake.questionnaire import Item, Tree

# Where a question's answer options were copied from: the ValueSet's url|version (valueCanonical).
EXT_ANSWER_VALUE_SET = EXT_BASE + "intake-answer-value-set"
RESOURCE_TYPES = ("CodeSystem", "ValueSet")
MAX_CONCEPTS = 5000  # one ValueSet's concepts, or one CodeSystem's; beyond this is no list to answer from
MAX_OPTIONS = 500  # the answer options one question takes from a ValueSet
# Filters on an imported CodeSystem's own hierarchy (its nested concepts): nothing else is needed to apply them.
FILTER_OPS = ("is-a", "descendent-of", "is-not-a", "in", "not-in")


class ExpansionError(Exception):
    """Why a ValueSet's concepts cannot be worked out here (one translated line)."""


@dataclass
class TerminologyFile:
    resources: list[dict] = field(default_factory=list)  # each a ValueSet or CodeSystem, structure checked
    problems: list[str] = field(default_factory=list)  # the file's own (nothing is imported) ...
    skipped: list[str] = field(default_factory=list)  # ... and those of single resources left out


def label(resource: dict) -> str:
    """How a line names a resource: its type and canonical url|version (else its id)."""
    name = resource.get("url") or resource.get("id") or "?"
    if resource.get("version"):
        name = f"{name}|{resource['version']}"
    return f"{resource.get('resourceType', '?')} {name}"


def read_terminology(text: str | bytes) -> TerminologyFile:
    """Parse a terminology file. Never raises on bad input: every problem is one line."""
    result = TerminologyFile()
    try:
        doc = json.loads(text)
    except RecursionError:
        result.problems.append(_("The file is nested too deeply to read."))
        return result
    except (ValueError, UnicodeDecodeError) as exc:
        result.problems.append(_("The file is not JSON: %(error)s") % {"error": exc})
        return result
    kind = doc.get("resourceType") if isinstance(doc, dict) else type(doc).__name__
    if kind not in (*RESOURCE_TYPES, "Bundle"):
        result.problems.append(
            _("The file is not a FHIR ValueSet, CodeSystem or Bundle of them (resourceType is %(found)s).")
            % {"found": kind or "-"}
        )
        return result
    problems = depth_problems(doc)
    if problems:
        result.problems.extend(problems)
        return result
    if kind != "Bundle":
        problems = _structure_problems(doc)
        if problems:
            result.problems.extend(problems)
        else:
            result.resources.append(doc)
        return result
    entries = doc.get("entry")
    if not isinstance(entries, list):
        result.problems.append(_("The Bundle has no entries."))
        return result
    for number, entry in enumerate(entries, start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            result.skipped.append(_("Bundle entry %(number)d has no resource.") % {"number": number})
            continue
        if resource.get("resourceType") not in RESOURCE_TYPES:
            continue  # a Bundle of definitions holds other kinds too; only these two are for us
        problems = _structure_problems(resource)
        if problems:
            result.skipped.extend(problems)
        else:
            result.resources.append(resource)
    if not result.resources and not result.skipped:
        result.problems.append(_("The Bundle holds no ValueSet or CodeSystem."))
    return result


def _structure_problems(resource: dict) -> list[str]:
    # Imported here: building the pydantic models costs time, only paid where files are read. R4B's models read
    # R4 ValueSets and CodeSystems (neither resource changed in ways that matter here).
    from fhir.resources.R4B.codesystem import CodeSystem
    from fhir.resources.R4B.valueset import ValueSet
    from pydantic import ValidationError

    model = ValueSet if resource.get("resourceType") == "ValueSet" else CodeSystem
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        lines = []
        for error in exc.errors()[:5]:
            where = ".".join(str(part) for part in error.get("loc", ()))
            message = " ".join(str(error.get("msg", "")).split())
            lines.append(
                _("%(resource)s: %(where)s: %(message)s")
                % {"resource": label(resource), "where": where or "-", "message": message}
            )
        return lines
    except RecursionError:
        return [_("%(resource)s: nested too deeply to read.") % {"resource": label(resource)}]
    return []


# CodeSystems


def code_system_problems(resource: dict) -> list[str]:
    """What keeps a CodeSystem from being imported: it must have a url and list its whole content."""
    name = {"resource": label(resource)}
    if not resource.get("url"):
        return [_("%(resource)s has no url; terminology is found by its canonical url.") % name]
    if resource.get("content") != "complete":
        return [
            _(
                "%(resource)s: its content is %(content)s; only a complete CodeSystem can be imported (a ValueSet "
                "may still list that system's codes one by one)."
            )
            % {**name, "content": resource.get("content") or "-"}
        ]
    if count_concepts(resource) > MAX_CONCEPTS:
        return [_("%(resource)s has more than %(max)d concepts.") % {**name, "max": MAX_CONCEPTS}]
    return []


def _walk(concepts: list, ancestors: tuple[str, ...] = ()) -> Iterator[tuple[dict, tuple[str, ...]]]:
    """A CodeSystem's concepts depth-first, each with the codes above it (nesting is its hierarchy)."""
    stack = [(concept, ancestors) for concept in reversed(concepts or [])]
    while stack:
        concept, above = stack.pop()
        if not isinstance(concept, dict):
            continue
        yield concept, above
        children = concept.get("concept") or []
        stack.extend((child, (*above, str(concept.get("code")))) for child in reversed(children))


def count_concepts(resource: dict) -> int:
    return sum(1 for _concept in _walk(resource.get("concept") or []))


def _selectable(concept: dict) -> bool:
    """Abstract (notSelectable) and retired concepts are not answers."""
    for prop in concept.get("property") or []:
        if not isinstance(prop, dict):
            continue
        if prop.get("code") in {"notSelectable", "abstract"} and prop.get("valueBoolean") is True:
            return False
        if prop.get("code") == "status" and prop.get("valueCode") == "retired":
            return False
        if prop.get("code") == "inactive" and prop.get("valueBoolean") is True:
            return False
    return True


def _code_system_concepts(resource: dict, filters: list[dict]) -> list[dict]:
    system = resource.get("url", "")
    chosen = []
    for flt in filters:
        if (
            not isinstance(flt, dict)
            or flt.get("property") not in {"concept", "code"}
            or flt.get("op") not in FILTER_OPS
        ):
            raise ExpansionError(
                _(
                    "the filter %(property)s %(op)s %(value)s on %(system)s is not supported (only is-a, "
                    "descendent-of, is-not-a, in and not-in on the concepts of an imported CodeSystem)."
                )
                % {
                    "property": flt.get("property") if isinstance(flt, dict) else "-",
                    "op": flt.get("op") if isinstance(flt, dict) else "-",
                    "value": flt.get("value") if isinstance(flt, dict) else "-",
                    "system": system,
                }
            )
    for concept, above in _walk(resource.get("concept") or []):
        code = str(concept.get("code") or "")
        if not code or not _selectable(concept) or not all(_passes(flt, code, above) for flt in filters):
            continue
        chosen.append(_concept(system, code, concept.get("display")))
    return chosen


def _passes(flt: dict, code: str, above: tuple[str, ...]) -> bool:
    value, op = str(flt.get("value") or ""), flt["op"]
    if op == "is-a":
        return code == value or value in above
    if op == "descendent-of":
        return value in above
    if op == "is-not-a":
        return code != value and value not in above
    codes = {part.strip() for part in value.split(",")}
    return (code in codes) == (op == "in")


def _concept(system: str, code: str, display) -> dict:
    return {"system": system, "code": code, "display": str(display) if display else code}


# ValueSets


@dataclass
class Lookups:
    """Where an expansion finds what a ValueSet builds on: an imported CodeSystem (by url and version, "" for
    the latest) and an imported ValueSet's concepts (by canonical url or url|version)."""

    code_system: Callable[[str, str], dict | None]
    value_set: Callable[[str], list[dict] | None]


def expand(resource: dict, lookups: Lookups) -> list[dict]:
    """A ValueSet's concepts as ``{system, code, display}``, in order, each once. Raises ExpansionError saying
    why they cannot be worked out here."""
    if not resource.get("url"):
        raise ExpansionError(_("it has no url; terminology is found by its canonical url."))
    expansion = resource.get("expansion") or {}
    if expansion.get("contains"):
        return _from_expansion(expansion)
    compose = resource.get("compose") or {}
    if not compose.get("include"):
        raise ExpansionError(_("it has neither expansion.contains nor compose.include: it lists no concepts."))
    concepts: dict[tuple[str, str], dict] = {}
    for include in compose["include"]:
        for concept in _include(include, lookups):
            concepts.setdefault((concept["system"], concept["code"]), concept)
    for exclude in compose.get("exclude") or []:
        for concept in _include(exclude, lookups):
            concepts.pop((concept["system"], concept["code"]), None)
    if not concepts:
        raise ExpansionError(_("it lists no concepts."))
    if len(concepts) > MAX_CONCEPTS:
        raise ExpansionError(_("it has more than %(max)d concepts.") % {"max": MAX_CONCEPTS})
    return list(concepts.values())


def _from_expansion(expansion: dict) -> list[dict]:
    found, seen, total = [], set(), 0
    stack = list(reversed(expansion["contains"]))
    while stack:
        entry = stack.pop()
        if not isinstance(entry, dict):
            continue
        total += 1
        stack.extend(reversed(entry.get("contains") or []))  # nested contains: a heading and what is under it
        code = entry.get("code")
        if not code or entry.get("abstract") is True or entry.get("inactive") is True:
            continue
        key = (entry.get("system") or "", str(code))
        if key not in seen:
            seen.add(key)
            found.append(_concept(key[0], key[1], entry.get("display")))
    declared = expansion.get("total")
    if (isinstance(declared, int) and declared > total) or expansion.get("offset"):
        raise ExpansionError(
            _("its expansion is partial (%(listed)d of %(total)s concepts listed).")
            % {"listed": total, "total": declared if isinstance(declared, int) else "?"}
        )
    if not found:
        raise ExpansionError(_("it lists no concepts."))
    if len(found) > MAX_CONCEPTS:
        raise ExpansionError(_("it has more than %(max)d concepts.") % {"max": MAX_CONCEPTS})
    return found


def _include(include: dict, lookups: Lookups) -> list[dict]:
    """One compose.include (or exclude) entry's concepts."""
    if not isinstance(include, dict):
        return []
    system, version = include.get("system") or "", str(include.get("version") or "")
    concepts, filters, value_sets = include.get("concept"), include.get("filter") or [], include.get("valueSet")
    if value_sets:
        if system or concepts or filters:
            raise ExpansionError(_("an include with both a system and a valueSet is not supported."))
        found: list[dict] | None = None
        for ref in value_sets:
            listed = lookups.value_set(str(ref))
            if listed is None:
                raise ExpansionError(
                    _("it includes the ValueSet %(ref)s, which is not imported: import that first.") % {"ref": ref}
                )
            if found is None:
                found = listed
            else:  # several ValueSets in one include: the concepts in all of them
                keys = {(c["system"], c["code"]) for c in listed}
                found = [c for c in found if (c["system"], c["code"]) in keys]
        return found or []
    if not system:
        raise ExpansionError(_("an include needs a system or a valueSet."))
    code_system = lookups.code_system(system, version)
    if concepts:
        if filters:
            raise ExpansionError(_("an include with both concepts and a filter is not supported."))
        displays = {c.get("code"): c.get("display") for c, _above in _walk((code_system or {}).get("concept") or [])}
        return [
            _concept(system, str(c["code"]), c.get("display") or displays.get(c["code"]))
            for c in concepts
            if isinstance(c, dict) and c.get("code")
        ]
    if code_system is None:
        raise ExpansionError(
            _("it includes the whole code system %(system)s, which is not imported: import that CodeSystem first.")
            % {"system": f"{system}|{version}" if version else system}
        )
    return _code_system_concepts(code_system, filters)


# Questionnaires


def _answer_items(items: list) -> Iterator[dict]:
    stack = list(items or [])
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        stack.extend(item.get("item") or [])
        ref = item.get("answerValueSet")
        if (
            item.get("type") in {"choice", "open-choice"}
            and isinstance(ref, str)
            and ref
            and not ref.startswith("#")
            and not item.get("answerOption")
        ):
            yield item


def snapshot_answer_value_sets(doc: dict) -> dict:
    """The Questionnaire with each external ``answerValueSet`` that an imported ValueSet resolves (by url, the
    latest imported; or url|version) replaced by its concepts as ``answerOption``s, and the
    ``intake-answer-value-set`` extension saying which ValueSet version they came from. ``doc`` itself is not
    changed; without such a reference it is returned as it is (and the database is not asked)."""
    if not any(True for _item in _answer_items(doc.get("item") or [])):
        return doc
    from intake.selectors import value_set_by_canonical

    doc = copy.deepcopy(doc)
    for item in _answer_items(doc.get("item") or []):
        value_set = value_set_by_canonical(item["answerValueSet"])
        if value_set is None or not value_set.concepts or len(value_set.concepts) > MAX_OPTIONS:
            continue  # refused by the Questionnaire's checks, with unresolved_reason
        del item["answerValueSet"]
        item["answerOption"] = [
            {"valueCoding": {key: c[key] for key in ("system", "code", "display") if c.get(key)}}
            for c in value_set.concepts
        ]
        canonical = f"{value_set.url}|{value_set.version}" if value_set.version else value_set.url
        item.setdefault("extension", []).append({"url": EXT_ANSWER_VALUE_SET, "valueCanonical": canonical})
    return doc


def _item_controls(item: dict) -> set:
    from intake.questionnaire import EXT_ITEM_CONTROL, extension_value

    control = extension_value(item, EXT_ITEM_CONTROL)
    if not isinstance(control, dict):
        return set()
    return {c.get("code") for c in control.get("coding") or [] if isinstance(c, dict)}


def is_free_text_answer_service(item: "Item") -> bool:
    """An ``open-choice`` question whose external answerValueSet is searched as one types (itemControl
    ``autocomplete``) and is not imported: an answer service on a terminology server (LHC-Forms' NLM Clinical
    Tables, ...). R4 lets an open-choice question be answered with a valueString, so it takes the counsellor's own
    words, as an open-choice without options does; the service is not used (``answer_service_notices``). On a
    ``choice`` question a coding is required, so there it stays refused (``unresolved_reason``)."""
    from intake.selectors import value_set_by_canonical

    ref = item.raw.get("answerValueSet")
    return (
        item.type == "open-choice"
        and isinstance(ref, str)
        and bool(ref)
        and not ref.startswith("#")
        and not item.raw.get("answerOption")
        and "autocomplete" in _item_controls(item.raw)
        and value_set_by_canonical(ref) is None
    )


def answer_service_notices(tree: "Tree") -> list[str]:
    """For the editor, one line per open-choice question answered as free text instead of from its answer
    service (``is_free_text_answer_service``)."""
    return [
        _(
            "linkId %(link_id)s: answered as free text: the answer service %(ref)s (itemControl autocomplete) is "
            "not used."
        )
        % {"link_id": item.link_id, "ref": item.raw["answerValueSet"]}
        for item in tree.items
        if is_free_text_answer_service(item)
    ]


def unresolved_reason(ref: str, item: dict | None = None) -> str:
    """Why an external answerValueSet (on ``item``) gives no answer options: one line, saying what to do."""
    from intake.selectors import value_set_by_canonical

    if ref.startswith("http://snomed.info/sct"):
        return _(
            "answerValueSet %(ref)s is an implicit SNOMED CT ValueSet, which needs a terminology server; it "
            "cannot be imported. Use a ValueSet that lists its concepts."
        ) % {"ref": ref}
    value_set = value_set_by_canonical(ref)
    if value_set is None and "autocomplete" in _item_controls(item or {}):
        # LHC-Forms' answer services (NLM Clinical Tables): searched as one types, not a list to import.
        return _(
            "answerValueSet %(ref)s is searched as one types (itemControl autocomplete), on a terminology server "
            "this service does not use; only an imported ValueSet can give the options: import it first if it "
            "is a ValueSet you have as a file."
        ) % {"ref": ref}
    if value_set is None:
        return _(
            "answerValueSet %(ref)s is not imported: import that ValueSet first (Terminology, on the question "
            "trees page, or manage.py import_valueset)."
        ) % {"ref": ref}
    if len(value_set.concepts) > MAX_OPTIONS:
        return _("the ValueSet %(ref)s has %(count)d concepts; a question offers at most %(max)d.") % {
            "ref": ref,
            "count": len(value_set.concepts),
            "max": MAX_OPTIONS,
        }
    return _("answerValueSet %(ref)s was not copied into the Questionnaire; import the Questionnaire again.") % {
        "ref": ref
    }


def value_set_notices(doc: dict) -> list[str]:
    """For the editor, one line per question whose options were copied from an imported ValueSet."""
    notices = []
    stack = list(doc.get("item") or [])
    while stack:
        item = stack.pop(0)
        if not isinstance(item, dict):
            continue
        stack[:0] = item.get("item") or []
        for ext in item.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") == EXT_ANSWER_VALUE_SET:
                notices.append(
                    _("linkId %(link_id)s: %(count)d answer options copied from the ValueSet %(ref)s.")
                    % {
                        "link_id": item.get("linkId") or "?",
                        "count": len(item.get("answerOption") or []),
                        "ref": ext.get("valueCanonical"),
                    }
                )
    return notices
