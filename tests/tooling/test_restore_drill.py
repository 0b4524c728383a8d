"""The restore drill (benchmarks/restore_drill.py, `make restore-drill`) fails when the restored copy differs:
a row count, a missing or extra table, unapplied migrations, a missing, disabled or toothless audit trigger,
a client tool that fails. CI runs the drill itself on PostgreSQL."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("restore_drill", ROOT / "benchmarks" / "restore_drill.py")
drill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(drill)

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drill runs on PostgreSQL")

SOURCE = {"accounts_auditevent": 50_000, "intake_intake": 5_000, "auth_user": 9}


def test_identical_counts_pass():
    assert drill.compare_counts(SOURCE, dict(SOURCE)) == []


def test_a_different_count_fails_and_names_the_table():
    restored = {**SOURCE, "accounts_auditevent": 49_999}
    assert drill.compare_counts(SOURCE, restored) == ["accounts_auditevent: 50000 rows in the source, 49999 restored"]


def test_a_missing_or_extra_table_fails():
    restored = {k: v for k, v in SOURCE.items() if k != "intake_intake"} | {"stray": 0}
    assert drill.compare_counts(SOURCE, restored) == [
        "intake_intake: missing from the restored database",
        "stray: in the restored database only",
    ]


def test_counting_nothing_fails():
    assert drill.compare_counts({}, {}) == ["the source database has no tables"]


def test_the_table_marks_the_difference():
    text = drill.format_counts(SOURCE, {**SOURCE, "auth_user": 8})
    lines = {line.split()[0]: line for line in text.splitlines()[2:]}
    assert lines["auth_user"].split() == ["auth_user", "9", "8", "<--", "differs"]
    assert lines["intake_intake"].split() == ["intake_intake", "5000", "5000"]


def test_tool_version_is_read():
    assert drill.tool_major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n") == 15
    assert drill.tool_major("pg_restore (PostgreSQL) 17.2\n") == 17
    with pytest.raises(drill.DrillError):
        drill.tool_major("command not found")


def test_a_failing_client_tool_stops_the_drill():
    with pytest.raises(drill.DrillError, match="exited 3"):
        drill.run([sys.executable, "-c", "import sys; sys.stderr.write('broken dump'); sys.exit(3)"])


def test_migrate_check_detects_unapplied_migrations(tmp_path):
    url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    ok, output = drill.migrate_check(url)
    assert not ok, output
    # Recorded as applied (no tables needed for the check), the same database passes.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--fake", "-v", "0"],
        cwd=ROOT,
        env={**drill.os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"},
        check=True,
    )
    ok, output = drill.migrate_check(url)
    assert ok, output


def test_main_fails_on_any_problem(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    monkeypatch.setattr(drill, "drill", lambda base, args: ["intake_intake: 5 rows in the source, 4 restored"])
    assert drill.main([]) == 1
    assert "Restore drill FAILED" in capsys.readouterr().err

    def cannot_run(base, args):
        raise drill.DrillError("pg_restore exited 1")

    monkeypatch.setattr(drill, "drill", cannot_run)
    assert drill.main([]) == 1
    monkeypatch.setattr(drill, "drill", lambda base, args: [])
    assert drill.main([]) == 0
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.sqlite3")
    assert drill.main([]) == 2


def test_the_documented_count_query_is_the_drills():
    assert drill.ROW_COUNTS_SQL in (ROOT / "docs" / "deployment.md").read_text()


def _test_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@postgresql_only
@pytest.mark.django_db
def test_count_rows_counts_every_table():
    counts = drill.count_rows(_test_database_url())
    assert counts["auth_permission"] == Permission.objects.count() > 0
    assert {"accounts_auditevent", "intake_intake", "incidents_incident", "django_migrations"} <= counts.keys()


@postgresql_only
@pytest.mark.django_db
def test_the_audit_trigger_check():
    """Present and refusing: no problem. Disabled, toothless or dropped: a problem. All in one rolled-back
    transaction on a connection of its own (the test's own transaction does not touch the audit table)."""
    import psycopg

    trigger = drill.AUDIT_TRIGGER
    with psycopg.connect(_test_database_url().replace("postgres://", "postgresql://")) as conn:
        try:
            conn.execute("SET LOCAL lock_timeout = '10s'")  # fail, not hang, should the table ever be locked
            if conn.execute("SELECT NOT EXISTS (SELECT FROM accounts_auditevent)").fetchone()[0]:
                assert drill.trigger_problems(conn) == ["no audit event to try the trigger on"]
            conn.execute(
                "INSERT INTO accounts_auditevent (id, at, action, target_type, target_id) "
                "VALUES (gen_random_uuid(), now(), 'auth.login', '', '')"
            )
            conn.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks: ALTER TABLE refuses them
            assert drill.trigger_problems(conn) == []
            conn.execute(f"ALTER TABLE accounts_auditevent DISABLE TRIGGER {trigger}")
            assert drill.trigger_problems(conn) == [f"trigger {trigger} is disabled in the restored database"]
            conn.execute(f"ALTER TABLE accounts_auditevent ENABLE TRIGGER {trigger}")
            conn.execute(
                "CREATE OR REPLACE FUNCTION accounts_auditevent_refuse_change() RETURNS trigger AS $$ "
                "BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            assert drill.trigger_problems(conn) == [f"trigger {trigger} let an UPDATE through"]
            conn.execute(f"DROP TRIGGER {trigger} ON accounts_auditevent")
            assert drill.trigger_problems(conn) == [f"trigger {trigger} is missing from the restored database"]
        finally:
            conn.rollback()
