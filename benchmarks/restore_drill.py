"""Restore drill: back up a seeded PostgreSQL database the way production does (pg_dump -Fc), restore it into a
scratch database, and prove the copy is whole:

- `manage.py migrate --check` on the restored database finds no unapplied migration;
- every table in the public schema has exactly the source's row count (and no table is missing or extra);
- the audit log's append-only trigger (migration accounts.0003) came back and still refuses an UPDATE.

Prints the dump's size and the dump and restore times. Both databases are dropped at the end, also when a
step fails or the drill is interrupted. Exits 0 when every check passed, 1 otherwise.

    make restore-drill      # starts the local cluster if it is down, then runs this; CI runs it
    .venv/bin/python benchmarks/restore_drill.py [--intakes 10000] [--incidents 10000] [--audit-events 100000]

Connects as the PostgreSQL superuser named by DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres,
what .ci/run uses). The source is migrated and seeded with `seed_demo`, then grown with generated intakes,
incident reports (benchmarks/incident_list.py's generator) and audit events (benchmarks/audit_log.py's).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "postgres://postgres@127.0.0.1:5432/postgres"
AUDIT_TRIGGER = "accounts_auditevent_append_only"


class DrillError(Exception):
    """A step of the drill could not run (as opposed to a check that ran and found a difference)."""


# --- pure parts (tests/tooling/test_restore_drill.py) ------------------------------------------------------------------


def compare_counts(source: dict[str, int], restored: dict[str, int]) -> list[str]:
    """What differs between the row counts per table of the source and the restored database; empty when
    they are identical. No tables at all is a difference too: a drill that counted nothing proved nothing."""
    problems = []
    if not source:
        problems.append("the source database has no tables")
    for table in sorted(source.keys() - restored.keys()):
        problems.append(f"{table}: missing from the restored database")
    for table in sorted(restored.keys() - source.keys()):
        problems.append(f"{table}: in the restored database only")
    for table in sorted(source.keys() & restored.keys()):
        if source[table] != restored[table]:
            problems.append(f"{table}: {source[table]} rows in the source, {restored[table]} restored")
    return problems


def format_counts(source: dict[str, int], restored: dict[str, int]) -> str:
    """The per-table comparison as a plain-text table, differences marked."""
    tables = sorted(source.keys() | restored.keys())
    width = max([len("table"), *map(len, tables)])
    lines = [f"{'table':<{width}}  {'source':>9}  {'restored':>9}", f"{'-' * width}  {'-' * 9}  {'-' * 9}"]
    for table in tables:
        a, b = source.get(table), restored.get(table)
        mark = "" if a == b else "  <-- differs"
        lines.append(f"{table:<{width}}  {'-' if a is None else a:>9}  {'-' if b is None else b:>9}{mark}")
    return "\n".join(lines)


def tool_major(version_output: str) -> int:
    """The major version in `pg_dump --version`'s output, e.g. 'pg_dump (PostgreSQL) 15.20 (Debian ...)' -> 15."""
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output)
    if not match:
        raise DrillError(f"cannot read a version from {version_output.strip()!r}")
    return int(match.group(1))


def database_url(base: str, name: str) -> str:
    return urlunparse(urlparse(base)._replace(path=f"/{name}"))


def migrate_check(url: str) -> tuple[bool, str]:
    """`manage.py migrate --check` against the database at ``url``: (True, output) when nothing is unapplied."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1", "DJANGO_DB_POOL": "0"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--check", "--no-input"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), **kwargs)


def create_database(base: str, name: str) -> None:
    with _connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(base: str, name: str) -> None:
    with _connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# docs/deployment.md gives operators this very query (tests/tooling/test_restore_drill.py holds the two together).
ROW_COUNTS_SQL = """SELECT table_name,
       (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1;"""


def count_rows(url: str) -> dict[str, int]:
    """Exact row count (count(*)) of every table in the public schema."""
    with _connect(url) as conn:
        return {table: int(count) for table, count in conn.execute(ROW_COUNTS_SQL)}


def audit_trigger_problems(url: str) -> list[str]:
    """The append-only trigger exists, is enabled, and refuses an UPDATE of an audit event (rolled back)."""
    with _connect(url) as conn:
        try:
            return trigger_problems(conn)
        finally:
            conn.rollback()


class _Undo(Exception):
    pass


def trigger_problems(conn) -> list[str]:
    """audit_trigger_problems on an open psycopg connection; the UPDATE it tries is rolled back to a savepoint."""
    import psycopg

    row = conn.execute(
        "SELECT tgenabled FROM pg_trigger WHERE tgname = %s AND tgrelid = 'accounts_auditevent'::regclass",
        [AUDIT_TRIGGER],
    ).fetchone()
    if row is None:
        return [f"trigger {AUDIT_TRIGGER} is missing from the restored database"]
    if row[0] == "D":
        return [f"trigger {AUDIT_TRIGGER} is disabled in the restored database"]
    updated = 0
    try:
        with conn.transaction():
            updated = conn.execute(
                "UPDATE accounts_auditevent SET action = action WHERE id = (SELECT id FROM accounts_auditevent LIMIT 1)"
            ).rowcount
            raise _Undo
    except psycopg.errors.InsufficientPrivilege:
        return []
    except _Undo:
        pass
    if updated == 0:
        return ["no audit event to try the trigger on"]
    return [f"trigger {AUDIT_TRIGGER} let an UPDATE through"]


def database_size(url: str) -> int:
    """Bytes on disk (tables, indexes, TOAST) of the database at ``url``."""
    with _connect(url) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def server_major(base: str) -> int:
    with _connect(base) as conn:
        return conn.info.server_version // 10000


def pg_tool(name: str, major: int) -> str:
    """pg_dump or pg_restore of the server's major version (Debian installs each under /usr/lib/postgresql/N),
    else the one on PATH if it is at least as new as the server."""
    for candidate in (f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name)):
        if candidate and os.access(candidate, os.X_OK):
            found = tool_major(subprocess.run([candidate, "--version"], capture_output=True, text=True).stdout)
            if found >= major:
                return candidate
    raise DrillError(f"no {name} of version {major} or newer: install postgresql-client-{major}")


def run(cmd: list[str]) -> float:
    """Run a client tool, fail with its output if it fails; the wall time in seconds."""
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise DrillError(f"{Path(cmd[0]).name} exited {result.returncode}:\n{result.stderr.strip()}")
    return elapsed


# --- seeding ------------------------------------------------------------------------------------------------------


def seed(url: str, *, intakes: int, incidents: int, audit_events: int) -> None:
    """Migrate and seed the source database in this process (the drill talks Django to no other database)."""
    os.environ.update(DATABASE_URL=url, DJANGO_DEBUG="1", DJANGO_DB_POOL="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import io

    import django

    django.setup()
    import audit_log
    import incident_list
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from accounts.models import Unit

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    units = {unit.slug: unit for unit in Unit.objects.all()}
    users = {user.username: user for user in get_user_model().objects.all()}
    grow_intakes(intakes, units, users)
    incident_list.grow_to(incidents, units, users)
    audit_log.grow_to(audit_events, units, users)
    connections.close_all()


def grow_intakes(size: int, units, users) -> None:
    """Intakes at the demo centre, half each for the two demo counsellors, with the demo answers and journal
    notes and the guardian grants intake_create gives (benchmarks/datagen.py)."""
    import datagen

    from accounts.demo import CENTRE_A
    from intake.models import Intake

    tree_version = Intake.objects.order_by("created_at").first().tree_version
    missing = max(0, size - Intake.objects.count())
    for n, (username, count) in enumerate((("counsellor", missing - missing // 2), ("counsellor2", missing // 2))):
        datagen.add_intakes(
            count,
            owner=users[username],
            unit=units[CENTRE_A],
            tree_version=tree_version,
            start=n * missing,
            content=True,
        )


# --- the drill ----------------------------------------------------------------------------------------------------


def drill(base: str, args) -> list[str]:
    """Every problem found; empty when the restore is whole. Raises DrillError when a step cannot run."""
    stamp = f"{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
    source_db, restored_db = f"drill_{stamp}_source", f"drill_{stamp}_restored"
    source, restored = database_url(base, source_db), database_url(base, restored_db)
    major = server_major(base)
    pg_dump, pg_restore = pg_tool("pg_dump", major), pg_tool("pg_restore", major)
    print(f"PostgreSQL {major}; {pg_dump}, {pg_restore}")
    created = []
    try:
        create_database(base, source_db)
        created.append(source_db)
        start = time.perf_counter()
        seed(source, intakes=args.intakes, incidents=args.incidents, audit_events=args.audit_events)
        print(
            f"seeded {source_db} in {time.perf_counter() - start:.1f} s: seed_demo, {args.intakes:,} intakes, "
            f"{args.incidents:,} incident reports, {args.audit_events:,} audit events; "
            f"{database_size(source) / 1e6:.0f} MB on disk"
        )
        with tempfile.TemporaryDirectory(prefix="restore-drill-") as tmp:
            dump = Path(tmp) / "drill.dump"
            dump_s = run([pg_dump, "-Fc", "--no-owner", "-f", str(dump), "-d", source])
            size = dump.stat().st_size
            print(f"dump:    {size / 1e6:.1f} MB ({size:,} bytes) in {dump_s:.2f} s  (pg_dump -Fc --no-owner)")
            create_database(base, restored_db)
            created.append(restored_db)
            restore_s = run(
                [
                    pg_restore,
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    "-d",
                    restored,
                    str(dump),
                ]
            )
            print(f"restore: {restore_s:.2f} s  (pg_restore --no-owner --exit-on-error --single-transaction)")
        problems = []
        start = time.perf_counter()
        ok, output = migrate_check(restored)
        elapsed = time.perf_counter() - start
        print(f"migrate --check on the restored database: {'ok' if ok else 'FAILED'} ({elapsed:.1f} s)")
        if not ok:
            problems.append(f"manage.py migrate --check failed on the restored database:\n{output}")
        trigger = audit_trigger_problems(restored)
        print(f"audit log trigger: {'present, refuses UPDATE' if not trigger else 'FAILED'}")
        problems += trigger
        before, after = count_rows(source), count_rows(restored)
        print(format_counts(before, after))
        print(f"{len(before)} tables, {sum(before.values()):,} rows in the source, {sum(after.values()):,} restored")
        problems += compare_counts(before, after)
        for table, wanted in (
            ("intake_intake", args.intakes),
            ("incidents_incident", args.incidents),
            ("accounts_auditevent", args.audit_events),
        ):
            if before.get(table, 0) < wanted:  # the volume the times are quoted for
                problems.append(f"{table}: the source has {before.get(table, 0)} rows, fewer than the {wanted} seeded")
        return problems
    finally:
        for name in created:
            try:
                drop_database(base, name)
            except Exception as error:  # keep the drill's own error; say what is left behind
                print(f"could not drop {name}: {error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intakes", type=int, default=10_000)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--audit-events", type=int, default=100_000)
    args = parser.parse_args(argv)
    base = os.environ.get("DATABASE_URL", DEFAULT_BASE)
    if not base.startswith("postgres"):
        print("The restore drill needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    base = database_url(base, "postgres")
    started = time.perf_counter()
    try:
        problems = drill(base, args)
    except DrillError as error:
        problems = [str(error)]
    if problems:
        print("\nRestore drill FAILED:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"Restore drill passed in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    # A TERM (CI cancelling the job) unwinds like an error, so the databases are still dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
