"""Mass assignment: fields a form does not show cannot be set by posting them.

Every create/edit endpoint gets its realistic payload (tests/security/payloads.py) plus hostile extra fields: another
person's id as owner/reporter/creator, another unit, a status it should not have ("closed", "published",
"finalized"), 999 for version/revision, and is_superuser/is_staff. Then the saved record must hold what the
server decides, never the posted values. Fields a form legitimately carries (the hidden optimistic-lock
``version``/``revision``, a visible unit choice) are left to the form; that a posted lock value cannot be
forced is checked separately at the bottom.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from incidents.models import Incident, IncidentAction
from intake.models import Intake, IntakeNoteAddendum, IntakeUserObjectPermission, TreeVersion
from printing.demo import NEW_ORDER
from printing.models import PrintOrder
from routines.models import Routine, RoutineVersion
from safety_plans.models import ChecklistItem, PlanReview, SafetyPlan, SafetyPlanUserObjectPermission
from tests.conftest import ACTION_UNIVERSITY, INCIDENT_UNIVERSITY, INTAKE_A, PLAN_A
from tests.intake.test_intake_finalize import complete
from tests.security.payloads import matrix_world, payload  # noqa: F401

User = get_user_model()

HOSTILE_FIELDS = (
    "owner",
    "owner_id",
    "unit",
    "unit_id",
    "status",
    "version",
    "revision",
    "reporter",
    "created_by",
    "is_superuser",
    "is_staff",
)


class World:
    """The matrix world with the posting and hostile-value helpers each case needs."""

    def __init__(self, demo):
        self.users = demo["users"]
        self.units = demo["units"]

    def other_user(self, actor):
        return self.users["counsellor_other" if actor.username != "counsellor_other" else "manager_other"]

    def hostile(self, actor, *, status, other_unit=CENTRE_B, legit=(), **extra) -> dict:
        """The hostile extras for ``actor``: every name in HOSTILE_FIELDS except the form's own (``legit``),
        plus ``extra`` (model fields particular to the endpoint)."""
        other, unit = self.other_user(actor), self.units[other_unit]
        values = {
            "owner": other.pk,
            "owner_id": other.pk,
            "unit": unit.pk,
            "unit_id": unit.pk,
            "status": status,
            "version": 999,
            "revision": 999,
            "reporter": other.pk,
            "created_by": other.pk,
            "is_superuser": "on",
            "is_staff": "on",
            **extra,
        }
        return {k: str(v) for k, v in values.items() if k not in legit}

    def post(self, persona, name, kwargs=None, *, status, legit=(), expect=302, **extra):
        """POST the realistic payload with the hostile extras as ``persona``; the payload wins where a name is
        the form's own (``legit``); every other hostile value wins over the payload, so a form that starts
        taking a field it should not (``fields = "__all__"``) is caught. Returns the response after checking
        its status and that the actor gained nothing."""
        kwargs = kwargs or {}
        actor = self.users[persona]
        client = Client()
        client.force_login(actor)
        extras = self.hostile(actor, status=status, legit=legit, **extra)
        data = {**payload(name, kwargs, actor), **extras}
        response = client.post(reverse(name, kwargs=kwargs), data)
        assert response.status_code == expect, name
        actor.refresh_from_db()
        assert (actor.is_superuser, actor.is_staff) == (persona == "admin", persona == "admin")
        assert actor.username == persona
        self.sent = set(extras)
        return response


@pytest.fixture
def world(db, matrix_world):
    return World(matrix_world)


# --- Incidents ---------------------------------------------------------------------------------------------


def incident_new(w):
    before = set(Incident.objects.values_list("pk", flat=True))
    w.post(
        "staff",
        "incidents:new",
        status="closed",
        legit={"unit"},
        state="closed",
        assigned_to=w.users["manager"].pk,
        closed_by=w.users["manager"].pk,
        reporter_id=w.users["counsellor_other"].pk,
    )
    (incident,) = Incident.objects.exclude(pk__in=before)
    assert incident.reporter == w.users["staff"]
    assert incident.unit == w.units[UNIVERSITY]  # the unit chosen in the form, among the reporter's own
    assert (incident.state, incident.version, incident.assigned_to, incident.closed_by) == ("reported", 1, None, None)


def incident_edit(w):
    old = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    w.post(
        "manager",
        "incidents:edit",
        {"pk": INCIDENT_UNIVERSITY},
        status="closed",
        legit={"version"},
        state="closed",
        assigned_to=w.users["manager"].pk,
        closed_by=w.users["manager"].pk,
        occurred_at="2020-01-01T10:00",
        evaluation_summary="forged",
        routine_needs_revision="on",
    )
    new = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    assert new.place == "The library, second floor"  # the real change went through
    assert (new.reporter, new.unit, new.state, new.assigned_to, new.closed_by) == (
        old.reporter,
        old.unit,
        "reported",
        None,
        None,
    )
    assert (new.occurred_at, new.evaluation_summary, new.routine_needs_revision) == (old.occurred_at, "", False)
    assert new.version == old.version + 1


def incident_assign(w):
    w.post(
        "manager",
        "incidents:assign",
        {"pk": INCIDENT_UNIVERSITY},
        status="closed",
        legit={"version"},
        state="closed",
        closed_by=w.users["manager_other"].pk,
    )
    new = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    assert (new.state, new.assigned_to, new.closed_by, new.unit) == (
        "in_review",
        w.users["manager"],
        None,
        w.units[UNIVERSITY],
    )


def incident_transition(w):
    w.post(
        "manager",
        "incidents:transition",
        {"pk": INCIDENT_UNIVERSITY},
        status="closed",
        legit={"version"},
        state="closed",
        to_state="closed",
        closed_by=w.users["manager"].pk,
    )
    new = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    assert (new.state, new.closed_by, new.closed_at) == ("in_review", None, None)


def incident_close(w):
    from incidents.services import incident_transition as transition

    incident = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    transition(incident=incident, user=w.users["manager"], to_state="in_review", expected_version=incident.version)
    IncidentAction.objects.filter(incident=incident).update(status="done")  # closing needs every action finished
    w.post(
        "manager",
        "incidents:close",
        {"pk": INCIDENT_UNIVERSITY},
        status="reported",
        legit={"version"},
        state="reported",
        closed_by=w.users["manager_other"].pk,
        closed_at="2020-01-01T10:00",
        routine=Routine.objects.get(slug="vold-og-trusler").pk,  # only kept when "needs revision" is ticked
    )
    new = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    assert (new.state, new.closed_by, new.routine) == ("closed", w.users["manager"], None)
    assert new.reporter == incident.reporter
    assert timezone.now() - new.closed_at < timedelta(minutes=1)


def incident_action_add(w):
    before = set(IncidentAction.objects.values_list("pk", flat=True))
    w.post(
        "manager",
        "incidents:action_add",
        {"pk": INCIDENT_UNIVERSITY},
        status="done",
        incident="00000000-0000-4000-8000-0000000000b1",
        evaluation="forged",
        created_at="2020-01-01T10:00",
    )
    (action,) = IncidentAction.objects.exclude(pk__in=before)
    assert str(action.incident_id) == INCIDENT_UNIVERSITY
    assert (action.status, action.evaluation) == ("open", "")
    assert timezone.now() - action.created_at < timedelta(minutes=1)


def incident_action_update(w):
    old = IncidentAction.objects.get(pk=ACTION_UNIVERSITY)
    prefix = f"a-{ACTION_UNIVERSITY}"
    w.post(
        "manager",
        "incidents:action_update",
        {"pk": INCIDENT_UNIVERSITY, "action_pk": ACTION_UNIVERSITY},
        status="cancelled",
        incident="00000000-0000-4000-8000-0000000000b1",
        description="forged",
        responsible=w.users["counsellor_other"].pk,
        deadline="2020-01-01",
        **{f"{prefix}-description": "forged", f"{prefix}-responsible": w.users["counsellor_other"].pk},
    )
    new = IncidentAction.objects.get(pk=ACTION_UNIVERSITY)
    assert new.status == "done"  # the form's own (shown) status field, not the hostile plain one
    assert (new.incident_id, new.description, new.responsible, new.deadline) == (
        old.incident_id,
        old.description,
        old.responsible,
        old.deadline,
    )


def incident_step_update(w):
    incident = Incident.objects.get(pk=INCIDENT_UNIVERSITY)
    w.post(
        "manager",
        "incidents:step_update",
        {"pk": INCIDENT_UNIVERSITY, "number": "1"},
        status="closed",
        number="3",
        incident="00000000-0000-4000-8000-0000000000b1",
        **{"s-1-number": "3", "s-1-incident": "x"},
    )
    step = incident.steps.get(number=1)
    assert step.responsible == w.users["manager"] and step.done_at is not None
    assert incident.steps.exclude(number=1).filter(done_at__isnull=False).count() == 0
    assert Incident.objects.get(pk=INCIDENT_UNIVERSITY).state == "reported"


# --- Intakes -----------------------------------------------------------------------------------------------


def intake_new(w):
    before = set(Intake.objects.values_list("pk", flat=True))
    w.post(
        "counsellor",
        "intake:new",
        status="finalized",
        tree_version=TreeVersion.objects.get(tree__slug="first-contact", language="en").pk,
        finalized_by=w.users["counsellor"].pk,
        note_text="forged",
    )
    (intake,) = Intake.objects.exclude(pk__in=before)
    assert (intake.owner, intake.unit, intake.status, intake.revision) == (
        w.users["counsellor"],
        w.units[CENTRE_A],
        "draft",
        0,
    )
    assert (intake.tree_version.language, intake.finalized_by, intake.note_text) == ("nb", None, "")


def intake_step(w):
    old = Intake.objects.get(pk=INTAKE_A)
    w.post(
        "counsellor",
        "intake:step",
        {"pk": INTAKE_A, "step": "contact"},
        status="finalized",
        legit={"revision"},
        answers='{"risk": [{"code": "low"}]}',
        current_step="review",
        finalized_by=w.users["counsellor"].pk,
    )
    new = Intake.objects.get(pk=INTAKE_A)
    assert new.answers.get("contact-channel")  # the real change went through
    assert "risk" not in new.answers
    assert (new.owner, new.unit, new.status, new.finalized_by) == (old.owner, old.unit, "draft", None)
    assert new.revision == old.revision + 1


def intake_finalize(w):
    complete(Intake.objects.get(pk=INTAKE_A))
    old = Intake.objects.get(pk=INTAKE_A)
    w.post(
        "counsellor",
        "intake:finalize",
        {"pk": INTAKE_A},
        status="draft",
        finalized_by=w.users["counsellor2"].pk,
        note_finalized_at="2020-01-01T10:00",
        note_finalized_by=w.users["counsellor2"].pk,
        note_text="forged",
        answers="{}",
    )
    new = Intake.objects.get(pk=INTAKE_A)
    assert (new.status, new.finalized_by) == ("finalized", w.users["counsellor"])
    assert (new.owner, new.unit) == (old.owner, old.unit)
    assert (new.note_finalized_at, new.note_finalized_by, new.answers) == (None, None, old.answers)
    assert new.note_text != "forged" and new.revision == old.revision + 1


def _finalized_intake(w):
    from intake.services import intake_finalize as finalize

    intake = complete(Intake.objects.get(pk=INTAKE_A))
    user = w.users["counsellor"]
    return finalize(intake=intake, user=user, offered_help="shelter", offered_reason="", information={})


def intake_note(w):
    old = _finalized_intake(w)
    w.post(
        "counsellor",
        "intake:note",
        {"pk": INTAKE_A},
        status="draft",
        note_finalized_at="2020-01-01T10:00",
        note_finalized_by=w.users["counsellor2"].pk,
        finalized_by=w.users["counsellor2"].pk,
    )
    new = Intake.objects.get(pk=INTAKE_A)
    assert new.note_text == "Met at the centre. Offered shelter."
    assert (new.note_finalized_at, new.note_finalized_by, new.finalized_by) == (None, None, w.users["counsellor"])
    assert (new.owner, new.unit, new.status, new.revision) == (old.owner, old.unit, "finalized", old.revision)


def intake_note_addendum(w):
    from intake.services import intake_note_save

    intake_note_save(intake=_finalized_intake(w), user=w.users["counsellor"], text="Note.", finalize=True)
    w.post(
        "counsellor",
        "intake:note_addendum",
        {"pk": INTAKE_A},
        status="draft",
        author=w.users["counsellor2"].pk,
        intake="00000000-0000-4000-8000-0000000000ff",
        created_at="2020-01-01T10:00",
    )
    (addendum,) = IntakeNoteAddendum.objects.all()
    assert (str(addendum.intake_id), addendum.author) == (INTAKE_A, w.users["counsellor"])
    assert timezone.now() - addendum.created_at < timedelta(minutes=1)


def intake_sharing(w):
    w.post("counsellor", "intake:sharing", {"pk": INTAKE_A}, status="finalized", user=w.users["counsellor_other"].pk)
    intake = Intake.objects.get(pk=INTAKE_A)
    assert intake.owner == w.users["counsellor"] and intake.status == "draft"
    grants = IntakeUserObjectPermission.objects.filter(content_object=intake)
    granted = set(grants.values_list("user__username", flat=True))
    assert granted == {"counsellor", "counsellor2"}


def intake_tree_list(w):
    latest = TreeVersion.objects.filter(language="nb").order_by("-number").first().number
    w.post(
        "editor",
        "intake:tree_list",
        status="published",
        number="999",
        published_by=w.users["editor"].pk,
        published_at="2020-01-01T10:00",
    )
    version = TreeVersion.objects.filter(language="nb").order_by("-number").first()
    assert (version.number, version.status, version.created_by) == (latest + 1, "draft", w.users["editor"])
    assert (version.published_by, version.published_at) == (None, None)


# --- Safety plans ------------------------------------------------------------------------------------------


def safety_plan_new(w):
    before = set(SafetyPlan.objects.values_list("pk", flat=True))
    w.post(
        "counsellor",
        "safety_plans:new",
        status="finalized",
        declined_services_at="2020-01-01T10:00",
        declined_services_by=w.users["counsellor2"].pk,
        last_reviewed_at="2020-01-01T10:00",
    )
    (plan,) = SafetyPlan.objects.exclude(pk__in=before)
    assert (plan.owner, plan.unit, plan.revision, plan.intake) == (w.users["counsellor"], w.units[CENTRE_A], 0, None)
    assert (plan.declined_services_at, plan.declined_services_by, plan.last_reviewed_at) == (None, None, None)


def safety_plan_edit(w):
    old = SafetyPlan.objects.get(pk=PLAN_A)
    w.post(
        "counsellor",
        "safety_plans:edit",
        {"pk": PLAN_A},
        status="needs_help",
        legit={"revision"},
        declined_services_at="2020-01-01T10:00",
        declined_services_by=w.users["counsellor2"].pk,
        next_review_on="2020-01-01",
        last_reviewed_at="2020-01-01T10:00",
        intake="",
        created_at="2020-01-01T10:00",
    )
    new = SafetyPlan.objects.get(pk=PLAN_A)
    assert new.contact_times == "Weekdays 9-15"  # the real change went through
    assert (new.owner, new.unit, new.intake_id, new.created_at) == (old.owner, old.unit, old.intake_id, old.created_at)
    assert (new.declined_services_at, new.declined_services_by, new.next_review_on, new.last_reviewed_at) == (
        None,
        None,
        None,
        None,
    )
    assert new.revision == old.revision + 1
    # The plain "status" is no item's field; only the one item the payload changed moved.
    assert set(new.items.values_list("status", flat=True)) == {"not_discussed", "in_place"}


def safety_plan_review(w):
    old = SafetyPlan.objects.get(pk=PLAN_A)
    w.post(
        "counsellor",
        "safety_plans:review",
        {"pk": PLAN_A},
        status="finalized",
        reviewed_by=w.users["counsellor2"].pk,
        reviewed_at="2020-01-01T10:00",
        snapshot="{}",
        plan="x",
    )
    (review,) = PlanReview.objects.filter(plan=old)
    assert review.reviewed_by == w.users["counsellor"] and review.snapshot["sections"]["label"] == old.label
    new = SafetyPlan.objects.get(pk=PLAN_A)
    assert (new.owner, new.unit, new.revision) == (old.owner, old.unit, old.revision + 1)


def safety_plan_declined(w):
    w.post(
        "counsellor",
        "safety_plans:declined",
        {"pk": PLAN_A},
        status="finalized",
        declined_services_by=w.users["counsellor2"].pk,
        declined_services_at="2020-01-01T10:00",
    )
    plan = SafetyPlan.objects.get(pk=PLAN_A)
    assert plan.declined_services_by == w.users["counsellor"]
    assert timezone.now() - plan.declined_services_at < timedelta(minutes=1)


def safety_plan_sharing(w):
    w.post(
        "counsellor", "safety_plans:sharing", {"pk": PLAN_A}, status="finalized", user=w.users["counsellor_other"].pk
    )
    plan = SafetyPlan.objects.get(pk=PLAN_A)
    assert plan.owner == w.users["counsellor"]
    grants = SafetyPlanUserObjectPermission.objects.filter(content_object=plan)
    granted = set(grants.values_list("user__username", flat=True))
    assert granted == {"counsellor", "counsellor2"}


def safety_plan_print(w):
    old = SafetyPlan.objects.get(pk=PLAN_A)
    response = w.post(
        "counsellor", "safety_plans:print", {"pk": PLAN_A}, status="finalized", expect=200, label="forged"
    )
    assert "forged" not in response.content.decode()
    new = SafetyPlan.objects.get(pk=PLAN_A)
    assert (new.owner, new.unit, new.label, new.revision) == (old.owner, old.unit, old.label, old.revision)


def checklist_item_new(w):
    w.post("editor", "safety_plans:checklist_item_new", status="published", id="9999", pk="9999")
    item = ChecklistItem.objects.get(code="spare-phone")
    assert item.pk != 9999 and item.active is True and item.order == 500


def checklist_item_edit(w):
    old = ChecklistItem.objects.get(code="escape-plan")
    w.post(
        "editor",
        "safety_plans:checklist_item_edit",
        {"code": "escape-plan"},
        status="published",
        code="hijacked",
        id="9999",
    )
    new = ChecklistItem.objects.get(pk=old.pk)
    assert new.code == "escape-plan" and new.title_en.endswith("(revised)")
    assert not ChecklistItem.objects.filter(code="hijacked").exists()


# --- Routines and print orders -----------------------------------------------------------------------------


def routine_new(w):
    w.post(
        "editor",
        "routines:new",
        status="published",
        editor=w.users["manager"].pk,
        approved_by=w.users["manager"].pk,
        number="999",
    )
    routine = Routine.objects.get(slug="brann")
    (version,) = routine.versions.all()
    assert (routine.editor, routine.owner_unit) == (w.users["editor"], w.units[UNIVERSITY])
    assert (version.number, version.status) == (1, "draft")
    assert (version.created_by, version.approved_by) == (w.users["editor"], None)


def routine_version_edit(w):
    old = RoutineVersion.objects.get(routine__slug="vold-og-trusler", number=2)
    w.post(
        "editor",
        "routines:version_edit",
        {"slug": "vold-og-trusler", "number": "2"},
        status="published",
        number="999",
        approved_by=w.users["manager"].pk,
        approved_at="2020-01-01",
        routine="1",
    )
    new = RoutineVersion.objects.get(pk=old.pk)
    assert new.summary_en.startswith("Revised: ")  # the real change went through
    assert (new.number, new.status, new.created_by, new.approved_by, new.approved_at, new.routine_id) == (
        2,
        "draft",
        old.created_by,
        None,
        None,
        old.routine_id,
    )


def print_order_new(w):
    before = set(PrintOrder.objects.values_list("pk", flat=True))
    w.post(
        "manager_other",
        "printing:new",
        status="delivered",
        other_unit=CENTRE_A,
        ordered_by=w.users["editor"].pk,
        superseded_by=str(NEW_ORDER),
    )
    (order,) = PrintOrder.objects.exclude(pk__in=before)
    published = RoutineVersion.objects.filter(routine__slug="vold-og-trusler", status="published")
    current = published.order_by("-number").first()
    assert (order.ordered_by, order.status, order.version, order.superseded_by) == (
        w.users["manager_other"],
        "new",
        current,
        None,
    )
    assert order.delivery_unit == w.units[CENTRE_B]


def print_order_advance(w):
    w.post(
        "printshop",
        "printing:advance",
        {"pk": str(NEW_ORDER)},
        status="delivered",
        ordered_by=w.users["printshop"].pk,
    )
    order = PrintOrder.objects.get(pk=NEW_ORDER)
    assert order.status == "accepted" and order.ordered_by == w.users["editor"]


# --- Accounts ----------------------------------------------------------------------------------------------


def password_change(w):
    w.post("staff", "password_change", status="published", username="admin", email="x@example.org", groups="1")
    staff = User.objects.get(pk=w.users["staff"].pk)
    assert staff.check_password("a-new-and-long-passphrase-2026")  # the real change went through
    assert (staff.username, staff.is_superuser, staff.is_staff, staff.groups.filter(pk=1).exists()) == (
        "staff",
        False,
        False,
        w.users["staff"].groups.filter(pk=1).exists(),
    )
    assert staff.email != "x@example.org"


# --- Contacts ----------------------------------------------------------------------------------------------


def contact_new(w):
    from contacts.models import CaseContact
    from tests.security.payloads import INTAKE_FINALIZED

    before = set(CaseContact.objects.values_list("pk", flat=True))
    w.post(
        "counsellor",
        "contacts:new",
        {"pk": INTAKE_FINALIZED, "kind": "phone"},
        status="stay",
        kind="stay",
        counted="on",
        recorded_by=w.users["counsellor_other"].pk,
        intake=INTAKE_A,
        ended_on="2020-01-02",
        went_to="back-to-perpetrator",
    )
    (contact,) = CaseContact.objects.exclude(pk__in=before)
    assert (contact.kind, contact.counted, contact.ended_on, contact.went_to) == ("phone", False, None, "")
    assert (str(contact.intake_id), contact.unit, contact.recorded_by) == (
        INTAKE_FINALIZED,
        w.units[CENTRE_A],
        w.users["counsellor"],
    )


def contact_register(w):
    from contacts.models import Registration
    from tests.security.payloads import INTAKE_FINALIZED

    w.post(
        "counsellor",
        "contacts:register",
        {"pk": INTAKE_FINALIZED},
        status="declined",
        registered_by=w.users["counsellor_other"].pk,
        counted='["2020:resident"]',
        intake=INTAKE_A,
        answers='{"gender": [{"code": "man"}]}',
        gender="man",
    )
    registration = Registration.objects.get(intake_id=INTAKE_FINALIZED)
    assert (registration.unit, registration.registered_by) == (w.units[CENTRE_A], w.users["counsellor"])
    assert (registration.gender, registration.consent) == ("woman", "given")
    assert "2020:resident" not in registration.counted


def contact_registration_change(w):
    from contacts.models import Registration
    from tests.security.payloads import INTAKE_NOTED

    before = Registration.objects.get(intake_id=INTAKE_NOTED)
    w.post(
        "counsellor",
        "contacts:registration_change",
        {"pk": INTAKE_NOTED},
        status="declined",
        registered_by=w.users["counsellor_other"].pk,
        registered_at="2020-01-01T00:00:00Z",
        counted='["2020:resident"]',
        intake=INTAKE_A,
    )
    registration = Registration.objects.get(intake_id=INTAKE_NOTED)
    assert (registration.unit, registration.registered_by) == (w.units[CENTRE_A], w.users["counsellor"])
    assert (registration.registered_at, registration.counted) == (before.registered_at, before.counted)
    assert (registration.initials, registration.birth_year) == ("AB", 1988)  # the real change went through


ENDPOINTS = [
    contact_new,
    contact_register,
    contact_registration_change,
    incident_new,
    incident_edit,
    incident_assign,
    incident_transition,
    incident_close,
    incident_action_add,
    incident_action_update,
    incident_step_update,
    intake_new,
    intake_step,
    intake_finalize,
    intake_note,
    intake_note_addendum,
    intake_sharing,
    intake_tree_list,
    safety_plan_new,
    safety_plan_edit,
    safety_plan_review,
    safety_plan_declined,
    safety_plan_sharing,
    safety_plan_print,
    checklist_item_new,
    checklist_item_edit,
    routine_new,
    routine_version_edit,
    print_order_new,
    print_order_advance,
    password_change,
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.__name__ for e in ENDPOINTS])
def test_hidden_fields_posted_to_a_form_change_nothing(world, endpoint):
    endpoint(world)
    # Every hostile name the form does not carry itself was really sent.
    assert len(world.sent & set(HOSTILE_FIELDS)) >= len(HOSTILE_FIELDS) - 2


# The optimistic locks are hidden fields the form does carry. A posted value is compared, never stored: a
# made-up one is a conflict (409) and nothing is saved.
LOCKS = [
    (
        "incidents:edit",
        {"pk": INCIDENT_UNIVERSITY},
        "manager",
        "version",
        lambda: Incident.objects.get(pk=INCIDENT_UNIVERSITY),
    ),
    ("safety_plans:edit", {"pk": PLAN_A}, "counsellor", "revision", lambda: SafetyPlan.objects.get(pk=PLAN_A)),
    (
        "intake:step",
        {"pk": INTAKE_A, "step": "contact"},
        "counsellor",
        "revision",
        lambda: Intake.objects.get(pk=INTAKE_A),
    ),
]


@pytest.mark.parametrize(("name", "kwargs", "persona", "field", "record"), LOCKS, ids=[row[0] for row in LOCKS])
def test_a_posted_lock_value_is_never_stored(world, name, kwargs, persona, field, record):
    before = record()
    client = Client()
    client.force_login(world.users[persona])
    data = {**payload(name, kwargs, world.users[persona]), field: "999"}
    response = client.post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 409
    after = record()
    assert getattr(after, field) != 999
    assert _row(after) == _row(before)  # nothing saved at all


def _row(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
