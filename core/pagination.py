"""A paginator whose total is cheap at any size: it counts at most ``cap`` rows past the page asked for.

A list a person can see may hold 100 000 rows (a manager of many busy units); counting them all on every page
costs as much as the page itself and grows with the table. ``CappedPaginator`` counts up to the requested
page plus ``cap`` rows (one ``COUNT(*)`` over a ``LIMIT``), so "next" always works, and a list longer than
that says so honestly: "more than N" (``paginator.capped``, ``paginator.limit``).

For a queryset the count rides along with the page, as a subquery of the page's own query: one round trip
to the database instead of two (a round trip was worth as much as the count itself, docs/performance.md).
Only a page beyond the end costs the separate count and a second read, of the last page."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

COUNT_CAP = 1000
# The annotation that carries the capped total on each row of a page read with it.
TOTAL = "capped_total"


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.limit = cap

    def get_page(self, number: Any) -> Page:
        try:
            asked = max(int(number), 1)
        except (TypeError, ValueError):
            asked = 1
        self.limit = max(self.cap, asked * self.per_page)  # before the count is taken
        if isinstance(self.object_list, QuerySet):
            bottom = (asked - 1) * self.per_page
            rows = list(self.object_list.annotate(**{TOTAL: self._capped_count()})[bottom : bottom + self.per_page])
            if rows or asked == 1:
                self.__dict__["count"] = getattr(rows[0], TOTAL) if rows else 0  # what ``count`` would read
                return Page(rows, asked, self)
        return super().get_page(number)

    def _capped_count(self) -> RawSQL:
        """``count`` as a scalar subquery: the database runs it once for the whole page (an InitPlan)."""
        sql, params = self._capped().values("pk").query.sql_with_params()
        return RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params, output_field=IntegerField())  # nosec B611

    def _capped(self) -> Any:
        # Without the list's order, which cannot change how many there are: ordered, PostgreSQL had to find and
        # sort every row first (1.9 s for a counsellor's 100 000 intakes; unordered, it stops at the limit).
        rows: Any = self.object_list
        return rows.order_by()[: self.limit + 1]

    @cached_property
    def count(self) -> int:
        # COUNT(*) over "... LIMIT limit + 1": the database stops after limit + 1 rows.
        if not isinstance(self.object_list, QuerySet):
            return min(len(self.object_list), self.limit + 1)
        return int(self._capped().count())

    @property
    def capped(self) -> bool:
        """Whether there are more rows than ``limit`` (the total shown is then "more than limit")."""
        return self.count > self.limit
