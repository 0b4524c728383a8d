"""Nothing typed on a case page is kept in the browser's form history (issue 17: a plan label typed on a shared
computer was offered to the next person). Every page of the intake, safety plan (with its printout) and incident
apps that a permitted persona opens, as the permission matrix lists them, is scanned: each field a person types
into says autocomplete="off"."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import INTAKE_A
from tests.security.payloads import matrix_world  # noqa: F401  (the fixture)
from tests.security.test_permissions import MATRIX, matrix_users  # noqa: F401  (the fixture)

CASE_APPS = ("intake:", "safety_plans:", "incidents:")
NOT_CASE = ("intake:tree", "intake:statistics", "safety_plans:checklist", "incidents:export")
TYPED = {"text", "search", "email", "tel", "url", "number", "date", "datetime-local", "time", "month", "week", ""}

STEPS = ["contact", "situation", "violence", "perpetrator", "children", "wishes", "assessment"]


def _case_pages() -> list[tuple[str, dict, str]]:
    pages = []
    for name, kwargs, method, expected in MATRIX:
        if method != "get" or not name.startswith(CASE_APPS) or name.startswith(NOT_CASE):
            continue
        persona = next((p for p, status in expected.items() if status == 200 and p != "anonymous"), None)
        if persona and (name, kwargs, persona) not in pages:
            pages.append((name, kwargs, persona))
    pages += [("intake:step", {"pk": INTAKE_A, "step": step}, "counsellor") for step in STEPS[1:]]
    return pages


class _Fields(HTMLParser):
    """The typed fields of the page's POST forms: (tag, name, autocomplete)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str, str | None]] = []
        self.in_get_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_get_form = (a.get("method") or "get").lower() == "get"
        elif not self.in_get_form and (tag == "textarea" or (tag == "input" and (a.get("type") or "") in TYPED)):
            self.fields.append((tag, a.get("name") or "", a.get("autocomplete")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def test_the_scan_covers_the_case_pages():
    names = {name for name, _kwargs, _persona in _case_pages()}
    assert {"intake:step", "intake:finalize", "intake:note", "safety_plans:new", "safety_plans:edit"} <= names
    assert {"safety_plans:print", "incidents:new", "incidents:edit", "incidents:detail"} <= names


@pytest.mark.parametrize(("name", "kwargs", "persona"), _case_pages())
def test_every_field_on_a_case_page_is_kept_out_of_form_history(db, matrix_users, name, kwargs, persona):
    client = Client()
    client.force_login(matrix_users[persona])
    response = client.get(reverse(name, kwargs=kwargs))
    if response.status_code != 200:  # a step that does not apply to this intake redirects to one that does
        assert name == "intake:step" and response.status_code == 302
        return
    if not response["Content-Type"].startswith("text/html"):  # the PDFs and the export: no form to remember
        return
    parser = _Fields()
    parser.feed(response.content.decode())
    if name in {"safety_plans:new", "safety_plans:edit", "incidents:new"} or kwargs.get("step") == "situation":
        assert parser.fields, f"{name}: no typed field found; the scan would prove nothing"
    remembered = [(tag, field) for tag, field, autocomplete in parser.fields if autocomplete != "off"]
    assert remembered == [], f"{name} {kwargs}: fields without autocomplete=off"
