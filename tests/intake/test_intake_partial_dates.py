"""Date questions with itemControl year or yearMonth: answered as "2026" or "2026-12", stored and exported as
that partial date (R4's date allows it), compared as its first day, limits holding for the whole year or month."""

import json

import pytest

from intake.evaluator import Evaluation
from intake.questionnaire import Tree, check_questionnaire
from intake.response import answers_to_response
from intake.wizard import answers_display, answers_from, initial_for, step_form_class

CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"


def control(code: str) -> dict:
    return {"url": CONTROL, "valueCodeableConcept": {"coding": [{"code": code}]}}


DOC = {
    "resourceType": "Questionnaire",
    "url": "https://krisestotte.no/fhir/Questionnaire/partial-dates",
    "name": "partial-dates",
    "status": "active",
    "language": "en",
    "item": [
        {
            "linkId": "step",
            "type": "group",
            "text": "Step",
            "item": [
                {
                    "linkId": "moved",
                    "type": "date",
                    "text": "Year moved",
                    "extension": [
                        control("year"),
                        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueDate": "1990-06-01"},
                    ],
                },
                {
                    "linkId": "left",
                    "type": "date",
                    "text": "Month left",
                    "initial": [{"valueDate": "2026-03"}],
                    "extension": [control("yearMonth")],
                },
                {
                    "linkId": "recent",
                    "type": "display",
                    "text": "Recent",
                    "enableWhen": [{"question": "left", "operator": ">=", "answerDate": "2026-01-01"}],
                },
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


TREE = Tree(DOC)
STEP = TREE.by_link_id["step"]


def test_the_form_imports():
    doc, problems = check_questionnaire(json.dumps(DOC))
    assert problems == [] and doc is not None


def test_a_year_and_a_month_are_stored_as_partial_dates():
    form = step_form_class(TREE, STEP)({"q1": "2020", "q2": "2026-03", "revision": 0})
    assert form.is_valid(), form.errors
    answers = answers_from(TREE, STEP, form.cleaned_data)
    assert (answers["moved"], answers["left"]) == (["2020"], ["2026-03"])
    assert answers_display(TREE.by_link_id["left"], answers["left"]) == "2026-03"
    assert Evaluation(TREE, answers).is_enabled(TREE.by_link_id["recent"])
    assert not Evaluation(TREE, {"left": ["2025-12"]}).is_enabled(TREE.by_link_id["recent"])
    items = {i["linkId"]: i["answer"] for i in answers_to_response(TREE, answers)["item"][0]["item"]}
    assert items == {"moved": [{"valueDate": "2020"}], "left": [{"valueDate": "2026-03"}]}
    # The initial month is shown as it is stored.
    assert initial_for(TREE, STEP, {"left": ["2026-03"]})["q2"] == "2026-03"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"q1": "20"}, "q1", "Give the year as YYYY, for example 2026. What you typed is kept."),
        ({"q2": "2026-13"}, "q2", "Give the year and month as YYYY-MM, for example 2026-03. What you typed is kept."),
        ({"q2": "2026-03-05"}, "q2", "Give the year and month as YYYY-MM, for example 2026-03."),
        ({"q1": "1989"}, "q1", "1990-06-01"),  # the whole year is before the minimum
    ],
)
def test_a_partial_date_that_does_not_fit_gets_a_clear_error(data, field, message):
    form = step_form_class(TREE, STEP)({**data, "revision": 0})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_a_year_that_reaches_the_minimum_is_accepted():
    assert step_form_class(TREE, STEP)({"q1": "1990", "revision": 0}).is_valid()


def test_an_initial_value_must_fit_the_precision():
    doc = json.loads(json.dumps(DOC))
    doc["item"][0]["item"][1]["initial"] = [{"valueDate": "2026"}]
    _doc, problems = check_questionnaire(json.dumps(doc))
    assert problems == ["linkId left: initial valueDate 2026 does not fit the question's itemControl."]


def test_a_partial_date_comes_back_from_a_questionnaire_response():
    from intake.response import response_to_answers

    answers = {"moved": ["2020"], "left": ["2026-03"]}
    response = answers_to_response(TREE, answers)
    back, skipped = response_to_answers(TREE, response)
    assert (back["moved"], back["left"]) == (["2020"], ["2026-03"]) and skipped == []
    response["item"][0]["item"][0]["answer"] = [{"valueDate": "1980"}]
    response["item"][0]["item"][1]["answer"] = [{"valueDate": "2026"}]
    back, skipped = response_to_answers(TREE, response)
    assert "moved" not in back and "left" not in back and len(skipped) == 2
