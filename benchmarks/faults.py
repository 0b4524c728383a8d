"""Faults under load, against a running gunicorn server and the local PostgreSQL cluster.

(a) PostgreSQL restart: counsellors step through the wizard and autosave (wizard_load.py) while PostgreSQL is
    stopped for a few seconds and started again. Target: while it is down, requests fail cleanly (our error
    page, or no connection; never a request hanging past the pool's timeout), the app recovers by itself
    within RECOVERY_LIMIT seconds of PostgreSQL being back, and every acknowledged answer is still stored;
    a save that got no answer is stored whole or not at all.
(b) A gunicorn worker killed (SIGKILL) in the middle of requests that write: the load runs while one worker
    after another is killed. Target: the interrupted client gets a connection error (never a hang, never a
    200 for a save that was not stored), every interrupted save is stored whole or not at all, nothing
    acknowledged is lost, and gunicorn's master starts a new worker each time.

Afterwards the server must be healthy (``/readyz`` 200, as many workers as before).

    .venv/bin/python benchmarks/faults.py --base-url http://127.0.0.1:8000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench --gunicorn-pid PID

Run from the repository root with the server's environment, as root (it restarts the PostgreSQL cluster with
``pg_ctlcluster``; other databases on the cluster lose their connections for those seconds too). Prints
``RESULT {json}`` last; exits 0 when every target is met, 1 otherwise.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wizard_load import (
    Browser,
    Run,
    TransportError,
    count_outcomes,
    create_counsellors,
    django_setup,
    latency_table,
    published_tree,
    run_load,
    run_script,
    verify,
)

RECOVERY_LIMIT = 15.0  # seconds from PostgreSQL accepting connections to the app answering again
FAIL_LIMIT = 20.0  # the pool waits up to 10 s for a connection; a request queued behind one that waits, up to twice
RESPAWN_LIMIT = 30.0  # seconds for gunicorn's master to have a new worker serving


def pg_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v))
    return versions[-1], "main"


def pg_ctl(action: str, cluster: tuple[str, str]) -> None:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def workers(master: int) -> set[int]:
    """The gunicorn master's child processes (its workers)."""
    children: set[int] = set()
    for task in Path(f"/proc/{master}/task").iterdir():
        text = (task / "children").read_text().split()
        children.update(int(pid) for pid in text)
    return children


class HealthMonitor(threading.Thread):
    """Polls /readyz (the database answers): (time, status or 0 for no answer, seconds) every ``interval``."""

    def __init__(self, base_url: str, interval: float = 0.2):
        super().__init__(daemon=True)
        self.browser = Browser(base_url, timeout=FAIL_LIMIT + 5)
        self.interval = interval
        self.stop = threading.Event()
        self.samples: list[tuple[float, int, float]] = []

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                status = self.browser.request("GET", "/readyz").status
            except TransportError:
                status = 0
            self.samples.append((started, status, time.monotonic() - started))
            self.stop.wait(self.interval)


def background_load(base_url, usernames, tree, seconds, seed) -> tuple[Run, threading.Event, threading.Thread]:
    run, stop = Run(), threading.Event()
    thread = threading.Thread(
        target=run_load,
        args=(base_url, usernames, tree, seconds),
        kwargs={"stop": stop, "run": run, "seed": seed},
        daemon=True,
    )
    thread.start()
    return run, stop, thread


def acknowledged(run: Run) -> int:
    with run.lock:
        return sum(d.acknowledged_saves for d in run.drafts)


def block_database(seconds: float) -> None:
    """An outage of this database only (the cluster's other databases carry on): refuse new connections and
    end the open ones, for ``seconds``."""
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.close()
    params = {k: v for k, v in connection.get_connection_params().items() if k not in {"cursor_factory", "context"}}
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        try:
            time.sleep(seconds)
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def end_connections() -> int:
    """What a PostgreSQL restart does to the app's pooled connections, without restarting: end them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def idle_connections_ended(base_url: str, requests: int = 30) -> dict:
    """The app idle, its pooled connections ended (as by a restart in a quiet hour): the next requests must
    all succeed, none may be handed a dead connection."""
    browser = Browser(base_url, timeout=FAIL_LIMIT + 5)
    for _ in range(4):
        browser.request("GET", "/readyz")  # both workers have pooled connections
    ended = end_connections()
    statuses = []
    for _ in range(requests):
        try:
            statuses.append(browser.request("GET", "/readyz").status)
        except TransportError as error:
            statuses.append(str(error))
    failed = sum(1 for status in statuses if status != 200)
    return {"connections_ended": ended, "requests": requests, "failed": failed, "ok": failed == 0 and ended > 0}


def postgres_restart(base_url, usernames, tree, cluster, down_seconds: float, block: bool = False) -> dict:
    monitor = HealthMonitor(base_url)
    monitor.start()
    run, stop, thread = background_load(base_url, usernames, tree, 120, seed=7)
    time.sleep(8)
    saves_before = acknowledged(run)
    stop_started = time.monotonic()
    if block:
        block_database(down_seconds)
        down = stop_started
    else:
        pg_ctl("stop", cluster)
        down = time.monotonic()
        time.sleep(down_seconds)
        pg_ctl("start", cluster)
    up = time.monotonic()  # pg_ctlcluster start returns once the server accepts connections
    recovered = None
    while time.monotonic() < up + RECOVERY_LIMIT * 2:
        after = [(t + s, status) for t, status, s in monitor.samples if t >= up]
        if any(status == 200 for _, status in after):
            recovered = min(end for end, status in after if status == 200)
            break
        time.sleep(0.1)
    time.sleep(10)  # the load goes on after the restart
    stop.set()
    thread.join(60)
    monitor.stop.set()
    monitor.join(30)
    verified = verify(run.drafts)

    samples = run.samples
    failed = [s for s in samples if s.outcome != "ok"]
    during = [s for s in failed if s.started + s.seconds >= stop_started and s.started <= up]
    after_up = [s for s in failed if s.started > up]
    before = [s for s in failed if s.started + s.seconds < stop_started]
    unclean = [s for s in failed if s.outcome == "timeout" or "not our" in s.outcome or s.seconds > FAIL_LIMIT]
    last_failure = max((s.started + s.seconds for s in after_up), default=up)
    succeeded_after = sum(1 for s in samples if s.outcome == "ok" and s.started > up)
    if os.environ.get("FAULTS_VERBOSE"):
        for s in sorted(samples, key=lambda s: s.started):
            if s.started + s.seconds >= stop_started - 1 and s.started <= up + 3:
                print(f"{s.started - stop_started:7.2f} {s.seconds:6.2f} {s.kind:10} {s.outcome}", file=sys.stderr)
        for t, status, seconds in monitor.samples:
            if stop_started - 1 <= t <= up + 3:
                print(f"{t - stop_started:7.2f} {seconds:6.2f} readyz     {status}", file=sys.stderr)
        print(f"stop returned {down - stop_started:.2f}, start returned {up - stop_started:.2f}", file=sys.stderr)
    result = {
        "postgres_down_seconds": round(up - stop_started, 1),
        "stop_seconds": round(down - stop_started, 1),
        "acknowledged_saves_before_restart": saves_before,
        "requests": len(samples),
        "failed_before_restart": len(before),
        "failed_during_outage": len(during),
        "failed_after_postgres_back": len(after_up),
        "failure_kinds": count_outcomes(samples),
        "unclean_failures": len(unclean),
        "slowest_failure_ms": round(max((s.seconds for s in failed), default=0) * 1000),
        "slowest_success_ms": round(max((s.seconds for s in samples if s.outcome == "ok"), default=0) * 1000),
        "health_recovered_seconds": None if recovered is None else round(recovered - up, 2),
        "load_recovered_seconds": round(last_failure - up, 2),
        "succeeded_after_postgres_back": succeeded_after,
        "intakes": verified.intakes,
        "lost_answers": verified.lost_answers + verified.wrong_revisions,
        "half_saved": verified.half_saved,
        "saves_in_doubt": verified.in_doubt_intakes,
        "saves_in_doubt_stored": verified.in_doubt_saved,
        "problems": (run.problems + verified.details)[:5],
    }
    result["ok"] = (
        recovered is not None
        and recovered - up <= RECOVERY_LIMIT
        and last_failure - up <= RECOVERY_LIMIT
        and not before
        and not unclean
        and succeeded_after > 0
        and result["lost_answers"] == 0
        and verified.half_saved == 0
    )
    return result


def socket_owners(pids: set[int]) -> dict[int, int]:
    """Local TCP port -> the pid (of ``pids``) holding that socket."""
    inodes = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes[target[8:-1]] = pid
    owners = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                owners[int(fields[1].rsplit(":", 1)[1], 16)] = inodes[fields[9]]
    return owners


def worker_in_write(master: int, patience: float) -> tuple[int, str] | tuple[None, None]:
    """A worker whose database transaction has written and not committed yet (pg_stat_activity's backend_xid),
    found by matching the backend's client port to the worker's socket, and what its backend is doing (the
    statement's verb and first table, never its values); (None, None) if none shows within ``patience``."""
    from django.db import connection

    deadline = time.monotonic() + patience
    owners = socket_owners(workers(master))  # pooled connections live on: this rarely changes
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT client_port, query FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND client_port IS NOT NULL"
            )
            rows = cursor.fetchall()
            if any(port not in owners for port, _query in rows):
                owners = socket_owners(workers(master))
            if rows:
                for port, query in rows:
                    if port in owners:
                        verb = query.split()[0].upper() if query.strip() else "?"
                        dml = verb in {"SELECT", "INSERT", "UPDATE", "DELETE"}
                        table = re.search(r'"(\w+)"', query) if dml else None
                        return owners[port], f"{verb} {table.group(1)}" if table else verb
    return None, None


def worker_kill(base_url, usernames, tree, master: int, kills: int, rng: random.Random) -> dict:
    before = workers(master)
    run, stop, thread = background_load(base_url, usernames, tree, 120, seed=11)
    time.sleep(4)
    respawns = []
    killed = []
    mid_write = 0
    killed_during: dict[str, int] = {}
    for _ in range(kills):
        current = workers(master)
        # Killed with a write transaction open if one can be caught; else wherever it is.
        victim, doing = worker_in_write(master, patience=10)
        if victim is None:
            victim = rng.choice(sorted(current))
        else:
            mid_write += 1
            killed_during[doing] = killed_during.get(doing, 0) + 1
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
        started = time.monotonic()
        while time.monotonic() < started + RESPAWN_LIMIT:
            now = workers(master)
            if victim not in now and len(now) >= len(current):
                respawns.append(time.monotonic() - started)
                break
            time.sleep(0.05)
        time.sleep(3)
    stop.set()
    thread.join(60)
    verified = verify(run.drafts)
    samples = run.samples
    failed = [s for s in samples if s.outcome != "ok"]
    interrupted = [s for s in failed if s.outcome == "connection"]
    other = [s for s in failed if s.outcome != "connection"]
    result = {
        "workers": len(before),
        "kills": kills,
        "killed_inside_a_write_transaction": mid_write,
        "killed_during": killed_during,  # the killed worker's statement at that moment (verb and table)
        "respawned": len(respawns),
        "respawn_seconds_max": round(max(respawns, default=0), 2),
        "requests": len(samples),
        "interrupted_requests": len(interrupted),
        "interrupted_writes": sum(1 for s in interrupted if s.kind in ("autosave", "step_post", "intake_new", "login")),
        "other_failures": count_outcomes(other),
        "slowest_failure_ms": round(max((s.seconds for s in failed), default=0) * 1000),
        "intakes": verified.intakes,
        "saves_in_doubt": verified.in_doubt_intakes,
        "saves_in_doubt_stored_whole": verified.in_doubt_saved,
        "saves_in_doubt_not_stored": verified.in_doubt_intakes - verified.in_doubt_saved - verified.half_saved,
        "half_saved": verified.half_saved,
        "lost_answers": verified.lost_answers + verified.wrong_revisions,
        "latency": latency_table(samples, ("autosave", "step_post")),
        "problems": (run.problems + verified.details)[:5],
    }
    result["ok"] = (
        len(respawns) == kills
        and not other
        and all(s.seconds <= FAIL_LIMIT for s in failed)
        and verified.half_saved == 0
        and result["lost_answers"] == 0
    )
    return result


def healthy(base_url: str, master: int, count: int) -> dict:
    """Wait (up to 30 s) for /readyz 200 and ``count`` workers."""
    browser = Browser(base_url, timeout=10)
    deadline = time.monotonic() + 30
    status, now = 0, set()
    while time.monotonic() < deadline:
        now = workers(master)
        try:
            status = browser.request("GET", "/readyz").status
        except TransportError:
            status = 0
        if status == 200 and len(now) == count:
            break
        time.sleep(0.5)
    return {"readyz": status, "workers": len(now), "ok": status == 200 and len(now) == count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--gunicorn-pid", type=int, required=True)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--down-seconds", type=float, default=3, help="how long PostgreSQL stays stopped")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--skip", choices=["postgres", "idle", "worker"], action="append", default=[])
    parser.add_argument(
        "--block-instead",
        action="store_true",
        help="instead of restarting the cluster, refuse connections to this database only (other users of the "
        "cluster are not disturbed; allows outages longer than a restart)",
    )
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    django_setup(args.database_url)
    usernames = create_counsellors(args.users, prefix="fault-counsellor")
    from intake.questionnaire import Tree

    tree = Tree(published_tree().questionnaire)
    count = len(workers(args.gunicorn_pid))
    if not count or b"gunicorn" not in Path(f"/proc/{args.gunicorn_pid}/cmdline").read_bytes():
        raise SystemExit(f"{args.gunicorn_pid} is not a gunicorn master with workers")
    result = {
        "script": "faults",
        "target": "clean failures, recovery by itself, nothing acknowledged lost, nothing half-saved",
    }
    if "idle" not in args.skip:
        result["idle_connections_ended"] = idle_connections_ended(base_url)
    if "postgres" not in args.skip:
        # Without a local cluster to restart (or not as root), the outage is this database refusing connections.
        block = args.block_instead or not (shutil.which("pg_ctlcluster") and Path("/etc/postgresql").is_dir())
        cluster = None if block else pg_cluster()
        part = postgres_restart(base_url, usernames, tree, cluster, args.down_seconds, block=block)
        result["postgres_outage" if block else "postgres_restart"] = part
    if "worker" not in args.skip:
        result["worker_kill"] = worker_kill(base_url, usernames, tree, args.gunicorn_pid, args.kills, random.Random(5))
    result["after"] = healthy(base_url, args.gunicorn_pid, count)
    result["ok"] = all(part["ok"] for key, part in result.items() if isinstance(part, dict))
    print(f"RESULT {json.dumps(result)}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    run_script(main, "faults")
