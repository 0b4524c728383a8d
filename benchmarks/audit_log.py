"""How the access log and the access review scale: median time at 10 000 and 200 000 events (the tests hold
the query counts: a page of the log and the review are each a fixed number).

Runs on PostgreSQL in a scratch database of its own (created and dropped here), next to the server named by
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres):

    .venv/bin/python benchmarks/audit_log.py [--sizes 10000 200000] [--runs 9]

Events are spread over the last 365 days, the demo people and the three units; a third are reads of intakes,
safety plans and incidents (most of them of records that do not exist, which the review must handle too).
"""

import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import incident_list  # noqa: E402

incident_list.SCRATCH = "bench_audit_log"


def grow_to(size: int, units, users) -> None:
    from django.utils import timezone

    from audit.models import AuditEvent

    people = list(users.values())
    unit_list = list(units.values())
    codes = [
        ("auth.login", "", None),
        ("intake.viewed", "intake.intake", 1),
        ("safety_plan.viewed", "safety_plans.safetyplan", 1),
        ("incident.viewed", "incidents.incident", 1),
        ("intake.changed", "intake.intake", 1),
        ("routine.previewed", "routines.routineversion", 1),
    ]
    now = timezone.now()
    have = AuditEvent.objects.count()
    while have < size:
        n = min(10_000, size - have)
        batch = []
        for i in range(have, have + n):
            action, target_type, has_unit = codes[i % len(codes)]
            batch.append(
                AuditEvent(
                    at=now - timedelta(minutes=(i * 53) % (365 * 24 * 60)),
                    actor=people[i % len(people)],
                    action=action,
                    target_type=target_type,
                    target_id=str(uuid.uuid4()) if target_type else "",
                    unit=unit_list[i % len(unit_list)] if has_unit else None,
                )
            )
        AuditEvent.objects.bulk_create(batch)
        have += n


def run(sizes: list[int], runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from accounts.demo import seed_demo
    from audit.review import flagged_reads

    setup_test_environment()
    call_command("migrate", verbosity=0)
    demo = seed_demo(password="benchmark-only")
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    pages = [
        ("log, first page", "/audit/"),
        ("log, by person", "/audit/?person=counsellor"),
        ("log, a 30-day period, viewed", f"/audit/?date_from={since}&kind=viewed"),
        ("log, page 40", "/audit/?page=40"),
        ("review, 30 days", "/audit/review/"),
    ]
    for size in sizes:
        grow_to(size, demo["units"], demo["users"])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"\n{size:,} events")
        for persona in ("manager", "admin"):
            client = Client()
            client.force_login(demo["users"][persona])
            for label, url in pages:
                assert client.get(url).status_code == 200
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                print(f"  {persona:8} {label:30} median {statistics.median(times):8.1f} ms")
        start = time.perf_counter()
        review = flagged_reads(since=timezone.localdate() - timedelta(days=365))
        print(
            f"  review of a whole year (service): {review.examined:,} reads, {len(review.flagged):,} flagged, "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    incident_list.main(run, sizes=(10_000, 200_000), runs=9)
