"""gunicorn's configuration: ``gunicorn -c deploy/gunicorn.conf.py config.wsgi:application``.

Logs: the error log and the access log go to standard error through the app's own formatters
(core/observability.py): one JSON object per line with ``DJANGO_LOG_FORMAT=json``, readable text otherwise;
UTC timestamps in the master and in every worker alike. An access line carries method, path (never the query
string, which can hold search words), status, bytes, duration and the request id; no address, referrer, user
agent or other header.

Every setting here can be overridden on the command line or with ``GUNICORN_CMD_ARGS``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The formatters are named by dotted path; the app's folder must be importable before gunicorn loads the app.
sys.path.insert(0, str(ROOT))
chdir = str(ROOT)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Longer than the slowest page (a folder PDF's first rendering takes a few seconds) and than EMAIL_TIMEOUT.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, staggered, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# Behind a proxy on the same machine or network: X-Forwarded-Proto is read by Django (SECURE_PROXY_SSL_HEADER),
# not by gunicorn, so gunicorn needs no list of trusted proxies here.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket (gunicornc) would be made in the home folder, which the service user does not have.
control_socket_disable = True

LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The text format of an access line. The JSON format ignores it and picks the same atoms itself.
access_log_format = "%(m)s %(U)s %(s)s %(B)sB %(M)sms request=%({x-request-id}o)s"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.observability.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "core.observability.JsonFormatter"},
        "text": {"()": "core.observability.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in {"json", "text"} else "text",
            "filters": ["request_context"],
            "stream": "ext://sys.stderr",
        },
        # gunicorn's defaults name these; they are kept unused so its merge of our dict finds them.
        "error_console": {"class": "logging.NullHandler"},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
    },
}

# Prometheus: with several workers, each keeps its own counters; prometheus_client's multiprocess mode adds
# them up on /metrics. Set PROMETHEUS_MULTIPROC_DIR to an empty folder of the app's own (the systemd unit uses
# its RuntimeDirectory); the counters of a previous run are deleted when gunicorn starts.
MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    if MULTIPROC_DIR:
        folder = Path(MULTIPROC_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    if MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
