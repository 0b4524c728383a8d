"""XSS and template-injection payloads saved through the real forms stay text (ASVS V5.3.1-V5.3.3, V5.2.x).

Each record kind gets the payloads typed into its free-text fields through the views. Then every page that
shows them must hold them escaped (``&lt;script&gt;`` present, no raw ``<script>`` of ours, no
``href="javascript:``), template syntax must come out literally (never evaluated), and the PDFs must show them
as plain text (pdftotext) with no link annotation to a javascript: URL and no JavaScript action at all
(pikepdf). Routine step texts are Markdown: a javascript: link is dropped by the sanitizer while an https link
survives (so the annotation check can see links at all).
"""

import io
import re
import subprocess
from datetime import timedelta

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PLAN_A
from tests.security.test_form_fuzz import _complete_intake, page_values

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
TEMPLATE = "{{7*7}} {% debug %}"
MD_LINK = "[klikk](javascript:alert(1))"

SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_html_safe(body: str, *, expect=(SCRIPT_ESCAPED,)):
    assert SCRIPT not in body
    assert "<img src=x" not in body
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", body, re.I)
    assert "sql_queries" not in body  # what {% debug %} would print if a typed text were ever evaluated
    for text in expect:
        assert text in body, text


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


def pdf_uris(pdf: bytes) -> list[str]:
    """Every link annotation's URI; fails on any JavaScript action anywhere in the file."""
    uris = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert "/JS" not in obj and obj.get("/S") != "/JavaScript"
        for page in document.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action.URI))
    assert not any(u.strip().lower().startswith("javascript") for u in uris), uris
    return uris


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


EXPECT_PLAN = {
    "safety_plans:detail": (SCRIPT_ESCAPED, IMG_ESCAPED, "{{7*7}}", "{% debug %}", JS_URL, MD_LINK),
    "safety_plans:review": (),
}


def test_safety_plan_payloads_stay_text(client_for, safety_plan_a):
    counsellor = client_for("counsellor")
    edit = reverse("safety_plans:edit", args=[PLAN_A])
    base, _page = page_values(counsellor, edit)
    items = list(safety_plan_a.items.order_by("pk"))
    data = {
        **base,
        "label": IMG,
        "contact_channel": SCRIPT,
        "contact_times": TEMPLATE,
        "contact_if_other_answers": JS_URL,
        "protective_measures": MD_LINK,
        "dependents_note": SCRIPT,
        "contacts-TOTAL_FORMS": "1",
        "contacts-0-label": SCRIPT,
        "contacts-0-number": "22 12 34 56",
    }
    for item in items:
        data.update(
            {f"item-{item.pk}-status": "in_place", f"item-{item.pk}-note": SCRIPT, f"item-{item.pk}-next_step": IMG}
        )
    response = counsellor.post(edit, data)
    assert response.status_code == 302, response.context and response.context["sections"].errors
    review = {"next_review_on": (timezone.localdate() + timedelta(days=7)).isoformat(), "note": SCRIPT + TEMPLATE}
    assert counsellor.post(reverse("safety_plans:review", args=[PLAN_A]), review).status_code == 302

    manager = client_for("manager")
    for client, names in [
        (counsellor, ["safety_plans:detail", "safety_plans:edit", "safety_plans:review", "safety_plans:print"]),
        (manager, ["safety_plans:detail"]),
    ]:
        for name in names:
            body = client.get(reverse(name, args=[PLAN_A])).content.decode()
            # The review page shows what changed since the last review: nothing, right after one.
            assert_html_safe(body, expect=EXPECT_PLAN.get(name, (SCRIPT_ESCAPED,)))
    for client in (counsellor, manager):
        assert_html_safe(client.get(reverse("safety_plans:list")).content.decode(), expect=(IMG_ESCAPED,))

    choice = {
        "title": "Huskeliste",
        "size": "a6",
        "items": [i.pk for i in items],
        "contacts": list(safety_plan_a.contacts.values_list("pk", flat=True)),
        "include_notes": "on",
    }
    preview = counsellor.post(reverse("safety_plans:print", args=[PLAN_A]), {**choice, "action": "preview"})
    assert_html_safe(preview.content.decode())
    pdf = body_of(counsellor.post(reverse("safety_plans:print", args=[PLAN_A]), {**choice, "action": "download"}))
    text = pdf_text(pdf)
    assert SCRIPT in text  # the note and the contact's name, as the letters typed
    pdf_uris(pdf)


def test_intake_payloads_stay_text(client_for, users, units, intake_trees):
    from accounts.demo import CENTRE_A
    from intake.questionnaire import Tree
    from intake.wizard import field_name, step_questions

    intake = _complete_intake(users, units[CENTRE_A], intake_trees["nb"])
    counsellor = client_for("counsellor")
    tree = Tree(intake.tree_version.questionnaire)
    step = next(s for s in tree.steps if s.link_id == "situation")
    url = reverse("intake:step", args=[intake.pk, step.link_id])
    base, _page = page_values(counsellor, url)
    texts = [q for q in step_questions(step) if q.type in {"string", "text"}]
    payloads = [SCRIPT, IMG, TEMPLATE, MD_LINK]
    data = {**base, "action": "next", **{field_name(q): payloads[i % len(payloads)] for i, q in enumerate(texts)}}
    assert counsellor.post(url, data).status_code == 302
    review = counsellor.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert_html_safe(review, expect=(SCRIPT_ESCAPED, IMG_ESCAPED, "{{7*7}}"))

    finalize = counsellor.get(reverse("intake:finalize", args=[intake.pk]))
    other = finalize.context["form"].fields["offered_help"].choices[-1][0]
    response = counsellor.post(
        reverse("intake:finalize", args=[intake.pk]), {"offered_help": other, "offered_reason": SCRIPT}
    )
    assert response.status_code == 302
    assert_html_safe(counsellor.get(reverse("intake:review", args=[intake.pk])).content.decode())
    note = f"{SCRIPT}\n{IMG}\n{TEMPLATE}\n{MD_LINK}\n{JS_URL}"
    assert (
        counsellor.post(reverse("intake:note", args=[intake.pk]), {"note_text": note, "action": "finalize"}).status_code
        == 302
    )
    assert counsellor.post(reverse("intake:note_addendum", args=[intake.pk]), {"text": IMG}).status_code == 302
    for client in (counsellor, client_for("manager")):
        page = client.get(reverse("intake:note", args=[intake.pk])).content.decode()
        assert_html_safe(page, expect=(SCRIPT_ESCAPED, IMG_ESCAPED, "{{7*7}}", "{% debug %}"))
        pdf = body_of(client.get(reverse("intake:note_pdf", args=[intake.pk])))
        text = pdf_text(pdf)
        assert SCRIPT in text and IMG in text and "{{7*7}}" in text and MD_LINK in text
        pdf_uris(pdf)


def test_incident_payloads_stay_text(client_for, users, units, routines):
    from accounts.demo import UNIVERSITY
    from incidents.models import Incident

    staff, manager = client_for("staff"), client_for("manager")
    base, _page = page_values(staff, reverse("incidents:new"))
    data = {
        **base,
        "type": "exchange_students",
        "unit": units[UNIVERSITY].pk,
        "place": IMG,
        "what_happened": f"{SCRIPT} {TEMPLATE} {MD_LINK}",
    }
    data["occurred_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert staff.post(reverse("incidents:new"), data).status_code == 302
    incident = Incident.objects.get(reporter=users["staff"])
    for client, name in [(manager, "incidents:detail"), (manager, "incidents:edit"), (staff, "incidents:receipt")]:
        body = client.get(reverse(name, args=[incident.pk])).content.decode()
        assert_html_safe(body, expect=() if name == "incidents:receipt" else (SCRIPT_ESCAPED, IMG_ESCAPED, "{{7*7}}"))
    for client, name in [(manager, "incidents:list"), (staff, "incidents:mine"), (manager, "incidents:overview")]:
        assert_html_safe(client.get(reverse(name)).content.decode(), expect=())
    export = manager.get(reverse("incidents:export") + "?free_text=on").content.decode()
    assert SCRIPT in export  # a CSV file is text, served as text/csv: not a page


@pytest.mark.parametrize("slug", ["avvergingsplikten-fasilitatorveileder"])
def test_routine_markdown_payloads_are_sanitised(slug, client_for, routines):
    editor = client_for("editor")
    response = editor.post(reverse("routines:draft_new", args=[slug]))
    draft = response["Location"]
    # The editor shows one part a page: the summary on the first, the steps on "sections".
    base, _page = page_values(editor, draft)
    assert editor.post(draft, {**base, "summary_nb": IMG, "action": "save"}).status_code == 302
    step = f"Ring {MD_LINK} og {SCRIPT} og [trygg lenke](https://example.org/hjelp) {{{{7*7}}}}"
    sections, _page = page_values(editor, draft + "sections/")
    data = {**sections, "sections-0-steps-0-nb": step, "sections-0-steps-0-en": step, "action": "submit"}
    response = editor.post(draft + "sections/", data)
    assert response.status_code == 302 and response["Location"] == reverse("routines:history", args=[slug])
    # A second person approves it, which publishes it.
    number = draft.rstrip("/").rsplit("/v", 1)[1]
    response = client_for("manager").post(reverse("routines:version_approve", args=[slug, number]), {})
    assert response.status_code == 302
    page = client_for("anonymous").get(reverse("routines:detail", args=[slug])).content.decode()
    assert_html_safe(page, expect=(IMG_ESCAPED, 'href="https://example.org/hjelp"', "{{7*7}}"))
    assert "klikk" in page  # the link's text stays; only the javascript: target is dropped
    pdf = body_of(client_for("anonymous").get(reverse("routines:folder_pdf", args=[slug])))
    text = pdf_text(pdf)
    assert "klikk" in text and "{{7*7}}" in text and "<script>" not in text  # nh3 drops the tag, keeps no markup
    assert pdf_uris(pdf) == []  # a printed folder carries no link annotations (none inside the trim)
    a4 = body_of(client_for("anonymous").get(reverse("routines:a4_pdf", args=[slug])))
    assert "https://example.org/hjelp" in pdf_uris(a4)
