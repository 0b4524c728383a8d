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
- admin:             superuser; every unit page and the Django admin. Not intakes: being an administrator
                     gives no right to read conversations with people exposed to violence.

Safety plans (PLAN_A) follow the same rules as intakes.

Intakes (INTAKE_A, owned by counsellor at centre A): counsellor sees and changes it; manager (centre A)
sees it read-only; everyone else, counsellor2 included until it is shared with her, gets 404.
"""

import os
import tempfile
from pathlib import Path

import pytest

from accounts.demo import CENTRE_A, UNIVERSITY, seed_demo
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
INTAKE_A = "00000000-0000-4000-8000-00000000000a"  # a fixed id, so the permission matrix can name it
PLAN_A = "00000000-0000-4000-8000-0000000000b1"  # safety plan of counsellor at centre A, started from INTAKE_A


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file (in memory-backed /dev/shm where there is one), not SQLite's
    in-memory database.

    With an in-memory database the browser tests' live server shares the test's one connection among its
    threads, and two requests at once (an autosave sent while leaving a page, and the next page) interleaved
    their savepoints on it: a 500, then that connection stuck in a broken transaction, and every later test of
    `make test` failed with TransactionManagementError (162 errors in a fresh clone, 2026-12-04). A file gives
    each thread its own connection; SQLite's locks then make a writer wait its turn (``timeout``), and
    ``IMMEDIATE`` transactions take the write lock at BEGIN, so none has to be refused halfway. PostgreSQL (CI,
    production) is untouched."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    database.setdefault("TEST", {})["NAME"] = str(folder / f"krisestotte-test-{os.getpid()}.sqlite3")
    database.setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 is the production hasher (tests/security/test_security.py proves it); personas are created for every
    # test, so the suite uses a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached pages are keyed on database rows, and a rolled-back test can leave a key the next test's rows
    # match again (the same ids); every test starts from an empty cache.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def isolated_media_root(request, settings, tmp_path):
    # Stored files (the routine PDFs) go to a folder of the test's own, never to var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Uploaded attachments (core.uploads.PrivateStorage) likewise; a case of the permission matrix's world
    # (tests/security/payloads.py) reads the attachments that world stored.
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    if "matrix_users" in request.fixturenames:
        settings.PRIVATE_FILES_ROOT = request.getfixturevalue("matrix_world")["private_files_root"]


@pytest.fixture
def fetched_urls(monkeypatch):
    """A spy on the shared PDF fetcher (core.pdf.SafeURLFetcher): the list of every URL a PDF asked it for
    during the test, in order. It still fetches, or refuses, as it would."""
    import core.pdf

    fetched: list[str] = []
    original = core.pdf.SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(core.pdf.SafeURLFetcher, "fetch", spy)
    return fetched


# Builders: plain functions, so the permission matrix can make its world once per module (see
# tests/security/test_permissions.py) with the very same data the fixtures below give a single test.


def make_demo() -> dict:
    """The demo units and personas: {"units": {slug: Unit}, "users": {username: User}}. Also the shipped
    safety-plan checklist, which a data migration creates but a live-server test's flush removes."""
    from safety_plans.checklist import ensure_checklist

    ensure_checklist()
    return seed_demo(password=PASSWORD)


def make_routines(demo):
    return seed_routines(owner_unit=demo["units"][UNIVERSITY], editor=demo["users"]["editor"])


@pytest.fixture
def demo(db):
    return make_demo()


@pytest.fixture
def routines(demo):
    """The four demo routines, published, owned by the university section."""
    return make_routines(demo)


# Fixed ids so the permission matrix can name them.
INCIDENT_UNIVERSITY = "00000000-0000-4000-8000-0000000000a1"  # reported by staff at the university section
INCIDENT_CENTRE_B = "00000000-0000-4000-8000-0000000000b1"  # reported by counsellor_other at centre B
ACTION_UNIVERSITY = "00000000-0000-4000-8000-0000000000a2"  # manager's action on the university report


@pytest.fixture
def incident_records(demo):
    """Two exchange-student reports (so they have checklist steps), one per side of the unit boundary."""
    return make_incident_records(demo)


def make_incident_records(demo):
    import uuid

    from django.utils import timezone

    from accounts.demo import CENTRE_B
    from incidents.models import Incident, IncidentAction
    from incidents.services import action_add, incident_report

    def fixed_id(model, pk):
        # The services choose the ids; for the matrix, the next id they choose is this one.
        field = model._meta.get_field("id")
        field.default = lambda: uuid.UUID(pk)
        field.__dict__.pop("_get_default", None)  # Django caches the default callable
        return field

    def restore(field):
        field.default = uuid.uuid4
        field.__dict__.pop("_get_default", None)

    made = {}
    for pk, unit, reporter in [
        (INCIDENT_UNIVERSITY, UNIVERSITY, "staff"),
        (INCIDENT_CENTRE_B, CENTRE_B, "counsellor_other"),
    ]:
        field = fixed_id(Incident, pk)
        try:
            made[pk], _created = incident_report(
                user=demo["users"][reporter],
                form_token=uuid.uuid4(),
                type="exchange_students",
                occurred_at=timezone.now(),
                unit=demo["units"][unit],
                place="Reception",
                what_happened="Something happened.",
                immediate_actions=["manager_notified"],
            )
        finally:
            restore(field)
    field = fixed_id(IncidentAction, ACTION_UNIVERSITY)
    try:
        action_add(
            incident=made[INCIDENT_UNIVERSITY],
            user=demo["users"]["manager"],
            description="Check the alarm.",
            responsible=demo["users"]["manager"],
            deadline=timezone.localdate(),
        )
    finally:
        restore(field)
    return made


EXERCISE_UNIVERSITY = "00000000-0000-4000-8000-0000000000e1"  # an exercise of the violence routine
EXERCISE_ACTION = "00000000-0000-4000-8000-0000000000e2"  # its action, the editor's


def make_exercise(demo):
    """An exercise of the violence routine (owned by the university section), recorded by its manager, with
    one action for its editor: editors and managers of the university section see it, everyone else 404."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from exercises.models import Exercise
    from exercises.services import exercise_action_add, exercise_record
    from incidents.models import IncidentAction
    from routines.models import Routine

    users = demo["users"]
    made = {}
    for model, pk in ((Exercise, EXERCISE_UNIVERSITY), (IncidentAction, EXERCISE_ACTION)):
        field = model._meta.get_field("id")
        field.default = lambda pk=pk: uuid.UUID(pk)
        field.__dict__.pop("_get_default", None)  # Django caches the default callable
        try:
            if model is Exercise:
                made["exercise"] = exercise_record(
                    routine=Routine.objects.get(slug="vold-og-trusler"),
                    user=users["manager"],
                    held_on=timezone.localdate() - timedelta(days=2),
                    kind="table_top",
                    roles_present=["Leder"],
                    participant_count=5,
                    what_worked="The police were called at once.",
                    what_did_not="Nobody kept a log.",
                    needs_revision=False,
                )
            else:
                made["action"] = exercise_action_add(
                    exercise=made["exercise"],
                    user=users["manager"],
                    description="Name a log-keeper.",
                    responsible=users["editor"],
                    deadline=timezone.localdate() + timedelta(days=14),
                )
        finally:
            field.default = uuid.uuid4
            field.__dict__.pop("_get_default", None)
    return made


@pytest.fixture
def print_orders(demo, routines):
    """The demo print orders (printing.demo): new (editor's), accepted (manager's), delivered (editor's)."""
    return make_print_orders(demo)


def make_print_orders(demo):
    from printing.demo import seed_print_orders

    return seed_print_orders(units=demo["units"], users=demo["users"])


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def units(demo):
    return demo["units"]


@pytest.fixture
def client_for(users):
    """client_for("manager") -> a test client of its own, logged in as that persona ("anonymous": logged
    out). Each call gives a new client, so two personas can take turns in one test."""
    from django.test import Client

    def _client_for(persona: str):
        client = Client()
        if persona != "anonymous":
            client.force_login(users[persona])
        return client

    return _client_for


@pytest.fixture
def intake_trees(demo):
    """The demo first-contact tree, published in bokmål and English: {"nb": TreeVersion, "en": TreeVersion}."""
    return make_intake_trees(demo)


def make_intake_trees(demo):
    from intake.demo import seed_intake_trees

    return seed_intake_trees(editor=demo["users"]["editor"])


@pytest.fixture
def registration_tree(demo):
    """The shipped statistics registration form, published in bokmål and English (contacts.registration)."""
    from contacts.registration import ensure_registration_tree

    return ensure_registration_tree(editor=demo["users"]["editor"])


@pytest.fixture
def intake_a(demo, intake_trees):
    """A draft intake owned by counsellor at centre A, with id INTAKE_A."""
    return make_intake_a(demo, intake_trees)


def make_intake_a(demo, intake_trees):
    from intake.services import intake_create

    return intake_create(
        user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=intake_trees["nb"], pk=INTAKE_A
    )


@pytest.fixture
def safety_plan_a(demo, intake_a):
    """A safety plan owned by counsellor at centre A, started from intake_a, with id PLAN_A."""
    return make_safety_plan_a(demo, intake_a)


def make_safety_plan_a(demo, intake_a):
    from safety_plans.services import safety_plan_create

    return safety_plan_create(
        user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], label="Demo-plan A", intake=intake_a, pk=PLAN_A
    )


# The EICAR test file: harmless, and detected as malware by every scanner by agreement.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real ClamAV daemon (Debian's clamav-daemon) of the test run's own, on a unix socket in a temporary
    folder. No virus-database mirror is reachable from here, so its database is one signature written here:
    EICAR's (an .ndb body signature, so it is found anywhere in a file). Production uses freshclam's
    databases. Skipped, saying why, only where clamd is not installed."""
    import os
    import shutil
    import subprocess
    import time

    from core.virusscan import ping

    binary = shutil.which("clamd") or ("/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None)
    if binary is None:
        pytest.skip("clamd is not installed (Debian: apt-get install clamav-daemon clamav)")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "eicar.ndb").write_text(f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n")
    socket_path = folder / "clamd.sock"
    conf = folder / "clamd.conf"
    conf.write_text(
        "Foreground yes\n"
        f"LocalSocket {socket_path}\n"
        f"DatabaseDirectory {folder / 'db'}\n"
        f"LogFile {folder / 'clamd.log'}\n"
        f"PidFile {folder / 'clamd.pid'}\n"
        f"TemporaryDirectory {folder}\n"
    )
    process = subprocess.Popen([binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from django.test import override_settings

        with override_settings(CLAMD_SOCKET=str(socket_path), CLAMD_HOST=""):
            for _ in range(300):
                if socket_path.exists() and ping():
                    break
                if process.poll() is not None:
                    pytest.fail(f"clamd stopped at start: {(folder / 'clamd.log').read_text()[-2000:]}")
                time.sleep(0.1)
            else:
                pytest.fail("clamd did not answer within 30 seconds")
        yield str(socket_path)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def clamd(settings, clamd_socket):
    """The test's uploads are scanned by the run's own clamd (``clamd_socket``)."""
    settings.CLAMD_SOCKET = clamd_socket
    settings.CLAMD_HOST = ""
    return clamd_socket
