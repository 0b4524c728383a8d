"""The canary: a unique name typed into every free-text field of an intake, a safety plan and an incident must
never show up where an onlooker, a proxy, a log or a mail server sees it.

The flows run through the real views with the Django test client. Every field gets its own tag
(``<CANARY> f07``), so the test can prove from the database that each field was really typed and saved, and
that the pages which ought to show it do (the test can fail). The fields are discovered, not listed: the
intake's from the published first-contact tree (every string/text question and every "other" box of an
open-choice question), the others from the form classes' free-text fields.

Where the canary must NOT appear (ASVS V7.1.1/V7.1.2, V8.3.1, V14.3.2, V8.2):
- any request URL or redirect Location (percent-decoded),
- any page's <title>,
- any download's Content-Disposition (PDF and CSV filenames), and the PDFs' document info and XMP metadata,
- any e-mail's subject or body (django.core.mail.outbox),
- log output: every logger at DEBUG through caplog, plus the process's stdout/stderr through capfd,
- the access log (AuditEvent rows),
- error pages: 404, 403 (permission and CSRF), 400 (too many fields), and a forced 500 with DEBUG off.
A 409 conflict page is the record's own edit page with the typed input kept on purpose: its title, URL and
logs are checked, its body holds the input by design.
"""

import html
import io
import logging
import re
import subprocess
import uuid
from datetime import timedelta
from urllib.parse import unquote_plus, urlencode

import pikepdf
import pytest
from django import forms
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import UNIVERSITY

CANARY = "Kanarifugl Østbø-7Q"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def is_free_text(field: forms.Field) -> bool:
    """A field a person types words into: a plain CharField (not a choice, UUID, e-mail or hidden field)."""
    return type(field) is forms.CharField and not isinstance(field.widget, forms.HiddenInput)


def free_text_fields(form_class, exclude=()) -> list[str]:
    return [name for name, field in form_class.base_fields.items() if is_free_text(field) and name not in exclude]


class Watch:
    """Records every response of the clients it wraps, and checks them all at the end."""

    def __init__(self):
        self.seen = []  # (method, url, response)
        self.tags = {}  # kind -> [tag, ...]
        self.counter = 0

    def tag(self, kind: str) -> str:
        self.counter += 1
        value = f"{CANARY} f{self.counter:02d}"
        self.tags.setdefault(kind, []).append(value)
        return value

    def client(self, client: Client) -> Client:
        for method in ("get", "post"):
            original = getattr(client, method)

            def call(path, data=None, *args, _original=original, _method=method, **kwargs):
                response = _original(path, data, *args, **kwargs)
                url = path
                if _method == "get" and data:
                    url += "?" + urlencode(data, doseq=True)
                if response.streaming:
                    response.body = b"".join(response.streaming_content)
                else:
                    response.body = response.content
                self.seen.append((_method, url, response))
                for hop, _status in getattr(response, "redirect_chain", []):
                    self.seen.append(("redirect", hop, response))
                return response

            setattr(client, method, call)
        return client

    def check_responses(self) -> dict:
        checked = {"requests": 0, "titles": 0, "redirects": 0, "downloads": 0, "pdfs": 0}
        for method, url, response in self.seen:
            checked["requests"] += 1
            assert response.status_code != 500, (method, url)
            assert CANARY not in unquote_plus(url), url
            location = response.get("Location", "")
            checked["redirects"] += bool(location)
            assert CANARY not in unquote_plus(location), (url, location)
            disposition = response.get("Content-Disposition", "")
            checked["downloads"] += bool(disposition)
            assert CANARY not in unquote_plus(disposition), url
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html"):
                for title in TITLE.findall(response.body.decode()):
                    checked["titles"] += 1
                    assert CANARY not in html.unescape(title), (url, title)
            if content_type == "application/pdf":
                checked["pdfs"] += 1
                check_pdf_metadata(response.body)
        return checked


def check_pdf_metadata(pdf: bytes):
    with pikepdf.open(io.BytesIO(pdf)) as document:
        info = {str(k): str(v) for k, v in document.docinfo.items()}
        assert not any(CANARY in v for v in info.values()), info
        with document.open_metadata() as xmp:
            assert CANARY not in str(xmp), str(xmp)


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def watch_logs(caplog, settings):
    """Every logger at DEBUG into caplog (as with DJANGO_LOG_LEVEL=DEBUG), those that do not propagate
    included; only the loggers settings.LOGGING pins above DEBUG for exactly this reason keep their level."""
    pinned = {
        name
        for name, config in settings.LOGGING["loggers"].items()
        if logging.getLevelName(config.get("level", "NOTSET")) > logging.DEBUG
    }
    caplog.set_level(logging.DEBUG)
    names = [name for name, logger in logging.root.manager.loggerDict.items() if isinstance(logger, logging.Logger)]
    attached = []
    for name in names:
        if not any(name == p or name.startswith(p + ".") for p in pinned):
            caplog.set_level(logging.DEBUG, logger=name)
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
            attached.append(logger)
    yield caplog
    for logger in attached:
        logger.removeHandler(caplog.handler)


def check_logs(caplog, capfd):
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        assert CANARY not in text, (record.name, text[:500])
    out, err = capfd.readouterr()
    assert CANARY not in out
    assert CANARY not in err
    return len(caplog.records)


def check_mail(expect_some: bool):
    if expect_some:
        assert mail.outbox, "the flow should have sent e-mail"
    for message in mail.outbox:
        assert CANARY not in message.subject
        assert CANARY not in message.body
        for alternative, _type in getattr(message, "alternatives", []):
            assert CANARY not in alternative
    return len(mail.outbox)


def check_audit_log():
    from audit.models import AuditEvent

    rows = list(AuditEvent.objects.values())
    assert rows
    assert not any(CANARY in str(v) for row in rows for v in row.values())


def form_revision(response, name="revision") -> str:
    match = re.search(rf'name="{name}" value="(\d+)"', response.content.decode())
    assert match, f"no {name} on the page"
    return match.group(1)


def test_loggers_that_would_log_record_content_are_pinned_above_debug(settings):
    # At DEBUG these two log record content: the template context, and SQL with its parameters.
    for name in ("django.template", "django.db.backends"):
        assert logging.getLevelName(settings.LOGGING["loggers"][name]["level"]) > logging.DEBUG
        assert logging.getLogger(name).getEffectiveLevel() > logging.DEBUG


# --- the intake -------------------------------------------------------------------------------------------


def step_answers(tree, step, watch, typed: dict) -> dict:
    """POST data for one wizard step: the canary in every free-text field, and for every other question the
    value that enables the most questions (what some enableWhen waits for, else yes / the first option / the
    lowest allowed number)."""
    from intake.wizard import OTHER_SUFFIX, _limits, field_name, step_form_class, step_questions

    wanted = {}
    for item in tree.by_link_id.values():
        for condition in item.enable_when:
            expected = next(v for k, v in condition.items() if k.startswith("answer"))
            shift = {"=": 0, ">=": 0, "<=": 0, ">": 1, "<": -1}.get(condition["operator"])
            if shift is not None:
                wanted[condition["question"]] = expected + shift if shift else expected
    form_class = step_form_class(tree, step)
    data = {}
    for item in step_questions(step):
        name = field_name(item)
        if is_free_text(form_class.base_fields[name]):
            data[name] = typed[name] = watch.tag("intake: wizard question")
        elif item.type == "boolean":
            data[name] = "false" if wanted.get(item.link_id) is False else "true"
        elif item.type in {"choice", "open-choice"}:
            codes = [o["code"] for o in tree.options(item)]
            want = wanted.get(item.link_id)
            code = want["code"] if isinstance(want, dict) else codes[0]
            data[name] = [code] if item.repeats else code
        elif item.type in {"integer", "decimal"}:
            low, _high = _limits(item)
            data[name] = str(wanted.get(item.link_id, low if low is not None else 1))
        elif item.type == "date":
            data[name] = timezone.localdate().isoformat()
        if item.type == "open-choice":
            data[name + OTHER_SUFFIX] = typed[name + OTHER_SUFFIX] = watch.tag("intake: wizard 'other' box")
    return data


def test_intake_canary(client_for, users, intake_trees, watch_logs, capfd, django_capture_on_commit_callbacks):
    from intake.models import Intake
    from intake.questionnaire import Tree
    from intake.wizard import step_form_class

    watch = Watch()
    counsellor = watch.client(client_for("counsellor"))
    tree = Tree(intake_trees["nb"].questionnaire)
    discovered = sum(len(free_text_fields(step_form_class(tree, step))) for step in tree.steps)

    with django_capture_on_commit_callbacks(execute=True):
        response = counsellor.post(reverse("intake:new"))
        assert response.status_code == 302
        intake = Intake.objects.get(owner=users["counsellor"])
        from intake.forms import CoverLabelForm

        # The draft's cover label is free text too (meant never to hold a name; here it does).
        assert free_text_fields(CoverLabelForm) == ["cover_label"]
        label = watch.tag("intake: cover label")
        assert (
            counsellor.post(reverse("intake:cover_label", args=[intake.pk]), {"cover_label": label}).status_code == 302
        )
        assert label in counsellor.get(reverse("intake:list")).content.decode()
        typed: dict[str, str] = {}
        url = response["Location"]
        while "/step/" in url:
            page = counsellor.get(url)
            assert page.status_code == 200
            step = page.context["step"]
            data = {**step_answers(tree, step, watch, typed), "revision": form_revision(page), "action": "next"}
            response = counsellor.post(url, data)
            assert response.status_code == 302, response.context["form"].errors if response.context else response
            url = response["Location"]
        assert url == reverse("intake:review", args=[intake.pk])
        intake.refresh_from_db()
        saved = [v for values in intake.answers.values() for v in values if isinstance(v, str) and CANARY in v]
        # Every discovered field was typed, and every typed value was saved (none pruned as disabled).
        assert len(typed) == discovered
        assert sorted(saved) == sorted(typed.values()), (typed, intake.answers)

        review = counsellor.get(url)
        assert all(value in review.content.decode() for value in typed.values())

        finalize = counsellor.get(reverse("intake:finalize", args=[intake.pk]))
        # open_reason is asked only when answers are not clarified yet (none here): tagged all the same.
        assert free_text_fields(type(finalize.context["form"])) == ["offered_reason", "open_reason"]
        reason = watch.tag("intake: finalize reason")
        open_reason = watch.tag("intake: finalize open items reason")
        offered = finalize.context["form"].fields["offered_help"].choices[-1][0]
        response = counsellor.post(
            reverse("intake:finalize", args=[intake.pk]),
            {"offered_help": offered, "offered_reason": reason, "open_reason": open_reason},
        )
        assert response.status_code == 302
        from intake.forms import AddendumForm, NoteForm

        assert free_text_fields(NoteForm) == ["note_text"] and free_text_fields(AddendumForm) == ["text"]
        note = watch.tag("intake: journal note")
        response = counsellor.post(
            reverse("intake:note", args=[intake.pk]), {"note_text": f"Samtale. {note}", "action": "finalize"}
        )
        assert response.status_code == 302
        addendum = watch.tag("intake: addendum")
        assert counsellor.post(reverse("intake:note_addendum", args=[intake.pk]), {"text": addendum}).status_code == 302
        intake.refresh_from_db()
        assert reason in intake.offered_reason and note in intake.note_text
        assert intake.addenda.get().text == addendum

        # Every page the record has, for its owner and for the manager who reads it.
        manager = watch.client(client_for("manager"))
        for client in (counsellor, manager):
            for name in ("intake:review", "intake:note", "intake:detail"):
                assert client.get(reverse(name, args=[intake.pk]), follow=True).status_code == 200
            pdf = client.get(reverse("intake:note_pdf", args=[intake.pk]))
            assert pdf.status_code == 200
            text = pdf_text(pdf.body).replace("\n", " ")
            assert note in text and addendum in text
            for name in ("intake:list", "home", "safety_plans:list"):
                assert client.get(reverse(name)).status_code == 200
        assert counsellor.get(reverse("intake:sharing", args=[intake.pk])).status_code == 200
        assert manager.get(reverse("intake:sharing", args=[intake.pk])).status_code == 403
        statistics = manager.get(reverse("intake:statistics"))
        assert statistics.status_code == 200 and CANARY not in statistics.content.decode()
        note_page = counsellor.get(reverse("intake:note", args=[intake.pk]))
        assert note in note_page.content.decode() and addendum in note_page.content.decode()

    checked = watch.check_responses()
    assert checked["pdfs"] == 2 and checked["titles"] >= 20 and checked["redirects"] >= 8
    check_mail(expect_some=False)
    check_logs(watch_logs, capfd)
    check_audit_log()
    counts = {kind: len(tags) for kind, tags in watch.tags.items()}
    assert counts["intake: wizard question"] + counts.get("intake: wizard 'other' box", 0) == discovered
    assert discovered >= 10  # the demo tree has 10 string/text questions


# --- the safety plan --------------------------------------------------------------------------------------


def test_safety_plan_canary(client_for, users, demo, watch_logs, capfd, django_capture_on_commit_callbacks):
    from safety_plans.forms import ContactForm, PlanItemForm, PlanSectionsForm, PlanStartForm, PrintoutForm, ReviewForm
    from safety_plans.models import SafetyPlan

    # Discovery: the free-text fields of every form a plan is typed into. The phone number is validated to
    # digits, so no name fits in it; the printout's title is chosen to be printed (a neutral word, checked in
    # tests/safety_plans/test_safety_plan_print.py), so it is not a canary field.
    section_fields = free_text_fields(PlanSectionsForm)
    item_fields = free_text_fields(PlanItemForm)
    assert free_text_fields(ContactForm, exclude={"number"}) == ["label"]  # typed below, per contact
    # The person's own words for each item on the printout are fields the form adds per item
    # (item_title_<pk>, not in base_fields): typed below, like the notes.
    assert free_text_fields(PrintoutForm) == ["title"]
    assert set(section_fields) >= {"label", "contact_channel", "protective_measures", "dependents_note"}
    assert set(item_fields) == {"note", "next_step"}

    watch = Watch()
    counsellor = watch.client(client_for("counsellor"))
    with django_capture_on_commit_callbacks(execute=True):
        assert free_text_fields(PlanStartForm) == ["label"]
        response = counsellor.post(reverse("safety_plans:new"), {"label": watch.tag("plan: start label")})
        assert response.status_code == 302
        plan = SafetyPlan.objects.get(owner=users["counsellor"])
        edit_url = reverse("safety_plans:edit", args=[plan.pk])
        page = counsellor.get(edit_url)
        items = list(plan.items.all())
        assert items
        data = {"revision": form_revision(page), "children_affected": "yes"}
        for name in section_fields:
            data[name] = watch.tag("plan: section")
        for item in items:
            data[f"item-{item.pk}-status"] = "needs_help"
            data[f"item-{item.pk}-responsible"] = "person"
            for name in item_fields:
                data[f"item-{item.pk}-{name}"] = watch.tag("plan: checklist item")
        contacts = 2
        data.update({"contacts-TOTAL_FORMS": str(contacts), "contacts-INITIAL_FORMS": "0"})
        data.update({"contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000"})
        for i in range(contacts):
            data[f"contacts-{i}-label"] = watch.tag("plan: phone number's name")
            data[f"contacts-{i}-number"] = f"22 12 34 5{i}"
        stale = {**data, "children_affected": "no"}  # differs from the first save, so it is a real conflict
        response = counsellor.post(edit_url, data)
        assert response.status_code == 302, response.context and response.context["sections"].errors
        # A second save from the page loaded before the first: 409, input kept on the edit page.
        conflict = counsellor.post(edit_url, stale)
        assert conflict.status_code == 409
        assert data["contact_channel"] in conflict.content.decode()

        review_note = watch.tag("plan: review note")
        assert free_text_fields(ReviewForm) == ["note"]
        tomorrow = (timezone.localdate() + timedelta(days=30)).isoformat()
        response = counsellor.post(
            reverse("safety_plans:review", args=[plan.pk]), {"next_review_on": tomorrow, "note": review_note}
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        saved = [plan.label, plan.contact_channel, plan.contact_times, plan.contact_if_other_answers]
        saved += [plan.protective_measures, plan.dependents_note, plan.reviews.get().note]
        saved += [getattr(i, name) for i in plan.items.all() for name in item_fields]
        saved += [c.label for c in plan.contacts.all()]
        assert all(CANARY in value for value in saved)
        assert (
            sum(len(v) for v in watch.tags.values())
            == 1 + len(section_fields) + len(items) * len(item_fields) + contacts + 1
        )

        print_url = reverse("safety_plans:print", args=[plan.pk])
        choice = {
            "title": "Huskeliste",
            "size": "a6",
            "items": [i.pk for i in items],
            "contacts": [c.pk for c in plan.contacts.all()],
            "include_notes": "on",
            f"item_title_{items[0].pk}": watch.tag("plan: printout's own title for an item"),
        }
        assert counsellor.post(print_url, {**choice, "action": "preview"}).status_code == 200
        pdf = counsellor.post(print_url, {**choice, "action": "download"})
        assert pdf.status_code == 200 and pdf["Content-Disposition"].endswith('"list-a6.pdf"')
        assert data[f"item-{items[0].pk}-note"] in pdf_text(pdf.body).replace("\n", " ")
        assert choice[f"item_title_{items[0].pk}"] in pdf_text(pdf.body).replace("\n", " ")
        items[0].refresh_from_db()
        assert items[0].card_title == choice[f"item_title_{items[0].pk}"]

        manager = watch.client(client_for("manager"))
        detail = None
        for client in (counsellor, manager):
            for name in (
                "safety_plans:detail",
                "safety_plans:review",
                "safety_plans:edit",
                "safety_plans:print",
                "safety_plans:sharing",
            ):
                response = client.get(reverse(name, args=[plan.pk]))
                assert response.status_code in (200, 403, 404), (name, response.status_code)
                detail = response if name == "safety_plans:detail" else detail
            for name in ("safety_plans:list", "home", "intake:list"):
                assert client.get(reverse(name)).status_code == 200
            assert review_note in detail.content.decode() and data["protective_measures"] in detail.content.decode()
        assert counsellor.post(reverse("safety_plans:declined", args=[plan.pk]), {"declined": "yes"}).status_code == 302

    checked = watch.check_responses()
    assert checked["pdfs"] == 1 and checked["titles"] >= 15 and checked["redirects"] >= 4
    check_mail(expect_some=False)
    check_logs(watch_logs, capfd)
    check_audit_log()


# --- the incident -----------------------------------------------------------------------------------------


def test_incident_canary(client_for, users, units, routines, watch_logs, capfd, django_capture_on_commit_callbacks):
    from incidents.forms import (
        ActionForm,
        ActionUpdateForm,
        CloseForm,
        IncidentEditForm,
        IncidentReportForm,
        TransitionForm,
    )
    from incidents.models import Incident

    discovered = {
        form.__name__: free_text_fields(form)
        for form in (IncidentReportForm, IncidentEditForm, TransitionForm, CloseForm, ActionForm, ActionUpdateForm)
    }
    watch = Watch()
    staff = watch.client(client_for("staff"))
    manager = watch.client(client_for("manager"))
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        page = staff.get(reverse("incidents:new"))
        token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
        data = {
            "type": "exchange_students",
            "occurred_at": now,
            "unit": units[UNIVERSITY].pk,
            "form_token": token,
            "affected_students": "0",
            "affected_staff": "0",
            "affected_others": "0",
        }
        for name in discovered["IncidentReportForm"]:
            data[name] = watch.tag("incident: report")
        response = staff.post(reverse("incidents:new"), data)
        assert response.status_code == 302, response.context and response.context["form"].errors
        incident = Incident.objects.get(reporter=users["staff"])
        args = [incident.pk]

        edit = {k: v for k, v in data.items() if k not in {"occurred_at", "unit", "form_token"}}
        edit["version"] = str(incident.version)
        for name in discovered["IncidentEditForm"]:
            edit[name] = watch.tag("incident: edit")
        stale = dict(edit)
        assert manager.post(reverse("incidents:edit", args=args), edit).status_code == 302
        conflict = manager.post(reverse("incidents:edit", args=args), stale)
        assert conflict.status_code == 409

        incident.refresh_from_db()
        reason = {name: watch.tag("incident: transition") for name in discovered["TransitionForm"]}
        response = manager.post(reverse("incidents:transition", args=args), {"version": incident.version, **reason})
        assert response.status_code == 302
        action = {name: watch.tag("incident: action") for name in discovered["ActionForm"]}
        response = manager.post(
            reverse("incidents:action_add", args=args),
            {**action, "responsible": users["manager"].pk, "deadline": timezone.localdate().isoformat()},
        )
        assert response.status_code == 302
        added = incident.actions.get()
        update = {
            f"a-{added.pk}-{name}": watch.tag("incident: action update") for name in discovered["ActionUpdateForm"]
        }
        response = manager.post(
            reverse("incidents:action_update", args=[incident.pk, added.pk]), {**update, f"a-{added.pk}-status": "done"}
        )
        assert response.status_code == 302
        incident.refresh_from_db()
        close = {name: watch.tag("incident: close") for name in discovered["CloseForm"]}
        routine = next(iter(routines.values())) if isinstance(routines, dict) else routines[0]
        response = manager.post(
            reverse("incidents:close", args=args),
            {**close, "version": incident.version, "routine_needs_revision": "on", "routine": routine.pk},
        )
        assert response.status_code == 302, response.context and response.context["form"].errors

        incident.refresh_from_db()
        added.refresh_from_db()
        saved = [incident.place, incident.what_happened, incident.evaluation_summary, incident.learning_points]
        saved += [added.description, added.evaluation, incident.transitions.exclude(reason="").get().reason]
        assert all(CANARY in value for value in saved)

        detail = manager.get(reverse("incidents:detail", args=args))
        assert incident.what_happened in detail.content.decode() and added.evaluation in detail.content.decode()
        for name in ("incidents:list", "incidents:overview", "home", "incidents:mine"):
            assert manager.get(reverse(name)).status_code == 200
        export = manager.get(reverse("incidents:export") + "?free_text=on")
        # The export is the managers' own copy of the reports' text: the canary is in the file, not its name.
        assert incident.what_happened in export.content.decode()
        for name in ("incidents:mine", "home"):
            assert staff.get(reverse(name)).status_code == 200
        assert staff.get(reverse("incidents:receipt", args=args)).status_code == 200
        assert staff.get(reverse("incidents:detail", args=args)).status_code in (200, 404)

    checked = watch.check_responses()
    assert checked["downloads"] == 1 and checked["titles"] >= 10 and checked["redirects"] >= 6
    sent = check_mail(expect_some=True)
    assert sent >= 3  # new report to the managers, the action to its owner, the routine to its editors
    check_logs(watch_logs, capfd)
    check_audit_log()
    counts = {kind: len(tags) for kind, tags in watch.tags.items()}
    assert sum(counts.values()) == sum(len(fields) for fields in discovered.values())


# --- error pages ------------------------------------------------------------------------------------------


def test_error_pages_do_not_echo_the_canary(client_for, users, demo, watch_logs, capfd, settings, monkeypatch):
    from safety_plans.services import safety_plan_create

    assert not settings.DEBUG
    from accounts.demo import CENTRE_A

    plan = safety_plan_create(user=users["counsellor"], unit=demo["units"][CENTRE_A], label="P", intake=None)
    edit_url = reverse("safety_plans:edit", args=[plan.pk])
    counsellor = client_for("counsellor")
    typed = {
        "label": "P",
        "contact_channel": CANARY,
        "protective_measures": CANARY,
        "revision": plan.revision,
        "children_affected": "unknown",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    typed.update({f"item-{item.pk}-status": "not_discussed" for item in plan.items.all()})
    bodies = {}

    # 404: a page that does not exist, with the canary in the address itself, and a record that does not exist.
    bodies["404 path"] = counsellor.get("/safety-plans/" + CANARY + "/")
    bodies["404 record"] = counsellor.get(reverse("safety_plans:edit", args=[uuid.uuid4()]) + "?q=" + CANARY)
    assert bodies["404 path"].status_code == bodies["404 record"].status_code == 404
    # 403: a manager may read the plan but not share it; and a POST without a CSRF token.
    bodies["403 sharing"] = client_for("manager").post(
        reverse("safety_plans:sharing", args=[plan.pk]), {"note": CANARY}
    )
    assert bodies["403 sharing"].status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["counsellor"])
    bodies["403 csrf"] = strict.post(edit_url, typed)
    assert bodies["403 csrf"].status_code == 403
    # 400: more fields than Django accepts in one request.
    many = {**typed, **{f"x{i}": CANARY for i in range(1100)}}
    bodies["400 too many fields"] = counsellor.post(edit_url, many)
    assert bodies["400 too many fields"].status_code == 400
    # 500: the service fails while saving what was typed; DEBUG is off, so the generic page is shown.
    import safety_plans.views.plans

    def fail(**kwargs):
        raise RuntimeError("forced failure in a test")

    monkeypatch.setattr(safety_plans.views.plans, "safety_plan_save", fail)
    failing = Client(raise_request_exception=False)
    failing.force_login(users["counsellor"])
    bodies["500"] = failing.post(edit_url, typed)
    assert bodies["500"].status_code == 500
    assert any(r.name == "django.request" and r.levelno >= logging.ERROR for r in watch_logs.records)

    for name, response in bodies.items():
        assert CANARY not in response.content.decode(), name
        assert CANARY not in unquote_plus(response.get("Location", "")), name
    check_logs(watch_logs, capfd)
