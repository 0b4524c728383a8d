"""The security baseline everything later relies on."""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import seed_demo
from audit.models import AuditEvent
from config import settings as config_settings
from tests.conftest import PASSWORD
from usersessions.middleware import SESSION_STARTED_KEY

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "krisestotte.example.org",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/not_used",
    "DJANGO_EMAIL_HOST": "smtp.example.org",
    "DJANGO_DEFAULT_FROM_EMAIL": "noreply@example.org",
    # Without these intake's own checks warn (intake.W001, W002): an installation names its tree and routine.
    "DJANGO_INTAKE_TREE": "first-contact",
    "DJANGO_INTAKE_DUTY_TO_AVERT_ROUTINE": "avvergingsplikten-fasilitatorveileder",
    "DJANGO_SITE_URL": "https://krisestotte.example.org",
}


def run_manage(*args, env_overrides, drop=()):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL")) or k == "DJANGO_SETTINGS_MODULE"
    }
    env.update(env_overrides)
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_EMAIL_HOST",
        "DJANGO_DEFAULT_FROM_EMAIL",
        "DJANGO_SITE_URL",
    ],
)
def test_production_without_a_required_variable_fails_loudly(missing):
    result = run_manage("check", env_overrides=PRODUCTION_ENV, drop=[missing])
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG=0" in result.stderr


def test_seed_demo_refuses_in_production_without_force():
    result = run_manage("seed_demo", env_overrides=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Refusing to create demo users" in result.stderr


def test_argon2_is_the_production_hasher():
    # Read from the settings module itself: tests/conftest.py swaps in a fast hasher for the suite.
    assert config_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_demo_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    users = seed_demo(password=PASSWORD)["users"]
    assert identify_hasher(users["counsellor"].password).algorithm == "argon2"


def test_security_headers(client, db):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),  # a script element without src
    re.compile(r"<style\b"),
    re.compile(r"<[^>]+\sstyle="),
    re.compile(r"<[^>]+\son[a-z]+="),  # onclick= and friends
]


def test_no_inline_scripts_or_styles_in_templates():
    offenders = [
        f"{path.name}: {pattern.pattern}"
        for path in (ROOT / "templates").rglob("*.html")
        for pattern in INLINE_CODE
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_no_cdn_in_templates_or_static_css():
    for path in [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static" / "css").rglob("*.css")]:
        assert not re.search(r"https?://", path.read_text()), path


def test_csrf_is_enforced_on_post(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "counsellor", "password": PASSWORD})
    assert response.status_code == 403


def test_session_settings():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_ABSOLUTE_MAX_AGE == 12 * 60 * 60


def test_idle_session_expiry_moves_with_activity(client, users):
    client.force_login(users["staff"])
    client.get(reverse("home"))
    expiry = client.session.get_expiry_date()
    assert timedelta(minutes=29) < expiry - timezone.now() <= timedelta(minutes=30)


def test_session_ends_after_twelve_hours_however_active(client, users):
    client.force_login(users["staff"])
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_session_under_twelve_hours_is_kept(client, users):
    client.force_login(users["staff"])
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 11 * 3600
    session.save()
    assert client.get(reverse("password_change")).status_code == 200


def test_login_and_logout_are_audited(client, users):
    response = client.post(reverse("login"), {"username": "counsellor", "password": PASSWORD})
    assert response.status_code == 302
    assert SESSION_STARTED_KEY in client.session
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor=users["counsellor"]).order_by("at").values_list("action", flat=True))
    assert actions == ["auth.login", "auth.logout"]


def test_lockout_after_five_failures_lasts_fifteen_minutes(client, users):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "counsellor", "password": "wrong"})
        assert response.status_code == 200
    # The fifth failure locks the username on this address.
    assert client.post(reverse("login"), {"username": "counsellor", "password": "wrong"}).status_code == 429
    # Locked: even the right password is refused, with a page that explains and shows the numbers.
    response = client.post(reverse("login"), {"username": "counsellor", "password": PASSWORD})
    assert response.status_code == 429
    assert b"tel:112" in response.content
    # Another user from the same address is not locked out.
    assert client.post(reverse("login"), {"username": "staff", "password": PASSWORD}).status_code == 302
    client.logout()
    # 15 minutes later the lock has lifted.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = client.post(reverse("login"), {"username": "counsellor", "password": PASSWORD})
    assert response.status_code == 302


def test_server_error_page_leaks_nothing(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["counsellor"])
    with mock.patch("accounts.views.home_cards", side_effect=RuntimeError("canary-Kari-Nordmann-secret")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "canary" not in body and "Traceback" not in body and "counsellor" not in body
    assert "tel:112" in body


def test_signed_in_pages_are_never_cached(client, users, intake_a):
    client.force_login(users["counsellor"])
    for url in [reverse("home"), reverse("intake:review", kwargs={"pk": intake_a.pk})]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_public_pages_for_the_logged_out_keep_their_caching(client, routines):
    response = client.get(reverse("routines:detail", kwargs={"slug": "vold-og-trusler"}))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    # A routine PDF keeps its own revalidation header, signed in or not.
    response = client.get(reverse("routines:folder_pdf", kwargs={"slug": "vold-og-trusler"}))
    assert response["Cache-Control"] == "no-cache"


def test_logout_clears_what_the_browser_kept(client, users):
    client.force_login(users["counsellor"])
    response = client.post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'
