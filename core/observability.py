"""Request ids, structured logs, error reporting and metrics: what an operator sees of a running server.

Nothing here records content. A log line carries a timestamp, a level, the logger, the event (the message our
code wrote, which never holds what a person typed: tests/security/test_canary.py), the request id and the
user's id; exceptions are logged as their type and frames, without the message, because a database error's
message can quote the row it refused (what someone typed).

This module is imported by gunicorn's master (deploy/gunicorn.conf.py names its formatters) before Django is
set up, so its top level uses the standard library only; Django and sentry-sdk are imported where used.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_META = "krisestotte.request_id"  # where the request keeps its id (request.META, the WSGI environ)
# What a request id from the proxy may look like (nginx's $request_id is 32 hex digits; a UUID has dashes).
# Anything else is replaced, so a client cannot write arbitrary text into the logs.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("request", default=None)


def current_request_id() -> str | None:
    """The id of the request being served in this thread, or None outside a request."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None, *, trusted: bool) -> str:
    """The proxy's id when the proxy is trusted to set it and it looks like one; else a new one."""
    if trusted and header and _VALID_REQUEST_ID.fullmatch(header):
        return header
    return new_request_id()


class RequestIdMiddleware:
    """Gives every request an id: in every log line written while it is served, in the ``X-Request-ID``
    response header (gunicorn's access log reads it from there) and on the 500 page, so a person can quote it.

    The id comes from the proxy's ``X-Request-ID`` only with ``REQUEST_ID_TRUSTED`` (``DJANGO_TRUST_REQUEST_ID``):
    the proxy must then set or overwrite the header, as deploy/nginx.conf.example does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        trusted = bool(getattr(settings, "REQUEST_ID_TRUSTED", False))
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"), trusted=trusted)
        request.META[REQUEST_ID_META] = request_id
        id_token = _request_id.set(request_id)
        request_token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _user_id(request: HttpRequest) -> int | str | None:
    """The logged-in user's id, if the request has loaded its user already. Never loads it: that would be a
    query (and a session read) made by a log line."""
    user = request.__dict__.get("_cached_user")  # set by AuthenticationMiddleware once the user is loaded
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    pk: int | str | None = getattr(user, "pk", None)
    return pk


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` (None outside a request or when logged out) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        request_id = current_request_id()
        if request is None:
            # Django logs a 4xx or 5xx answer after the middleware has finished, with the request attached.
            request = getattr(record, "request", None)
            request_id = getattr(request, "META", {}).get(REQUEST_ID_META)
        record.request_id = request_id
        record.user_id = _user_id(request) if request is not None else None
        return True


# --- Formatters ---------------------------------------------------------------------------------------------

# Attributes every LogRecord has; anything else on a record came in through ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "user_id",
    "taskName",
}
ACCESS_LOGGER = "gunicorn.access"


def utc_timestamp(created: float) -> str:
    """ISO 8601 in UTC with milliseconds, the same in gunicorn's master and its workers whatever TZ says."""
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def exception_summary(exc_info: Any) -> dict[str, Any]:
    """The exception's type and frames (file, line, function), without its message or any source line."""
    exc_type, _value, tb = exc_info
    return {
        "type": f"{exc_type.__module__}.{exc_type.__qualname__}" if exc_type else None,
        "frames": [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)],
    }


def access_fields(args: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a gunicorn access log line, picked from its atoms: the path without the query string
    (which can carry search words), no referrer, user agent, cookie or other request header."""
    status = args.get("s")
    duration_us = args.get("D")
    request_id = args.get("{x-request-id}o")
    return {
        "method": args.get("m"),
        "path": args.get("U"),
        "status": int(status) if isinstance(status, int | str) and str(status).isdigit() else status,
        "bytes": args.get("B"),
        "duration_ms": round(duration_us / 1000, 1) if isinstance(duration_us, int | float) else None,
        "request_id": request_id if request_id and request_id != "-" else None,
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp (UTC), level, logger, event, request_id, user_id, plus numbers
    passed as ``extra`` (Django's ``status_code``) and the exception's type and frames."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == ACCESS_LOGGER and isinstance(record.args, Mapping):
            entry["event"] = "request"
            entry.update(access_fields(record.args))
        else:
            entry["event"] = record.getMessage()
            entry["request_id"] = getattr(record, "request_id", None)
            entry["user_id"] = getattr(record, "user_id", None)
            for key, value in record.__dict__.items():
                # Numbers and flags only: a string passed as extra could be anything.
                if key not in _STANDARD_ATTRIBUTES and isinstance(value, bool | int | float):
                    entry[key] = value
        if record.exc_info:
            entry["exception"] = exception_summary(record.exc_info)
        return json.dumps({k: v for k, v in entry.items() if v is not None}, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The local, human-readable format: UTC time, level, logger, request and user, message (and the whole
    traceback: locally the developer needs the message, and sees only her own demo data)."""

    def format(self, record: logging.LogRecord) -> str:
        context = ""
        request_id = getattr(record, "request_id", None)
        user_id = getattr(record, "user_id", None)
        if request_id:
            context += f" request={request_id}"
        if user_id is not None:
            context += f" user={user_id}"
        line = f"{utc_timestamp(record.created)} {record.levelname} {record.name}{context}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """Django's ``LOGGING`` (and the base of gunicorn's): one console handler, JSON or text, with the request
    context on every record. ``log_format`` is ``json`` or ``text``."""
    if log_format not in {"json", "text"}:
        raise ValueError(f"DJANGO_LOG_FORMAT must be json or text (got {log_format!r}).")
    return {
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
                "formatter": log_format,
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }


# --- Sentry ------------------------------------------------------------------------------------------------

# Request headers that may go to the error tracker; the rest (cookies, authorization, forwarded addresses)
# never leave the server.
_SENTRY_HEADERS = frozenset({"content-type", "content-length", "accept", "x-request-id"})


def sentry_before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    """Strip what sentry-sdk would send about the request beyond its method and path: no body, no query string,
    no cookies, no headers but a few harmless ones, no user but the id; exception messages of database errors
    (which quote rows) are dropped too."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in _SENTRY_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    exceptions = event.get("exception", {}).get("values", [])
    for exception in exceptions if isinstance(exceptions, list) else []:
        module = str(exception.get("module") or "")
        if module.startswith(("django.db", "psycopg", "sqlite3")):
            exception["value"] = ""
    event.setdefault("tags", {})
    request_id = current_request_id()
    if request_id:
        event["tags"]["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, release: str | None, transport: Any = None) -> None:
    """Error reporting to Sentry (or a compatible service) with nothing personal: no default PII, no local
    variables in frames, no request bodies, and :func:`sentry_before_send` on every event."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=sentry_before_send,  # type: ignore[arg-type]
        integrations=[DjangoIntegration()],
        transport=transport,
    )


# --- Metrics -------------------------------------------------------------------------------------------------


def parse_networks(values: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses or networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``); a wrong one raises ValueError."""
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def address_allowed(address: str, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics (django-prometheus; every gunicorn worker's with ``PROMETHEUS_MULTIPROC_DIR``), only
    to the addresses in ``METRICS_ALLOWED_NETWORKS``; anyone else gets a plain 404. The address is the TCP
    peer's (``REMOTE_ADDR``), never a forwarded header, which a client could write itself."""
    from django.conf import settings
    from django.http import HttpResponseNotAllowed, HttpResponseNotFound
    from django_prometheus.exports import ExportToDjangoView

    if not address_allowed(request.META.get("REMOTE_ADDR", ""), settings.METRICS_ALLOWED_NETWORKS):
        return HttpResponseNotFound("not found\n", content_type="text/plain")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response: HttpResponse = ExportToDjangoView(request)
    return response
