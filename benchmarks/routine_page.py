"""How fast is a routine page for an anonymous reader, and how many SQL queries does it take?

Runs against a throwaway test database (SQLite in memory unless DATABASE_URL is set, then a ``test_`` copy),
seeds the demo data, and requests each of the four demo routines with the Django test client (the whole
middleware stack and template rendering, no network):

- SQL queries per page, with an empty cache (first render) and with the content fragments cached;
- median and p95 page time over N requests (warm cache), and over N requests with the cache cleared before
  each one (cold).

Usage: .venv/bin/python benchmarks/routine_page.py [N]   (default N=200)
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def p95(values):
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main(n: int) -> None:
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seeding only
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accounts.demo import UNIVERSITY, seed_demo
        from routines.content import render_markdown
        from routines.demo import seed_routines
        from routines.demo_content import ROUTINES

        demo = seed_demo(password="benchmark-password")
        seed_routines(owner_unit=demo["units"][UNIVERSITY], editor=demo["users"]["editor"])
        client = Client()
        print(f"database: {connection.vendor}; requests per figure: {n}; anonymous reader, bokmål")
        print(
            f"{'routine':45} {'queries cold':>12} {'queries warm':>12} {'median warm':>12} {'p95 warm':>9} "
            f"{'median cold':>12} {'p95 cold':>9} {'bytes':>7}"
        )
        for data in ROUTINES:
            url = reverse("routines:detail", args=[data["slug"]])
            cache.clear()
            # The request_started signal empties the query log; start from an empty log so the count is right.
            reset_queries()
            with CaptureQueriesContext(connection) as cold_queries:
                response = client.get(url)
            assert response.status_code == 200
            reset_queries()
            with CaptureQueriesContext(connection) as warm_queries:
                client.get(url)
            warm, cold = [], []
            for _ in range(n):
                start = time.perf_counter()
                client.get(url)
                warm.append((time.perf_counter() - start) * 1000)
            for _ in range(n):
                cache.clear()
                render_markdown.cache_clear()  # cold: nothing rendered before, not even the step Markdown
                start = time.perf_counter()
                client.get(url)
                cold.append((time.perf_counter() - start) * 1000)
            print(
                f"{data['slug']:45} {len(cold_queries):>12} {len(warm_queries):>12} "
                f"{statistics.median(warm):>9.2f} ms {p95(warm):>6.2f} ms "
                f"{statistics.median(cold):>9.2f} ms {p95(cold):>6.2f} ms {len(response.content):>7}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
