"""CSRF: every POST without a valid token is refused and changes nothing; with the token from the form page
it goes through. Cookies: Secure, HttpOnly and SameSite under production settings, and on real responses.

tests/security/test_security.py already shows one POST (the login) refused without a token; this covers every URL that
takes a POST, by someone permitted to make it, with the data that would have worked.
"""

import json
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import INCIDENT_UNIVERSITY, INTAKE_A, PASSWORD, PLAN_A
from tests.security.payloads import changed_models, fingerprint, matrix_world, payload  # noqa: F401
from tests.security.test_permissions import LOGIN, MATRIX, REFUSALS
from tests.security.test_security import PRODUCTION_ENV, run_manage


def _permitted_posts():
    """One case per POST row someone gets through: (url name, kwargs, the first persona it is permitted to)."""
    for name, kwargs, method, expected in MATRIX:
        if method != "post":
            continue
        permitted = [persona for persona, status in expected.items() if status not in REFUSALS and status != LOGIN]
        if permitted:
            yield pytest.param(name, kwargs, permitted[0], id=f"{name}-{'-'.join(kwargs.values())}-{permitted[0]}")


CSRF_CASES = list(_permitted_posts())


def _client(users, persona) -> Client:
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(users[persona])
    return client


def test_every_url_taking_posts_is_covered():
    names = {case.values[0] for case in CSRF_CASES}
    # The ones the brief names, and a sample of each app: if the matrix loses them, this says so.
    assert {"login", "logout", "set_language", "password_change", "admin:index"} <= names
    assert {
        "incidents:edit",
        "safety_plans:edit",
        "intake:step",
        "routines:new",
        "safety_plans:checklist_item_new",
    } <= names


@pytest.mark.parametrize(("name", "kwargs", "persona"), CSRF_CASES)
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(db, matrix_world, name, kwargs, persona):
    users = matrix_world["users"]
    client = _client(users, persona)
    data = payload(name, kwargs, users.get(persona))
    before = fingerprint()
    response = client.post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 403
    assert changed_models(before, fingerprint()) == []
    if persona != "anonymous":
        assert "_auth_user_id" in client.session  # not even logged out


def test_a_refused_language_switch_sets_no_language(db, matrix_world):
    client = _client(matrix_world["users"], "anonymous")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert "django_language" not in response.cookies


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _token_from(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


# (url name, kwargs, persona, the page whose form carries the token). The same POSTs as above, with the token a
# browser would send: they go through, which shows the refusals above are CSRF and not something else.
WITH_TOKEN = [
    ("incidents:edit", {"pk": INCIDENT_UNIVERSITY}, "manager", "incidents:edit"),
    ("safety_plans:edit", {"pk": PLAN_A}, "counsellor", "safety_plans:edit"),
    ("intake:step", {"pk": INTAKE_A, "step": "contact"}, "counsellor", "intake:step"),
    ("routines:new", {}, "editor", "routines:new"),
    ("safety_plans:checklist_item_new", {}, "admin", "safety_plans:checklist_item_new"),
    ("password_change", {}, "staff", "password_change"),
]


@pytest.mark.parametrize(("name", "kwargs", "persona", "page"), WITH_TOKEN, ids=[row[0] for row in WITH_TOKEN])
def test_the_same_post_with_the_form_pages_token_goes_through(db, matrix_world, name, kwargs, persona, page):
    users = matrix_world["users"]
    client = _client(users, persona)
    token = _token_from(client, reverse(page, kwargs=kwargs))
    data = {**payload(name, kwargs, users[persona]), "csrfmiddlewaretoken": token}
    before = fingerprint()
    response = client.post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 302
    assert changed_models(before, fingerprint()) != []


def test_login_language_and_logout_with_tokens(db, matrix_world):
    client = Client(enforce_csrf_checks=True)
    token = _token_from(client, reverse("login"))
    credentials = {"username": "counsellor", "password": PASSWORD}
    response = client.post(reverse("login"), {**credentials, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    # Django rotates the token at login: the one from the login page no longer works.
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 403
    assert "_auth_user_id" in client.session
    token = _token_from(client, reverse("home"))  # the header's language switch and logout forms
    response = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_token_from_another_browser_is_refused(db, matrix_world):
    users = matrix_world["users"]
    theirs = _token_from(_client(users, "manager_other"), reverse("incidents:new"))
    client = _client(users, "manager")
    data = {**payload("incidents:new", {}, users["manager"]), "csrfmiddlewaretoken": theirs}
    before = fingerprint()
    assert client.post(reverse("incidents:new"), data).status_code == 403
    assert changed_models(before, fingerprint()) == []


# --- Cookies -----------------------------------------------------------------------------------------------

COOKIE_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
]


@pytest.fixture(scope="module")
def production_cookie_settings() -> dict:
    """The cookie settings as production (DJANGO_DEBUG=0 with every required variable) reads them."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {COOKIE_SETTINGS!r}}}))"
    )
    result = run_manage("shell", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookie_settings(production_cookie_settings):
    values = production_cookie_settings
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True and values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["CSRF_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def _attributes(morsel) -> set[str]:
    """The attributes of a Set-Cookie header as a browser reads them, lower-cased ("secure", "samesite=lax")."""
    header = morsel.OutputString()
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_session_and_csrf_cookies_carry_secure_httponly_samesite(db, matrix_world, production_cookie_settings):
    with override_settings(**production_cookie_settings):
        client = Client(enforce_csrf_checks=True)
        page = client.get(reverse("login"))
        token = TOKEN.search(page.content.decode()).group(1)
        csrf = _attributes(page.cookies["csrftoken"])
        credentials = {"username": "staff", "password": PASSWORD}
        response = client.post(reverse("login"), {**credentials, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        session = _attributes(response.cookies["sessionid"])
    for attributes, name in [(csrf, "csrftoken"), (session, "sessionid")]:
        assert {"secure", "httponly"} <= attributes, name
        assert {"samesite=lax", "samesite=strict"} & attributes, name
        assert "path=/" in attributes, name
    # The session cookie dies with the browser: no Max-Age or Expires.
    assert not any(a.startswith(("max-age", "expires")) for a in session)
