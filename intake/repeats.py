"""Repeating items: repeating groups (zero or more instances, each with its own answers) and repeating
questions (several answers, one row each), with the questionnaire-minOccurs / -maxOccurs extensions.

How the answers are stored (``Intake.answers``, the evaluator's ``{linkId: [value, ...]}``):

- a question outside any repeating group is stored as before, ``{linkId: [value, ...]}``; a repeating
  question simply holds several values (``{"phone": ["123", "456"]}``). Trees without repeating groups are
  stored exactly as before.
- a repeating group is stored under its own linkId as a list of **instances**, each an answers dict of the
  same shape for the questions inside it (non-repeating groups inside are flat, as at the top; repeating
  groups inside nest the same way)::

      {"has-children": [true],
       "child": [{"child-name": ["Ada"], "child-age": [4]},
                 {},
                 {"child-name": ["Bo"], "child-age": [9], "child-where": [{"code": "with-perpetrator"}]}]}

  This is the QuestionnaireResponse's own shape: one ``item`` with linkId ``child`` per instance, each holding
  its ``item``s. An instance with no answers (``{}``, a row the counsellor left blank between others) keeps
  the rows' positions; it counts for nothing (no required answers, not towards minOccurs) and an exporter
  leaves it out. Blank instances at the end are not stored, nor is a list with no answered instance.

Form fields (``intake.wizard``) are named from the item's document position and the instance indices of its
enclosing repeating groups, outermost first: ``q7`` (top level), ``q7-2`` (in instance 2), ``q7-2-0`` (in
instance 0 of a repeating group nested in instance 2). A repeating question's rows add one more index
(``q9-0``, ``q9-1``, or ``q9-2-1`` in an instance). Every repeating group and repeating question has a hidden
``<name>-count`` field with its number of rows, as a Django formset's management form does; the server reads it
clamped to ``maxOccurs`` and ``MAX_ROWS``, so a tampered count never makes a page fail.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.http import QueryDict

from intake.questionnaire import EXT_MAX_OCCURS, EXT_MIN_OCCURS, Item, extension_value

# At most this many rows for one repeating item, whatever its maxOccurs says, and at most MAX_FIELDS
# instances and rows on one page: a form is filled in by a counsellor in a conversation, not a data import.
MAX_ROWS = 50
MAX_TOTAL_ROWS = 500

# Types a question may not repeat with one row per answer: choice questions repeat as checkboxes; display
# items and groups are not questions. A repeating boolean (R4 allows it; Helsenorge's forms use it) takes one
# yes/no per row, a repeating quantity one number (and unit) per row.
ROW_TYPES_EXCLUDED = {"choice", "open-choice", "display", "group"}

NAME = re.compile(r"^q(\d+)((?:-\d+)*)$")
ACTION = re.compile(r"^(add|remove):q(\d+)((?:-\d+)*)$")


def is_repeating_group(item: Item) -> bool:
    return item.type == "group" and item.repeats


def has_rows(item: Item) -> bool:
    """A repeating question answered in rows, one answer each (not choice: those repeat as checkboxes)."""
    return item.repeats and item.is_question and item.type not in ROW_TYPES_EXCLUDED


def is_repeating(item: Item) -> bool:
    """An item with rows the counsellor adds and removes: a repeating group or a repeating question in rows."""
    return is_repeating_group(item) or has_rows(item)


def min_occurs(item: Item) -> int:
    """The fewest instances (or answers) when the item is enabled; ``required`` means at least one."""
    value = extension_value(item.raw, EXT_MIN_OCCURS)
    low = value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
    return max(low, 1 if item.required else 0)


def max_occurs(item: Item) -> int:
    """The most instances (or answers): maxOccurs, never more than MAX_ROWS; 1 for a non-repeating item."""
    if not item.repeats:
        return 1
    value = extension_value(item.raw, EXT_MAX_OCCURS)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return min(value, MAX_ROWS)
    return MAX_ROWS


def repeating_ancestors(item: Item) -> list[Item]:
    """The repeating groups around ``item`` (not the item itself), outermost first."""
    result = []
    parent = item.parent
    while parent is not None:
        if is_repeating_group(parent):
            result.append(parent)
        parent = parent.parent
    return result[::-1]


def name(item: Item, path: tuple[int, ...] = ()) -> str:
    """The form field name of ``item`` in the instance at ``path`` (see the module's docstring)."""
    return f"q{item.index}" + "".join(f"-{i}" for i in path)


def count_name(item: Item, path: tuple[int, ...] = ()) -> str:
    return name(item, path) + "-count"


def answer_keys(step: Item) -> list[Item]:
    """The items whose linkIds are the step's keys in the stored answers: its questions outside repeating
    groups and its outermost repeating groups (the step itself when it repeats)."""
    if is_repeating_group(step):
        return [step]
    result: list[Item] = []
    for child in step.children:
        if child.is_question or is_repeating_group(child):
            result.append(child)
        elif child.type == "group":
            result.extend(answer_keys(child))
    return result


def scope_items(items: list[Item]) -> Iterator[Item]:
    """The items answered in one scope (the top level or one instance), in document order: questions and
    repeating groups, looking through non-repeating groups but not into repeating ones."""
    for item in items:
        if item.is_question or is_repeating_group(item):
            yield item
        if (item.type == "group" and not item.repeats) or item.is_question:  # items nested in a question too
            yield from scope_items(item.children)


def instances(value) -> list[dict]:
    """A stored repeating group's instances; anything else (a tampered preview, a changed tree) as none."""
    if not isinstance(value, list):
        return []
    return [v if isinstance(v, dict) else {} for v in value]


def _is_instance(value) -> bool:
    # An instance's values are lists; a coding's are strings.
    return isinstance(value, dict) and all(isinstance(v, list) for v in value.values())


def is_blank(answers: dict) -> bool:
    """An instance with no answer anywhere in it."""
    for values in answers.values():
        if not isinstance(values, list):
            continue
        if not all(_is_instance(v) and is_blank(v) for v in values):
            return False
    return True


def trim(instances_: list[dict]) -> list[dict]:
    """Blank instances at the end are not stored."""
    result = list(instances_)
    while result and is_blank(result[-1]):
        result.pop()
    return result


# The page's shape: how many rows each repeating item has, by its count field's name.


@dataclass
class Shape:
    """Rows per repeating item on one page, by ``count_name``; read from stored answers or a POST."""

    rows: dict[str, int]

    def of(self, item: Item, path: tuple[int, ...]) -> int:
        return self.rows.get(count_name(item, path), 0)


def _default_rows(item: Item, stored: int) -> int:
    # An empty repeating item shows one blank row (or minOccurs rows) to answer in.
    return min(max(stored, min_occurs(item), 1), max_occurs(item))


def shape_from_answers(step: Item, answers: dict) -> Shape:
    """The rows to show for stored answers: each instance and answer, and at least one blank row."""
    rows: dict[str, int] = {}

    def walk(items: list[Item], scope: dict, path: tuple[int, ...]) -> None:
        for item in scope_items(items):
            if is_repeating_group(item):
                found = instances(scope.get(item.link_id))
                count = _default_rows(item, len(found))
                rows[count_name(item, path)] = count
                for i in range(count):
                    walk(item.children, found[i] if i < len(found) else {}, (*path, i))
            elif has_rows(item):
                values = scope.get(item.link_id)
                rows[count_name(item, path)] = _default_rows(item, len(values) if isinstance(values, list) else 0)

    walk([step], answers, ())
    return Shape(rows)


def shape_from_data(step: Item, data) -> Shape:
    """The rows a POSTed page had, from its count fields, clamped: never more than maxOccurs (or MAX_ROWS)
    per item nor MAX_TOTAL_ROWS in all; a missing or garbled count means none."""
    rows: dict[str, int] = {}
    budget = [MAX_TOTAL_ROWS]

    def read(item: Item, path: tuple[int, ...]) -> int:
        try:
            count = int(data.get(count_name(item, path), ""))
        except (TypeError, ValueError):
            count = 0
        count = max(0, min(count, max_occurs(item), budget[0]))
        budget[0] -= count
        rows[count_name(item, path)] = count
        return count

    def walk(items: list[Item], path: tuple[int, ...]) -> None:
        for item in scope_items(items):
            if is_repeating_group(item):
                for i in range(read(item, path)):
                    walk(item.children, (*path, i))
            elif has_rows(item):
                read(item, path)

    walk([step], ())
    return Shape(rows)


# "Add another" and "Remove": the page's data changed as if the row had been there, or never been.


@dataclass
class RowAction:
    kind: str  # add | remove
    item: Item
    path: tuple[int, ...]  # the repeating item's own path (without the row removed)
    row: int | None = None  # the row removed


def parse_action(value: str, step: Item, items: list[Item], shape: Shape) -> RowAction | None:
    """The add/remove action a step page posted, or None when it is none, or names no row of this page (a
    tampered value: the page is shown again, unchanged)."""
    match = ACTION.match(value or "")
    if not match:
        return None
    kind, index, rest = match.group(1), int(match.group(2)), match.group(3)
    if index >= len(items):
        return None
    item = items[index]
    if item.step is not step or not is_repeating(item):
        return None
    path = tuple(int(i) for i in rest.split("-")[1:]) if rest else ()
    depth = len(repeating_ancestors(item))
    if kind == "add":
        if len(path) != depth or count_name(item, path) not in shape.rows:
            return None
        return RowAction(kind, item, path)
    if len(path) != depth + 1 or count_name(item, path[:-1]) not in shape.rows:
        return None
    if not 0 <= path[-1] < shape.of(item, path[:-1]):
        return None
    return RowAction(kind, item, path[:-1], path[-1])


def _within(candidate: Item, item: Item) -> bool:
    node: Item | None = candidate
    while node is not None:
        if node is item:
            return True
        node = node.parent
    return False


def apply_action(data: QueryDict, action: RowAction, items: list[Item]) -> QueryDict:
    """The POSTed data with a row added (one more in its count, shown blank) or removed (the rows after it
    moved up one, so that what was typed in them stays with them)."""
    result = QueryDict(mutable=True)
    key = count_name(action.item, action.path)
    try:
        count = int(data.get(key, "0"))
    except ValueError:
        count = 0
    if action.kind == "add":
        for field_name, values in data.lists():
            result.setlist(field_name, values)
        result[key] = str(min(count + 1, max_occurs(action.item)))
        return result
    depth = len(action.path)
    for field_name, values in data.lists():
        base, suffix = field_name, ""
        for end in ("_other", "-count"):
            if field_name.endswith(end):
                base, suffix = field_name[: -len(end)], end
        match = NAME.match(base)
        if not match or int(match.group(1)) >= len(items):
            result.setlist(field_name, values)
            continue
        owner = items[int(match.group(1))]
        path = tuple(int(i) for i in match.group(2).split("-")[1:]) if match.group(2) else ()
        if not _within(owner, action.item) or len(path) <= depth or path[:depth] != action.path:
            result.setlist(field_name, values)
            continue
        row = path[depth]
        if row == action.row:
            continue
        if row > (action.row or 0):
            path = (*path[:depth], row - 1, *path[depth + 1 :])
        result.setlist(name(owner, path) + suffix, values)
    result[key] = str(max(count - 1, 0))
    return result


def first_field(item: Item, path: tuple[int, ...]) -> str:
    """The name of the first field of the row at ``path`` (for focus after "Add another")."""
    if has_rows(item):
        return name(item, path)
    for child in scope_items(item.children):
        if has_rows(child):
            return name(child, (*path, 0))
        if child.is_question:
            return name(child, path)
        if is_repeating_group(child):
            return first_field(child, (*path, 0))
    return ""


def target_names(target: Item, item: Item, path: tuple[int, ...], shape: Shape) -> list[str]:
    """The form fields holding the answers an enableWhen on ``item`` (in the instance at ``path``) reads from
    ``target``, as the evaluator resolves it: the same instance where they share repeating groups, every
    instance of the others."""
    target_groups, item_groups = repeating_ancestors(target), repeating_ancestors(item)
    common = 0
    while common < min(len(target_groups), len(item_groups)) and target_groups[common] is item_groups[common]:
        common += 1
    paths = [path[:common]]
    for group in target_groups[common:]:
        paths = [(*p, i) for p in paths for i in range(shape.of(group, p))]
    if has_rows(target):
        return [name(target, (*p, k)) for p in paths for k in range(shape.of(target, p))]
    return [name(target, p) for p in paths]
