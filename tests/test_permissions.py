"""Every URL name x every persona -> the status that persona gets.

An outsider gets 404 for a record (never a 403 that confirms it exists); the logged-out get the login page.
The meta-test at the bottom fails when a URL is added without a row here.
"""

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from routines.print_demo import ACCEPTED_ORDER, DELIVERED_ORDER, NEW_ORDER
from tests.conftest import (
    ACTION_UNIVERSITY,
    INCIDENT_CENTRE_B,
    INCIDENT_UNIVERSITY,
    INTAKE_A,
    PERSONAS,
    PLAN_A,
    make_demo,
    make_incident_records,
    make_intake_a,
    make_intake_trees,
    make_print_orders,
    make_routines,
    make_safety_plan_a,
)

LOGIN = "login"  # expected value meaning: redirected to the login page


def everyone(status):
    return {persona: status for persona in PERSONAS}


def logged_in(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


def only(allowed: set[str], status=200, others=404):
    return {**logged_in(others), **{p: status for p in allowed}}


REPORTERS = {"staff", "counsellor", "counsellor2", "counsellor_other", "manager", "manager_other", "editor", "admin"}
INCIDENT_MANAGERS = {"manager", "manager_other", "admin"}

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
    # Editing routines: editors in the routine's owner unit (the university section) and superusers.
    ("routine_editor_list", {}, "get", only({"editor", "admin"})),
    ("routine_new", {}, "get", only({"editor", "admin"})),
    ("routine_new", {}, "post", only({"editor", "admin"})),  # empty form: shown again with what to fix
    ("routine_draft_new", {"slug": "vold-og-trusler"}, "get", logged_in(405)),
    ("routine_draft_new", {"slug": "vold-og-trusler"}, "post", only({"editor", "admin"}, status=302)),
    ("routine_draft_new", {"slug": "no-such-routine"}, "post", logged_in(404)),
    # Version 1 is published: editors are sent to the history, since a published version never changes.
    ("routine_version_edit", {"slug": "vold-og-trusler", "number": "1"}, "get", only({"editor", "admin"}, 302)),
    ("routine_version_edit", {"slug": "vold-og-trusler", "number": "1"}, "post", only({"editor", "admin"}, 302)),
    ("routine_version_edit", {"slug": "vold-og-trusler", "number": "9"}, "get", logged_in(404)),
    ("routine_version_preview", {"slug": "vold-og-trusler", "number": "1"}, "get", only({"editor", "admin"})),
    # History, differences and the overdue list: editors and managers of the owner unit.
    ("routine_history", {"slug": "vold-og-trusler"}, "get", only({"editor", "manager", "admin"})),
    ("routine_diff", {"slug": "vold-og-trusler"}, "get", logged_in(404)),  # no versions chosen: 404 for all
    ("routine_overdue", {}, "get", only({"editor", "manager", "manager_other", "admin"})),
    # Session mode is as public as the facilitator guide itself.
    ("routine_session", {"slug": "avvergingsplikten-fasilitatorveileder"}, "get", everyone(200)),
    ("routine_session", {"slug": "vold-og-trusler"}, "get", everyone(404)),
    # The routine PDFs: the same access as the routine page; GET only.
    ("routine_folder_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "get", everyone(200)),
    ("routine_folder_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "post", everyone(405)),
    ("routine_folder_pdf", {"slug": "no-such-routine"}, "get", everyone(404)),
    ("routine_a4_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "get", everyone(200)),
    ("routine_a4_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "post", everyone(405)),
    ("routine_a4_pdf", {"slug": "no-such-routine"}, "get", everyone(404)),
    # Print orders: the print shop sees the whole queue; editors and managers order and see their own orders.
    ("print_order_list", {}, "get", only({"editor", "manager", "manager_other", "printshop", "admin"})),
    ("print_order_list", {}, "post", logged_in(405)),
    ("print_order_new", {}, "get", only({"editor", "manager", "manager_other", "admin"})),
    ("print_order_new", {}, "post", only({"editor", "manager", "manager_other", "admin"})),  # empty form: shown with what to fix
    ("print_order_detail", {"pk": str(NEW_ORDER)}, "get", only({"editor", "printshop", "admin"})),
    ("print_order_detail", {"pk": str(ACCEPTED_ORDER)}, "get", only({"manager", "printshop", "admin"})),
    ("print_order_detail", {"pk": "00000000-0000-0000-0000-000000000000"}, "get", logged_in(404)),
    ("print_order_advance", {"pk": str(NEW_ORDER)}, "get", logged_in(405)),
    ("print_order_advance", {"pk": str(NEW_ORDER)}, "post", only({"printshop", "admin"}, 302)),
    ("print_order_advance", {"pk": str(DELIVERED_ORDER)}, "post", only({"printshop", "admin"}, 302)),  # no next step
    ("print_order_reissue", {"pk": str(NEW_ORDER)}, "get", logged_in(405)),
    # Only the orderer may re-issue; with no newer version they are sent back to the order.
    ("print_order_reissue", {"pk": str(NEW_ORDER)}, "post", only({"editor"}, 302)),
    ("print_order_pdf", {"pk": str(ACCEPTED_ORDER)}, "get", only({"manager", "printshop", "admin"})),
    ("print_order_pdf", {"pk": str(ACCEPTED_ORDER)}, "post", logged_in(405)),
    ("set_language", {}, "post", everyone(302)),
    # Incidents: everyone but the print shop reports; managers follow up their units' reports; a record is
    # 404 for anyone who may not know it exists (the reporter sees their own; see tests/conftest.py).
    ("incident_new", {}, "get", {**only(REPORTERS), "printshop": 404}),
    ("incident_new", {}, "post", {**only(REPORTERS), "printshop": 404}),
    ("incident_mine", {}, "get", logged_in(200)),
    ("incident_list", {}, "get", {**logged_in(404), **{p: 200 for p in INCIDENT_MANAGERS}}),
    ("incident_overview", {}, "get", {**logged_in(404), **{p: 200 for p in INCIDENT_MANAGERS}}),
    ("incident_export", {}, "get", {**logged_in(404), **{p: 200 for p in INCIDENT_MANAGERS}}),
    ("incident_detail", {"pk": INCIDENT_UNIVERSITY}, "get", only({"staff", "manager", "admin"})),
    ("incident_detail", {"pk": INCIDENT_CENTRE_B}, "get", only({"counsellor_other", "manager_other", "admin"})),
    ("incident_receipt", {"pk": INCIDENT_UNIVERSITY}, "get", only({"staff"})),
    ("incident_edit", {"pk": INCIDENT_UNIVERSITY}, "get", only({"manager", "admin"})),
    ("incident_edit", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"})),
    ("incident_edit", {"pk": INCIDENT_CENTRE_B}, "get", only({"manager_other", "admin"})),
    ("incident_assign", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 400)),
    ("incident_transition", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 400)),
    ("incident_transition", {"pk": INCIDENT_CENTRE_B}, "post", only({"manager_other", "admin"}, 400)),
    ("incident_close", {"pk": INCIDENT_UNIVERSITY}, "get", only({"manager", "admin"})),
    ("incident_close", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 400)),
    ("incident_action_add", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 400)),
    (
        "incident_action_update",
        {"pk": INCIDENT_UNIVERSITY, "action_pk": ACTION_UNIVERSITY},
        "post",
        only({"manager", "admin"}, 302),
    ),
    ("incident_step_update", {"pk": INCIDENT_UNIVERSITY, "number": "1"}, "post", only({"manager", "admin"}, 302)),
    ("incident_step_update", {"pk": INCIDENT_CENTRE_B, "number": "1"}, "post", only({"manager_other", "admin"}, 302)),
    # The other method on each incident URL: refused the same way for everyone, so it says nothing about a record.
    ("incident_mine", {}, "post", logged_in(405)),
    ("incident_list", {}, "post", {**logged_in(404), **{p: 405 for p in INCIDENT_MANAGERS}}),
    ("incident_overview", {}, "post", {**logged_in(404), **{p: 405 for p in INCIDENT_MANAGERS}}),
    ("incident_export", {}, "post", {**logged_in(404), **{p: 405 for p in INCIDENT_MANAGERS}}),
    ("incident_detail", {"pk": INCIDENT_UNIVERSITY}, "post", logged_in(405)),
    ("incident_receipt", {"pk": INCIDENT_UNIVERSITY}, "post", logged_in(405)),
    ("incident_assign", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    ("incident_transition", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    ("incident_action_add", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    (
        "incident_action_update",
        {"pk": INCIDENT_UNIVERSITY, "action_pk": ACTION_UNIVERSITY},
        "get",
        logged_in(405),
    ),
    ("incident_step_update", {"pk": INCIDENT_UNIVERSITY, "number": "1"}, "get", logged_in(405)),
    # Intakes: counsellors and managers use the feature; records are for the owner (change) and her unit's
    # managers (read-only: 403 on changing pages); everyone else gets 404, admins included.
    ("safety_plan_list", {}, "get", {**only({"counsellor", "counsellor2", "counsellor_other", "manager", "manager_other"})}),
    ("safety_plan_list", {}, "post", everyone(405)),
    ("safety_plan_new", {}, "get", only({"counsellor", "counsellor2", "counsellor_other"})),
    ("safety_plan_new", {}, "post", only({"counsellor", "counsellor2", "counsellor_other"})),  # no label: form again
    ("safety_plan_detail", {"pk": PLAN_A}, "get", only({"counsellor", "manager"})),
    ("safety_plan_detail", {"pk": PLAN_A}, "post", everyone(405)),
    ("safety_plan_detail", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    ("safety_plan_edit", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plan_edit", {"pk": PLAN_A}, "post", {**only({"counsellor"}), "manager": 403}),  # empty form: errors
    ("safety_plan_review", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plan_review", {"pk": PLAN_A}, "post", {**only({"counsellor"}), "manager": 403}),  # no date: form again
    ("safety_plan_declined", {"pk": PLAN_A}, "get", everyone(405)),
    ("safety_plan_declined", {"pk": PLAN_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("safety_plan_sharing", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plan_sharing", {"pk": PLAN_A}, "post", {**only({"counsellor"}), "manager": 403}),  # no choice: form again
    ("intake_list", {}, "get", {**only({"counsellor", "counsellor2", "counsellor_other", "manager", "manager_other"})}),
    ("intake_new", {}, "get", everyone(405)),
    ("intake_new", {}, "post", {**only({"counsellor", "counsellor2", "counsellor_other"}, status=302)}),
    ("intake_detail", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"}, status=302)),
    ("intake_detail", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    ("intake_step", {"pk": INTAKE_A, "step": "contact"}, "get", {**only({"counsellor"}), "manager": 403}),
    ("intake_step", {"pk": INTAKE_A, "step": "contact"}, "post", {**only({"counsellor"}), "manager": 403}),
    ("intake_step", {"pk": INTAKE_A, "step": "no-such-step"}, "get", {**only(set()), "manager": 403}),
    ("intake_review", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"})),
    # INTAKE_A is an incomplete draft: its owner is sent back to the review page to answer what is open.
    ("intake_finalize", {"pk": INTAKE_A}, "get", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake_finalize", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    # Sharing: the owner only; others who may see the intake are refused, everyone else gets 404.
    ("intake_sharing", {"pk": INTAKE_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("intake_sharing", {"pk": INTAKE_A}, "post", {**only({"counsellor"}), "manager": 403}),  # no choice: form again
    # The note exists once the intake is finalized; INTAKE_A is a draft, so its readers go to the review.
    ("intake_note", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"}, status=302)),
    ("intake_note", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake_note_addendum", {"pk": INTAKE_A}, "get", everyone(405)),
    ("intake_note_addendum", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake_note_pdf", {"pk": INTAKE_A}, "get", logged_in(404)),  # no finalized note yet: nothing to print
    ("intake_note_pdf", {"pk": INTAKE_A}, "post", everyone(405)),
    # Anonymous statistics: managers (of their own units) and superusers.
    ("intake_statistics", {}, "get", only({"manager", "manager_other", "admin"})),
    ("intake_statistics", {}, "post", everyone(405)),
    # The question-tree editor: editors and superusers; everyone else does not find it.
    ("intake_tree_list", {}, "get", only({"editor", "admin"})),
    ("intake_tree_list", {}, "post", only({"editor", "admin"})),  # no file: the form again, with what to fix
    ("intake_tree_version", {"slug": "first-contact", "language": "nb", "number": "1"}, "get", only({"editor", "admin"})),
    ("intake_tree_version", {"slug": "first-contact", "language": "nb", "number": "1"}, "post", everyone(405)),
    ("intake_tree_version", {"slug": "first-contact", "language": "nb", "number": "99"}, "get", logged_in(404)),
    ("intake_tree_preview", {"slug": "first-contact", "language": "nb", "number": "1"}, "get", only({"editor", "admin"})),
    ("intake_tree_preview", {"slug": "first-contact", "language": "nb", "number": "1"}, "post", only({"editor", "admin"})),
    # Version 1 is published already: publishing again changes nothing and goes back to the version.
    ("intake_tree_publish", {"slug": "first-contact", "language": "nb", "number": "1"}, "get", everyone(405)),
    ("intake_tree_publish", {"slug": "first-contact", "language": "nb", "number": "1"}, "post", only({"editor", "admin"}, 302)),
    ("intake_tree_export", {"slug": "first-contact", "language": "nb", "number": "1"}, "get", only({"editor", "admin"})),
    ("intake_tree_export", {"slug": "first-contact", "language": "nb", "number": "1"}, "post", everyone(405)),
    ("intake_tree_diff", {"slug": "first-contact", "language": "nb"}, "get", only({"editor", "admin"})),
    ("intake_tree_diff", {"slug": "first-contact", "language": "nb"}, "post", everyone(405)),
    # The discreet printout of a safety plan: those who may change the plan; its manager reads it but gets 403.
    ("safety_plan_print", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plan_print", {"pk": PLAN_A}, "post", {**only({"counsellor"}), "manager": 403}),  # no choice: form again
    ("safety_plan_print", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    # The safety-plan checklist editor: editors and superusers (all permissions); everyone else does not find it.
    ("checklist_item_list", {}, "get", only({"editor", "admin"})),
    ("checklist_item_list", {}, "post", everyone(405)),
    ("checklist_item_new", {}, "get", only({"editor", "admin"})),
    ("checklist_item_new", {}, "post", only({"editor", "admin"})),  # empty form: shown again with what to fix
    ("checklist_item_edit", {"code": "escape-plan"}, "get", only({"editor", "admin"})),
    ("checklist_item_edit", {"code": "escape-plan"}, "post", only({"editor", "admin"})),  # empty: what to fix
    ("checklist_item_edit", {"code": "no-such-item"}, "get", logged_in(404)),
    # The access log and the access review: managers (their units) and administrators; nobody else finds them.
    ("audit_event_list", {}, "get", only({"manager", "manager_other", "admin"})),
    ("audit_event_list", {}, "post", everyone(405)),
    ("audit_event_export", {}, "get", only({"manager", "manager_other", "admin"})),
    ("audit_event_export", {}, "post", everyone(405)),
    ("audit_review", {}, "get", only({"manager", "manager_other", "admin"})),
    ("audit_review", {}, "post", everyone(405)),
    # The Django admin is for superusers; everyone else is sent to its login page.
    ("admin:index", {}, "get", {**everyone(302), "admin": 200}),
]

CASES = [
    pytest.param(name, kwargs, method, persona, expected[persona], id=f"{method}-{name}-{'-'.join(kwargs.values())}-{persona}")
    for name, kwargs, method, expected in MATRIX
    for persona in PERSONAS
]


@pytest.fixture(scope="module")
def matrix_users(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every record the matrix names, made once for the module instead of once per case (the setup was most
    of the matrix's time): the same builders as the single-test fixtures, inside one transaction that is
    rolled back after the module. Each case runs in its own savepoint (pytest-django's ``db``), so what a
    case writes (a session, an audit row, a changed record) is undone before the next."""
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    with django_db_blocker.unblock(), fast:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo = make_demo()
            make_routines(demo)
            make_incident_records(demo)
            make_safety_plan_a(demo, make_intake_a(demo, make_intake_trees(demo)))
            make_print_orders(demo)
            yield demo["users"]
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize(("name", "kwargs", "method", "persona", "expected"), CASES)
def test_permission_matrix(db, matrix_users, name, kwargs, method, persona, expected):
    client = Client()
    if persona != "anonymous":
        client.force_login(matrix_users[persona])
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

