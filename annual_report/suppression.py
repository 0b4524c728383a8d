"""Small-cell suppression for the annual report.

A count from 1 to 4 is not shown (primary suppression): at a small centre, "2 men over 60 with an immigrant
background" can be enough to tell who. A table whose cells add up to a published total (a *partition*: every
resident has one gender, one age group ...) would give a single hidden cell away by subtraction, and hidden
cells whose sum can only be split one way just as well; so more cells are hidden (secondary suppression)
until no hidden cell can be worked out from what is shown.

The rule, for a table with total T:

1. T under 5: every non-zero cell and the total are hidden.
2. T under 10 with a small cell: the whole table is withheld (every cell hidden, zeros too).
3. Otherwise the small cells are hidden, then, while a hidden cell can be worked out, one more non-zero cell,
   taken from the end of the table (where "other", "not known" and "no consent" stand), never by size: a
   rule that picked "the smallest shown cell" would tell a reader that the hidden one is no larger than the
   cells still shown, and that can pin it down. If even hiding every non-zero cell is not enough, the table
   is withheld.

"Can be worked out" is decided exactly, by the reader's reasoning: she knows this rule, every shown figure and
the total. She considers every table that would be published exactly as this one is: the small hidden cells
are 1 to 4, the others 5 or more, they add up to the total less the shown cells, and the table was not
already safe at an earlier step (it would then have been published with fewer cells hidden). A hidden cell is
safe when those tables give it at least two values. Only the number of small cells, the step and the hidden
sum matter to that reasoning, so it is a small calculation (``_safe``), not a search through tables.
tests/annual_report/test_suppression.py checks every table of up to five cells of small counts against a
reader who does search through every table. Zero is shown: it tells nothing about anyone.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

SUPPRESS_BELOW = 5
HIDDEN = None  # a hidden cell's shown value


def is_small(count: int) -> bool:
    return 0 < count < SUPPRESS_BELOW


def shown_count(count: int) -> int | None:
    """A single published count (not in a table that adds up): hidden when small."""
    return HIDDEN if is_small(count) else count


@dataclass(frozen=True)
class Shown:
    """A table's cells and total as published: an int, or None for hidden."""

    cells: tuple[int | None, ...]
    total: int | None

    @property
    def hidden(self) -> int:
        return sum(1 for c in self.cells if c is HIDDEN)


def _hidden_at(cells: tuple[int, ...], step: int, fixed: frozenset[int] = frozenset()) -> frozenset[int] | None:
    """The cells hidden at ``step`` of the rule: the small ones, then ``step`` more non-zero cells from the
    end of the table, never one of ``fixed``. None when there are not that many left to hide."""
    primary = [i for i, c in enumerate(cells) if is_small(c)]
    rest = [i for i in reversed(range(len(cells))) if cells[i] and i not in primary and i not in fixed]
    if step > len(rest):
        return None
    return frozenset([*primary, *rest[:step]])


def _complements(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to write ``total`` as ``parts`` numbers of at least SUPPRESS_BELOW, in order."""
    if parts == 0:
        if total == 0:
            yield ()
        return
    for first in range(SUPPRESS_BELOW, total - SUPPRESS_BELOW * (parts - 1) + 1):
        for rest in _complements(total - first, parts - 1):
            yield (first, *rest)


@lru_cache(maxsize=100_000)
def _safe(small: int, step: int, hidden_sum: int) -> bool:
    """Whether ``small`` hidden cells of 1 to 4 and ``step`` hidden cells of 5 or more (hidden at steps 1 ..
    ``step``), adding up to ``hidden_sum``, leave each hidden cell two or more possible values for a reader
    who knows the rule (see the module's docstring)."""
    if small == 0:
        return True  # nothing hidden
    small_values: set[int] = set()
    other_values: list[set[int]] = [set() for _ in range(step)]
    for small_sum in range(small, 4 * small + 1):
        for others in _complements(hidden_sum - small_sum, step):
            # Published at an earlier step instead? Then it is not a table this publication could come from.
            if any(_safe(small, earlier, small_sum + sum(others[:earlier])) for earlier in range(step)):
                continue
            low, high = max(1, small_sum - 4 * (small - 1)), min(4, small_sum - (small - 1))
            small_values.update(range(low, high + 1))
            for values, value in zip(other_values, others, strict=True):
                values.add(value)
    return len(small_values) > 1 and all(len(values) > 1 for values in other_values)


def suppress_partition(cells: Sequence[int], total: int | None = None, *, fixed: Iterable[int] = ()) -> Shown:
    """Suppress a table whose cells add up to ``total`` (their sum when not given), which is published.

    ``fixed``: cells never hidden to protect another (a figure published in other tables too, such as "no
    consent", must be hidden everywhere or nowhere); they are hidden only when small."""
    keep = frozenset(fixed)
    counts = tuple(int(c) for c in cells)
    total = sum(counts) if total is None else total
    if is_small(total):
        return Shown(cells=tuple(HIDDEN if c else 0 for c in counts), total=HIDDEN)
    # Withheld: zeros hidden too, or "five categories, total five, no zero" would still say each is one.
    withheld = Shown(cells=(HIDDEN,) * len(counts), total=total)
    small = sum(1 for c in counts if is_small(c))
    if small and total < 2 * SUPPRESS_BELOW:
        return withheld
    step = 0
    while True:
        hidden = _hidden_at(counts, step, keep)
        if hidden is None:
            return withheld
        if _safe(small, step, sum(counts[i] for i in hidden)):
            return Shown(cells=tuple(HIDDEN if i in hidden else c for i, c in enumerate(counts)), total=total)
        step += 1


def suppress_independent(cells: Sequence[int]) -> tuple[int | None, ...]:
    """Cells that do not add up to anything published (a question with several answers per person): only
    the small ones are hidden."""
    return tuple(shown_count(c) for c in cells)
