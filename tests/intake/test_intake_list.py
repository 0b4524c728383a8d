"""The intake list a page at a time: a counsellor's intakes grow without bound (`make bench` measures 100 000),
so the page costs the same whatever their number. Uses the generator of benchmarks/datagen.py (the real
grants: the owner view + change, the unit's managers view)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.demo import CENTRE_A
from benchmarks.datagen import add_intakes
from intake.views.wizard import LIST_PAGE_SIZE


def detail_links(html: str) -> int:
    return html.count("<tr>") - 1  # minus the header row


def test_the_list_is_paged_and_costs_the_same_queries_whatever_its_size(client_for, users, units, intake_trees):
    add_intakes(3, owner=users["counsellor"], unit=units[CENTRE_A], tree_version=intake_trees["nb"])
    client = client_for("counsellor")
    client.get(reverse("intake:list"))  # the first request of a session costs more (its own queries)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("intake:list"))
    assert detail_links(response.content.decode()) == 3

    add_intakes(
        LIST_PAGE_SIZE + 5 - 3,
        owner=users["counsellor"],
        unit=units[CENTRE_A],
        tree_version=intake_trees["nb"],
        start=3,
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("intake:list"))
    html = response.content.decode()
    assert detail_links(html) == LIST_PAGE_SIZE
    assert "Side 1 av 2" in html
    assert len(many) == len(few)

    second = client.get(reverse("intake:list"), {"page": 2}).content.decode()
    assert detail_links(second) == 5
    # Drafts first: the generator makes every fifth intake a draft, so the first page starts with them.
    first_rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    drafts = ["badge" in row for row in first_rows]  # a draft's status is a badge
    assert drafts == [True] * 6 + [False] * (LIST_PAGE_SIZE - 6)


def test_the_manager_sees_the_units_intakes_paged(client_for, users, units, intake_trees):
    add_intakes(LIST_PAGE_SIZE + 1, owner=users["counsellor"], unit=units[CENTRE_A], tree_version=intake_trees["nb"])
    html = client_for("manager").get(reverse("intake:list")).content.decode()
    assert html.count("<tr>") - 1 == LIST_PAGE_SIZE
    assert "Side 1 av 2" in html
    assert "<tr>" not in client_for("manager_other").get(reverse("intake:list")).content.decode()


def test_the_list_reads_neither_answers_nor_the_question_tree(client_for, users, units, intake_trees):
    add_intakes(2, owner=users["counsellor"], unit=units[CENTRE_A], tree_version=intake_trees["nb"])
    client = client_for("counsellor")
    client.get(reverse("intake:list"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("intake:list")).status_code == 200
    # The page's query (its capped count is a subquery of it: core.pagination).
    listing = [q["sql"] for q in queries if q["sql"].startswith('SELECT "intake_intake"."id"')]
    assert len(listing) == 1
    assert '"questionnaire"' not in listing[0] and '"answers"' not in listing[0] and '"note_text"' not in listing[0]
