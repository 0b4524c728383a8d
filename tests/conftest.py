"""Personas and shared fixtures.

The personas are the demo personas (accounts.demo), so the tests check exactly what a newcomer clicks
through. What each may see today:

- anonymous:         the public home page with the emergency numbers, the login page, /healthz, and every
                     published routine that is not marked staff-only.
- staff:             university section staff; the home page, their own account. No unit page.
- counsellor:        counsellor at centre A; home and account. No unit page.
- counsellor2:       counsellor at centre A, the first counsellor's colleague; the same as counsellor.
- counsellor_other:  counsellor at centre B; the same as counsellor, for centre B.
- manager:           manager at centre A and at the university section; those two unit pages.
- manager_other:     manager at centre B; only centre B's unit page.
- editor:            editor at the university section and centre A; no unit page; the routine editor for
                     routines those units own (the demo routines: the university section).
                     Managers (and editors) also see those routines' history and overdue-review list.
- printshop:         print shop (serves every unit); no unit page; the print-order queue (/print-orders/),
                     every order, and nothing else that is not public. Editors and managers order prints
                     and see their own orders.
- admin:             superuser; every unit page and the Django admin.
"""

import pytest

from accounts.demo import UNIVERSITY, seed_demo
from routines.demo import seed_routines

PERSONAS = [
    "anonymous",
    "staff",
    "counsellor",
    "counsellor2",
    "counsellor_other",
    "manager",
    "manager_other",
    "editor",
    "printshop",
    "admin",
]
PASSWORD = "test-password-for-personas"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 is the production hasher (tests/test_security.py proves it); personas are created for every
    # test, so the suite uses a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def isolated_media_root(settings, tmp_path):
    # Stored files (the routine PDFs) go to a folder of the test's own, never to var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    """The demo units and personas: {"units": {slug: Unit}, "users": {username: User}}."""
    return seed_demo(password=PASSWORD)


@pytest.fixture
def routines(demo):
    """The four demo routines, published, owned by the university section."""
    return seed_routines(owner_unit=demo["units"][UNIVERSITY], editor=demo["users"]["editor"])


@pytest.fixture
def print_orders(demo, routines):
    """The demo print orders (routines.print_demo): new (editor's), accepted (manager's), delivered (editor's)."""
    from routines.print_demo import seed_print_orders

    return seed_print_orders(units=demo["units"], users=demo["users"])


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def units(demo):
    return demo["units"]


@pytest.fixture
def client_for(client, users):
    """client_for("manager") -> a test client logged in as that persona ("anonymous": logged out)."""

    def _client_for(persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(users[persona])
        return client

    return _client_for
