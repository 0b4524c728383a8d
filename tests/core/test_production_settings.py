"""Production defaults that cannot be silently wrong: the site's address and the mail timeout."""

import pytest

from tests.security.test_security import PRODUCTION_ENV, run_manage

SHOW = "from django.conf import settings; print(settings.SITE_URL, settings.EMAIL_TIMEOUT)"


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "https://[::1]/", "http://127.0.1.1", "http://0.0.0.0:8000"],
)
def test_a_loopback_site_url_stops_production_start_up(url):
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_SITE_URL": url})
    assert result.returncode != 0
    assert "DJANGO_SITE_URL is a loopback address" in result.stderr


@pytest.mark.parametrize("url", ["krisestotte.example.org", "ftp://krisestotte.example.org", "https://"])
def test_a_site_url_that_is_no_web_address_stops_start_up(url):
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_SITE_URL": url})
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be an http(s) address" in result.stderr


def test_production_reads_the_site_url_and_a_mail_timeout():
    result = run_manage("shell", "-c", SHOW, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["https://krisestotte.example.org", "10"]
    result = run_manage("shell", "-c", SHOW, env_overrides={**PRODUCTION_ENV, "DJANGO_EMAIL_TIMEOUT": "5"})
    assert result.stdout.strip().splitlines()[-1].split() == ["https://krisestotte.example.org", "5"]
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_EMAIL_TIMEOUT": "0"})
    assert result.returncode != 0 and "DJANGO_EMAIL_TIMEOUT must be a whole number" in result.stderr


def test_local_use_keeps_its_loopback_default():
    result = run_manage("shell", "-c", SHOW, env_overrides={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["http://127.0.0.1:8000", "10"]


def test_a_wrong_metrics_address_stops_start_up():
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_METRICS_ALLOWED_IPS": "10.0.0.1,nonsense"})
    assert result.returncode != 0 and "DJANGO_METRICS_ALLOWED_IPS" in result.stderr


def test_an_unknown_log_format_stops_start_up():
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_LOG_FORMAT": "xml"})
    assert result.returncode != 0 and "DJANGO_LOG_FORMAT must be json or text" in result.stderr


PAGE_COST = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
POSTGRES = {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"}


def test_postgresql_connections_price_random_reads_for_ssd_unless_told_otherwise():
    result = run_manage("shell", "-c", PAGE_COST, env_overrides=POSTGRES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "-c random_page_cost=1.1"
    result = run_manage("shell", "-c", PAGE_COST, env_overrides={**POSTGRES, "DJANGO_DB_RANDOM_PAGE_COST": ""})
    assert result.stdout.strip().splitlines()[-1] == "None"
    result = run_manage("check", env_overrides={**POSTGRES, "DJANGO_DB_RANDOM_PAGE_COST": "cheap"})
    assert result.returncode != 0 and "DJANGO_DB_RANDOM_PAGE_COST must be a number" in result.stderr
