"""`make bench`: the app under gunicorn (2 workers) on 127.0.0.1 against PostgreSQL, measured with wrk.

1. PostgreSQL up (as .ci/run does), a scratch database ``bench_<timestamp>``, migrate, seed_demo, collectstatic
   into a temporary STATIC_ROOT, production settings (DJANGO_DEBUG=0) with local values, 2FA off.
2. benchmarks/bench_django.py: 1 000 and 100 000 incident reports and intakes (a "small" and a "large" unit
   side by side), each demo routine's folder rendered cold, the SQL queries of every measured page.
3. gunicorn with 2 workers and the task worker (`manage.py db_worker`) beside it, as production runs them; the
   personas log in through the login form.
4. wrk, in rounds: every endpoint for a few seconds per round, one after another, so that noise on the shared
   machine hits all of them alike; each figure is compared with its baseline from the same round (the
   framework floor, the static file, the 1 000-row list).
5. First paint on a phone (benchmarks/first_paint.py, issue 22): Chromium with CDP throttling opens the routine
   page cold and again with the network off, against the same server; median and range of --first-paint-runs.
6. The load and fault scripts (benchmarks/wizard_load.py, incident_race.py, faults.py), when present.
7. The table, printed and written to benchmarks/results/latest.md; then gunicorn is stopped and the database
   dropped, whatever happened (also on Ctrl-C).

    .venv/bin/python benchmarks/bench.py [--rounds 3] [--seconds 4] [--small 1000] [--large 100000]
    .venv/bin/python benchmarks/bench.py --only-first-paint [--first-paint-runs 5]   # step 5 alone (a few minutes)
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import (  # noqa: E402
    WRK_LUA,
    first_paint_report,
    fmt_latency,
    fmt_ratio,
    markdown_table,
    paired_ratio,
    parse_wrk,
    script_summary,
    summarise,
    thousands,
    verdict,
)

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-" + secrets.token_hex(8)
MANY_MANAGER, ONLY_MANAGER = "bench_many", "bench_only"  # benchmarks/bench_django.py makes them
PERSONAS = ["counsellor", "counsellor2", "counsellor_other", "manager", "manager_other", MANY_MANAGER]
STATIC_COPY = "bench/folder-copy.pdf"  # the folder PDF's bytes, served as a static file by the same app
LOAD_SCRIPTS = [  # written separately; each prints one line "RESULT {json}"
    ("wizard_load", "20 counsellors stepping through the wizard and autosaving, 60 s"),
    ("incident_race", "two managers saving the same incident, 100 times"),
    ("faults", "PostgreSQL restart and a killed worker"),
]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- PostgreSQL -----------------------------------------------------------------------------------------


def ensure_postgres() -> None:
    """As .ci/run: start the newest local cluster if nothing answers on 127.0.0.1:5432."""
    ready = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]
    if subprocess.run(ready).returncode == 0:
        return
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v)) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        sys.exit("PostgreSQL is not running on 127.0.0.1:5432 and no local cluster was found.")
    log(f"starting PostgreSQL {versions[-1]}")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=True)
    for _ in range(30):
        if subprocess.run(ready).returncode == 0:
            return
        time.sleep(1)
    sys.exit("PostgreSQL did not come up on 127.0.0.1:5432.")


def admin_sql(sql: str) -> list:
    import psycopg

    with psycopg.connect(ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


# --- HTTP -----------------------------------------------------------------------------------------------


def fetch(port: int, method: str, path: str, headers: dict | None = None, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers) -> dict:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key.strip()] = val.strip()
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items() if v)


def login(port: int, username: str) -> str:
    """Log in through the login form (with its CSRF token), as a person would; returns the Cookie header."""
    status, headers, body = fetch(port, "GET", "/login/")
    jar = cookies_from(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match:
        raise RuntimeError(f"login page: {status}")
    form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()})
    status, headers, _ = fetch(
        port,
        "POST",
        "/login/",
        {"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    jar.update(cookies_from(headers))
    if status != 302:
        raise RuntimeError(f"login of {username}: {status}")
    return cookie_header(jar)


def healthy(port: int) -> bool:
    try:
        return fetch(port, "GET", "/healthz")[0] == 200
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- gunicorn -------------------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict, workdir: Path):
        self.env, self.workdir, self.port, self.proc = env, workdir, free_port(), None

    def start(self) -> None:
        logfile = open(self.workdir / "gunicorn.log", "ab")  # noqa: SIM115  (open while the server runs)
        self.proc = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(120):
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.workdir / 'gunicorn.log'}")
            if healthy(self.port):
                return
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class Worker:
    """`manage.py db_worker` beside gunicorn, as production runs it: the e-mail tasks the load enqueues are
    picked up while the load runs (no mail server listens here, so each is tried and scheduled again)."""

    def __init__(self, env: dict, workdir: Path):
        self.env, self.workdir, self.proc, self.starts = env, workdir, None, 0

    def start(self) -> None:
        logfile = open(self.workdir / "worker.log", "ab")  # noqa: SIM115  (open while the worker runs)
        self.proc = subprocess.Popen(
            [PY, "manage.py", "db_worker", "--no-reload", "--interval", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.starts += 1
        time.sleep(2)
        if self.proc.poll() is not None:
            raise RuntimeError(f"db_worker exited ({self.proc.returncode}); see {self.workdir / 'worker.log'}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def task_counts(database_url: str) -> dict:
    """The task rows by status at the end (django-tasks-db's table): what the worker ran, and what waits."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        ).fetchall()
    return dict(rows)


# --- wrk ------------------------------------------------------------------------------------------------


def wrk(port: int, path: str, cookie: str | None, seconds: int, connections: int, lua: Path) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed on {path}: {result.stderr.strip()}")
    return parse_wrk(result.stdout)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- the machine ----------------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem_kb = int(re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
    os_name = platform.platform()
    if Path("/etc/os-release").exists():
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        os_name = pretty.group(1) if pretty else os_name
    versions = subprocess.run(
        [
            PY,
            "-c",
            "import django, gunicorn, sys; print(sys.version.split()[0], django.__version__, gunicorn.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return {
        "cpu": model.group(1).strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "os": os_name,
        "kernel": platform.release(),
        "python": versions[0] if versions else "?",
        "django": versions[1] if len(versions) > 1 else "?",
        "gunicorn": versions[2] if len(versions) > 2 else "?",
        "postgresql": admin_sql("SHOW server_version")[0][0].split()[0],
        "wrk": wrk_version,
    }


# --- phases ---------------------------------------------------------------------------------------------


def run_checked(command: list[str], env: dict, what: str) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def result_line(stdout: str) -> dict | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    return None


def endpoints(prepared: dict) -> list[tuple[str, str, str | None]]:
    """(key, path, persona or None for anonymous). Every key here is measured once per round. A persona
    ``ONLY_MANAGER`` is served by the second server (the database with one unit)."""
    folder = prepared["folders"][0]["url"] if prepared["folders"] else None
    rows = [
        ("floor", "/bench-floor/", None),
        ("routine page", prepared["routine_url"], None),
        ("floor, logged in", "/bench-floor/", "counsellor"),
        ("home", "/", "counsellor"),
    ]
    if folder:
        rows += [("static file", f"/static/{STATIC_COPY}", None), ("folder pdf", folder, None)]
    rows += [
        ("incident list [small]", "/incidents/", "manager_other"),
        ("incident list [large]", "/incidents/", "manager"),
        ("intake list, counsellor [small]", "/intake/", "counsellor_other"),
        ("intake list, counsellor [large]", "/intake/", "counsellor2"),
        ("intake list, manager [small]", "/intake/", "manager_other"),
        ("intake list, manager [large]", "/intake/", "manager"),
        ("incident list [the only unit]", "/incidents/", ONLY_MANAGER),
        ("incident list [one unit of many]", "/incidents/", MANY_MANAGER),
    ]
    return rows


def run_first_paint(port: int, env: dict, runs: int) -> dict:
    """benchmarks/first_paint.py against the bench server: its RESULT figures, or what went wrong."""
    chromium = env.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return {"error": f"no Chromium at {chromium} (make bench installs Debian's; or set CHROMIUM_PATH)"}
    command = [PY, "benchmarks/first_paint.py", "--base-url", f"http://127.0.0.1:{port}", "--runs", str(runs)]
    log(f"first paint: {runs} runs of the phone profile in Chromium")
    started = time.monotonic()
    try:
        done = subprocess.run(
            command + ["--json", "--chromium", chromium], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
        )
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 900 s"}
    figures = result_line(done.stdout) or {"error": f"no RESULT line: {done.stderr.strip()[-1500:]}"}
    figures["seconds"] = round(time.monotonic() - started, 1)
    log(f"first paint: done in {figures['seconds']} s")
    return figures


def run_load_scripts(
    server: Server, worker: Worker, env: dict, database_url: str, wizard_seconds: int, only: set | None
) -> dict:
    results = {}
    for name, _what in LOAD_SCRIPTS:
        script = ROOT / "benchmarks" / f"{name}.py"
        if (only is not None and name not in only) or not script.exists():
            results[name] = None
            continue
        command = [PY, str(script), "--base-url", f"http://127.0.0.1:{server.port}", "--database-url", database_url]
        if name == "wizard_load":
            command += ["--seconds", str(wizard_seconds)]
        if name == "faults":
            command += ["--gunicorn-pid", str(server.proc.pid)]
        log(f"{name}: running")
        started = time.monotonic()
        try:
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            figures = result_line(done.stdout) or {
                "ok": False,
                "error": "no RESULT line",
                "stderr": done.stderr[-1500:],
            }
            figures["exit_code"] = done.returncode
        except subprocess.TimeoutExpired:
            figures = {"ok": False, "error": "timed out after 300 s"}
        figures["seconds"] = round(time.monotonic() - started, 1)
        results[name] = figures
        log(f"{name}: {'ok' if figures.get('ok') else 'NOT ok'} in {figures['seconds']} s")
        if not healthy(server.port):
            log(f"after {name}: /healthz fails; restarting gunicorn")
            figures["server_restarted_after"] = True
            server.stop()
            server.start()
        if not worker.alive():
            log(f"after {name}: the task worker has exited; restarting it")
            figures["worker_restarted_after"] = True
            worker.start()
    return results


# --- report ---------------------------------------------------------------------------------------------


def report(info: dict) -> str:
    runs, prepared, m = info["runs"], info["prepared"], info["machine"]
    s = {key: summarise(r) for key, r in runs.items()}
    q = prepared["queries"]
    rows = []

    def row(label, key, ratio=None, target="", result=""):
        queries = q.get(key, {}).get("queries", "-")
        rows.append([label, fmt_latency(s.get(key, {})), queries, fmt_ratio(ratio), target, result])

    row("framework floor, anonymous", "floor")
    r = paired_ratio(runs["routine page"], runs["floor"])
    row("routine page (vold-og-trusler), anonymous", "routine page", r, "median <= 1.5x floor", verdict(r, 1.5))
    row("framework floor, logged in (counsellor)", "floor, logged in")
    r = paired_ratio(runs["home"], runs["floor, logged in"])
    row("home page, logged in (counsellor)", "home", r, "reported against the logged-in floor", "-")
    if "folder pdf" in runs:
        size = prepared["folders"][0]["bytes"]
        row(f"static file, same bytes as the folder ({size / 1024:.0f} kB)", "static file")
        r = paired_ratio(runs["folder pdf"], runs["static file"])
        row("folder PDF, cached (vold-og-trusler, nb)", "folder pdf", r, "median <= 2x static", verdict(r, 2.0))
    small, large = prepared["data"]["small"], prepared["data"]["large"]
    for label in ("incident list", "intake list, counsellor", "intake list, manager"):
        ks, kl = f"{label} [small]", f"{label} [large]"
        if label == "incident list":
            r = paired_ratio(runs[ks], runs["floor, logged in"])
            row(f"{label}, {thousands(small)} rows", ks, r, "median <= 3x logged-in floor", verdict(r, 3.0))
        else:
            row(f"{label}, {thousands(small)} rows", ks)
        r = paired_ratio(runs[kl], runs[ks])
        same = q.get(ks, {}).get("queries") == q.get(kl, {}).get("queries")
        row(
            f"{label}, {thousands(large)} rows",
            kl,
            r,
            "median <= 1.2x, same queries",
            verdict(r, 1.2, also=same) + ("" if same else " (queries differ)"),
        )
    many = prepared["data"].get("many")
    if many and "incident list [the only unit]" in runs:
        per_unit = thousands(many["per_unit"])
        row(f"incident list, manager of the only unit ({per_unit} reports in all)", "incident list [the only unit]")
        ko, km = "incident list [the only unit]", "incident list [one unit of many]"
        r = paired_ratio(runs[km], runs[ko])
        same = q.get(ko, {}).get("queries") == q.get(km, {}).get("queries")
        row(
            f"incident list, manager of 1 unit of {many['units']} ({per_unit} of {thousands(many['units'] * many['per_unit'])})",
            km,
            r,
            "median <= 1.1x, same queries",
            verdict(r, 1.1, also=same) + ("" if same else " (queries differ)"),
        )
    errors = sum(v.get("errors", 0) for v in s.values())
    out = [
        f"Run {info['started']} UTC, wall time {info['wall_seconds']:.0f} s (setup {info['setup_seconds']:.0f} s: "
        f"migrate, seed, {thousands(large)} + {thousands(small)} incident reports and intakes in {prepared['data']['seconds']:.0f} s).",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; {m['os']} (kernel {m['kernel']}); "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']} (2 sync workers), "
        f"PostgreSQL {m['postgresql']}, {m['wrk']}. Load average (1 min): {info['load_before']:.2f} before, "
        f"{info['load_min']:.2f}-{info['load_max']:.2f} during the wrk rounds, {info['load_after']:.2f} after.",
        "",
        f"wrk: {info['rounds']} rounds x {info['seconds']} s per endpoint, {info['connections']} connections, "
        f"2 threads; latency median / p95 is the median over the rounds, ratios are the median of the per-round "
        f"ratios (each pair measured back to back). Errors (non-2xx/3xx, timeouts) over all wrk runs: {errors}.",
        "",
        markdown_table(["what", "median / p95, rate", "SQL queries", "ratio", "target", "result"], rows),
        "",
        "Cold folder render (first download, rendered and stored; in-process through the view):",
        "",
        markdown_table(
            ["routine", "pages", "size", "cold render", "per page"],
            [
                [
                    f["slug"],
                    f["pages"],
                    f"{f['bytes'] / 1024:.0f} kB",
                    f"{f['seconds']:.2f} s",
                    f"{f['seconds'] / f['pages']:.2f} s",
                ]
                for f in prepared["folders"]
            ],
        ),
        "",
        "Load and faults (benchmarks/wizard_load.py, incident_race.py, faults.py):",
        "",
    ]
    script_rows = []
    for name, what in LOAD_SCRIPTS:
        figures = info["scripts"].get(name)
        if figures is None:
            script_rows.append([what, "not available", "-", "-"])
            continue
        script_rows.append(
            [
                what,
                script_summary(name, figures),
                figures.get("target", "-"),
                "met" if figures.get("ok") and figures.get("exit_code") == 0 else "**not met**",
            ]
        )
    out.append(markdown_table(["what", "figures", "target", "result"], script_rows))
    out += first_paint_report(info.get("first_paint"))
    if w := info.get("worker"):
        tasks = ", ".join(f"{count} {status.lower()}" for status, count in sorted(w["tasks"].items())) or "none"
        out += [
            "",
            f"Task worker (`manage.py db_worker`, beside gunicorn throughout): started {w['starts']} time(s) "
            f"({'running' if w['alive_at_end'] else '**not running**'} at the end); task rows at the end: {tasks} "
            "(no mail server listens here, so mail tasks are tried and scheduled again).",
        ]
    explain = {**prepared.get("explain", {}), **info.get("explain_only", {})}
    if explain:
        out += [
            "",
            "EXPLAIN (ANALYZE, BUFFERS) of the incident list's page query (its capped count and overdue flags"
            " are subqueries), per manager:",
            "",
        ]
        for what, plan in explain.items():
            out += [f"{what}:", "", "```", plan, "```", ""]
    return "\n".join(out) + "\n"


def only_first_paint(server: Server, env: dict, runs: int, started: str, wall: float) -> int:
    """`--only-first-paint`: the bench server with the demo data, and first_paint.py against it."""
    log(f"starting gunicorn on port {server.port} for the first-paint step alone")
    server.start()
    figures = run_first_paint(server.port, env, runs)
    text = "\n".join(
        [
            f"Run {started} UTC (first paint only), wall time {time.monotonic() - wall:.0f} s.",
            *first_paint_report(figures),
        ]
    )
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "first_paint.md").write_text(text + "\n")
    (results / "first_paint.json").write_text(json.dumps(figures, indent=1))
    print()
    print(text)
    log(f"written to {results / 'first_paint.md'}")
    return 0 if "error" not in figures else 1


# --- main -----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4, help="per endpoint and round")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--many-units", type=int, default=50)
    parser.add_argument("--per-unit", type=int, default=2000)
    parser.add_argument("--wizard-seconds", type=int, default=60)
    parser.add_argument("--scripts", nargs="*", help="run only these load scripts (default: all present)")
    parser.add_argument("--first-paint-runs", type=int, default=5, help="runs of benchmarks/first_paint.py (0: none)")
    parser.add_argument(
        "--only-first-paint",
        action="store_true",
        help="only the first-paint step: migrate, seed, collectstatic, gunicorn, first_paint.py (no data, wrk, scripts)",
    )
    args = parser.parse_args()
    if args.only_first_paint:
        args.first_paint_runs = args.first_paint_runs or 5
    elif not shutil.which("wrk"):
        sys.exit("wrk is missing: run `make bench` (it installs it) or apt-get install wrk.")

    # A kill (SIGTERM) ends the run like Ctrl-C: through the finally below, which stops gunicorn and drops
    # the database.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    wall = time.monotonic()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    ensure_postgres()
    db = f"bench_{datetime.now(UTC):%Y%m%d%H%M%S}_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    database_url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DJANGO_EMAIL_HOST": "localhost",
        "DJANGO_DEFAULT_FROM_EMAIL": "bench@localhost",
        "DJANGO_SITE_URL": "https://bench.example.org",
        # Production names the tree counsellors start and the duty-to-avert routine (no DEBUG defaults there):
        # without them every new intake is refused, as the wizard load found.
        "DJANGO_INTAKE_TREE": "first-contact",
        "DJANGO_INTAKE_DUTY_TO_AVERT_ROUTINE": "avvergingsplikten-fasilitatorveileder",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BEHIND_TLS_PROXY": "0",
        "DJANGO_REQUIRE_2FA": "0",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_ROOT_URLCONF": "benchmarks.urls",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DEMO_PASSWORD": PASSWORD,
        "PYTHONPATH": str(ROOT),
    }
    server = Server(env, workdir)
    worker = Worker(env, workdir)
    # The "many units" baseline: a second database holding only one unit's reports, behind a second server.
    db_only = db + "_only"
    env_only = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_only}"}
    server_only = Server(env_only, workdir)
    admin_sql(f'CREATE DATABASE "{db}"')
    admin_sql(f'CREATE DATABASE "{db_only}"')
    log(f"databases {db} and {db_only}, work folder {workdir}")
    try:
        manage = [PY, "manage.py"]
        run_checked(manage + ["migrate", "--no-input", "-v", "0"], env, "migrate")
        run_checked(manage + ["seed_demo", "--force"], env, "seed_demo")
        run_checked(manage + ["collectstatic", "--no-input", "-v", "0"], env, "collectstatic")
        if args.only_first_paint:
            return only_first_paint(server, env, args.first_paint_runs, started, wall)
        log(f"generating {args.large} + {args.small} incident reports and intakes, rendering folders")
        out = run_checked(
            [
                PY,
                "benchmarks/bench_django.py",
                "prepare",
                "--small",
                str(args.small),
                "--large",
                str(args.large),
                "--many-units",
                str(args.many_units),
                "--per-unit",
                str(args.per_unit),
                "--static-copy",
                str(workdir / "static" / STATIC_COPY),
            ],
            env,
            "bench_django prepare",
        )
        prepared = result_line(out)
        run_checked(manage + ["migrate", "--no-input", "-v", "0"], env_only, "migrate (one unit)")
        only = result_line(
            run_checked(
                [PY, "benchmarks/bench_django.py", "prepare-only", "--per-unit", str(args.per_unit)],
                env_only,
                "bench_django prepare-only",
            )
        )
        prepared["queries"].update(only["queries"])
        bad = {k: v for k, v in prepared["queries"].items() if v["status"] != 200}
        if bad:
            raise RuntimeError(f"pages not answering 200 in-process: {bad}")
        setup_seconds = time.monotonic() - wall
        log(f"setup done in {setup_seconds:.0f} s; starting gunicorn on port {server.port}")
        server.start()
        worker.start()
        server_only.start()
        cookies = {p: login(server.port, p) for p in PERSONAS}
        cookies[ONLY_MANAGER] = login(server_only.port, ONLY_MANAGER)
        lua = workdir / "bench.lua"
        lua.write_text(WRK_LUA)
        targets = endpoints(prepared)
        port = {ONLY_MANAGER: server_only.port}
        for key, path, persona in targets:  # each must answer 200 with this cookie (a 302 to login would be fast)
            status, _, _ = fetch(
                port.get(persona, server.port), "GET", path, {"Cookie": cookies[persona]} if persona else {}
            )
            if status != 200:
                raise RuntimeError(f"{key}: {path} answered {status}")
        runs = {key: [] for key, _, _ in targets}
        load_before, loads = loadavg(), []
        for round_no in range(args.rounds):
            log(f"wrk round {round_no + 1}/{args.rounds} ({len(targets)} endpoints x {args.seconds} s)")
            for key, path, persona in targets:
                target_port = port.get(persona, server.port)
                runs[key].append(wrk(target_port, path, cookies.get(persona), args.seconds, args.connections, lua))
                loads.append(loadavg())
        server_only.stop()
        first_paint = run_first_paint(server.port, env, args.first_paint_runs) if args.first_paint_runs else None
        only_scripts = set(args.scripts) if args.scripts is not None else None
        scripts = run_load_scripts(server, worker, env, database_url, args.wizard_seconds, only_scripts)
        worker_alive_at_end = worker.alive()
        tasks = task_counts(database_url)
        info = {
            "started": started,
            "machine": machine(),
            "prepared": prepared,
            "explain_only": only.get("explain", {}),
            "runs": runs,
            "scripts": scripts,
            "first_paint": first_paint,
            "worker": {"starts": worker.starts, "alive_at_end": worker_alive_at_end, "tasks": tasks},
            "rounds": args.rounds,
            "seconds": args.seconds,
            "connections": args.connections,
            "load_before": load_before,
            "load_min": min(loads),
            "load_max": max(loads),
            "load_after": loadavg(),
            "setup_seconds": setup_seconds,
            "wall_seconds": time.monotonic() - wall,
        }
        text = report(info)
        results = ROOT / "benchmarks" / "results"
        results.mkdir(exist_ok=True)
        (results / "latest.md").write_text(text)
        (results / "latest.json").write_text(json.dumps(info, indent=1, default=str))
        print()
        print(text)
        log(f"written to {results / 'latest.md'}; wall time {info['wall_seconds']:.0f} s")
        return 0
    finally:
        server.stop()
        worker.stop()
        server_only.stop()
        for name in (db, db_only):
            try:
                admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:
                log(f"could not drop {name}: {exc}")
        shutil.rmtree(workdir, ignore_errors=True)
        log(f"gunicorn and the task worker stopped, {db} and {db_only} dropped")


if __name__ == "__main__":
    sys.exit(main())
