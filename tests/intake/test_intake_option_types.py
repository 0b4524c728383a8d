"""answerOption on integer, date, time and string questions (valid R4: the answer is one of the options), and
choice questions without options where they can work: an open-choice (the counsellor's own words, or a
calculation's) and a calculated choice (its codings come from the expression)."""

import copy
import json

import pytest

from intake.evaluator import Evaluation, condition_holds
from intake.questionnaire import Tree, check_questionnaire
from intake.response import answers_to_response
from intake.wizard import answers_from, step_form_class

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-"

DOC = {
    "resourceType": "Questionnaire",
    "url": "https://krisestotte.no/fhir/Questionnaire/option-types",
    "name": "option-types",
    "status": "active",
    "language": "en",
    "item": [
        {
            "linkId": "step",
            "type": "group",
            "text": "Step",
            "item": [
                {"linkId": "nights", "type": "integer", "text": "Nights", "answerOption": [{"valueInteger": 1}, {"valueInteger": 7}]},
                {"linkId": "day", "type": "date", "text": "Day", "answerOption": [{"valueDate": "2026-12-24"}, {"valueDate": "2026"}]},
                {"linkId": "at", "type": "time", "text": "At", "answerOption": [{"valueTime": "10:30:00"}]},
                {"linkId": "room", "type": "string", "text": "Room", "repeats": True, "answerOption": [{"valueString": "a"}, {"valueString": "b"}]},
                {"linkId": "week", "type": "display", "text": "A week", "enableWhen": [{"question": "nights", "operator": ">=", "answerInteger": 7}]},
                {"linkId": "words", "type": "open-choice", "text": "In your words"},
                {
                    "linkId": "rooms",
                    "type": "open-choice",
                    "text": "Rooms chosen",
                    "repeats": True,
                    "extension": [{"url": SDC + "calculatedExpression", "valueExpression": {"language": "text/fhirpath", "expression": "%resource.repeat(item).where(linkId='room').answer.value"}}],
                },
            ],
        }
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_the_form_imports():
    doc, problems = check_questionnaire(json.dumps(DOC))
    assert problems == [] and doc is not None


def test_a_question_with_options_of_its_type_is_a_choice_answered_with_the_value():
    tree = Tree(DOC)
    step = tree.by_link_id["step"]
    form = step_form_class(tree, step)({"q1": "7", "q2": "2026", "q3": "10:30:00", "q4": ["a", "b"], "revision": 0})
    assert form.is_valid(), form.errors
    answers = answers_from(tree, step, form.cleaned_data)
    assert (answers["nights"], answers["day"], answers["at"], answers["room"]) == (
        [7],
        ["2026"],
        ["10:30:00"],
        ["a", "b"],
    )
    # Not an option: refused by the form, as for any choice.
    assert not step_form_class(tree, step)({"q1": "3", "revision": 0}).is_valid()
    evaluation = Evaluation(tree, answers)
    assert evaluation.is_enabled(tree.by_link_id["week"])
    assert condition_holds({"operator": "<", "answerInteger": 7}, [1])
    items = {i["linkId"]: i for i in answers_to_response(tree, answers)["item"][0]["item"]}
    assert items["nights"]["answer"] == [{"valueInteger": 7}]
    assert items["day"]["answer"] == [{"valueDate": "2026"}]
    assert items["room"]["answer"] == [{"valueString": "a"}, {"valueString": "b"}]
    # The calculated choice without options takes its answers from the expression.
    assert evaluation.answers["rooms"] == ["a", "b"] or [v.get("code") for v in evaluation.answers["rooms"]] == [
        "a",
        "b",
    ]


def test_options_not_of_the_question_type_are_refused():
    doc = copy.deepcopy(DOC)
    doc["item"][0]["item"][0]["answerOption"] = [{"valueCoding": {"code": "1"}}]
    _doc, problems = check_questionnaire(json.dumps(doc))
    assert "linkId nights: the answer options of a integer question must be valueInteger." in problems


def test_a_choice_without_options_that_is_neither_open_nor_calculated_is_refused():
    doc = copy.deepcopy(DOC)
    doc["item"][0]["item"][-1]["type"] = "choice"
    assert check_questionnaire(json.dumps(doc))[1] == []  # calculated: its answers come from the expression
    del doc["item"][0]["item"][-1]["extension"]
    _doc, problems = check_questionnaire(json.dumps(doc))
    assert problems == ["linkId rooms: a choice question needs answerOption or answerValueSet."]


def answer_expression(expression: str) -> list[dict]:
    return [
        {"url": SDC + "answerExpression", "valueExpression": {"language": "text/fhirpath", "expression": expression}}
    ]


COMPUTED = {
    "resourceType": "Questionnaire",
    "url": "https://krisestotte.no/fhir/Questionnaire/computed-options",
    "name": "computed-options",
    "status": "active",
    "language": "en",
    "item": [
        {
            "linkId": "step",
            "type": "group",
            "text": "Step",
            "item": [
                {"linkId": "n", "type": "integer", "text": "N", "extension": answer_expression("12 | 34 | 'x'")},
                {"linkId": "d", "type": "date", "text": "D", "extension": answer_expression("@2022-11-12 | 'no date'")},
                {"linkId": "t", "type": "time", "text": "T", "extension": answer_expression("@T17:03:07")},
                {"linkId": "s", "type": "string", "text": "S", "extension": answer_expression("'one' | 'two'")},
            ],
        }
    ],
}  # fmt: skip


def test_an_answer_expression_on_an_integer_date_time_or_string_question_gives_options_of_its_type():
    assert check_questionnaire(json.dumps(COMPUTED))[1] == []
    tree = Tree(COMPUTED)
    evaluation = Evaluation(tree, {})
    options = {lid: [o["value"] for o in evaluation.expressions.options(tree.by_link_id[lid])] for lid in "ndts"}
    # values not of the question's type are left out
    assert options == {"n": [12, 34], "d": ["2022-11-12"], "t": ["17:03:07"], "s": ["one", "two"]}
    step = tree.by_link_id["step"]
    data = {"q1": "34", "q2": "2022-11-12", "q3": "17:03:07", "q4": "two", "revision": 0}
    form = step_form_class(tree, step, evaluation=evaluation)(data)
    assert form.is_valid(), form.errors
    answers = answers_from(tree, step, form.cleaned_data, evaluation=evaluation)
    assert answers == {"n": [34], "d": ["2022-11-12"], "t": ["17:03:07"], "s": ["two"]}
    items = {i["linkId"]: i["answer"] for i in answers_to_response(tree, answers)["item"][0]["item"]}
    assert items == {
        "n": [{"valueInteger": 34}],
        "d": [{"valueDate": "2022-11-12"}],
        "t": [{"valueTime": "17:03:07"}],
        "s": [{"valueString": "two"}],
    }
