"""Small registries that cross-cutting code reads and feature apps fill.

The model is pretix's data shredders: the core never imports what it shreds; each app registers its own from
``AppConfig.ready()``. A registry is a named, ordered list of entries; registering the same entry twice is a
programming error (an app's ``ready()`` ran twice), so it raises instead of counting something double.
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class AlreadyRegistered(Exception):
    """The entry is in the registry already."""


class Registry(Generic[T]):
    """An ordered collection of entries of one kind, filled at start-up and read afterwards."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[T] = []

    def register(self, entry: T) -> T:
        """Add ``entry`` (returned, so this works as a decorator too)."""
        if entry in self._entries:
            raise AlreadyRegistered(f"{entry!r} is registered in {self.name} already")
        self._entries.append(entry)
        return entry

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self._entries)} entries>"
