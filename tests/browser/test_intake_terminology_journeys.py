"""Terminology in a real browser, axe on every page: an editor imports a ValueSet on the question trees page,
uploads a Questionnaire whose answerValueSet names it, and previews the question with its options; a
Questionnaire naming a ValueSet that is not imported is refused, naming it."""

import json
import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

VALUE_SET = "http://example.org/ValueSet/contact-role"


def terminology() -> dict:
    system = "http://example.org/CodeSystem/contact-role"
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "CodeSystem",
                    "url": system,
                    "version": "1",
                    "status": "active",
                    "content": "complete",
                    "concept": [
                        {"code": "kin", "display": "Pårørende"},
                        {"code": "friend", "display": "Venn"},
                        {"code": "colleague", "display": "Kollega"},
                    ],
                }
            },
            {
                "resource": {
                    "resourceType": "ValueSet",
                    "url": VALUE_SET,
                    "version": "1",
                    "title": "Kontaktens rolle",
                    "status": "active",
                    "compose": {"include": [{"system": system}]},
                }
            },
        ],
    }


def questionnaire(ref: str) -> dict:
    return {
        "resourceType": "Questionnaire",
        "url": "http://example.org/Questionnaire/contact",
        "name": "Kontaktperson",
        "title": "Kontaktperson",
        "status": "active",
        "language": "nb",
        "item": [
            {
                "linkId": "contact",
                "type": "group",
                "text": "Kontaktperson",
                "item": [
                    {"linkId": "role", "type": "choice", "text": "Hvem er kontaktpersonen?", "answerValueSet": ref}
                ],
            }
        ],
    }


def test_an_editor_imports_a_value_set_and_a_questionnaire_that_uses_it(page, intake_trees, tmp_path):
    (tmp_path / "terminology.json").write_text(json.dumps(terminology()))
    (tmp_path / "missing.json").write_text(json.dumps(questionnaire("http://example.org/ValueSet/missing")))
    (tmp_path / "contact.json").write_text(json.dumps(questionnaire(VALUE_SET)))

    log_in(page, "editor", PASSWORD)
    page.goto(reverse("intake:tree_list"))
    expect(page.get_by_role("heading", name="Terminologi")).to_be_visible()
    expect(page.get_by_text("Ingen ValueSet er importert ennå.")).to_be_visible()
    assert_accessible(page)

    # A Questionnaire naming a ValueSet that is not imported: refused, naming the question and the ValueSet.
    page.get_by_label("Spørreskjema (FHIR R4 JSON)").set_input_files(str(tmp_path / "missing.json"))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_text(re.compile(r"linkId role: answerValueSet \S+/missing er ikke importert"))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("ValueSet eller CodeSystem (FHIR R4 JSON, eller en Bundle med dem)").set_input_files(
        str(tmp_path / "terminology.json")
    )
    page.get_by_role("button", name="Importer").click()
    expect(
        page.get_by_text("Importerte 2 ValueSet og CodeSystem; 0 var allerede importert slik de er.")
    ).to_be_visible()
    listed = page.get_by_role("table", name="ValueSet")
    expect(listed.get_by_role("row", name=re.compile("contact-role 1 Kontaktens rolle 3"))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Spørreskjema (FHIR R4 JSON)").set_input_files(str(tmp_path / "contact.json"))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versjon 1")
    expect(
        page.get_by_text(re.compile(r"linkId role: 3 svaralternativer kopiert fra ValueSet-et \S+\|1"))
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Forhåndsvis").click()
    question = page.get_by_role("group", name="Hvem er kontaktpersonen?")
    for option in ("Pårørende", "Venn", "Kollega"):
        expect(question.get_by_label(option, exact=True)).to_be_visible()
    assert_accessible(page)
