"""What the audit log needs to know about the apps, registered by each app: the action codes it writes, and
the kinds of record its events name.

The audit app (``audit.catalogue``, ``audit.review``, ``audit.middleware``) reads these registries and imports
no feature app; a feature registers from its ``AppConfig.ready()``, typically in its own ``audit.py``:

    ACTIONS.register_all({"intake.viewed": Action(_("Opened an intake"), Kind.VIEWED), ...})
    RECORD_TYPES.register(RecordType(model="intake.intake", label=_("intake"), read_facts=intake_read_facts,
                                     unit_members_own_it=False))

Every code an app passes to ``audit_log`` must be in ``ACTIONS`` (tests/audit/test_audit_catalogue.py collects
the codes from the source and fails on a missing one).
"""

import contextlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import AlreadyRegistered, Registry

Text = str | Promise  # a string, or a lazily translated one


class Kind(models.TextChoices):
    """Groups action codes for the log's filter; ``READ_KINDS`` are what the periodic review examines."""

    VIEWED = "viewed", _("Viewed")
    CHANGED = "changed", _("Created or changed")
    PRINTED = "printed", pgettext_lazy("kind of audited action", "Printed")
    EXPORTED = "exported", _("Exported or downloaded")
    SHARED = "shared", _("Shared or unshared")
    AUTH = "auth", _("Logging in and out")
    REFUSED = "refused", _("Access refused")
    OTHER = "other", _("Other")


# The kinds that read a record's content: what the periodic review examines.
READ_KINDS = frozenset({Kind.VIEWED, Kind.PRINTED, Kind.EXPORTED})


@dataclass(frozen=True)
class Action:
    """What an action code means to a person reading the log."""

    label: Text
    kind: str


class ActionCatalogue:
    """Action codes and their meaning, in the order the apps registered them. A code is registered once."""

    def __init__(self) -> None:
        self._actions: dict[str, Action] = {}

    def register(self, code: str, action: Action) -> Action:
        if code in self._actions:
            raise AlreadyRegistered(f"the audit action {code!r} is registered already")
        self._actions[code] = action
        return action

    def register_all(self, actions: Mapping[str, Action]) -> None:
        for code, action in actions.items():
            self.register(code, action)

    def get(self, code: str) -> Action | None:
        return self._actions.get(code)

    def codes(self) -> list[str]:
        return list(self._actions)

    def items(self) -> list[tuple[str, Action]]:
        return list(self._actions.items())

    def __contains__(self, code: object) -> bool:
        return code in self._actions

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._actions))

    def __len__(self) -> int:
        return len(self._actions)


ACTIONS = ActionCatalogue()


@dataclass(frozen=True)
class ReadFacts:
    """What the access review needs to judge a read of one record: its unit, and the people whose reads of it
    are their own (an intake's owner and the colleagues it is shared with; an incident's reporter, responsible
    manager and action owners)."""

    unit_id: int | None
    own_readers: frozenset[int]


@dataclass(frozen=True)
class RecordType:
    """A kind of record audit events name (``target_type``: the model's ``app_label.modelname``).

    - ``label``: its name for people reading the log (usually the model's ``verbose_name``).
    - ``filterable``: offered in the log's "record type" filter.
    - ``pages_in``: the app whose views taking a ``pk`` are pages about one record of this type (a refusal
      there is logged as ``record.access_refused``, and a pasted address of one is understood by the log's
      filter); "" when no page is about one record of it.
    - ``read_facts``: for the periodic review, ``{record id: ReadFacts}`` for the ids given (records that no
      longer exist are left out), in a fixed number of queries; None: reads of it are not reviewed.
    - ``unit_members_own_it``: whether a read by any member of the record's unit is as good as the own
      readers' (incidents: the unit's people follow them up), or flagged "not own case" (intakes, safety plans).
    - ``order``: where it comes in the log's filter (lowest first).
    """

    model: str
    label: Text | None  # None: the model's verbose name
    filterable: bool = True
    pages_in: str = ""
    read_facts: Callable[[Iterable[str]], dict[str, ReadFacts]] | None = None
    unit_members_own_it: bool = False
    order: int = 100


class RecordTypes(Registry[RecordType]):
    """The record types, in their ``order``; one entry per model."""

    def __iter__(self) -> Iterator[RecordType]:
        return iter(sorted(super().__iter__(), key=lambda entry: entry.order))

    def register(self, entry: RecordType) -> RecordType:
        if self.get(entry.model) is not None:
            raise AlreadyRegistered(f"the record type {entry.model!r} is registered already")
        return super().register(entry)

    def get(self, model: str) -> RecordType | None:
        return next((entry for entry in self if entry.model == model), None)

    def for_pages_in(self, app_label: str) -> RecordType | None:
        """The record type whose one-record pages are the views of ``app_label`` that take a ``pk``."""
        return next((entry for entry in self if app_label and entry.pages_in == app_label), None)

    def reviewed(self) -> list[RecordType]:
        return [entry for entry in self if entry.read_facts is not None]


RECORD_TYPES = RecordTypes("audit record types")


def valid_uuids(ids: Iterable[str]) -> list[uuid.UUID]:
    """The ids that are UUIDs (an event's target id is text; a malformed one names no record)."""
    valid = []
    for value in ids:
        with contextlib.suppress(ValueError):
            valid.append(uuid.UUID(value))
    return valid


def case_read_facts(model: type[models.Model], grants_model: type[Any], ids: Iterable[str]) -> dict[str, ReadFacts]:
    """``ReadFacts`` for records that belong to one person (an ``owner``) in a unit and are shared through
    guardian's direct user grants of their view permission (``grants_model``): the own readers are the owner
    and those it is shared with. Two queries."""
    pks = valid_uuids(ids)
    rows = model._default_manager.filter(pk__in=pks).values_list("pk", "owner_id", "unit_id")
    readers: dict[str, set[int]] = {str(pk): {owner} for pk, owner, _unit in rows}
    grants = grants_model.objects.filter(
        content_object__in=pks, permission__codename=f"view_{model._meta.model_name}"
    ).values_list("user_id", "content_object_id")
    for user_id, record_id in grants:
        readers.setdefault(str(record_id), set()).add(user_id)
    units = {str(pk): unit for pk, _owner, unit in rows}
    return {pk: ReadFacts(unit_id=unit, own_readers=frozenset(readers[pk])) for pk, unit in units.items()}
