"""The in-process half of `make bench` (benchmarks/bench.py runs it as a subprocess, with the bench server's
environment): generates the list data, renders the demo routines' folders cold, and counts the SQL queries
of each measured page through Django's test client. Prints one line ``RESULT {json}``.

    .venv/bin/python benchmarks/bench_django.py prepare --small 1000 --large 100000 --static-copy PATH
    .venv/bin/python benchmarks/bench_django.py prepare-only --per-unit 2000

"Many units" (issue 16): ``prepare`` also adds ``--many-units`` units (50) of ``--per-unit`` reports (2 000)
each, and a manager of the first of them, ``bench_many``; ``prepare-only``, run against a second scratch
database, makes the same 2 000 reports in the only unit there, with its manager ``bench_only``. The two lists
show the same number of reports; only what else the database holds differs.
"""

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Who sees what (the two sizes side by side in one database, one server):
#   incidents: `manager` (university section + centre A) sees the large set, `manager_other` (centre B) the small
#   intakes:   `counsellor2` (centre A) owns the large set, `counsellor_other` (centre B) the small; the managers
#              of those units read them too.
MAIN_ROUTINE = "vold-og-trusler"
LIST_PAGES = [
    ("incident list", "incidents:list", "manager", "manager_other"),
    ("intake list, counsellor", "intake:list", "counsellor2", "counsellor_other"),
    ("intake list, manager", "intake:list", "manager", "manager_other"),
]


def generate(small: int, large: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
    from accounts.models import Unit
    from benchmarks.datagen import add_incidents, add_intakes
    from intake.models import TreeVersion

    users = {u.username: u for u in get_user_model().objects.all()}
    units = {u.slug: u for u in Unit.objects.all()}
    started = time.perf_counter()
    add_incidents(
        large,
        units=[units[UNIVERSITY], units[CENTRE_A]],
        reporters={units[UNIVERSITY].pk: users["staff"], units[CENTRE_A].pk: users["counsellor"]},
        responsible=users["manager"],
    )
    add_incidents(
        small,
        units=[units[CENTRE_B]],
        reporters={units[CENTRE_B].pk: users["counsellor_other"]},
        responsible=users["manager_other"],
    )
    tree = TreeVersion.objects.filter(status=TreeVersion.Status.PUBLISHED, language="nb").order_by("-number").first()
    add_intakes(large, owner=users["counsellor2"], unit=units[CENTRE_A], tree_version=tree)
    add_intakes(small, owner=users["counsellor_other"], unit=units[CENTRE_B], tree_version=tree)
    with connection.cursor() as cursor:
        # As autovacuum leaves the tables of a running installation: statistics, and the visibility map set
        # (without it an index-only count visits every row's page too: "Heap Fetches: 1001").
        cursor.execute("VACUUM ANALYZE")
    return {"seconds": round(time.perf_counter() - started, 1), "small": small, "large": large}


MANY_MANAGER, ONLY_MANAGER = "bench_many", "bench_only"


def _bench_manager(username: str, unit):
    from django.contrib.auth import get_user_model

    from accounts.roles import Role
    from accounts.services import membership_grant

    user = get_user_model().objects.create_user(username, password=os.environ["DEMO_PASSWORD"], first_name="Bench")
    membership_grant(user=user, unit=unit, role=Role.MANAGER)
    return user


def generate_units(count: int, per_unit: int, *, prefix: str, manager: str) -> dict:
    """``count`` units of ``per_unit`` reports each (reported by one staff member of them all), and
    ``manager``, the manager of the first unit only."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accounts.models import Unit
    from accounts.roles import Role
    from accounts.services import membership_grant
    from benchmarks.datagen import add_incidents

    started = time.perf_counter()
    reporter = get_user_model().objects.create_user(f"{prefix}_reporter", first_name="Reporter")
    units = []
    for n in range(count):
        unit = Unit.objects.create(slug=f"{prefix}-{n:02d}", name=f"Bench unit {n:02d}", kind=Unit.Kind.OTHER)
        membership_grant(user=reporter, unit=unit, role=Role.STAFF)
        units.append(unit)
    _bench_manager(manager, units[0])
    # Round-robin over the units, as reports come in from all of them at once: the manager's are one in
    # ``count`` of the newest, not the newest 2 000.
    add_incidents(count * per_unit, units=units, reporters={u.pk: reporter for u in units}, responsible=reporter)
    with connection.cursor() as cursor:
        # As autovacuum leaves the tables of a running installation: statistics, and the visibility map set
        # (without it an index-only count visits every row's page too: "Heap Fetches: 1001").
        cursor.execute("VACUUM ANALYZE")
    return {"seconds": round(time.perf_counter() - started, 1), "units": count, "per_unit": per_unit}


def explain_lists(usernames: list[str]) -> dict:
    """EXPLAIN ANALYZE of the incident list's query (the page, with its capped count and overdue flags as
    subqueries) for each person."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from core.pagination import TOTAL, CappedPaginator
    from incidents import selectors

    plans = {}
    for username in usernames:
        user = get_user_model().objects.get(username=username)
        units = list(selectors.managed_units(user).order_by("name"))
        incidents = selectors.list_page_columns(selectors.incident_list(user, selectors.ListFilters(), units=units))
        paginator = CappedPaginator(incidents, 25)  # as incidents.views.lists.incident_list asks
        paginator.get_page(1)
        page = paginator.object_list.annotate(**{TOTAL: paginator._capped_count()})[:25]
        queries = {"page": page.query.sql_with_params()}
        for what, (sql, params) in queries.items():
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
                plans[f"{username}: {what}"] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


def render_folders(static_copy: Path) -> list[dict]:
    """Each published demo routine's folder (bokmål), rendered cold through the view; the first one's bytes
    are copied to ``static_copy`` (the static file of the same size the server then serves)."""
    from django.test import Client
    from django.urls import reverse

    from routines.models import Routine, RoutinePdf

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    client = Client()
    rows = []
    # The violence-and-threats routine first: the one the routine page and the PDF comparison use.
    slugs = sorted(
        Routine.objects.filter(staff_only=False).values_list("slug", flat=True), key=lambda s: (s != MAIN_ROUTINE, s)
    )
    for slug in slugs:
        url = reverse("routines:folder_pdf", args=[slug])
        start = time.perf_counter()
        response = client.get(url, {"lang": "nb"})
        body = b"".join(response.streaming_content) if response.status_code == 200 else b""
        seconds = time.perf_counter() - start
        if response.status_code != 200:
            continue
        pdf = RoutinePdf.objects.filter(version__routine__slug=slug, variant="folder", lang="nb").latest("pk")
        rows.append({"slug": slug, "url": url + "?lang=nb", "seconds": seconds, "pages": pdf.pages, "bytes": len(body)})
        if len(rows) == 1:
            static_copy.parent.mkdir(parents=True, exist_ok=True)
            static_copy.write_bytes(body)
    return rows


def count_queries(client, url: str) -> tuple[int, int]:
    from django.db import connection

    queries = []

    def counted(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    client.get(url)  # warm: caches, the session
    # Counted at the cursor: the request_started signal empties connection.queries_log mid-request.
    with connection.execute_wrapper(counted):
        response = client.get(url)
    return response.status_code, len(queries)


def page_queries(routine_url: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    users = {u.username: u for u in get_user_model().objects.all()}

    def client_for(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(users[username])
        return client

    result = {}
    for key, url, username in [
        ("floor", reverse("bench_floor"), None),
        ("floor, logged in", reverse("bench_floor"), "counsellor"),
        ("routine page", routine_url, None),
        ("home", reverse("home"), "counsellor"),
        ("folder pdf", routine_url + "folder.pdf?lang=nb", None),
    ]:
        status, n = count_queries(client_for(username), url)
        result[key] = {"status": status, "queries": n}
    for label, name, large_user, small_user in LIST_PAGES:
        for size, username in (("small", small_user), ("large", large_user)):
            status, n = count_queries(client_for(username), reverse(name))
            result[f"{label} [{size}]"] = {"status": status, "queries": n}
    if users.get(MANY_MANAGER):
        status, n = count_queries(client_for(MANY_MANAGER), reverse("incidents:list"))
        result["incident list [one unit of many]"] = {"status": status, "queries": n}
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["prepare", "prepare-only"])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--many-units", type=int, default=50)
    parser.add_argument("--per-unit", type=int, default=2000)
    parser.add_argument("--static-copy", type=Path)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS), nothing else
    if args.command == "prepare-only":
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        data = generate_units(1, args.per_unit, prefix="bench-only", manager=ONLY_MANAGER)
        client = Client()
        client.force_login(get_user_model().objects.get(username=ONLY_MANAGER))
        status, n = count_queries(client, reverse("incidents:list"))
        queries = {"incident list [the only unit]": {"status": status, "queries": n}}
        print("RESULT " + json.dumps({"data": data, "queries": queries, "explain": explain_lists([ONLY_MANAGER])}))
        return
    data = generate(args.small, args.large)
    data["many"] = generate_units(args.many_units, args.per_unit, prefix="bench-many", manager=MANY_MANAGER)
    folders = render_folders(args.static_copy)
    routine_url = folders[0]["url"].replace("folder.pdf?lang=nb", "") if folders else "/routines/"
    queries = page_queries(routine_url)
    explain = explain_lists(["manager_other", "manager", MANY_MANAGER])
    print(
        "RESULT "
        + json.dumps(
            {"data": data, "folders": folders, "queries": queries, "routine_url": routine_url, "explain": explain}
        )
    )


if __name__ == "__main__":
    main()
