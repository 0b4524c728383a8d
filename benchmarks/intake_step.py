"""What one intake step costs: queries and median time of a step page, a step save and the review page on
the demo first-contact tree, and how long validating and evaluating that tree takes.

Runs on a scratch SQLite database of its own in var/ (created and removed here):

    .venv/bin/python benchmarks/intake_step.py [--runs 30]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = ROOT / "var" / "bench_intake.sqlite3"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    SCRATCH.parent.mkdir(exist_ok=True)
    SCRATCH.unlink(missing_ok=True)
    os.environ.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{SCRATCH}", DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from accounts.demo import CENTRE_A, seed_demo
    from intake.demo import TREES_DIR, seed_intake_trees
    from intake.evaluator import evaluate
    from intake.questionnaire import Tree, check_questionnaire
    from intake.services import intake_create

    try:
        demo = seed_demo(password="bench-password-123")
        versions = seed_intake_trees()
        text = (TREES_DIR / "first-contact.nb.json").read_bytes()
        check_questionnaire(text)  # first call builds the pydantic models
        print(f"demo tree (nb): {len(text):,} bytes, {len(Tree(versions['nb'].questionnaire).items)} items")
        print(f"check_questionnaire: {median_ms(lambda: check_questionnaire(text), args.runs):.1f} ms median")
        tree = Tree(versions["nb"].questionnaire)
        answers = {"has-children": [True], "children-count": [2], "perpetrator-count": [3], "family-supports": [True]}
        print(f"evaluate (all items): {median_ms(lambda: evaluate(tree, answers), args.runs * 10):.3f} ms median")

        user = demo["users"]["counsellor"]
        intake = intake_create(user=user, unit=demo["units"][CENTRE_A], tree_version=versions["nb"])
        client = Client()
        client.force_login(user)
        step_url = reverse("intake:step", args=[intake.pk, "perpetrator"])
        tree_index = {i.link_id: f"q{i.index}" for i in tree.items}

        def post():
            intake.refresh_from_db()
            data = {
                tree_index["perpetrator-count"]: "3",
                tree_index["family-supports"]: "true",
                "revision": intake.revision,
            }
            response = client.post(step_url, data)
            assert response.status_code == 302, response.status_code

        for label, fn in [
            ("GET step", lambda: client.get(step_url)),
            ("POST step (same answers)", post),
            ("GET review", lambda: client.get(reverse("intake:review", args=[intake.pk]))),
        ]:
            with CaptureQueriesContext(connection) as queries:
                fn()
            print(f"{label}: {len(queries)} queries, {median_ms(fn, args.runs):.1f} ms median")
    finally:
        connection.close()
        SCRATCH.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
