"""Request ids, the JSON log format, the 500 page's reference, Sentry's scrubbing and the metrics allow-list."""

import io
import json
import logging
import sys
from unittest import mock

import pytest
import sentry_sdk
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse
from sentry_sdk.transport import Transport

from core import observability
from core.observability import (
    JsonFormatter,
    RequestContextFilter,
    TextFormatter,
    parse_networks,
    request_id_from,
)

# Built, so that no source line (which an error report quotes around a frame) holds the whole string.
SECRET = "-".join(["canary", "Kari", "Nordmann", "secret"])


def boom(request: HttpRequest) -> HttpResponse:
    logging.getLogger("tests.boom").info("boom view reached")
    raise RuntimeError("failed on " + request.GET.get("q", ""))


def fine(request: HttpRequest) -> HttpResponse:
    logging.getLogger("tests.fine").info("fine view reached")
    return HttpResponse("fine")


# This module is also a URL configuration, for the tests that need a view of their own.
urlpatterns = [path("boom/", boom), path("fine/", fine)]
handler500 = "config.views.server_error"


@pytest.fixture
def captured():
    """What the configured console handler would print, in JSON, for every logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


# --- request ids ---------------------------------------------------------------------------------------------


def test_every_response_carries_a_request_id(client, db):
    first = client.get(reverse("home"))["X-Request-ID"]
    second = client.get(reverse("home"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxys_request_id_is_taken_only_when_trusted(client, db, settings):
    proxy_id = "0123456789abcdef0123456789abcdef"
    assert client.get(reverse("home"), HTTP_X_REQUEST_ID=proxy_id)["X-Request-ID"] != proxy_id
    settings.REQUEST_ID_TRUSTED = True
    assert client.get(reverse("home"), HTTP_X_REQUEST_ID=proxy_id)["X-Request-ID"] == proxy_id


@pytest.mark.parametrize("header", ["", "short", "has space in it and more", "x" * 65, "bad\nnewline-0123456789"])
def test_a_request_id_that_does_not_look_like_one_is_replaced(header):
    assert request_id_from(header, trusted=True) != header


def test_log_lines_carry_the_request_id_and_the_user_id(client, users, captured, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(users["counsellor"])
    response = client.get("/fine/")
    entry = next(e for e in lines(captured) if e["event"] == "fine view reached")
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["user_id"] == users["counsellor"].pk
    assert entry["level"] == "INFO" and entry["logger"] == "tests.fine"
    assert entry["timestamp"].endswith("Z") and "T" in entry["timestamp"]


def test_log_lines_of_the_logged_out_have_no_user_id(client, db, captured, settings):
    settings.ROOT_URLCONF = __name__
    client.get("/fine/")
    entry = next(e for e in lines(captured) if e["event"] == "fine view reached")
    assert "user_id" not in entry and entry["request_id"]


def test_a_request_id_outside_a_request_is_none(captured):
    logging.getLogger("tests.outside").warning("outside any request")
    (entry,) = lines(captured)
    assert "request_id" not in entry and entry["event"] == "outside any request"


# --- the 500 page -----------------------------------------------------------------------------------------------


def test_the_500_page_shows_the_request_id_and_the_log_has_it_without_the_message(db, captured, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/?q=" + SECRET)
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert f"<code>{request_id}</code>" in response.content.decode()
    assert SECRET not in response.content.decode()
    error = next(e for e in lines(captured) if e["level"] == "ERROR")
    assert error["request_id"] == request_id and error["status_code"] == 500
    assert error["exception"]["type"] == "builtins.RuntimeError"
    assert any("in boom" in frame for frame in error["exception"]["frames"])
    assert SECRET not in captured.getvalue()


def test_the_json_format_drops_exception_messages_and_string_extras():
    try:
        raise OperationalError(f'new row violates check constraint DETAIL: Failing row contains ("{SECRET}")')
    except OperationalError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "insert failed", (), sys.exc_info(), extra={"answer": SECRET, "n": 3}
        )
    line = JsonFormatter().format(record)
    assert SECRET not in line
    entry = json.loads(line)
    assert entry["exception"]["type"] == "django.db.utils.OperationalError"
    assert entry["n"] == 3 and "answer" not in entry


def test_gunicorns_access_line_has_no_query_string_header_or_cookie():
    atoms = {
        "m": "GET",
        "U": "/intake/1/",
        "q": "search=" + SECRET,
        "r": "GET /intake/1/?search=" + SECRET + " HTTP/1.1",
        "s": "200",
        "B": 1234,
        "D": 15500,
        "f": "https://x/?q=" + SECRET,
        "a": "browser " + SECRET,
        "{cookie}i": "sessionid=" + SECRET,
        "{x-request-id}o": "abcdef0123456789",
        "h": "10.0.0.1",
    }
    record = logging.getLogger("gunicorn.access").makeRecord("gunicorn.access", logging.INFO, "", 0, "%(r)s", (), None)
    record.args = atoms
    line = JsonFormatter().format(record)
    assert SECRET not in line and "10.0.0.1" not in line
    entry = json.loads(line)
    assert entry["event"] == "request"
    assert (entry["method"], entry["path"], entry["status"], entry["bytes"]) == ("GET", "/intake/1/", 200, 1234)
    assert entry["duration_ms"] == 15.5 and entry["request_id"] == "abcdef0123456789"


def test_the_text_format_is_one_readable_line():
    record = logging.getLogger("x").makeRecord("x.y", logging.WARNING, "", 0, "something %s", ("happened",), None)
    record.request_id, record.user_id = "abc", 7
    line = TextFormatter().format(record)
    assert line.endswith("Z WARNING x.y request=abc user=7: something happened")


def test_settings_log_through_the_request_context_filter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_context"]
    assert handler["formatter"] == "text"  # the local default; DJANGO_LOG_FORMAT=json in production
    with pytest.raises(ValueError):
        observability.logging_config(log_format="xml", level="INFO")


# --- Sentry -----------------------------------------------------------------------------------------------------


class FakeTransport(Transport):
    envelopes: list = []

    def capture_envelope(self, envelope):
        FakeTransport.envelopes.append(envelope)


@pytest.fixture
def sentry_events():
    FakeTransport.envelopes = []
    observability.sentry_init(
        dsn="https://public@sentry.example.invalid/1", environment="test", release=None, transport=FakeTransport
    )
    yield lambda: [
        item.payload.json for envelope in FakeTransport.envelopes for item in envelope.items if item.type == "event"
    ]
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_sentry_reports_an_error_without_body_cookies_query_or_user_details(users, settings, sentry_events):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False, HTTP_COOKIE=f"sessionid=x; theme={SECRET}")
    client.force_login(users["counsellor"])
    response = client.post(
        f"/boom/?search={SECRET}",
        {"note": SECRET},
        HTTP_AUTHORIZATION=f"Basic {SECRET}",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert response.status_code == 500
    sentry_sdk.get_client().flush()
    (event,) = sentry_events()
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    request = event["request"]
    assert "data" not in request and "cookies" not in request and "query_string" not in request
    assert set(request.get("headers", {})) <= {"Content-Type", "Content-Length", "Accept", "X-Request-Id"}
    assert event.get("user", {}) in ({}, {"id": str(users["counsellor"].pk)}, {"id": users["counsellor"].pk})
    dumped = json.dumps(event)
    assert "1.2.3.4" not in dumped and "counsellor@" not in dumped
    # No frame carries local variables (the request, the form).
    assert all("vars" not in frame for value in event["exception"]["values"] for frame in value["stacktrace"]["frames"])
    assert SECRET not in dumped


def test_sentry_drops_the_message_of_a_database_error():
    event = {"exception": {"values": [{"type": "IntegrityError", "module": "django.db.utils", "value": SECRET}]}}
    assert observability.sentry_before_send(event, {})["exception"]["values"][0]["value"] == ""


def test_sentry_is_off_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


# --- metrics ----------------------------------------------------------------------------------------------------


def test_metrics_answer_only_the_allowed_addresses(db, settings):
    client = Client(REMOTE_ADDR="10.0.0.5")
    assert client.get(reverse("metrics"), HTTP_HOST="10.0.0.1:8000").status_code == 404
    settings.METRICS_ALLOWED_NETWORKS = parse_networks(["10.0.0.0/24", "::1"])
    response = client.get(reverse("metrics"), HTTP_HOST="10.0.0.1:8000")  # Prometheus scrapes by IP too
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content
    assert client.post(reverse("metrics")).status_code == 405
    # A forwarded header is not the peer's address.
    outsider = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.0.0.5")
    assert outsider.get(reverse("metrics")).status_code == 404


def test_a_wrong_metrics_address_is_a_clear_error():
    with pytest.raises(ValueError):
        parse_networks(["10.0.0.300"])


def test_the_metrics_view_does_not_run_without_the_allow_list(settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    with mock.patch("django_prometheus.exports.ExportToDjangoView") as export:
        assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404
    export.assert_not_called()


def test_djangos_own_line_about_a_404_carries_the_request_id_and_user(client, users, captured):
    client.force_login(users["counsellor"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    entry = next(e for e in lines(captured) if e["event"] == "Not Found: /no-such-page/")
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["user_id"] == users["counsellor"].pk and entry["status_code"] == 404
