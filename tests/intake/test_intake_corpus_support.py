"""What the FHIR corpus (tests/intake/test_fhir_corpus.py) showed to be valid R4 that was refused (issue 18):
an extension's ``_valueString`` (a primitive's id and extensions), a choice question whose only answers are its
initial codings, and repeating boolean and quantity questions (one answer per row)."""

import json

import pytest
from django.utils import translation

from intake.questionnaire import check_questionnaire

SD = "http://hl7.org/fhir/StructureDefinition/"
FEVER = {"system": "http://snomed.info/sct", "code": "386661006", "display": "Fever"}
KG = {"system": "http://unitsofmeasure.org", "code": "kg", "display": "kg"}
LB = {"system": "http://unitsofmeasure.org", "code": "[lb_av]", "display": "lb"}


def questionnaire(*items: dict) -> dict:
    return {
        "resourceType": "Questionnaire",
        "name": "corpus-support",
        "language": "en",
        "status": "draft",
        "item": [{"linkId": "s1", "type": "group", "text": "Step", "item": list(items)}],
    }


def problems_of(doc: dict) -> list[str]:
    with translation.override("en"):
        return check_questionnaire(json.dumps(doc))[1]


# _value[x] on an extension


def note_extension(element) -> dict:
    return {
        "url": "http://example.com/StructureDefinition/group-note-info",
        "extension": [{"url": "text", "valueString": "Referral", "_valueString": element}],
    }


def test_an_extensions_value_may_carry_its_own_extensions():
    element = {"extension": [{"url": SD + "rendering-xhtml", "valueString": "<b>Referral</b>"}]}
    doc = questionnaire({"linkId": "a", "type": "string", "text": "Name", "extension": [note_extension(element)]})
    assert problems_of(doc) == []


@pytest.mark.parametrize(
    "element",
    [
        {"extension": [{"url": SD + "rendering-xhtml", "valueStrin": "misspelt"}]},
        {"colour": "red"},
        "not an element",
    ],
)
def test_a_malformed_value_element_on_an_extension_is_refused_naming_the_item(element):
    doc = questionnaire({"linkId": "a", "type": "string", "text": "Name", "extension": [note_extension(element)]})
    problems = problems_of(doc)
    assert problems and all(p.startswith("linkId a: ") and "_valueString" in p for p in problems), problems
