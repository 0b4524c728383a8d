"""How the managers' incident list scales: queries and median response time at 1 000 and 100 000 reports.

Runs on PostgreSQL in a scratch database of its own (created and dropped here), next to the server named by
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres):

    .venv/bin/python benchmarks/incident_list.py [--sizes 1000 100000] [--runs 15]

Reports are created with bulk_create, with the two guardian grants per report that incident_report makes
(manager group: view + change; the reporter: view), so the list's permission subquery is the real one
(benchmarks/datagen.py, shared with `make bench`).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = "bench_incidents_list"


def scratch_url(base: str) -> str:
    return urlunparse(urlparse(base)._replace(path=f"/{SCRATCH}"))


def recreate_database(base: str) -> None:
    import psycopg

    with psycopg.connect(base.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}"')
        conn.execute(f'CREATE DATABASE "{SCRATCH}"')


def drop_database(base: str) -> None:
    import psycopg

    with psycopg.connect(base.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


def main(run_sizes=None, *, sizes=(1000, 100_000), runs: int = 15) -> None:
    """Parse ``--sizes`` and ``--runs``, then call ``run_sizes(sizes, runs)`` (this module's ``run``) inside a
    scratch PostgreSQL database that is dropped afterwards. benchmarks/audit_log.py runs the same way."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=list(sizes))
    parser.add_argument("--runs", type=int, default=runs)
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    recreate_database(base)
    os.environ["DATABASE_URL"] = scratch_url(base)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    try:
        (run_sizes or run)(args.sizes, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(base)


def grow_to(size: int, units, users) -> None:
    from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
    from benchmarks.datagen import add_incidents
    from incidents.models import Incident

    slugs = [UNIVERSITY, CENTRE_A, CENTRE_B]
    reporters = {
        units[UNIVERSITY].pk: users["staff"],
        units[CENTRE_A].pk: users["counsellor"],
        units[CENTRE_B].pk: users["counsellor_other"],
    }
    have = Incident.objects.count()
    if have < size:
        add_incidents(
            size - have, units=[units[s] for s in slugs], reporters=reporters, responsible=users["manager"], start=have
        )


def run(sizes: list[int], runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.demo import seed_demo

    setup_test_environment()
    call_command("migrate", verbosity=0)
    demo = seed_demo(password="benchmark-only")
    client = Client()
    client.force_login(demo["users"]["manager"])
    urls = [
        ("list, first page", "/incidents/"),
        ("list, state=reported", "/incidents/?state=reported"),
        ("list, overdue actions", "/incidents/?overdue=on"),
        ("list, page 20", "/incidents/?page=20"),
    ]
    print(f"PostgreSQL {connection.pg_version}; manager of 2 of 3 units; median of {runs} requests")
    for size in sizes:
        grow_to(size, demo["units"], demo["users"])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"\n{size:>7} reports")
        for label, url in urls:
            client.get(url)  # warm up
            queries = []

            def timed(execute, sql, *rest):
                start = time.perf_counter()
                try:
                    return execute(sql, *rest)
                finally:
                    queries.append(((time.perf_counter() - start) * 1000, sql))

            # Counted at the cursor: the request_started signal empties connection.queries_log mid-request.
            with connection.execute_wrapper(timed):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            slowest_ms, slowest_sql = max(queries)
            print(
                f"  {label:<24} {len(queries):>3} queries  median {statistics.median(times):7.1f} ms  "
                f"(min {min(times):.1f}, max {max(times):.1f}); slowest query {slowest_ms:.1f} ms: "
                f"{slowest_sql[:60]}..."
            )


if __name__ == "__main__":
    main()
