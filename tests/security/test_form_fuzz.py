"""Every form of ours, fuzzed with Hypothesis (ASVS V5.1.x input validation, V14.3 no error disclosure).

The forms are discovered, not listed: every module of our apps is imported and every subclass of Django's
BaseForm defined in them is collected. ``REGISTRY`` says how to build and reach each one; a form without an
entry fails ``test_every_form_has_a_registry_entry``, so a new form cannot slip by unfuzzed.

For each form:
(a) ``from_form`` (Hypothesis's own strategies, which mostly produce valid values) and a junk strategy (any
    text, markup and template payloads, overlong and empty values, out-of-range numbers, impossible dates,
    valid choices) are bound and validated: ``is_valid()`` never raises, and every error belongs to a field
    of the form or is a non-field error;
(b) the same junk is posted to the real view as a persona allowed to use it, on top of the page's own
    values (hidden revision fields, management forms): never a 500, and when the view shows the form again,
    every error it holds is on the page.
The intake wizard's step forms are generated from the question tree, so they are fuzzed through the view only.

Deterministic in CI: the settings profile below derandomizes (the same examples every run) and keeps no
example database.
"""

import html
import importlib
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from accounts.demo import CENTRE_A, UNIVERSITY
from tests.conftest import ACTION_UNIVERSITY, INCIDENT_UNIVERSITY, INTAKE_A, PLAN_A

APPS = [
    "accounts",
    "audit",
    "usersessions",
    "twofactor",
    "routines",
    "printing",
    "intake",
    "incidents",
    "exercises",
    "safety_plans",
    "config",
]
FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "{% debug %}",
    "[klikk](javascript:alert(1))",
    "' OR '1'='1",
    "\x00",
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "2026-02-30",
    "9999-12-31",
    "0000-00-00T25:61",
    "x" * 5001,
]
OK_STATUSES = {200, 302, 400, 403, 404, 409}


# --- discovery --------------------------------------------------------------------------------------------


def discover_forms() -> dict[str, type]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)

    found, todo = {}, [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS:
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


# --- the world the forms run in ---------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    units: dict
    intake_complete: object = None  # all required answers, not finalized (FinalizeForm)
    intake_finalized: object = None  # finalized, note a draft (NoteForm)
    intake_note_final: object = None  # note finalized (AddendumForm)
    draft: object = None  # a routine draft being edited (facilitator guide: has every formset)
    order: object = None  # a print order the print shop can advance
    anonymous: object = None  # an anonymous incident report (MessageForm)
    extra: dict = field(default_factory=dict)


class _Tags:
    def tag(self, kind):
        return "tekst"


def _complete_intake(world_users, unit, version):
    from intake.questionnaire import Tree
    from intake.services import intake_create, intake_save_step
    from intake.wizard import answers_from, step_form_class
    from tests.security.test_canary import step_answers

    intake = intake_create(user=world_users["counsellor"], unit=unit, tree_version=version)
    tree = Tree(version.questionnaire)
    for step in tree.steps:
        data = {**step_answers(tree, step, _Tags(), {}), "revision": intake.revision}
        form = step_form_class(tree, step)(data)
        assert form.is_valid(), form.errors
        intake_save_step(
            intake=intake,
            user=world_users["counsellor"],
            step=step.link_id,
            values=answers_from(tree, step, form.cleaned_data),
            revision=intake.revision,
            next_step="review",
        )
        intake.refresh_from_db()
    return intake


@pytest.fixture
def world(demo, routines, incident_records, intake_trees, intake_a, safety_plan_a, print_orders, client_for):
    from intake.evaluator import Evaluation
    from intake.finalize import recommended_codes
    from intake.questionnaire import Tree
    from intake.services import intake_finalize, intake_note_save
    from printing.models import PrintOrder

    users, units = demo["users"], demo["units"]
    w = World(users=users, units=units)
    w.intake_complete = _complete_intake(users, units[CENTRE_A], intake_trees["nb"])
    finalized = []
    for _ in range(2):
        intake = _complete_intake(users, units[CENTRE_A], intake_trees["nb"])
        tree = Tree(intake.tree_version.questionnaire)
        code = recommended_codes(Evaluation(tree, intake.answers))[0]
        finalized.append(
            intake_finalize(
                intake=intake, user=users["counsellor"], offered_help=code, offered_reason="", information={}
            )
        )
    w.intake_finalized = finalized[0]
    w.intake_note_final = intake_note_save(intake=finalized[1], user=users["counsellor"], text="Notat.", finalize=True)
    response = client_for("editor").post(reverse("routines:draft_new", args=["avvergingsplikten-fasilitatorveileder"]))
    assert response.status_code == 302
    w.draft = response["Location"]
    # The draft has a role card, so the role-card form is on the page too.
    from routines.models import RoutineVersion

    guide = RoutineVersion.objects.get(routine__slug="avvergingsplikten-fasilitatorveileder", status="draft")
    role = {"title": {"nb": "Leder", "en": "Leader"}, "duties": [{"nb": "Leder", "en": "Leads"}], "holder": {}}
    RoutineVersion.objects.filter(pk=guide.pk).update(content={**guide.content, "roles": [role]})
    w.order = next(o for o in PrintOrder.objects.all() if o.next_status)
    # The print shop has enrolled an authenticator of its own accord: its verify page shows the code form.
    TOTPDevice.objects.create(user=users["printshop"], name="fuzz", confirmed=True)
    # The university section takes anonymous reports, and has one its manager writes to.
    from incidents.services import incident_report_anonymous, unit_settings_save

    unit_settings_save(
        unit=units[UNIVERSITY],
        user=users["manager"],
        anonymous_reporting=True,
        consequence_labels=[],
        probability_labels=[],
    )
    w.anonymous, _code = incident_report_anonymous(
        unit=units[UNIVERSITY],
        form_token=uuid.uuid4(),
        type="violence",
        occurred_at=timezone.now(),
        place="Corridor",
        what_happened="A chair was thrown.",
        immediate_actions=[],
    )
    return w


# --- the registry -----------------------------------------------------------------------------------------


@dataclass
class Spec:
    """How to build one form class (kwargs), and where it is posted (persona, URL, prefix, extra POST data).
    ``view=None`` means the form is fuzzed through its subclasses' views (an abstract base)."""

    kwargs: Callable[[World], dict] = lambda w: {}
    view: Callable[[World], tuple] | None = None  # -> (persona, url, prefix, extra)
    method: str = "post"
    redirects_on_invalid: bool = False  # the view says "not saved" in a message and goes back to the page
    dynamic: bool = False  # generated per tree: fuzzed through the view only
    page: Callable[[World], str] | None = None  # where the form is shown, if not at the URL it posts to
    overrides: dict = field(default_factory=dict)  # settings for this form's run


def _published_versions():
    from intake.models import TreeVersion

    published = TreeVersion.objects.filter(status=TreeVersion.Status.PUBLISHED, language="nb")
    return list(published.select_related("tree").order_by("pk"))


def _plan_items(w):
    from safety_plans.models import SafetyPlan

    return SafetyPlan.objects.get(pk=PLAN_A).items.order_by("pk")


def _detail(name, **kw):
    return lambda w: ("manager", reverse(name, args=[INCIDENT_UNIVERSITY]), "", kw)


def _confirm_password_kwargs(w):
    request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
    request.user = w.users["staff"]
    return {"request": request}


REGISTRY: dict[str, Spec] = {
    "audit.forms.AuditFilterForm": Spec(
        kwargs=lambda w: {"people": type(w.users["manager"]).objects.order_by("username")},
        method="get",
        view=lambda w: ("manager", reverse("audit:list"), "", {}),
    ),
    "audit.forms.ReviewForm": Spec(
        kwargs=lambda w: {"units": type(w.units[UNIVERSITY]).objects.all()},
        method="get",
        view=lambda w: ("manager", reverse("audit:review"), "", {}),
    ),
    # Wrong passwords here count towards django-axes' lockout (tests/usersessions/test_sessions.py shows it); switched off so
    # that the fuzzer's many wrong passwords reach the form instead of the lockout page.
    "accounts.forms.ConfirmPasswordForm": Spec(
        kwargs=_confirm_password_kwargs,
        view=lambda w: ("staff", reverse("usersessions:others"), "", {}),
        overrides={"AXES_ENABLED": False},
    ),
    "accounts.forms.MemberAddForm": Spec(view=lambda w: ("manager", reverse("member_add", args=[CENTRE_A]), "", {})),
    "accounts.forms.MemberRolesForm": Spec(
        view=lambda w: ("manager", reverse("member_detail", args=[CENTRE_A, "counsellor"]), "", {"action": "roles"})
    ),
    "accounts.forms.LoginForm": Spec(
        kwargs=lambda w: {"request": RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")},
        view=lambda w: ("anonymous", reverse("login"), "", {}),
        overrides={"AXES_ENABLED": False},
    ),
    "accounts.forms.PasswordResetForm": Spec(view=lambda w: ("anonymous", reverse("password_reset"), "", {})),
    "accounts.forms.PreferencesForm": Spec(view=lambda w: ("staff", reverse("account"), "", {})),
    "twofactor.forms.TotpCodeForm": Spec(view=lambda w: ("staff", reverse("twofactor:enrol"), "", {})),
    "twofactor.forms.VerifyCodeForm": Spec(view=lambda w: ("printshop", reverse("twofactor:verify"), "", {})),
    "accounts.sharing.ShareForm": Spec(
        kwargs=lambda w: {"candidates": [w.users["counsellor2"]]},
        view=lambda w: ("counsellor", reverse("intake:sharing", args=[INTAKE_A]), "", {}),
    ),
    "routines.forms.RoutineCreateForm": Spec(
        kwargs=lambda w: {"units": type(w.units[UNIVERSITY]).objects.filter(pk=w.units[UNIVERSITY].pk)},
        view=lambda w: ("editor", reverse("routines:new"), "", {}),
    ),
    "routines.forms.VersionForm": Spec(view=lambda w: ("editor", w.draft, "", {"action": "save"})),
    "routines.forms.RelatedForm": Spec(
        kwargs=lambda w: {"related_choices": [("a", "A")]},
        view=lambda w: ("editor", w.draft + "related/", "", {"action": "save"}),
    ),
    "routines.forms.ApprovalForm": Spec(
        kwargs=lambda w: {"with_numbers": True},
        view=lambda w: (
            "manager",
            reverse("routines:version_approve", args=["avvergingsplikten-fasilitatorveileder", 2]),
            "",
            {},
        ),
    ),
    # The editor shows one part a page (routines.views.editor.PARTS).
    "routines.forms.SectionForm": Spec(
        view=lambda w: ("editor", w.draft + "sections/", "sections-0", {"action": "save"})
    ),
    "routines.forms.StepForm": Spec(
        view=lambda w: ("editor", w.draft + "sections/", "sections-0-steps-0", {"action": "save"})
    ),
    "routines.forms.ContactForm": Spec(
        view=lambda w: ("editor", w.draft + "contacts/", "contacts-0", {"action": "save"})
    ),
    "routines.forms.AgendaForm": Spec(view=lambda w: ("editor", w.draft + "agenda/", "agenda-0", {"action": "save"})),
    "routines.forms.RoleForm": Spec(view=lambda w: ("editor", w.draft + "roles/", "roles-0", {"action": "save"})),
    "exercises.forms.ExerciseForm": Spec(
        kwargs=lambda w: {"role_titles": ["Leder", "Loggfører"]},
        view=lambda w: ("manager", reverse("exercises:new", args=["vold-og-trusler"]), "", {}),
    ),
    "printing.forms.PrintOrderForm": Spec(
        kwargs=lambda w: {"routine_choices": [("a", "A")], "units": type(w.units[UNIVERSITY]).objects.all()},
        view=lambda w: ("editor", reverse("printing:new"), "", {}),
    ),
    "printing.forms.PrintOrderAdvanceForm": Spec(
        page=lambda w: reverse("printing:detail", args=[w.order.pk]),
        view=lambda w: ("printshop", reverse("printing:advance", args=[w.order.pk]), "", {}),
    ),
    "intake.forms.UploadForm": Spec(view=lambda w: ("editor", reverse("intake:tree_list"), "", {})),
    "intake.forms.TerminologyUploadForm": Spec(
        page=lambda w: reverse("intake:tree_list"),
        view=lambda w: ("editor", reverse("intake:terminology_upload"), "", {}),
    ),
    "intake.forms.CoverLabelForm": Spec(
        view=lambda w: ("counsellor", reverse("intake:cover_label", args=[INTAKE_A]), "", {}),
    ),
    "intake.forms.FinalizeForm": Spec(
        kwargs=lambda w: _finalize_kwargs(w),
        view=lambda w: ("counsellor", reverse("intake:finalize", args=[w.intake_complete.pk]), "", {}),
    ),
    "intake.forms.NoteForm": Spec(
        view=lambda w: ("counsellor", reverse("intake:note", args=[w.intake_finalized.pk]), "", {"action": "save"}),
    ),
    "intake.forms.AddendumForm": Spec(
        page=lambda w: reverse("intake:note", args=[w.intake_note_final.pk]),
        view=lambda w: ("counsellor", reverse("intake:note_addendum", args=[w.intake_note_final.pk]), "", {}),
    ),
    "intake.forms.NewIntakeForm": Spec(
        kwargs=lambda w: {"versions": _published_versions()},
        view=lambda w: ("counsellor", reverse("intake:new"), "", {}),
    ),
    "intake.forms.ResponseUploadForm": Spec(view=lambda w: ("counsellor", reverse("intake:import"), "", {})),
    "intake.forms.UnitTreesForm": Spec(
        kwargs=lambda w: {"trees": [version.tree for version in _published_versions()]},
        view=lambda w: ("manager", reverse("intake:unit_trees", args=[CENTRE_A]), "", {}),
    ),
    "intake.wizard.StepForm": Spec(dynamic=True, view=lambda w: ("counsellor", _first_step(w), "", {"action": "next"})),
    "incidents.forms.IncidentReportForm": Spec(
        kwargs=lambda w: {"user": w.users["staff"]}, view=lambda w: ("staff", reverse("incidents:new"), "", {})
    ),
    "incidents.forms.VersionedForm": Spec(),
    "incidents.forms.IncidentEditForm": Spec(view=_detail("incidents:edit")),
    "incidents.forms.AssignForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]),
        kwargs=lambda w: {"managers": type(w.users["manager"]).objects.filter(username="manager")},
        view=lambda w: ("manager", reverse("incidents:assign", args=[INCIDENT_UNIVERSITY]), "", {}),
    ),
    "incidents.forms.TransitionForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]),
        view=lambda w: ("manager", reverse("incidents:transition", args=[INCIDENT_UNIVERSITY]), "", {}),
    ),
    "incidents.forms.RiskForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]),
        view=lambda w: ("manager", reverse("incidents:risk", args=[INCIDENT_UNIVERSITY]), "", {}),
    ),
    "incidents.forms.CloseForm": Spec(view=_detail("incidents:close")),
    "incidents.forms.ActionForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]),
        kwargs=lambda w: {"people": type(w.users["manager"]).objects.filter(username__in=["manager", "staff"])},
        view=lambda w: ("manager", reverse("incidents:action_add", args=[INCIDENT_UNIVERSITY]), "", {}),
    ),
    "incidents.forms.ActionUpdateForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]),
        view=lambda w: (
            "manager",
            reverse("incidents:action_update", args=[INCIDENT_UNIVERSITY, ACTION_UNIVERSITY]),
            f"a-{ACTION_UNIVERSITY}",
            {},
        ),
    ),
    "incidents.forms.StepForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]),
        kwargs=lambda w: {"people": type(w.users["manager"]).objects.filter(username="manager")},
        redirects_on_invalid=True,
        view=lambda w: ("manager", reverse("incidents:step_update", args=[INCIDENT_UNIVERSITY, 1]), "s-1", {}),
    ),
    "incidents.forms.AnonymousReportForm": Spec(
        view=lambda w: ("anonymous", reverse("incidents:anonymous_new", args=[UNIVERSITY]), "", {})
    ),
    "incidents.forms.FollowForm": Spec(
        overrides={"INCIDENT_CODE_LOOKUPS_PER_HOUR": 1_000_000},
        view=lambda w: ("anonymous", reverse("incidents:anonymous_follow"), "", {}),
    ),
    "incidents.forms.MessageForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[w.anonymous.pk]),
        view=lambda w: ("manager", reverse("incidents:message_add", args=[w.anonymous.pk]), "", {}),
    ),
    "incidents.forms.UnitSettingsForm": Spec(
        view=lambda w: ("manager", reverse("incidents:unit_settings", args=[UNIVERSITY]), "", {})
    ),
    "incidents.forms.AttachmentForm": Spec(
        page=lambda w: reverse("incidents:detail", args=[INCIDENT_UNIVERSITY]),
        kwargs=lambda w: {"targets": [None]},
        view=lambda w: ("manager", reverse("incidents:attachment_add", args=[INCIDENT_UNIVERSITY]), "", {}),
    ),
    "incidents.forms.ListFilterForm": Spec(
        kwargs=lambda w: {"units": list(type(w.units[UNIVERSITY]).objects.all())},
        method="get",
        view=lambda w: ("manager", reverse("incidents:list"), "", {}),
    ),
    "safety_plans.forms.PrintoutForm": Spec(
        kwargs=lambda w: {"plan": _plan(w)},
        view=lambda w: ("counsellor", reverse("safety_plans:print", args=[PLAN_A]), "", {"action": "preview"}),
    ),
    "safety_plans.forms.ChecklistItemForm": Spec(
        view=lambda w: ("editor", reverse("safety_plans:checklist_item_new"), "", {})
    ),
    "safety_plans.forms.PlanStartForm": Spec(view=lambda w: ("counsellor", reverse("safety_plans:new"), "", {})),
    "safety_plans.forms.PlanSectionsForm": Spec(
        view=lambda w: ("counsellor", reverse("safety_plans:edit", args=[PLAN_A]), "", {})
    ),
    "safety_plans.forms.PlanItemForm": Spec(
        view=lambda w: ("counsellor", reverse("safety_plans:edit", args=[PLAN_A]), f"item-{_plan_items(w)[0].pk}", {})
    ),
    "safety_plans.forms.ContactForm": Spec(
        view=lambda w: ("counsellor", reverse("safety_plans:edit", args=[PLAN_A]), "contacts-0", {})
    ),
    "safety_plans.forms.ReviewForm": Spec(
        view=lambda w: ("counsellor", reverse("safety_plans:review", args=[PLAN_A]), "", {})
    ),
}


def _plan(w):
    from safety_plans.models import SafetyPlan

    return SafetyPlan.objects.get(pk=PLAN_A)


def _finalize_kwargs(w):
    from intake.evaluator import Evaluation
    from intake.finalize import recommended_codes
    from intake.questionnaire import Tree

    tree = Tree(w.intake_complete.tree_version.questionnaire)
    return {"tree": tree, "recommended": recommended_codes(Evaluation(tree, w.intake_complete.answers))}


def _first_step(w):
    from intake.models import Intake
    from intake.questionnaire import Tree

    intake = Intake.objects.get(pk=INTAKE_A)
    return reverse("intake:step", args=[INTAKE_A, Tree(intake.tree_version.questionnaire).steps[0].link_id])


def test_every_form_has_a_registry_entry():
    import json
    from pathlib import Path

    from intake.questionnaire import Tree
    from intake.wizard import step_form_class

    # The wizard's step forms exist once made from a tree: make one from the shipped tree first.
    tree = Tree(json.loads((Path(__file__).resolve().parents[2] / "intake/trees/first-contact.nb.json").read_text()))
    made = step_form_class(tree, tree.steps[0])
    found = discover_forms()
    assert _key(made) == "intake.wizard.StepForm" and _key(made) in found
    assert len(found) >= 30
    assert set(found) == set(REGISTRY), {
        "forms without an entry": sorted(set(found) - set(REGISTRY)),
        "entries without a form": sorted(set(REGISTRY) - set(found)),
    }


# --- strategies -------------------------------------------------------------------------------------------


def junk_for(field_obj: forms.Field) -> st.SearchStrategy:
    """Anything a browser could send for this field, valid values included."""
    valid = [""]
    if isinstance(field_obj, forms.ModelChoiceField):
        valid += [str(pk) for pk in field_obj.queryset.values_list("pk", flat=True)[:20]]
    elif isinstance(field_obj, forms.ChoiceField):
        valid += [str(value) for value, _label in field_obj.choices if not isinstance(_label, (list, tuple))]
    elif isinstance(field_obj, forms.BooleanField):
        valid += ["on", "true", "false"]
    elif isinstance(field_obj, forms.DateField):
        valid += [(timezone.localdate() + timedelta(days=d)).isoformat() for d in (-400, -1, 0, 1, 30)]
    elif isinstance(field_obj, forms.IntegerField):
        valid += ["0", "1", "5", "100000"]
    single = st.one_of(st.sampled_from(valid), st.sampled_from(PAYLOADS), st.text(max_size=40))
    if isinstance(field_obj, forms.MultipleChoiceField):
        return st.lists(single, max_size=3)
    if isinstance(field_obj, forms.FileField):
        return st.binary(max_size=300).map(lambda b: SimpleUploadedFile("tree.json", b, "application/json"))
    return single


def junk_data(form: forms.BaseForm) -> st.SearchStrategy:
    """Some or all of the form's (visible) fields, each with junk; names with the form's prefix."""
    optional = {
        form.add_prefix(name): junk_for(f)
        for name, f in form.fields.items()
        if not isinstance(f.widget, forms.HiddenInput)
    }
    return st.fixed_dictionaries({}, optional=optional)


def assert_errors_per_field(form: forms.BaseForm):
    form.is_valid()  # never raises
    for name in form.errors:
        assert name == forms.forms.NON_FIELD_ERRORS or name in form.fields, name


def typed_strategy(f: forms.Field) -> st.SearchStrategy:
    """Hypothesis infers strategies for Django's own field classes only; ours are subclasses of them."""
    if isinstance(f, forms.ModelMultipleChoiceField):
        return (
            st.lists(st.sampled_from(list(f.queryset)), unique_by=lambda o: o.pk)
            if f.queryset.exists()
            else st.just([])
        )
    if isinstance(f, forms.ModelChoiceField):
        return st.sampled_from(list(f.queryset)) if f.queryset.exists() else st.none()
    if isinstance(f, forms.DateField):
        return st.dates()
    if isinstance(f, forms.FileField):  # the attachments: files come in the junk data (junk_for)
        return st.none()
    raise AssertionError(f"no strategy for {type(f)}")


def _key(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def split_files(data: dict) -> tuple[dict, dict]:
    files = {k: v for k, v in data.items() if isinstance(v, SimpleUploadedFile)}
    return {k: v for k, v in data.items() if k not in files}, files


# --- scraping the page's own values -----------------------------------------------------------------------


class _Inputs(HTMLParser):
    """The values a browser would send from every form on the page, without pressing a button."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list] = {}
        self._textarea = self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file", "reset"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def page_values(client, url: str) -> dict:
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    parser = _Inputs()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return {k: (v if len(v) > 1 else (v[0] if v else "")) for k, v in parser.data.items()}, response


# --- the tests --------------------------------------------------------------------------------------------


def _forms_in(context) -> list[forms.BaseForm]:
    found = []

    def visit(value, depth=0):
        if depth > 3:
            return
        if isinstance(value, forms.BaseForm):
            found.append(value)
        elif isinstance(value, forms.formsets.BaseFormSet):
            found.extend(value.forms)
        elif isinstance(value, (list, tuple)):
            for v in value:
                visit(v, depth + 1)
        elif hasattr(value, "formsets") and callable(value.formsets):  # routines.forms.ContentEditor
            for formset in value.formsets():
                visit(formset, depth + 1)

    for layer in context.dicts if hasattr(context, "dicts") else [context]:
        for value in dict(layer).values():
            visit(value)
    return found


def assert_errors_shown(response):
    body = response.content.decode()
    for form in _forms_in(response.context or {}):
        if not form.is_bound:
            continue
        for name, messages in form.errors.items():
            if name in form.fields and isinstance(form.fields[name].widget, forms.HiddenInput):
                continue
            for message in messages:
                assert escape(message) in body or html.escape(message) in body, (type(form).__name__, name, message)


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_form_fuzz(key, world, client_for, settings):
    spec = REGISTRY[key]
    for name, value in spec.overrides.items():
        setattr(settings, name, value)
    form_class = None if spec.dynamic else discover_forms()[key]

    # (a) binding and validating never raises; errors are per field.
    if not spec.dynamic:
        kwargs = spec.kwargs(world)
        strategies = {
            name: typed_strategy(f)
            for name, f in form_class(**kwargs).fields.items()
            if not type(f).__module__.startswith("django.")
        }

        @FUZZ
        @given(form=from_form(form_class, form_kwargs=kwargs, **strategies), junk=st.data())
        def bind(form, junk):
            assert_errors_per_field(form)
            data, files = split_files(junk.draw(junk_data(form_class(**kwargs))))
            assert_errors_per_field(form_class(data, files, **kwargs))

        bind()

    # (b) the real view: never a 500; a form shown again shows its errors.
    if spec.view is None:
        return
    persona, url, prefix, extra = spec.view(world)
    client = client_for(persona)
    base, page = page_values(client, spec.page(world) if spec.page else url)
    target = next((f for f in _forms_in(page.context) if _key(type(f)) == key and (f.prefix or "") == prefix), None)
    assert target is not None, f"{key} is not on {url} with prefix {prefix!r}"
    assert any(k.startswith(prefix) for k in base) if prefix else True

    @FUZZ
    @given(junk=junk_data(target))
    def post(junk):
        data, files = split_files({**base, **extra, **junk})
        if spec.method == "get":
            response = client.get(url, dict(data.items()))
        else:
            response = client.post(url, {**data, **files})
        assert response.status_code in OK_STATUSES, (key, response.status_code)
        if response.status_code in {200, 400, 409} and response.context is not None:
            assert_errors_shown(response)

    post()
