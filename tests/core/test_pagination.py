"""core.pagination.CappedPaginator: a bounded count that still lets one page on, and says "more than N"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Unit
from core.pagination import CappedPaginator


def _units(n):
    Unit.objects.bulk_create(Unit(slug=f"capped-{i:03d}", name=f"Capped {i:03d}", kind="other") for i in range(n))
    return Unit.objects.filter(slug__startswith="capped-").order_by("slug")


def test_a_short_list_is_counted_exactly(db):
    page = CappedPaginator(_units(7), 5, cap=10).get_page("2")
    assert (page.paginator.count, page.paginator.capped, len(page)) == (7, False, 2)


def test_a_long_list_counts_no_further_than_the_cap_past_the_page(db):
    units = _units(60)
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(units, 5, cap=10).get_page("1")
        assert page.paginator.count == 11 and page.paginator.capped and page.paginator.limit == 10
    # One query: the page, with the count as its subquery.
    assert len(queries) == 1
    count = queries[0]["sql"].split("SELECT COUNT(*) FROM (", 1)[1].split(") capped", 1)[0]
    assert "LIMIT 11" in count
    assert "ORDER BY" not in count  # the order cannot change the count, and costs a full sort
    assert page.has_next()
    deep = CappedPaginator(units, 5, cap=10).get_page("7")  # past the first count: still reachable
    assert deep.number == 7 and [u.slug for u in deep] == [f"capped-{i:03d}" for i in range(30, 35)]
    assert deep.paginator.capped and deep.has_next()
    last = CappedPaginator(units, 5, cap=10).get_page("12")
    assert last.number == 12 and not last.paginator.capped and not last.has_next()
    beyond = CappedPaginator(units, 5, cap=10).get_page("99")  # beyond the end: the last page, as Paginator
    assert beyond.number == 12
    assert CappedPaginator(units, 5, cap=10).get_page("x").number == 1


def test_a_page_beyond_the_end_is_the_last_page_read_again(db):
    units = _units(12)
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(units, 5, cap=10).get_page("4")
        slugs = [u.slug for u in page]
    assert page.number == 3 and slugs == ["capped-010", "capped-011"]
    assert page.paginator.count == 12 and not page.paginator.capped
    assert len(queries) == 3  # the empty page, the count, the last page


def test_an_empty_list_is_one_query_and_one_empty_page(db):
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(Unit.objects.none() | Unit.objects.filter(slug="nobody"), 5).get_page("1")
    assert (page.number, len(page), page.paginator.count, page.paginator.num_pages) == (1, 0, 0, 1)
    assert len(queries) == 1


def test_a_list_that_is_not_a_queryset_is_paged_as_before():
    page = CappedPaginator(list(range(23)), 5, cap=10).get_page("2")
    assert list(page) == [5, 6, 7, 8, 9] and page.paginator.count == 11 and page.paginator.capped
