"""Every URL name x every persona -> the status that persona gets.

An outsider gets 404 for a record (never a 403 that confirms it exists); the logged-out get the login page.
The meta-test at the bottom fails when a URL is added without a row here.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from printing.demo import ACCEPTED_ORDER, DELIVERED_ORDER, NEW_ORDER
from tests.conftest import (
    ACTION_UNIVERSITY,
    EXERCISE_ACTION,
    EXERCISE_UNIVERSITY,
    INCIDENT_CENTRE_B,
    INCIDENT_UNIVERSITY,
    INTAKE_A,
    PERSONAS,
    PLAN_A,
)
from tests.security.payloads import (  # noqa: F401
    ATTACHMENT_UNIVERSITY,
    CONTACT_A,
    EMPTY_POSTS,
    INCIDENT_ANONYMOUS,
    INTAKE_COMPLETE,
    INTAKE_FINALIZED,
    INTAKE_NOTED,
    PAYLOADS,
    changed_models,
    fingerprint,
    matrix_world,
    payload,
)

LOGIN = "login"  # expected value meaning: redirected to the login page


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def logged_in(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


def only(allowed: set[str], status=200, others=404):
    return {**logged_in(others), **dict.fromkeys(allowed, status)}


REPORTERS = {"staff", "counsellor", "counsellor2", "counsellor_other", "manager", "manager_other", "editor", "admin"}
INCIDENT_MANAGERS = {"manager", "manager_other", "admin"}

# (url name, kwargs, method, {persona: expected})
MATRIX = [
    ("home", {}, "get", everyone(200)),
    ("home", {}, "post", everyone(405)),
    ("login", {}, "get", {**everyone(302), "anonymous": 200}),
    ("login", {}, "post", everyone(302)),  # the logged-out log in; the logged-in are sent on
    ("logout", {}, "get", everyone(405)),
    ("logout", {}, "post", everyone(302)),
    ("password_change", {}, "get", logged_in(200)),
    ("password_change", {}, "post", logged_in(302)),
    ("password_change_done", {}, "get", logged_in(200)),
    ("password_change_done", {}, "post", logged_in(405)),
    ("account", {}, "get", logged_in(200)),
    ("account", {}, "post", logged_in(302)),
    ("unit_detail", {"slug": CENTRE_A}, "get", only({"manager", "admin"})),
    ("unit_detail", {"slug": CENTRE_B}, "get", only({"manager_other", "admin"})),
    ("unit_detail", {"slug": UNIVERSITY}, "get", only({"manager", "admin"})),
    ("unit_detail", {"slug": "no-such-unit"}, "get", logged_in(404)),
    ("unit_detail", {"slug": CENTRE_A}, "post", logged_in(405)),
    # The people of a unit (accounts.views): its managers and administrators add people and change their roles.
    ("member_add", {"slug": CENTRE_A}, "get", only({"manager", "admin"})),
    ("member_add", {"slug": CENTRE_A}, "post", only({"manager", "admin"}, 302)),
    ("member_add", {"slug": CENTRE_B}, "get", only({"manager_other", "admin"})),
    ("member_add", {"slug": "no-such-unit"}, "get", logged_in(404)),
    ("member_detail", {"slug": CENTRE_A, "username": "counsellor"}, "get", only({"manager", "admin"})),
    ("member_detail", {"slug": CENTRE_A, "username": "counsellor"}, "post", only({"manager", "admin"}, 302)),
    ("member_detail", {"slug": CENTRE_B, "username": "counsellor_other"}, "get", only({"manager_other", "admin"})),
    # Someone with no role in the unit is not found there, even by its manager.
    ("member_detail", {"slug": CENTRE_A, "username": "counsellor_other"}, "get", logged_in(404)),
    # One-time links by e-mail: public pages. A made-up link shows "this link does not work" to everyone.
    ("password_reset", {}, "get", everyone(200)),
    ("password_reset", {}, "post", everyone(302)),
    ("password_reset_done", {}, "get", everyone(200)),
    ("password_reset_done", {}, "post", everyone(405)),
    ("password_reset_confirm", {"uidb64": "MQ", "token": "made-up-token"}, "get", everyone(200)),
    ("password_reset_confirm", {"uidb64": "MQ", "token": "made-up-token"}, "post", everyone(200)),
    ("password_reset_complete", {}, "get", everyone(200)),
    ("password_reset_complete", {}, "post", everyone(405)),
    ("invitation_accept", {"uidb64": "MQ", "token": "made-up-token"}, "get", everyone(200)),
    ("invitation_accept", {"uidb64": "MQ", "token": "made-up-token"}, "post", everyone(200)),
    ("healthz", {}, "get", everyone(200)),
    ("healthz", {}, "post", everyone(405)),
    ("readyz", {}, "get", everyone(200)),
    ("readyz", {}, "post", everyone(405)),
    # Metrics answer only DJANGO_METRICS_ALLOWED_IPS (none here): 404 to everyone, whatever the method.
    ("metrics", {}, "get", everyone(404)),
    ("metrics", {}, "post", everyone(404)),
    # Published routines open without logging in: an emergency is no time for a password.
    ("routines:list", {}, "get", everyone(200)),
    ("routines:list", {}, "post", everyone(405)),
    ("routines:detail", {"slug": "vold-og-trusler"}, "get", everyone(200)),
    ("routines:detail", {"slug": "vold-og-trusler"}, "post", everyone(405)),
    ("routines:detail", {"slug": "no-such-routine"}, "get", everyone(404)),
    # Editing routines: editors in the routine's owner unit (the university section) and superusers.
    ("routines:editor_list", {}, "get", only({"editor", "admin"})),
    ("routines:editor_list", {}, "post", logged_in(405)),
    ("routines:new", {}, "get", only({"editor", "admin"})),
    ("routines:new", {}, "post", only({"editor", "admin"}, 302)),
    ("routines:draft_new", {"slug": "vold-og-trusler"}, "get", logged_in(405)),
    # vold-og-trusler has an open draft already (reused); this one gets a new draft: a real change.
    ("routines:draft_new", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "post", only({"editor", "admin"}, status=302)),
    ("routines:draft_new", {"slug": "no-such-routine"}, "post", logged_in(404)),
    # Version 1 is published: editors are sent to the history, since a published version never changes.
    ("routines:version_edit", {"slug": "vold-og-trusler", "number": "1"}, "get", only({"editor", "admin"}, 302)),
    ("routines:version_edit", {"slug": "vold-og-trusler", "number": "1"}, "post", only({"editor", "admin"}, 302)),
    ("routines:version_edit", {"slug": "vold-og-trusler", "number": "9"}, "get", logged_in(404)),
    # Version 2 is the open draft of the matrix world (tests/security/payloads.py): saving it is a real change.
    ("routines:version_edit", {"slug": "vold-og-trusler", "number": "2"}, "get", only({"editor", "admin"})),
    ("routines:version_edit", {"slug": "vold-og-trusler", "number": "2"}, "post", only({"editor", "admin"}, 302)),
    # The draft v2 was sent for approval by the editor: a second person (the unit's manager, a superuser)
    # approves and so publishes it; the editor who sent it sees the page but is refused (200, nothing changes).
    (
        "routines:version_approve",
        {"slug": "vold-og-trusler", "number": "2"},
        "get",
        only({"editor", "manager", "admin"}),
    ),
    (
        "routines:version_approve",
        {"slug": "vold-og-trusler", "number": "2"},
        "post",
        {**only({"manager", "admin"}, 302), "editor": 200},
    ),
    (
        "routines:version_approve",
        {"slug": "vold-og-trusler", "number": "1"},
        "get",
        only({"editor", "manager", "admin"}, 302),
    ),
    ("routines:version_approve", {"slug": "vold-og-trusler", "number": "9"}, "get", logged_in(404)),
    ("routines:version_preview", {"slug": "vold-og-trusler", "number": "1"}, "get", only({"editor", "admin"})),
    ("routines:version_preview", {"slug": "vold-og-trusler", "number": "1"}, "post", logged_in(405)),
    # History, differences and the overdue list: editors and managers of the owner unit.
    ("routines:history", {"slug": "vold-og-trusler"}, "get", only({"editor", "manager", "admin"})),
    ("routines:history", {"slug": "vold-og-trusler"}, "post", logged_in(405)),
    ("routines:diff", {"slug": "vold-og-trusler"}, "get", logged_in(404)),  # no versions chosen: 404 for all
    ("routines:diff", {"slug": "vold-og-trusler"}, "post", logged_in(405)),
    ("routines:overdue", {}, "get", only({"editor", "manager", "manager_other", "admin"})),
    ("routines:overdue", {}, "post", logged_in(405)),
    # Session mode is as public as the facilitator guide itself.
    ("routines:session", {"slug": "avvergingsplikten-fasilitatorveileder"}, "get", everyone(200)),
    ("routines:session", {"slug": "vold-og-trusler"}, "get", everyone(404)),
    ("routines:session", {"slug": "avvergingsplikten-fasilitatorveileder"}, "post", everyone(405)),
    # The routine PDFs: the same access as the routine page; GET only.
    ("routines:folder_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "get", everyone(200)),
    ("routines:folder_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "post", everyone(405)),
    ("routines:folder_pdf", {"slug": "no-such-routine"}, "get", everyone(404)),
    ("routines:a4_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "get", everyone(200)),
    ("routines:a4_pdf", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "post", everyone(405)),
    ("routines:a4_pdf", {"slug": "no-such-routine"}, "get", everyone(404)),
    # Print orders: the print shop sees the whole queue; editors and managers order and see their own orders.
    ("printing:list", {}, "get", only({"editor", "manager", "manager_other", "printshop", "admin"})),
    ("printing:list", {}, "post", logged_in(405)),
    ("printing:new", {}, "get", only({"editor", "manager", "manager_other", "admin"})),
    ("printing:new", {}, "post", only({"editor", "manager", "manager_other", "admin"}, 302)),
    ("printing:detail", {"pk": str(NEW_ORDER)}, "get", only({"editor", "printshop", "admin"})),
    ("printing:detail", {"pk": str(ACCEPTED_ORDER)}, "get", only({"manager", "printshop", "admin"})),
    ("printing:detail", {"pk": "00000000-0000-0000-0000-000000000000"}, "get", logged_in(404)),
    ("printing:detail", {"pk": str(NEW_ORDER)}, "post", logged_in(405)),
    ("printing:advance", {"pk": str(NEW_ORDER)}, "get", logged_in(405)),
    ("printing:advance", {"pk": str(NEW_ORDER)}, "post", only({"printshop", "admin"}, 302)),
    ("printing:advance", {"pk": str(DELIVERED_ORDER)}, "post", only({"printshop", "admin"}, 302)),  # no next step
    ("printing:reissue", {"pk": str(NEW_ORDER)}, "get", logged_in(405)),
    # Only the orderer may re-issue; with no newer version they are sent back to the order.
    ("printing:reissue", {"pk": str(NEW_ORDER)}, "post", only({"editor"}, 302)),
    ("printing:pdf", {"pk": str(ACCEPTED_ORDER)}, "get", only({"manager", "printshop", "admin"})),
    ("printing:pdf", {"pk": str(ACCEPTED_ORDER)}, "post", logged_in(405)),
    ("set_language", {}, "get", everyone(302)),  # changes nothing: sent back
    ("set_language", {}, "post", everyone(302)),
    # The anonymous pages' language link (core.i18n.choose_language): sets a cookie and sends back; GET only.
    ("choose_language", {}, "get", everyone(302)),
    ("choose_language", {}, "post", everyone(405)),
    # Offline on the phone (routines/views/offline.py): public files, the same for everyone; GET only.
    ("service_worker", {}, "get", everyone(200)),
    ("service_worker", {}, "post", everyone(405)),
    ("web_manifest", {}, "get", everyone(200)),
    ("web_manifest", {}, "post", everyone(405)),
    ("routines:offline", {}, "get", everyone(200)),
    ("routines:offline", {}, "post", everyone(405)),
    # Exercises of routines: editors and managers of the routine's owner unit (the university section) record
    # and follow them up; the list is every editor's and manager's (of their own units' routines); others 404.
    ("exercises:list", {}, "get", only({"editor", "manager", "manager_other", "admin"})),
    ("exercises:list", {}, "post", logged_in(405)),
    ("exercises:new", {"slug": "vold-og-trusler"}, "get", only({"editor", "manager", "admin"})),
    ("exercises:new", {"slug": "vold-og-trusler"}, "post", only({"editor", "manager", "admin"}, 302)),
    ("exercises:new", {"slug": "no-such-routine"}, "get", logged_in(404)),
    ("exercises:detail", {"pk": EXERCISE_UNIVERSITY}, "get", only({"editor", "manager", "admin"})),
    ("exercises:detail", {"pk": EXERCISE_UNIVERSITY}, "post", logged_in(405)),
    ("exercises:detail", {"pk": "00000000-0000-0000-0000-000000000000"}, "get", logged_in(404)),
    ("exercises:action_add", {"pk": EXERCISE_UNIVERSITY}, "get", logged_in(405)),
    ("exercises:action_add", {"pk": EXERCISE_UNIVERSITY}, "post", only({"editor", "manager", "admin"}, 302)),
    ("exercises:action_update", {"pk": EXERCISE_UNIVERSITY, "action_pk": EXERCISE_ACTION}, "get", logged_in(405)),
    (
        "exercises:action_update",
        {"pk": EXERCISE_UNIVERSITY, "action_pk": EXERCISE_ACTION},
        "post",
        only({"editor", "manager", "admin"}, 302),
    ),
    # An incident's action under the exercise: not found, even for who may see both.
    (
        "exercises:action_update",
        {"pk": EXERCISE_UNIVERSITY, "action_pk": ACTION_UNIVERSITY},
        "post",
        logged_in(404),
    ),
    # Incidents: everyone but the print shop reports; managers follow up their units' reports; a record is
    # 404 for anyone who may not know it exists (the reporter sees their own; see tests/conftest.py).
    ("incidents:new", {}, "get", {**only(REPORTERS), "printshop": 404}),
    ("incidents:new", {}, "post", {**only(REPORTERS, 302), "printshop": 404}),
    ("incidents:mine", {}, "get", logged_in(200)),
    ("incidents:list", {}, "get", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 200)}),
    ("incidents:overview", {}, "get", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 200)}),
    ("incidents:export", {}, "get", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 200)}),
    ("incidents:export_xlsx", {}, "get", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 200)}),
    ("incidents:detail", {"pk": INCIDENT_UNIVERSITY}, "get", only({"staff", "manager", "admin"})),
    ("incidents:detail", {"pk": INCIDENT_CENTRE_B}, "get", only({"counsellor_other", "manager_other", "admin"})),
    ("incidents:receipt", {"pk": INCIDENT_UNIVERSITY}, "get", only({"staff"})),
    ("incidents:edit", {"pk": INCIDENT_UNIVERSITY}, "get", only({"manager", "admin"})),
    ("incidents:edit", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 302)),
    ("incidents:edit", {"pk": INCIDENT_CENTRE_B}, "get", only({"manager_other", "admin"})),
    ("incidents:edit", {"pk": INCIDENT_CENTRE_B}, "post", only({"manager_other", "admin"}, 302)),
    ("incidents:assign", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 302)),
    ("incidents:transition", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 302)),
    # The centre B report is in review already (tests/security/payloads.py): into review again is refused with 400.
    ("incidents:transition", {"pk": INCIDENT_CENTRE_B}, "post", only({"manager_other", "admin"}, 400)),
    ("incidents:risk", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 302)),
    ("incidents:risk", {"pk": INCIDENT_CENTRE_B}, "post", only({"manager_other", "admin"}, 302)),
    ("incidents:risk", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    ("incidents:close", {"pk": INCIDENT_UNIVERSITY}, "get", only({"manager", "admin"})),
    # The university report is still "reported": closing needs it in review first, so its managers get 400.
    ("incidents:close", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 400)),
    ("incidents:close", {"pk": INCIDENT_CENTRE_B}, "get", only({"manager_other", "admin"})),
    ("incidents:close", {"pk": INCIDENT_CENTRE_B}, "post", only({"manager_other", "admin"}, 302)),
    ("incidents:action_add", {"pk": INCIDENT_UNIVERSITY}, "post", only({"manager", "admin"}, 302)),
    (
        "incidents:action_update",
        {"pk": INCIDENT_UNIVERSITY, "action_pk": ACTION_UNIVERSITY},
        "post",
        only({"manager", "admin"}, 302),
    ),
    ("incidents:step_update", {"pk": INCIDENT_UNIVERSITY, "number": "1"}, "post", only({"manager", "admin"}, 302)),
    ("incidents:step_update", {"pk": INCIDENT_CENTRE_B, "number": "1"}, "post", only({"manager_other", "admin"}, 302)),
    # Attachments: the reporter, action owners and the unit's managers attach; whoever sees the report opens its
    # files; managers remove them.
    ("incidents:attachment_add", {"pk": INCIDENT_UNIVERSITY}, "post", only({"staff", "manager", "admin"}, 302)),
    (
        "incidents:attachment_add",
        {"pk": INCIDENT_CENTRE_B},
        "post",
        only({"counsellor_other", "manager_other", "admin"}, 302),
    ),
    (
        "incidents:attachment",
        {"pk": INCIDENT_UNIVERSITY, "attachment_pk": ATTACHMENT_UNIVERSITY},
        "get",
        only({"staff", "manager", "admin"}),
    ),
    # The file's id under another report: not found, even for who may see both reports.
    (
        "incidents:attachment",
        {"pk": INCIDENT_CENTRE_B, "attachment_pk": ATTACHMENT_UNIVERSITY},
        "get",
        logged_in(404),
    ),
    (
        "incidents:attachment_remove",
        {"pk": INCIDENT_UNIVERSITY, "attachment_pk": ATTACHMENT_UNIVERSITY},
        "post",
        only({"manager", "admin"}, 302),
    ),
    # Anonymous reporting: a unit's link and the follow page are public, for the logged-out only (the logged-in
    # are shown a page asking them to log out: 200, nothing changes); a unit that has not turned it on has no
    # link (404 for all). The unit's managers change its settings and write to an anonymous reporter.
    ("incidents:anonymous_new", {"slug": UNIVERSITY}, "get", everyone(200)),
    ("incidents:anonymous_new", {"slug": UNIVERSITY}, "post", everyone(200)),
    ("incidents:anonymous_new", {"slug": CENTRE_B}, "get", everyone(404)),
    ("incidents:anonymous_new", {"slug": CENTRE_B}, "post", everyone(404)),
    ("incidents:anonymous_follow", {}, "get", everyone(200)),
    ("incidents:anonymous_follow", {}, "post", everyone(200)),
    ("incidents:unit_settings", {"slug": UNIVERSITY}, "get", only({"manager", "admin"})),
    ("incidents:unit_settings", {"slug": UNIVERSITY}, "post", only({"manager", "admin"}, 302)),
    ("incidents:unit_settings", {"slug": CENTRE_B}, "get", only({"manager_other", "admin"})),
    ("incidents:unit_settings", {"slug": CENTRE_B}, "post", only({"manager_other", "admin"}, 302)),
    ("incidents:detail", {"pk": INCIDENT_ANONYMOUS}, "get", only({"manager", "admin"})),
    ("incidents:message_add", {"pk": INCIDENT_ANONYMOUS}, "post", only({"manager", "admin"}, 302)),
    # Only an anonymous reporter is written to through the report.
    ("incidents:message_add", {"pk": INCIDENT_UNIVERSITY}, "post", logged_in(404)),
    ("incidents:message_add", {"pk": INCIDENT_ANONYMOUS}, "get", logged_in(405)),
    # The other method on each incident URL: refused the same way for everyone, so it says nothing about a record.
    ("incidents:attachment_add", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    (
        "incidents:attachment",
        {"pk": INCIDENT_UNIVERSITY, "attachment_pk": ATTACHMENT_UNIVERSITY},
        "post",
        logged_in(405),
    ),
    (
        "incidents:attachment_remove",
        {"pk": INCIDENT_UNIVERSITY, "attachment_pk": ATTACHMENT_UNIVERSITY},
        "get",
        logged_in(405),
    ),
    ("incidents:mine", {}, "post", logged_in(405)),
    ("incidents:list", {}, "post", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 405)}),
    ("incidents:overview", {}, "post", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 405)}),
    ("incidents:export", {}, "post", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 405)}),
    ("incidents:export_xlsx", {}, "post", {**logged_in(404), **dict.fromkeys(INCIDENT_MANAGERS, 405)}),
    ("incidents:detail", {"pk": INCIDENT_UNIVERSITY}, "post", logged_in(405)),
    ("incidents:receipt", {"pk": INCIDENT_UNIVERSITY}, "post", logged_in(405)),
    ("incidents:assign", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    ("incidents:transition", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    ("incidents:action_add", {"pk": INCIDENT_UNIVERSITY}, "get", logged_in(405)),
    (
        "incidents:action_update",
        {"pk": INCIDENT_UNIVERSITY, "action_pk": ACTION_UNIVERSITY},
        "get",
        logged_in(405),
    ),
    ("incidents:step_update", {"pk": INCIDENT_UNIVERSITY, "number": "1"}, "get", logged_in(405)),
    # Intakes: counsellors and managers use the feature; records are for the owner (change) and her unit's
    # managers (read-only: 403 on changing pages); everyone else gets 404, admins included.
    (
        "safety_plans:list",
        {},
        "get",
        {**only({"counsellor", "counsellor2", "counsellor_other", "manager", "manager_other"})},
    ),
    ("safety_plans:list", {}, "post", everyone(405)),
    ("safety_plans:new", {}, "get", only({"counsellor", "counsellor2", "counsellor_other"})),
    ("safety_plans:new", {}, "post", only({"counsellor", "counsellor2", "counsellor_other"}, 302)),
    ("safety_plans:detail", {"pk": PLAN_A}, "get", only({"counsellor", "manager"})),
    ("safety_plans:detail", {"pk": PLAN_A}, "post", everyone(405)),
    ("safety_plans:detail", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    ("safety_plans:edit", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plans:edit", {"pk": PLAN_A}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    ("safety_plans:review", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plans:review", {"pk": PLAN_A}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    ("safety_plans:declined", {"pk": PLAN_A}, "get", everyone(405)),
    ("safety_plans:declined", {"pk": PLAN_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("safety_plans:sharing", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plans:sharing", {"pk": PLAN_A}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    ("intake:list", {}, "get", {**only({"counsellor", "counsellor2", "counsellor_other", "manager", "manager_other"})}),
    ("intake:list", {}, "post", everyone(405)),
    # The new-intake page asks which of the unit's trees to use; counsellors only.
    ("intake:new", {}, "get", only({"counsellor", "counsellor2", "counsellor_other"})),
    # Starting an intake from a QuestionnaireResponse file: counsellors only, like starting one.
    ("intake:import", {}, "get", only({"counsellor", "counsellor2", "counsellor_other"})),
    ("intake:import", {}, "post", only({"counsellor", "counsellor2", "counsellor_other"}, status=302)),
    # Which trees a unit's counsellors may start: the unit's editors and managers; 404 for other units.
    ("intake:unit_trees_list", {}, "get", only({"manager", "manager_other", "editor"})),
    ("intake:unit_trees_list", {}, "post", everyone(405)),
    ("intake:unit_trees", {"slug": CENTRE_A}, "get", only({"manager", "editor"})),
    ("intake:unit_trees", {"slug": CENTRE_A}, "post", only({"manager", "editor"}, status=302)),
    ("intake:unit_trees", {"slug": CENTRE_B}, "get", only({"manager_other"})),
    ("intake:unit_trees", {"slug": "no-such-unit"}, "get", logged_in(404)),
    ("intake:new", {}, "post", {**only({"counsellor", "counsellor2", "counsellor_other"}, status=302)}),
    ("intake:detail", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"}, status=302)),
    ("intake:detail", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    ("intake:detail", {"pk": INTAKE_A}, "post", everyone(405)),
    ("intake:step", {"pk": INTAKE_A, "step": "contact"}, "get", {**only({"counsellor"}), "manager": 403}),
    ("intake:step", {"pk": INTAKE_A, "step": "contact"}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    ("intake:step", {"pk": INTAKE_A, "step": "no-such-step"}, "get", {**only(set()), "manager": 403}),
    # A file answering a question: none on this intake (found ones: tests/intake/test_intake_attachments.py).
    (
        "intake:attachment",
        {"pk": INTAKE_A, "attachment_id": "00000000-0000-4000-8000-0000000000aa"},
        "get",
        logged_in(404),
    ),
    (
        "intake:attachment",
        {"pk": INTAKE_A, "attachment_id": "00000000-0000-4000-8000-0000000000aa"},
        "post",
        everyone(405),
    ),
    ("intake:cover_label", {"pk": INTAKE_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("intake:cover_label", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    ("intake:review", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"})),
    ("intake:review", {"pk": INTAKE_A}, "post", everyone(405)),
    # The answers as a FHIR QuestionnaireResponse: whoever may see the intake.
    ("intake:export", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"})),
    ("intake:export", {"pk": INTAKE_A}, "post", everyone(405)),
    ("intake:export", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    # INTAKE_A is an incomplete draft: its owner is sent back to the review page to answer what is open.
    ("intake:finalize", {"pk": INTAKE_A}, "get", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake:finalize", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    # Sharing: the owner only; others who may see the intake are refused, everyone else gets 404.
    ("intake:sharing", {"pk": INTAKE_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("intake:sharing", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    # The note exists once the intake is finalized; INTAKE_A is a draft, so its readers go to the review.
    ("intake:note", {"pk": INTAKE_A}, "get", only({"counsellor", "manager"}, status=302)),
    ("intake:note", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake:note_addendum", {"pk": INTAKE_A}, "get", everyone(405)),
    ("intake:note_addendum", {"pk": INTAKE_A}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake:note_pdf", {"pk": INTAKE_A}, "get", logged_in(404)),  # no finalized note yet: nothing to print
    ("intake:note_pdf", {"pk": INTAKE_A}, "post", everyone(405)),
    # Contacts on a case follow the intake: its counsellor changes them, the unit's manager reads them.
    ("contacts:list", {"pk": INTAKE_FINALIZED}, "get", only({"counsellor", "manager"})),
    ("contacts:list", {"pk": INTAKE_FINALIZED}, "post", everyone(405)),
    ("contacts:list", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    ("contacts:new", {"pk": INTAKE_FINALIZED, "kind": "phone"}, "get", {**only({"counsellor"}), "manager": 403}),
    (
        "contacts:new",
        {"pk": INTAKE_FINALIZED, "kind": "phone"},
        "post",
        {**only({"counsellor"}, 302), "manager": 403},
    ),
    ("contacts:new", {"pk": INTAKE_FINALIZED, "kind": "no-such-kind"}, "get", {**only(set()), "manager": 403}),
    ("contacts:edit", {"pk": CONTACT_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("contacts:edit", {"pk": CONTACT_A}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    ("contacts:register", {"pk": INTAKE_FINALIZED}, "get", {**only({"counsellor"}), "manager": 403}),
    ("contacts:register", {"pk": INTAKE_FINALIZED}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    # Deleting a contact (a confirmation page, then the POST) and correcting a registration after saving: the same
    # rules as changing the case. INTAKE_FINALIZED is not registered: its counsellor is sent to register first.
    ("contacts:delete", {"pk": CONTACT_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("contacts:delete", {"pk": CONTACT_A}, "post", {**only({"counsellor"}, 302), "manager": 403}),
    ("contacts:delete", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "post", logged_in(404)),
    ("contacts:registration_change", {"pk": INTAKE_NOTED}, "get", {**only({"counsellor"}), "manager": 403}),
    (
        "contacts:registration_change",
        {"pk": INTAKE_NOTED},
        "post",
        {**only({"counsellor"}, 302), "manager": 403},
    ),
    (
        "contacts:registration_change",
        {"pk": INTAKE_FINALIZED},
        "get",
        {**only({"counsellor"}, 302), "manager": 403},
    ),
    # The annual report: managers, for the units they manage (anonymous figures, no records).
    ("annual_report:report", {}, "get", only({"manager", "manager_other"})),
    ("annual_report:report", {}, "post", everyone(405)),
    ("annual_report:download", {"unit": CENTRE_A, "year": "2026", "fmt": "csv"}, "get", only({"manager"})),
    ("annual_report:download", {"unit": CENTRE_A, "year": "2026", "fmt": "xlsx"}, "get", only({"manager"})),
    ("annual_report:download", {"unit": CENTRE_A, "year": "2026", "fmt": "pdf"}, "get", logged_in(404)),
    ("annual_report:download", {"unit": CENTRE_A, "year": "2026", "fmt": "csv"}, "post", everyone(405)),
    # Making a past year's report final (its pseudonym key destroyed): the unit's managers, after a confirmation.
    ("annual_report:make_final", {"unit": CENTRE_A, "year": "2020"}, "get", only({"manager"})),
    ("annual_report:make_final", {"unit": CENTRE_A, "year": "2020"}, "post", only({"manager"}, 302)),
    ("annual_report:make_final", {"unit": CENTRE_B, "year": "2020"}, "post", only({"manager_other"}, 302)),
    # The same pages for counsellor's intakes further along (tests/security/payloads.py), where a POST is a real change.
    ("intake:finalize", {"pk": INTAKE_COMPLETE}, "get", {**only({"counsellor"}), "manager": 403}),
    ("intake:finalize", {"pk": INTAKE_COMPLETE}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake:note", {"pk": INTAKE_FINALIZED}, "get", only({"counsellor", "manager"})),
    ("intake:note", {"pk": INTAKE_FINALIZED}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake:note_addendum", {"pk": INTAKE_NOTED}, "post", {**only({"counsellor"}, status=302), "manager": 403}),
    ("intake:note_pdf", {"pk": INTAKE_NOTED}, "get", only({"counsellor", "manager"})),
    # Anonymous statistics: managers (of their own units) and superusers.
    ("intake:statistics", {}, "get", only({"manager", "manager_other", "admin"})),
    ("intake:statistics", {}, "post", everyone(405)),
    # The question-tree editor: editors and superusers; everyone else does not find it.
    ("intake:tree_list", {}, "get", only({"editor", "admin"})),
    ("intake:tree_list", {}, "post", only({"editor", "admin"}, 302)),  # uploaded as a new draft version
    # Terminology for answerValueSet: imported by the same editors, on the same page; POST only.
    ("intake:terminology_upload", {}, "get", everyone(405)),
    ("intake:terminology_upload", {}, "post", only({"editor", "admin"}, 302)),
    (
        "intake:tree_version",
        {"slug": "first-contact", "language": "nb", "number": "1"},
        "get",
        only({"editor", "admin"}),
    ),
    ("intake:tree_version", {"slug": "first-contact", "language": "nb", "number": "1"}, "post", everyone(405)),
    ("intake:tree_version", {"slug": "first-contact", "language": "nb", "number": "99"}, "get", logged_in(404)),
    (
        "intake:tree_preview",
        {"slug": "first-contact", "language": "nb", "number": "1"},
        "get",
        only({"editor", "admin"}),
    ),
    (
        "intake:tree_preview",
        {"slug": "first-contact", "language": "nb", "number": "1"},
        "post",
        only({"editor", "admin"}),
    ),
    # Version 1 is published already: publishing again changes nothing and goes back to the version.
    ("intake:tree_publish", {"slug": "first-contact", "language": "nb", "number": "1"}, "get", everyone(405)),
    (
        "intake:tree_publish",
        {"slug": "first-contact", "language": "nb", "number": "1"},
        "post",
        only({"editor", "admin"}, 302),
    ),
    # Version 2 is a draft in the matrix world: publishing it is a real change.
    (
        "intake:tree_version",
        {"slug": "first-contact", "language": "nb", "number": "2"},
        "get",
        only({"editor", "admin"}),
    ),
    (
        "intake:tree_publish",
        {"slug": "first-contact", "language": "nb", "number": "2"},
        "post",
        only({"editor", "admin"}, 302),
    ),
    (
        "intake:tree_export",
        {"slug": "first-contact", "language": "nb", "number": "1"},
        "get",
        only({"editor", "admin"}),
    ),
    ("intake:tree_export", {"slug": "first-contact", "language": "nb", "number": "1"}, "post", everyone(405)),
    ("intake:tree_diff", {"slug": "first-contact", "language": "nb"}, "get", only({"editor", "admin"})),
    ("intake:tree_diff", {"slug": "first-contact", "language": "nb"}, "post", everyone(405)),
    # The discreet printout of a safety plan: those who may change the plan; its manager reads it but gets 403.
    ("safety_plans:print", {"pk": PLAN_A}, "get", {**only({"counsellor"}), "manager": 403}),
    ("safety_plans:print", {"pk": PLAN_A}, "post", {**only({"counsellor"}), "manager": 403}),  # the preview
    ("safety_plans:print", {"pk": "00000000-0000-4000-8000-0000000000ff"}, "get", logged_in(404)),
    # The safety-plan checklist editor: editors and superusers (all permissions); everyone else does not find it.
    ("safety_plans:checklist_item_list", {}, "get", only({"editor", "admin"})),
    ("safety_plans:checklist_item_list", {}, "post", everyone(405)),
    ("safety_plans:checklist_item_new", {}, "get", only({"editor", "admin"})),
    ("safety_plans:checklist_item_new", {}, "post", only({"editor", "admin"}, 302)),
    ("safety_plans:checklist_item_edit", {"code": "escape-plan"}, "get", only({"editor", "admin"})),
    ("safety_plans:checklist_item_edit", {"code": "escape-plan"}, "post", only({"editor", "admin"}, 302)),
    ("safety_plans:checklist_item_edit", {"code": "no-such-item"}, "get", logged_in(404)),
    # Two-factor login (twofactor). The matrix runs with TWO_FACTOR_REQUIRED off and nobody enrolled:
    # the status page is everyone's own; enrolment shows a QR code to anyone signed in without an authenticator
    # (a wrong code: the form again); the code step sends those without one to enrolment; new recovery codes
    # need an authenticator, so without one it is back to the status page.
    ("twofactor:account", {}, "get", logged_in(200)),
    ("twofactor:account", {}, "post", logged_in(405)),
    ("twofactor:enrol", {}, "get", logged_in(200)),
    ("twofactor:enrol", {}, "post", logged_in(200)),
    # Single sign-on: no provider is configured here, so every provider name is unknown (tests/sso/ has a real one).
    ("sso:start", {"provider": "feide"}, "get", everyone(404)),
    ("sso:start", {"provider": "feide"}, "post", everyone(405)),
    ("sso:callback", {"provider": "feide"}, "get", everyone(404)),
    ("sso:callback", {"provider": "feide"}, "post", everyone(405)),
    ("twofactor:verify", {}, "get", logged_in(302)),
    ("twofactor:verify", {}, "post", logged_in(302)),
    ("twofactor:recovery_codes", {}, "get", logged_in(405)),
    ("twofactor:recovery_codes", {}, "post", logged_in(302)),
    # Sessions: the idle dialog's status (never renews the session; the logged-out get "ended") and keep-alive
    # (JSON, so the logged-out get 401, not the login page), one's own other sessions, and intake step autosave
    # (the owner saves; the reading manager 403; everyone else 404).
    ("usersessions:status", {}, "get", everyone(200)),
    ("usersessions:status", {}, "post", everyone(405)),
    ("usersessions:keep_alive", {}, "get", everyone(405)),
    ("usersessions:keep_alive", {}, "post", logged_in(200, anonymous=401)),
    ("usersessions:others", {}, "get", logged_in(200)),
    ("usersessions:others", {}, "post", logged_in(302)),  # the right password: "log out everywhere else", and back
    ("intake:step_autosave", {"pk": INTAKE_A, "step": "contact"}, "get", everyone(405)),
    ("intake:step_autosave", {"pk": INTAKE_A, "step": "contact"}, "post", {**only({"counsellor"}), "manager": 403}),
    ("intake:step_autosave", {"pk": INTAKE_A, "step": "no-such-step"}, "post", {**only(set()), "manager": 403}),
    # The access log and the access review: managers (their units) and administrators; nobody else finds them.
    ("audit:list", {}, "get", only({"manager", "manager_other", "admin"})),
    ("audit:list", {}, "post", everyone(405)),
    ("audit:export", {}, "get", only({"manager", "manager_other", "admin"})),
    ("audit:export", {}, "post", everyone(405)),
    ("audit:review", {}, "get", only({"manager", "manager_other", "admin"})),
    ("audit:review", {}, "post", everyone(405)),
    # The Django admin is for superusers; everyone else is sent to its login page.
    ("admin:index", {}, "get", {**everyone(302), "admin": 200}),
    ("admin:index", {}, "post", {**everyone(302), "admin": 200}),
]

CASES = [
    pytest.param(
        name, kwargs, method, persona, expected[persona], id=f"{method}-{name}-{'-'.join(kwargs.values())}-{persona}"
    )
    for name, kwargs, method, expected in MATRIX
    for persona in PERSONAS
]


@pytest.fixture(scope="module")
def matrix_users(matrix_world):
    """The personas of the matrix world (tests/security/payloads.py: every record the matrix names, made once per
    module and rolled back after it; each case runs in its own savepoint)."""
    return matrix_world["users"]


# What a refusal looks like. For a POST with one of these, nothing in the database may change.
REFUSALS = {400, 403, 404, 405, LOGIN}


@pytest.fixture(scope="module")
def world_fingerprint(matrix_world, django_db_blocker):
    """The world's rows as every case starts from them (each case's savepoint is rolled back), taken once:
    a refused POST must leave the database exactly so. One fingerprint per refused case instead of two."""
    with django_db_blocker.unblock():
        return fingerprint(without_last_login=True)


@pytest.mark.parametrize(("name", "kwargs", "method", "persona", "expected"), CASES)
def test_permission_matrix(db, matrix_users, world_fingerprint, name, kwargs, method, persona, expected):
    """Each persona gets the expected status. A POST carries the realistic data a permitted person would send
    (tests/security/payloads.py), and when it is refused, every row of the database is as it was before."""
    client = Client()
    user = None
    if persona != "anonymous":
        user = matrix_users[persona]
        client.force_login(user)
    url = reverse(name, kwargs=kwargs)
    if method == "post":
        response = client.post(url, payload(name, kwargs, user))
    else:
        response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    if method == "post" and expected in REFUSALS:
        after = fingerprint(without_last_login=True)
        assert changed_models(world_fingerprint, after) == [], "a refused POST changed the database"


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _app_url_names() -> set[str]:
    return {name for name in _url_names(get_resolver().url_patterns) if not name.startswith("admin:")} | {"admin:index"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_url_has_a_row_for_each_method(method):
    """Adding a URL without deciding who may reach it, by GET *and* by POST, fails here. The admin's own pages
    are covered by its index rows: Django's admin checks is_staff on every one of them."""
    covered = {row[0] for row in MATRIX if row[2] == method}
    missing = sorted(_app_url_names() - covered)
    assert missing == [], (
        f"URL names without a {method.upper()} row in tests/security/test_permissions.py MATRIX: {missing}. Add a row "
        f'(url name, kwargs, "{method}", {{persona: status}}) for each: 405 where the view does not take '
        f"{method.upper()}."
    )


def test_every_url_accepting_posts_has_a_payload():
    """A POST row where someone gets through (not refused for all) must post the data a permitted person would
    send (tests/security/payloads.py PAYLOADS), or a refusal could not be told from a request that would change nothing
    anyway. Views that read nothing from the body are listed in EMPTY_POSTS."""
    accepting = {row[0] for row in MATRIX if row[2] == "post" and set(row[3].values()) - REFUSALS}
    missing = sorted(accepting - set(PAYLOADS) - EMPTY_POSTS)
    assert missing == [], (
        f"POST rows with no payload: {missing}. Add a builder to PAYLOADS in tests/security/payloads.py returning the "
        "valid data a permitted person would post (or add the name to EMPTY_POSTS if the view reads no data)."
    )
    assert set(PAYLOADS) | EMPTY_POSTS <= _app_url_names(), "payloads for URL names that do not exist"


# (url name, kwargs, a permitted persona, the models its POST must change). The same payloads as the matrix
# posts: if these change the database, a refused POST leaving it unchanged means the refusal stopped it.
PERMITTED_CHANGES = [
    ("incidents:new", {}, "staff", {"incidents.incident", "incidents.incidenttransition"}),
    ("incidents:edit", {"pk": INCIDENT_UNIVERSITY}, "manager", {"incidents.incident", "incidents.incidenttransition"}),
    ("incidents:assign", {"pk": INCIDENT_UNIVERSITY}, "manager", {"incidents.incident"}),
    ("incidents:transition", {"pk": INCIDENT_UNIVERSITY}, "admin", {"incidents.incident"}),
    ("incidents:close", {"pk": INCIDENT_CENTRE_B}, "manager_other", {"incidents.incident"}),
    ("incidents:action_add", {"pk": INCIDENT_UNIVERSITY}, "admin", {"incidents.incidentaction"}),
    (
        "incidents:action_update",
        {"pk": INCIDENT_UNIVERSITY, "action_pk": ACTION_UNIVERSITY},
        "manager",
        {"incidents.incidentaction"},
    ),
    ("incidents:step_update", {"pk": INCIDENT_UNIVERSITY, "number": "1"}, "manager", {"incidents.checkliststep"}),
    ("exercises:new", {"slug": "vold-og-trusler"}, "editor", {"exercises.exercise"}),
    ("exercises:action_add", {"pk": EXERCISE_UNIVERSITY}, "manager", {"incidents.incidentaction"}),
    (
        "exercises:action_update",
        {"pk": EXERCISE_UNIVERSITY, "action_pk": EXERCISE_ACTION},
        "editor",
        {"incidents.incidentaction"},
    ),
    ("incidents:attachment_add", {"pk": INCIDENT_UNIVERSITY}, "staff", {"incidents.incidentattachment"}),
    ("incidents:unit_settings", {"slug": CENTRE_B}, "manager_other", {"incidents.incidentunitsettings"}),
    ("incidents:message_add", {"pk": INCIDENT_ANONYMOUS}, "manager", {"incidents.incidentmessage"}),
    (
        "incidents:attachment_remove",
        {"pk": INCIDENT_UNIVERSITY, "attachment_pk": ATTACHMENT_UNIVERSITY},
        "manager",
        {"incidents.incidentattachment"},
    ),
    ("safety_plans:new", {}, "counsellor2", {"safety_plans.safetyplan", "safety_plans.planitem"}),
    ("safety_plans:edit", {"pk": PLAN_A}, "counsellor", {"safety_plans.safetyplan", "safety_plans.planitem"}),
    ("safety_plans:review", {"pk": PLAN_A}, "counsellor", {"safety_plans.safetyplan", "safety_plans.planreview"}),
    ("safety_plans:declined", {"pk": PLAN_A}, "counsellor", {"safety_plans.safetyplan"}),
    ("safety_plans:sharing", {"pk": PLAN_A}, "counsellor", {"safety_plans.safetyplanuserobjectpermission"}),
    ("intake:new", {}, "counsellor_other", {"intake.intake", "intake.intakeuserobjectpermission"}),
    ("intake:import", {}, "counsellor2", {"intake.intake", "intake.intakeuserobjectpermission"}),
    ("intake:unit_trees", {"slug": CENTRE_A}, "manager", {"intake.unitintaketree"}),
    ("intake:step", {"pk": INTAKE_A, "step": "contact"}, "counsellor", {"intake.intake"}),
    ("intake:finalize", {"pk": INTAKE_COMPLETE}, "counsellor", {"intake.intake", "intake.intakestatistic"}),
    ("intake:note", {"pk": INTAKE_FINALIZED}, "counsellor", {"intake.intake"}),
    ("intake:note_addendum", {"pk": INTAKE_NOTED}, "counsellor", {"intake.intakenoteaddendum"}),
    ("contacts:delete", {"pk": CONTACT_A}, "counsellor", {"contacts.casecontact", "contacts.staychild"}),
    ("contacts:registration_change", {"pk": INTAKE_NOTED}, "counsellor", {"contacts.registration"}),
    ("annual_report:make_final", {"unit": CENTRE_A, "year": "2020"}, "manager", {"annual_report.yearkey"}),
    (
        "intake:tree_publish",
        {"slug": "first-contact", "language": "nb", "number": "2"},
        "editor",
        {"intake.treeversion"},
    ),
    ("intake:sharing", {"pk": INTAKE_A}, "counsellor", {"intake.intakeuserobjectpermission"}),
    ("intake:tree_list", {}, "editor", {"intake.treeversion"}),
    ("intake:terminology_upload", {}, "editor", {"intake.valueset", "intake.codesystem"}),
    ("safety_plans:checklist_item_new", {}, "editor", {"safety_plans.checklistitem"}),
    ("safety_plans:checklist_item_edit", {"code": "escape-plan"}, "admin", {"safety_plans.checklistitem"}),
    ("routines:new", {}, "editor", {"routines.routine", "routines.routineversion"}),
    ("routines:draft_new", {"slug": "selvmordsfare-og-alvorlig-sykdom"}, "editor", {"routines.routineversion"}),
    ("routines:version_edit", {"slug": "vold-og-trusler", "number": "2"}, "editor", {"routines.routineversion"}),
    ("routines:version_approve", {"slug": "vold-og-trusler", "number": "2"}, "manager", {"routines.routineversion"}),
    ("printing:new", {}, "manager_other", {"printing.printorder", "printing.printorderevent"}),
    ("printing:advance", {"pk": str(NEW_ORDER)}, "printshop", {"printing.printorder", "printing.printorderevent"}),
    ("password_change", {}, "counsellor", {"auth.user"}),
    ("account", {}, "staff", {"accounts.preferences"}),
    ("member_add", {"slug": CENTRE_A}, "manager", {"auth.user", "accounts.membership"}),
    ("member_detail", {"slug": CENTRE_A, "username": "counsellor"}, "admin", {"accounts.membership"}),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "persona", "models"), [pytest.param(*row, id=f"{row[0]}-{row[2]}") for row in PERMITTED_CHANGES]
)
def test_a_permitted_post_of_the_same_payload_changes_the_database(db, matrix_users, name, kwargs, persona, models):
    """Proof that the payloads are real and the fingerprint sees a change: without it, "a refused POST changes
    nothing" could hold just because the POST would have changed nothing anyway."""
    client = Client()
    client.force_login(matrix_users[persona])
    before = fingerprint()
    response = client.post(reverse(name, kwargs=kwargs), payload(name, kwargs, matrix_users[persona]))
    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("login"))
    assert models <= set(changed_models(before, fingerprint()))
