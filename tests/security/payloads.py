"""One place for what the security tests POST and how they tell whether anything changed.

- ``payload(name, kwargs, user)``: the realistic, valid data a permitted person would send to that URL to
  make a real change (a changed report, a saved plan, a new routine ...). The permission matrix posts it for
  every persona, so a refused POST is refused *with* data that would have worked; tests/security/test_mass_assignment.py
  adds hostile extra fields to it, tests/security/test_csrf.py posts it without a CSRF token.
- ``fingerprint()``: every row of every model of our apps, auth and guardian (sessions, the audit log and
  axes' login records left out: a refusal may be logged). Equal before and after means nothing changed.
- ``matrix_world``: the module-scoped world the permission matrix, mass-assignment and CSRF tests share: the
  conftest builders' records, made once per module inside a transaction rolled back after it.

Builders read the database when called (the current revision, the plan's items), inside the case's own
savepoint, so they always match the state a real form page would have shown.
"""

import json
import uuid
from datetime import timedelta

import pytest
from django import forms as django_forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.widgets import ChoiceWidget
from django.test import override_settings
from django.utils import timezone

from accounts.demo import CENTRE_A, UNIVERSITY
from accounts.models import Unit
from tests.conftest import (
    INCIDENT_UNIVERSITY,
    PASSWORD,
    make_demo,
    make_exercise,
    make_incident_records,
    make_intake_a,
    make_intake_trees,
    make_print_orders,
    make_routines,
    make_safety_plan_a,
)

NEW_PASSWORD = "a-new-and-long-passphrase-2026"
DRAFT_ROUTINE = "vold-og-trusler"  # the matrix world has an open draft (v2) of this routine
DRAFT_NUMBER = "2"
DRAFT_TREE_NUMBER = "2"  # and a draft v2 of the first-contact tree in bokmål
# Counsellor's intakes at centre A in later states, so finalizing, the note and addenda can really change.
INTAKE_COMPLETE = "00000000-0000-4000-8000-00000000000c"  # every required answer given, still a draft
INTAKE_FINALIZED = "00000000-0000-4000-8000-00000000000d"  # finalized; the journal note is a draft
INTAKE_NOTED = "00000000-0000-4000-8000-00000000000e"  # finalized, and so is its journal note
CONTACT_A = "00000000-0000-4000-8000-0000000000c1"  # a stay on INTAKE_FINALIZED, still going on (not counted)
ATTACHMENT_UNIVERSITY = "00000000-0000-4000-8000-0000000000a3"  # a PDF on the university report
INCIDENT_ANONYMOUS = "00000000-0000-4000-8000-0000000000a4"  # an anonymous report to the university section
RECEIPT = {}  # its receipt code, as the world made it: {"code": ...}
ATTACHMENT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# --- The world ---------------------------------------------------------------------------------------------


def make_matrix_world() -> dict:
    """The records the matrix names (the conftest builders), plus records in the states where a POST really
    changes something: an open routine draft, a draft question tree, a complete intake, a finalized one with a
    draft note and one with a final note, and the centre B report in review (so it can be closed)."""
    from contacts.models import CaseContact
    from contacts.registration import ensure_registration_tree
    from contacts.services import contact_record
    from incidents.services import incident_transition
    from intake.demo import demo_tree_document
    from intake.models import Intake
    from intake.services import intake_create, intake_finalize, intake_note_save, tree_version_create
    from routines.models import Routine
    from routines.services import routine_draft_start, routine_version_submit
    from tests.conftest import INCIDENT_CENTRE_B
    from tests.intake.test_intake_finalize import complete

    demo = make_demo()
    users, centre_a = demo["users"], demo["units"][CENTRE_A]
    make_routines(demo)
    incidents = make_incident_records(demo)
    trees = make_intake_trees(demo)
    make_safety_plan_a(demo, make_intake_a(demo, trees))
    make_print_orders(demo)
    make_exercise(demo)
    draft = routine_draft_start(routine=Routine.objects.get(slug=DRAFT_ROUTINE), user=users["editor"])
    assert str(draft.number) == DRAFT_NUMBER
    routine_version_submit(version=draft, user=users["editor"])  # so a second person's approval publishes it
    tree_draft = tree_version_create(doc=demo_tree_document("nb"), user=users["editor"])
    assert str(tree_draft.number) == DRAFT_TREE_NUMBER
    for pk in (INTAKE_COMPLETE, INTAKE_FINALIZED, INTAKE_NOTED):
        intake = complete(intake_create(user=users["counsellor"], unit=centre_a, tree_version=trees["nb"], pk=pk))
        if pk != INTAKE_COMPLETE:
            intake = intake_finalize(
                intake=intake, user=users["counsellor"], offered_help="shelter", offered_reason="", information={}
            )
        if pk == INTAKE_NOTED:
            intake_note_save(intake=intake, user=users["counsellor"], text=intake.note_text, finalize=True)
    ensure_registration_tree(editor=users["editor"])
    field = CaseContact._meta.get_field("id")
    field.default = lambda: uuid.UUID(CONTACT_A)
    field.__dict__.pop("_get_default", None)  # Django caches the default callable
    try:
        contact_record(
            intake=Intake.objects.get(pk=INTAKE_FINALIZED),
            user=users["counsellor"],
            kind="stay",
            started_on=timezone.localdate(),
            children_ages=[6],
        )
    finally:
        field.default = uuid.uuid4
        field.__dict__.pop("_get_default", None)
    # INTAKE_NOTED is registered for the statistics (consent given), so its registration can be corrected.
    from contacts.services import registration_record

    registration_record(
        intake=Intake.objects.get(pk=INTAKE_NOTED),
        user=users["counsellor"],
        consent="given",
        consent_how="written",
        answers={"gender": [{"code": "woman"}]},
        birth_year=1979,
        initials="CD",
        gender="woman",
    )
    from incidents.models import IncidentAttachment
    from tests.conftest import INCIDENT_UNIVERSITY

    IncidentAttachment.objects.create(
        id=ATTACHMENT_UNIVERSITY,
        incident=incidents[INCIDENT_UNIVERSITY],
        file=SimpleUploadedFile("x.pdf", ATTACHMENT_PDF),
        name="minutes.pdf",
        kind="pdf",
        size=len(ATTACHMENT_PDF),
        scan=IncidentAttachment.Scan.NOT_SCANNED,
        uploaded_by=users["staff"],
    )
    # The university section takes anonymous reports, and has one (its code kept for the follow page's POST).
    from incidents.models import Incident
    from incidents.services import incident_report_anonymous, unit_settings_save

    unit_settings_save(
        unit=demo["units"][UNIVERSITY],
        user=users["manager"],
        anonymous_reporting=True,
        consequence_labels=[],
        probability_labels=[],
    )
    id_field = Incident._meta.get_field("id")
    id_field.default = lambda: uuid.UUID(INCIDENT_ANONYMOUS)
    id_field.__dict__.pop("_get_default", None)
    try:
        _anonymous, RECEIPT["code"] = incident_report_anonymous(
            unit=demo["units"][UNIVERSITY],
            form_token=uuid.uuid4(),
            type="threat_in_person",
            occurred_at=timezone.now(),
            place="Corridor",
            what_happened="A student threatened a colleague.",
            immediate_actions=[],
        )
    finally:
        id_field.default = uuid.uuid4
        id_field.__dict__.pop("_get_default", None)
    report = incidents[INCIDENT_CENTRE_B]
    incident_transition(
        incident=report, user=users["manager_other"], to_state="in_review", expected_version=report.version
    )
    return demo


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, made once for the module instead of once per case: the same builders as the single-test
    fixtures, inside one transaction that is rolled back after the module. Each test runs in its own
    savepoint (pytest-django's ``db``), so what a case writes is undone before the next."""
    private_root = tmp_path_factory.mktemp("private")
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PRIVATE_FILES_ROOT=private_root,
    )
    with django_db_blocker.unblock(), fast:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # The stored attachments' folder: each case points PRIVATE_FILES_ROOT at it (tests/security).
            yield {**make_matrix_world(), "private_files_root": private_root}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- Fingerprint -------------------------------------------------------------------------------------------

FINGERPRINT_APPS = (
    "accounts",
    "audit",
    "routines",
    "printing",
    "intake",
    "incidents",
    "exercises",
    "safety_plans",
    "contacts",
    "annual_report",
    "auth",
    "guardian",
    "otp_totp",
    "otp_static",
)
# A refusal may be audit-logged, and every request may touch its session; axes is another app.
NOT_FINGERPRINTED = {"audit.auditevent", "usersessions.usersession"}


def fingerprinted_models() -> list:
    models = []
    for label in FINGERPRINT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower not in NOT_FINGERPRINTED:
                models.append(model)
    return models


def fingerprint(*, without_last_login: bool = False) -> dict[str, tuple]:
    """Every row (every column) of every fingerprinted model, by model label. ``without_last_login`` leaves
    out the users' last login time, which logging a persona in for a test case sets."""

    def columns(model):
        names = [f.attname for f in model._meta.concrete_fields]
        if without_last_login and model._meta.label_lower == "auth.user":
            names.remove("last_login")
        return names

    return {
        model._meta.label_lower: tuple(model._base_manager.order_by("pk").values_list(*columns(model)))
        for model in fingerprinted_models()
    }


def changed_models(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# --- Turning unbound forms into what a browser posts -------------------------------------------------------


def form_data(*forms) -> dict:
    """What a browser would post for these unbound forms and formsets as the page shows them (their initial
    values, prefixes and management forms): the realistic starting point for a change."""
    data: dict = {}
    for form in forms:
        if isinstance(form, django_forms.BaseFormSet):
            data.update(form_data(form.management_form, *form.forms))
            continue
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            key = form.add_prefix(name)
            if isinstance(field.widget, django_forms.CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            elif value is None:
                data[key] = ""
            elif isinstance(field.widget, ChoiceWidget):
                data[key] = str(value)
            else:
                formatted = field.widget.format_value(value)
                data[key] = "" if formatted is None else str(formatted)
    return data


# --- Payloads ----------------------------------------------------------------------------------------------


def _today(days=0):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _unit(slug):
    return Unit.objects.get(slug=slug)


def _units_of(user, roles=None):
    if user is None or not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    if roles:
        return Unit.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()
    return Unit.objects.filter(memberships__user=user).distinct()


def _incident(pk):
    from incidents.models import Incident

    return Incident.objects.get(pk=pk)


def incident_new(user, kwargs):
    unit = _units_of(user).order_by("slug").first() or _unit(UNIVERSITY)
    return {
        "form_token": str(uuid.uuid4()),
        "type": "violence",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "unit": str(unit.pk),
        "place": "Reception desk",
        "what_happened": "A visitor shouted and threw a chair.",
        "immediate_actions": ["manager_notified"],
        "affected_students": "0",
        "affected_staff": "1",
        "affected_others": "0",
    }


def incident_edit(user, kwargs):
    from incidents.forms import IncidentEditForm

    incident = _incident(kwargs["pk"])
    data = form_data(IncidentEditForm(instance=incident, initial={"version": incident.version}))
    data["place"] = "The library, second floor"
    return data


def incident_assign(user, kwargs):
    incident = _incident(kwargs["pk"])
    manager = "manager" if str(incident.pk) == INCIDENT_UNIVERSITY else "manager_other"
    return {"version": str(incident.version), "assignee": str(_user(manager).pk)}


def incident_transition(user, kwargs):
    return {"version": str(_incident(kwargs["pk"]).version), "reason": ""}


def incident_risk(user, kwargs):
    return {"version": str(_incident(kwargs["pk"]).version), "consequence": "3", "probability": "4"}


def incident_close(user, kwargs):
    return {
        "version": str(_incident(kwargs["pk"]).version),
        "evaluation_summary": "The alarm worked; the police came in ten minutes.",
        "learning_points": "Keep the reception door locked after 20.",
        "debrief_offered": "on",
        "debrief_at": _today(),
    }


def incident_action_add(user, kwargs):
    incident = _incident(kwargs["pk"])
    responsible = "manager" if str(incident.pk) == INCIDENT_UNIVERSITY else "manager_other"
    return {"description": "Check the alarm button.", "responsible": str(_user(responsible).pk), "deadline": _today(7)}


def incident_action_update(user, kwargs):
    prefix = f"a-{kwargs['action_pk']}"
    return {f"{prefix}-status": "done", f"{prefix}-evaluation": "The alarm is fixed."}


def exercise_new(user, kwargs):
    return {
        "held_on": _today(),
        "kind": "full",
        "participant_count": "8",
        "other_roles": "reception",
        "what_worked": "Everyone found the routine on the phone.",
        "what_did_not": "The log was started late.",
    }


def exercise_action_add(user, kwargs):
    return {
        "new-description": "Start the log at once.",
        "new-responsible": str(_user("editor").pk),
        "new-deadline": _today(7),
    }


def exercise_action_update(user, kwargs):
    prefix = kwargs["action_pk"]
    return {f"{prefix}-status": "done", f"{prefix}-evaluation": "The log-keeper is named."}


def incident_step_update(user, kwargs):
    incident = _incident(kwargs["pk"])
    responsible = "manager" if str(incident.pk) == INCIDENT_UNIVERSITY else "manager_other"
    prefix = f"s-{kwargs['number']}"
    return {f"{prefix}-responsible": str(_user(responsible).pk), f"{prefix}-done": "on"}


def _intake(pk):
    from intake.models import Intake

    return Intake.objects.select_related("tree_version").get(pk=pk)


# Answers to the demo tree's first step, as the wizard tests give them (tests/intake/test_intake_wizard.py).
STEP_ANSWERS = {"contact": {"contact-channel": "walk-in", "interpreter-needed": "false"}}


def intake_step(user, kwargs):
    from intake.questionnaire import Tree
    from intake.wizard import field_name, initial_for, step_form_class

    intake = _intake(kwargs["pk"])
    tree = Tree(intake.tree_version.questionnaire)
    step = next((s for s in tree.steps if s.link_id == kwargs["step"]), tree.steps[0])
    form_class = step_form_class(tree, step)
    data = form_data(form_class(initial={**initial_for(tree, step, intake.answers), "revision": intake.revision}))
    for link_id, value in STEP_ANSWERS.get(step.link_id, {}).items():
        data[field_name(tree.by_link_id[link_id])] = value
    data["action"] = "next"
    return data


def intake_cover_label(user, kwargs):
    return {"cover_label": "Tirsdag, ringte"}


def intake_finalize(user, kwargs):
    return {
        "offered_help": "shelter",
        "offered_reason": "The person asked for a place to stay tonight.",
        "info_centre-offers": "on",
        "info_duty-to-avert": "on",
    }


def sharing(user, kwargs):
    return {"colleague": str(_user("counsellor2").pk)}


def intake_note(user, kwargs):
    return {"note_text": "Met at the centre. Offered shelter.", "action": "save"}


def intake_note_addendum(user, kwargs):
    return {"text": "Called back the next day."}


def intake_import(user, kwargs):
    """A QuestionnaireResponse answering the demo tree's first step, as another tool would send it."""
    from intake.models import TreeVersion

    version = TreeVersion.objects.filter(tree__slug="first-contact", language="nb", status="published").latest("number")
    doc = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"urn:krisestotte:questionnaire:first-contact:nb:{version.number}",
        "status": "in-progress",
        "item": [
            {"linkId": "contact", "item": [{"linkId": "interpreter-needed", "answer": [{"valueBoolean": False}]}]}
        ],
    }
    body = json.dumps(doc).encode()
    return {"file": SimpleUploadedFile("response.json", body, "application/fhir+json")}


def intake_unit_trees(user, kwargs):
    from intake.models import QuestionTree

    return {"trees": [str(QuestionTree.objects.get(slug="first-contact").pk)]}


def intake_tree_list(user, kwargs):
    from intake.demo import demo_tree_document

    doc = demo_tree_document("nb")
    doc["title"] = doc.get("title", "") + " (revidert)"
    body = json.dumps(doc, ensure_ascii=False).encode()
    return {"tree": "", "language": "", "file": SimpleUploadedFile("first-contact.json", body, "application/fhir+json")}


def intake_terminology_upload(user, kwargs):
    body = json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {
                    "resource": {
                        "resourceType": "CodeSystem",
                        "url": "http://example.org/CodeSystem/answer",
                        "status": "active",
                        "content": "complete",
                        "concept": [{"code": "yes", "display": "Yes"}, {"code": "no", "display": "No"}],
                    }
                },
                {
                    "resource": {
                        "resourceType": "ValueSet",
                        "url": "http://example.org/ValueSet/answer",
                        "status": "active",
                        "compose": {"include": [{"system": "http://example.org/CodeSystem/answer"}]},
                    }
                },
            ],
        }
    ).encode()
    return {"file": SimpleUploadedFile("terminology.json", body, "application/fhir+json")}


def intake_tree_preview(user, kwargs):
    from intake.models import TreeVersion
    from intake.questionnaire import Tree
    from intake.wizard import field_name, step_form_class

    version = TreeVersion.objects.get(tree__slug=kwargs["slug"], language=kwargs["language"], number=kwargs["number"])
    tree = Tree(version.questionnaire)
    step = tree.steps[0]
    data = form_data(step_form_class(tree, step)(initial={"revision": 0}))
    for link_id, value in STEP_ANSWERS.get(step.link_id, {}).items():
        data[field_name(tree.by_link_id[link_id])] = value
    return {**data, "answers": "{}", "step": step.link_id, "action": "next"}


def _plan(pk):
    from safety_plans.models import SafetyPlan

    return SafetyPlan.objects.get(pk=pk)


def safety_plan_new(user, kwargs):
    return {"label": "Plan C", "next_review_on": _today(14)}


def safety_plan_edit(user, kwargs):
    from safety_plans.forms import ContactFormSet, PlanItemForm, PlanSectionsForm

    plan = _plan(kwargs["pk"])
    data = form_data(
        PlanSectionsForm(instance=plan, initial={"revision": plan.revision}),
        *(PlanItemForm(instance=item, prefix=f"item-{item.pk}") for item in plan.items.select_related("item")),
        ContactFormSet(
            prefix="contacts", initial=[{"label": c.label, "number": c.number} for c in plan.contacts.all()]
        ),
    )
    data["contact_times"] = "Weekdays 9-15"
    first = plan.items.order_by("pk").first()
    data[f"item-{first.pk}-status"] = "in_place"
    return data


def safety_plan_review(user, kwargs):
    return {"next_review_on": _today(30), "note": "Went through the whole plan."}


def safety_plan_declined(user, kwargs):
    return {"declined": "yes"}


def safety_plan_print(user, kwargs):
    plan = _plan(kwargs["pk"])
    return {
        "title": "Huskeliste",
        "size": "a6",
        "items": [str(i.pk) for i in plan.items.all()[:3]],
        "contacts": [str(c.pk) for c in plan.contacts.all()],
        "action": "preview",
    }


def checklist_item_new(user, kwargs):
    return {
        "code": "spare-phone",
        "order": "500",
        "title_nb": "Har personen en ekstra telefon?",
        "title_en": "Does the person have a spare phone?",
        "help_nb": "",
        "help_en": "",
        "active": "on",
    }


def checklist_item_edit(user, kwargs):
    from safety_plans.forms import ChecklistItemForm
    from safety_plans.models import ChecklistItem

    data = form_data(ChecklistItemForm(instance=ChecklistItem.objects.get(code=kwargs["code"])))
    data["title_en"] = data["title_en"] + " (revised)"
    return data


def routine_new(user, kwargs):
    units = _units_of(user, roles=["editor"])
    unit = units.filter(slug=UNIVERSITY).first() or _unit(UNIVERSITY)
    return {
        "slug": "brann",
        "category": "violence",
        "kind": "routine",
        "owner_unit": str(unit.pk),
        "title_nb": "Brann",
        "title_en": "Fire",
    }


def routine_version_edit(user, kwargs):
    """The editor's first part (title and summary): the page the version's own address opens."""
    from routines.forms import VersionForm
    from routines.models import RoutineVersion

    version = RoutineVersion.objects.select_related("routine").get(
        routine__slug=kwargs["slug"], number=kwargs["number"]
    )
    form = VersionForm(
        initial={
            "title_nb": version.title_nb,
            "title_en": version.title_en,
            "summary_nb": version.summary_nb,
            "summary_en": version.summary_en,
        }
    )
    data = form_data(form)
    data["base_token"] = version.state_token()
    data["summary_en"] = "Revised: " + data["summary_en"]
    data["action"] = "save"
    return data


def print_order_new(user, kwargs):
    units = _units_of(user, roles=["editor", "manager"])
    unit = units.order_by("slug").first() or _unit(UNIVERSITY)
    return {
        "routine": "vold-og-trusler",
        "lang": "nb",
        "quantity": "200",
        "delivery_unit": str(unit.pk),
        "delivery_address": "Building A, room 101",
        "wanted_by": _today(10),
        "paper": "silk_170",
        "proof": "pdf",
        "contact_name": "Contact Person",
        "contact_phone": "73 59 32 80",
        "billing_reference": "KS-4410",
    }


def contact_new(user, kwargs):
    return {"started_on": _today()}


def contact_edit(user, kwargs):
    return {"started_on": _today(), "ended_on": _today(), "went_to": "own-home", "children_ages": "6"}


def contact_register(user, kwargs):
    from contacts.registration import registration_version
    from intake.questionnaire import Tree
    from intake.wizard import field_name

    tree = Tree(registration_version("nb").questionnaire)
    gender = "q-" + field_name(tree.by_link_id["gender"])
    return {
        "consent": "given",
        "consent_how": "written",
        "birth_year": "1988",
        "initials": "AB",
        "confirmed": "on",
        gender: "woman",
    }


def login(user, kwargs):
    return {"username": "counsellor", "password": PASSWORD}


def password_change(user, kwargs):
    return {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


# URL name -> builder(user, kwargs) -> POST data. A URL whose view takes no input posts {} (see EMPTY_POSTS).
PAYLOADS = {
    "login": login,
    "password_change": password_change,
    "account": lambda user, kwargs: {"language": "en"},
    "member_add": lambda user, kwargs: {"email": "ny.person@example.org", "first_name": "Ny", "role": "staff"},
    "member_detail": lambda user, kwargs: {"action": "roles", "roles": ["counsellor", "staff"]},
    "password_reset": lambda user, kwargs: {"email": "counsellor@example.org"},
    "password_reset_confirm": lambda user, kwargs: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    "invitation_accept": lambda user, kwargs: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    "set_language": lambda user, kwargs: {"language": "en", "next": "/"},
    "routines:new": routine_new,
    "routines:version_edit": routine_version_edit,
    "routines:version_approve": lambda user, kwargs: {"numbers_confirmed": "on"},
    "printing:new": print_order_new,
    "printing:advance": lambda user, kwargs: {"note": "Printed and left at the reception."},
    "incidents:new": incident_new,
    "incidents:edit": incident_edit,
    "incidents:assign": incident_assign,
    "incidents:transition": incident_transition,
    "incidents:close": incident_close,
    "incidents:risk": incident_risk,
    "incidents:action_add": incident_action_add,
    "incidents:action_update": incident_action_update,
    "incidents:step_update": incident_step_update,
    "exercises:new": exercise_new,
    "exercises:action_add": exercise_action_add,
    "exercises:action_update": exercise_action_update,
    "incidents:anonymous_new": lambda user, kwargs: {
        k: v for k, v in incident_new(None, kwargs).items() if k != "unit"
    },
    "incidents:anonymous_follow": lambda user, kwargs: {"code": RECEIPT["code"]},
    "incidents:unit_settings": lambda user, kwargs: {"anonymous_reporting": "on", "consequence_3": "Alvorlig skade"},
    "incidents:message_add": lambda user, kwargs: {"text": "Which room was it?"},
    "incidents:attachment_add": lambda user, kwargs: {
        "attachments": SimpleUploadedFile("photo-of-the-door.pdf", ATTACHMENT_PDF),
        "target": "",
    },
    "intake:step": intake_step,
    "intake:cover_label": intake_cover_label,
    "intake:finalize": intake_finalize,
    "intake:sharing": sharing,
    "intake:note": intake_note,
    "intake:note_addendum": intake_note_addendum,
    "intake:tree_list": intake_tree_list,
    "intake:terminology_upload": intake_terminology_upload,
    "intake:import": intake_import,
    "intake:unit_trees": intake_unit_trees,
    "intake:tree_preview": intake_tree_preview,
    "safety_plans:new": safety_plan_new,
    "safety_plans:edit": safety_plan_edit,
    "safety_plans:review": safety_plan_review,
    "contacts:new": contact_new,
    "contacts:edit": contact_edit,
    "contacts:register": contact_register,
    "contacts:registration_change": contact_register,
    "safety_plans:declined": safety_plan_declined,
    "safety_plans:sharing": sharing,
    "safety_plans:print": safety_plan_print,
    "safety_plans:checklist_item_new": checklist_item_new,
    "safety_plans:checklist_item_edit": checklist_item_edit,
    # Autosave posts the step form as it stands (revision included), as intake/static js does.
    "intake:step_autosave": intake_step,
    "usersessions:others": lambda user, kwargs: {"password": PASSWORD},
    # A code from the person's authenticator app. The matrix has no enrolled device and no enrolment key in
    # the session, so for everyone this is a wrong code: tests/twofactor/test_two_factor.py has the right ones.
    "twofactor:enrol": lambda user, kwargs: {"code": "123456"},
    "twofactor:verify": lambda user, kwargs: {"code": "123456"},
    "twofactor:recovery_codes": lambda user, kwargs: {"code": "123456"},
}

# Views that accept a POST but read nothing from it: the POST itself is the whole request.
EMPTY_POSTS = {
    "annual_report:make_final",
    "contacts:delete",
    "logout",
    "incidents:attachment_remove",
    "routines:draft_new",
    "printing:reissue",
    "intake:new",
    "intake:tree_publish",
    "admin:index",
    "usersessions:keep_alive",
}


def payload(name: str, kwargs: dict, user=None) -> dict:
    """The POST data for ``name`` (with ``kwargs``) as ``user`` would send it; {} for a URL that takes none."""
    builder = PAYLOADS.get(name)
    if builder is None:
        return {}
    return builder(user, kwargs)
