"""Two app servers, one PostgreSQL, one storage folder: a new folder PDF asked from both at once is rendered once.

Two gunicorn processes (deploy/gunicorn.conf.py) on the test database and one DJANGO_MEDIA_ROOT, as two
machines behind a load balancer with a shared storage. Both get the same request at the same moment; the render
lock (routines.pdf_store.render_lock, a PostgreSQL advisory lock) lets one render while the other waits and then
serves the stored file. PostgreSQL only (the lock is PostgreSQL's): CI runs the suite on it (DATABASE_URL);
locally, `DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME pytest tests/routines/test_pdf_two_servers.py`.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from routines.models import RoutinePdf
from routines.selectors import get_published_routine

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the render lock is a PostgreSQL advisory lock: run with DATABASE_URL=postgres://... (CI does)",
    ),
    # The servers are other processes: they see only committed rows.
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    settings = connection.settings_dict
    return (
        "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
            **{k: settings[k] or "" for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
        )
        .replace(":@", "@")
        .replace("://@", "://")
    )


def start_server(tmp_path: Path, name: str, port: int) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_"))}
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=database_url(),
        DJANGO_DB_POOL_MIN="1",
        DJANGO_DB_POOL_MAX="2",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),  # the one folder both share
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_LOG_FORMAT="json",
        DJANGO_TASKS_BACKEND="immediate",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    log_path = tmp_path / f"{name}.log"
    with log_path.open("w") as log:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "config.wsgi:application"],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return server, log_path


def wait_until_up(port: int, server: subprocess.Popen, log_path: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert server.poll() is None, log_path.read_text()[-3000:]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start:\n{log_path.read_text()[-3000:]}")


def render_lines(log_path: Path) -> list[dict]:
    lines = []
    for line in log_path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") == "routines.pdf_store" and "rendered" in entry.get("event", ""):
            lines.append(entry)
    return lines


def test_two_servers_asked_at_once_render_a_folder_pdf_once(routines, tmp_path):
    version = get_published_routine("vold-og-trusler")
    (tmp_path / "static").mkdir()
    ports = [free_port(), free_port()]
    servers = [start_server(tmp_path, f"server{i}", port) for i, port in enumerate(ports)]
    try:
        deadline = time.monotonic() + 60
        for port, (server, log_path) in zip(ports, servers):
            wait_until_up(port, server, log_path, deadline)

        barrier = threading.Barrier(2)
        answers: dict[int, tuple[int, bytes, float, float]] = {}

        def ask(port: int) -> None:
            barrier.wait()
            started = time.monotonic()
            url = f"http://127.0.0.1:{port}/routines/vold-og-trusler/folder.pdf?lang=nb"
            with urllib.request.urlopen(url, timeout=60) as response:
                answers[port] = (response.status, response.read(), started, time.monotonic())

        threads = [threading.Thread(target=ask, args=(port,)) for port in ports]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        logs = "\n".join(log_path.read_text()[-2000:] for _, log_path in servers)
        assert set(answers) == set(ports), logs

        (status_a, body_a, start_a, end_a), (status_b, body_b, start_b, end_b) = answers.values()
        # The two requests really overlapped: each was sent before the other was answered.
        assert max(start_a, start_b) < min(end_a, end_b)
        assert status_a == status_b == 200
        assert body_a.startswith(b"%PDF") and body_a == body_b

        # Rendered once: one log line across both servers, one row, one file in the shared folder.
        rendered = render_lines(servers[0][1]) + render_lines(servers[1][1])
        assert len(rendered) == 1, logs
        assert RoutinePdf.objects.filter(version=version, variant="folder", lang="nb").count() == 1
        files = list((tmp_path / "media" / "routine-pdfs" / str(version.pk)).iterdir())
        assert len(files) == 1 and files[0].read_bytes() == body_a
    finally:
        for server, _ in servers:
            server.terminate()
        for server, _ in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
