"""The production connection pool after PostgreSQL restarts: a pooled connection whose server process is gone
is replaced before a request gets it (config/settings.py, CONN_HEALTH_CHECKS; benchmarks/faults.py measures
the whole restart). PostgreSQL only: the pool is psycopg's, and the test suite itself runs without it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh process with the pool on (one connection), so the pool's own behaviour is what is tested.
SCRIPT = """
import django, psycopg
django.setup()
from django.db import connection

with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
connection.close()  # back to the pool, as at the end of a request

# What a PostgreSQL restart does to an idle pooled connection.
params = connection.get_connection_params()
params.pop("pool", None)
params.pop("cursor_factory", None)
params.pop("context", None)
with psycopg.connect(**params, autocommit=True) as admin:
    admin.execute("SELECT pg_terminate_backend(%s)", [pid])

with connection.cursor() as cursor:  # the next request's first query
    cursor.execute("SELECT pg_backend_pid()")
    print("new" if cursor.fetchone()[0] != pid else "same")
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's")
def test_a_dead_pooled_connection_is_replaced_before_a_request_uses_it(django_db_setup, django_db_blocker):
    settings = connection.settings_dict
    url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{k: settings[k] or "" for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
    ).replace(":@", "@")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DB_POOL": "1",
        "DJANGO_DB_POOL_MIN": "1",
        "DJANGO_DB_POOL_MAX": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "new"
