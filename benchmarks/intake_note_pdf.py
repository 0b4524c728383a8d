"""What printing a journal note costs: median time and size of the A4 PDF of a finalized demo intake's note
(with three addenda), and the queries of the PDF request.

Runs on a scratch SQLite database of its own in var/ (created and removed here):

    .venv/bin/python benchmarks/intake_note_pdf.py [--runs 10]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = ROOT / "var" / "bench_intake_pdf.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
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
    from intake.demo import seed_intake_trees
    from intake.services import intake_create, intake_finalize, intake_note_add_addendum, intake_note_save

    try:
        demo = seed_demo(password="bench-password-123")
        versions = seed_intake_trees()
        user = demo["users"]["counsellor"]
        intake = intake_create(user=user, unit=demo["units"][CENTRE_A], tree_version=versions["nb"])
        intake = intake_finalize(intake=intake, user=user, offered_help="shelter", offered_reason="", information={})
        intake = intake_note_save(intake=intake, user=user, text="Notat. " * 300, finalize=True)
        for n in range(3):
            intake_note_add_addendum(intake=intake, user=user, text=f"Tillegg {n}. " * 40)
        client = Client()
        client.force_login(user)
        url = reverse("intake:note_pdf", args=[intake.pk])
        client.get(url)  # warm-up: fonts and WeasyPrint's first layout
        times, size = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            size = len(b"".join(response.streaming_content))
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(
            f"journal note PDF: median {statistics.median(times):.0f} ms over {args.runs} runs, {size:,} bytes, {len(queries)} queries"
        )
    finally:
        connection.close()
        SCRATCH.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
