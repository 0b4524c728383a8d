"""Every URL name x every persona -> the status that persona gets.

An outsider gets 404 for a record (never a 403 that confirms it exists); the logged-out get the login page.
The meta-test at the bottom fails when a URL is added without a row here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from tests.conftest import INTAKE_A, PERSONAS

LOGIN = "login"  # expected value meaning: redirected to the login page


def everyone(status):
    return {persona: status for persona in PERSONAS}


def logged_in(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


def only(allowed: set[str], status=200, others=404):
    return {**logged_in(others), **{p: status for p in allowed}}


# (url name, kwargs, method, {persona: expected})
MATRIX = [
    ("home", {}, "get", everyone(200)),
    ("login", {}, "get", {**everyone(302), "anonymous": 200}),
    ("logout", {}, "get", everyone(405)),
    ("logout", {}, "post", everyone(302)),
    ("password_change", {}, "get", logged_in(200)),
    ("password_change_done", {}, "get", logged_in(200)),
    ("unit_detail", {"slug": CENTRE_A}, "get", only({"manager", "admin"})),
    ("unit_detail", {"slug": CENTRE_B}, "get", only({"manager_other", "admin"})),
    ("unit_detail", {"slug": UNIVERSITY}, "get", only({"manager", "admin"})),
    ("unit_detail", {"slug": "no-such-unit"}, "get", logged_in(404)),
    ("healthz", {}, "get", everyone(200)),
    # Published routines open without logging in: an emergency is no time for a password.
    ("routine_list", {}, "get", everyone(200)),
    ("routine_detail", {"slug": "vold-og-trusler"}, "get", everyone(200)),
    ("routine_detail", {"slug": "no-such-routine"}, "get", everyone(404)),
    ("set_language", {}, "post", everyone(302)),
    # Intakes: counsellors and managers use the feature; records are for the owner (change) and her unit's
    # managers (read-only: 403 on changing pages); everyone else gets 404, admins included.
    ("intake_list", {}, "get", {**only({"counsellor", "counsellor2", "counsellor_other", "manager", "manager_other"})}),
    ("intake_new", {}, "get", everyone(405)),
    ("intake_new", {}, "post", {**only({"counsellor", "counsellor2", "counsellor_other"}, status=302)}),
    ("intake_detail", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"}, status=302)),
    ("intake_detail", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    ("intake_step", {"pk": INTAKE_A, "step": "contact"}, "get", {**only({"counsellor"}), "manager": 403}),
    ("intake_step", {"pk": INTAKE_A, "step": "contact"}, "post", {**only({"counsellor"}), "manager": 403}),
    ("intake_step", {"pk": INTAKE_A, "step": "no-such-step"}, "get", {**only(set()), "manager": 403}),
    ("intake_review", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"})),
    # The Django admin is for superusers; everyone else is sent to its login page.
    ("admin:index", {}, "get", {**everyone(302), "admin": 200}),
]

CASES = [
    pytest.param(name, kwargs, method, persona, expected[persona], id=f"{method}-{name}-{'-'.join(kwargs.values())}-{persona}")
    for name, kwargs, method, expected in MATRIX
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "kwargs", "method", "persona", "expected"), CASES)
def test_permission_matrix(client_for, routines, intake_a, name, kwargs, method, persona, expected):
    client = client_for(persona)
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_row():
    """Adding a URL without deciding who may reach it fails here. The admin's own pages are covered by its
    index row: Django's admin checks is_staff on every one of them."""
    names = {name for name in _url_names(get_resolver().url_patterns) if not name.startswith("admin:")}
    covered = {row[0] for row in MATRIX}
    assert names - covered == set(), "URL names without a row in MATRIX"
    assert "admin:index" in covered
