"""The QuestionnaireResponse mapping (intake.response): each value type out and back, only enabled answers,
nesting like the tree, and every answer that cannot be taken reported, never raised."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from intake.questionnaire import EXT_MAX_VALUE, EXT_MIN_VALUE, EXT_NOT_CLARIFIED, EXT_ROLE, NOT_CLARIFIED, Tree
from intake.response import (
    EXT_DATA_ABSENT,
    URN_PREFIX,
    answers_to_response,
    parse_reference,
    questionnaire_reference,
    read_response,
    response_problems,
    response_to_answers,
)

SYS = "https://example.org/codes"


@pytest.fixture(autouse=True)
def english():
    """The problem lines are asserted in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


WHEN = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

DOC = {
    "resourceType": "Questionnaire",
    "status": "active",
    "language": "en",
    "url": "https://example.org/Questionnaire/test",
    "version": "2",
    "item": [
        {
            "linkId": "g1",
            "type": "group",
            "text": "First",
            "item": [
                {
                    "linkId": "b",
                    "type": "boolean",
                    "text": "Yes or no",
                    "extension": [{"url": EXT_NOT_CLARIFIED, "valueString": "Not clarified yet"}],
                },
                {
                    "linkId": "i",
                    "type": "integer",
                    "text": "How many",
                    "extension": [
                        {"url": EXT_MIN_VALUE, "valueInteger": 0},
                        {"url": EXT_MAX_VALUE, "valueInteger": 20},
                    ],
                },
                {"linkId": "d", "type": "decimal", "text": "How much"},
                {"linkId": "dt", "type": "date", "text": "When"},
                {"linkId": "s", "type": "string", "text": "Short", "maxLength": 10},
                {"linkId": "t", "type": "text", "text": "Long"},
                {"linkId": "info", "type": "display", "text": "Just text"},
            ],
        },
        {
            "linkId": "g2",
            "type": "group",
            "text": "Second",
            "item": [
                {
                    "linkId": "c",
                    "type": "choice",
                    "text": "Pick",
                    "answerOption": [
                        {"valueCoding": {"system": SYS, "code": "x", "display": "X"}},
                        {"valueCoding": {"system": SYS, "code": "y", "display": "Y"}},
                    ],
                },
                {
                    "linkId": "cm",
                    "type": "choice",
                    "text": "Pick many",
                    "repeats": True,
                    "answerOption": [
                        {"valueCoding": {"system": SYS, "code": "x", "display": "X"}},
                        {"valueCoding": {"system": SYS, "code": "y", "display": "Y"}},
                    ],
                },
                {
                    "linkId": "cs",
                    "type": "choice",
                    "text": "Strings",
                    "answerOption": [{"valueString": "red"}, {"valueString": "blue"}],
                },
                {
                    "linkId": "ci",
                    "type": "choice",
                    "text": "Integers",
                    "answerOption": [{"valueInteger": 1}, {"valueInteger": 2}],
                },
                {
                    "linkId": "oc",
                    "type": "open-choice",
                    "text": "Or other",
                    "answerOption": [{"valueCoding": {"system": SYS, "code": "x", "display": "X"}}],
                },
                {
                    "linkId": "inner",
                    "type": "group",
                    "text": "Inner",
                    "enableWhen": [{"question": "b", "operator": "=", "answerBoolean": True}],
                    "item": [{"linkId": "n", "type": "string", "text": "Nested"}],
                },
            ],
        },
    ],
}

ANSWERS = {
    "b": [True],
    "i": [3],
    "d": [2.5],
    "dt": ["2026-11-30"],
    "s": ["short"],
    "t": ["longer text"],
    "c": [{"system": SYS, "code": "x", "display": "X"}],
    "cm": [{"system": SYS, "code": "x", "display": "X"}, {"system": SYS, "code": "y", "display": "Y"}],
    "cs": ["blue"],  # an option with its own value is answered with that value (R4)
    "ci": [2],
    "oc": [{"system": SYS, "code": "x", "display": "X"}, "my own words"],
    "n": ["nested"],
}


def export(answers, status="draft"):
    return answers_to_response(
        Tree(DOC), answers, questionnaire="https://example.org/Questionnaire/test|2", status=status, authored=WHEN
    )


def qr_item(response, link_id):
    stack = list(response.get("item", []))
    while stack:
        node = stack.pop()
        if node["linkId"] == link_id:
            return node
        stack.extend(node.get("item", []))
        for answer in node.get("answer", []):
            stack.extend(answer.get("item", []))
    return None


def test_every_value_type_is_exported_as_r4_says_and_validates():
    response = export(ANSWERS)
    assert response_problems(response) == []
    assert response["status"] == "in-progress"
    assert response["authored"] == WHEN.isoformat()
    assert response["questionnaire"] == "https://example.org/Questionnaire/test|2"
    assert qr_item(response, "b")["answer"] == [{"valueBoolean": True}]
    assert qr_item(response, "i")["answer"] == [{"valueInteger": 3}]
    assert qr_item(response, "d")["answer"] == [{"valueDecimal": 2.5}]
    assert qr_item(response, "dt")["answer"] == [{"valueDate": "2026-11-30"}]
    assert qr_item(response, "s")["answer"] == [{"valueString": "short"}]
    assert qr_item(response, "t")["answer"] == [{"valueString": "longer text"}]
    assert qr_item(response, "c")["answer"] == [{"valueCoding": {"system": SYS, "code": "x", "display": "X"}}]
    assert len(qr_item(response, "cm")["answer"]) == 2
    assert qr_item(response, "cs")["answer"] == [{"valueString": "blue"}]
    assert qr_item(response, "ci")["answer"] == [{"valueInteger": 2}]
    assert qr_item(response, "oc")["answer"][1] == {"valueString": "my own words"}
    assert qr_item(response, "info") is None  # display items carry no answers


def test_items_nest_like_the_questionnaires_groups():
    response = export(ANSWERS)
    assert [node["linkId"] for node in response["item"]] == ["g1", "g2"]
    g2 = response["item"][1]
    assert g2["item"][-1]["linkId"] == "inner"
    assert g2["item"][-1]["item"] == [{"linkId": "n", "text": "Nested", "answer": [{"valueString": "nested"}]}]


def test_only_enabled_answers_are_exported_and_empty_groups_left_out():
    response = export({**ANSWERS, "b": [False]})  # "inner" no longer applies
    assert qr_item(response, "inner") is None
    assert qr_item(response, "n") is None
    assert export({})["status"] == "in-progress"
    assert "item" not in export({})
    assert response_problems(export({})) == []


def test_a_finalized_intake_is_a_completed_response():
    assert export(ANSWERS, status="finalized")["status"] == "completed"


def test_not_clarified_is_no_answer_with_a_data_absent_reason():
    open_answer = {"code": NOT_CLARIFIED, "display": "Not clarified yet"}
    response = export({"b": [open_answer]})
    node = qr_item(response, "b")
    assert "answer" not in node
    assert node["extension"] == [{"url": EXT_DATA_ABSENT, "valueCode": "temp-unknown"}]
    assert response_problems(response) == []
    answers, problems = response_to_answers(Tree(DOC), response)
    assert answers == {"b": [open_answer]}
    assert problems == []


def test_answers_stored_as_codings_before_own_values_export_the_same():
    legacy = {**ANSWERS, "cs": [{"code": "blue", "display": "blue"}], "ci": [{"code": "2", "display": "2"}]}
    assert export(legacy) == export(ANSWERS)


def test_every_value_type_reads_back_unchanged():
    answers, problems = response_to_answers(Tree(DOC), export(ANSWERS))
    assert problems == []
    assert answers == ANSWERS


def response_with(link_id, *answers):
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "x",
        "status": "completed",
        "item": [{"linkId": link_id, "answer": list(answers)}],
    }


@pytest.mark.parametrize(
    ("link_id", "answer", "reason"),
    [
        ("nope", {"valueString": "x"}, "no such item"),
        ("b", {"valueString": "yes"}, "valueString does not fit a boolean question"),
        ("i", {"valueDecimal": 2.5}, "valueDecimal does not fit a integer question"),
        ("i", {"valueInteger": 99}, "outside what the question accepts"),
        ("dt", {"valueDate": "2026-11"}, "not a whole date"),
        ("dt", {"valueDateTime": "2026-11-30T10:00:00Z"}, "does not fit a date question"),
        ("s", {"valueString": "far too long for ten"}, "longer than the 10 characters"),
        ("c", {"valueCoding": {"system": SYS, "code": "z"}}, "z is not one of the question's options"),
        ("c", {"valueCoding": {"system": "https://other", "code": "x"}}, "not one of the question's options"),
        ("ci", {"valueInteger": 7}, "7 is not one of the question's options"),
        ("c", {"valueBoolean": True}, "valueBoolean does not fit a choice question"),
    ],
)
def test_answers_that_cannot_be_taken_are_skipped_and_named(link_id, answer, reason):
    answers, problems = response_to_answers(Tree(DOC), response_with(link_id, answer))
    assert answers == {}
    assert len(problems) == 1
    assert problems[0].startswith(f"linkId {link_id}:")
    assert reason in problems[0]


def test_extra_answers_to_a_single_question_keep_the_first():
    answers, problems = response_to_answers(Tree(DOC), response_with("i", {"valueInteger": 1}, {"valueInteger": 2}))
    assert answers == {"i": [1]}
    assert "the first is kept" in problems[0]


def test_answers_that_do_not_apply_are_skipped():
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "x",
        "status": "completed",
        "item": [
            {"linkId": "b", "answer": [{"valueBoolean": False}]},
            {"linkId": "n", "answer": [{"valueString": "nested"}]},
        ],
    }
    answers, problems = response_to_answers(Tree(DOC), response)
    assert answers == {"b": [False]}
    assert problems == ["linkId n: the question does not apply given the other answers; skipped."]


def test_open_choice_takes_free_text_and_a_decimal_takes_an_integer():
    answers, problems = response_to_answers(Tree(DOC), response_with("oc", {"valueString": "own"}))
    assert answers == {"oc": ["own"]} and problems == []
    answers, problems = response_to_answers(Tree(DOC), response_with("d", {"valueInteger": 4}))
    assert answers == {"d": [4.0]} and problems == []


def test_computed_answers_are_exported_but_not_read_back():
    doc = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {"linkId": "g", "type": "group", "text": "G", "item": [{"linkId": "w", "type": "boolean", "text": "W"}]},
            {
                "linkId": "summary",
                "type": "group",
                "extension": [{"url": EXT_ROLE, "valueCode": "risk-summary"}],
                "item": [
                    {
                        "linkId": "sign",
                        "type": "display",
                        "text": "Weapons",
                        "extension": [{"url": EXT_ROLE, "valueCode": "risk-sign"}],
                        "enableWhen": [{"question": "w", "operator": "=", "answerBoolean": True}],
                    },
                    {
                        "linkId": "level",
                        "type": "choice",
                        "text": "Level",
                        "extension": [{"url": EXT_ROLE, "valueCode": "risk-level"}],
                        "answerOption": [
                            {
                                "valueCoding": {"code": "high", "display": "High"},
                                "extension": [
                                    {
                                        "url": "https://krisestotte.no/fhir/StructureDefinition/intake-risk-min-signs",
                                        "valueInteger": 1,
                                    }
                                ],
                            },
                        ],
                    },
                ],
            },
        ],
    }
    tree = Tree(doc)
    response = answers_to_response(tree, {"w": [True]}, questionnaire="x", status="draft", authored=WHEN)
    assert qr_item(response, "level")["answer"] == [{"valueCoding": {"code": "high", "display": "High"}}]
    assert response_to_answers(tree, response) == ({"w": [True]}, [])


def test_references_canonical_or_urn():
    assert questionnaire_reference(doc=DOC, slug="t", language="en", number=1) == (
        "https://example.org/Questionnaire/test|2"
    )
    assert questionnaire_reference(doc={"url": "https://a/b"}, slug="t", language="en", number=1) == "https://a/b"
    urn = questionnaire_reference(doc={}, slug="first-contact", language="nb", number=3)
    assert urn == f"{URN_PREFIX}first-contact:nb:3"
    assert parse_reference(urn) == {"slug": "first-contact", "language": "nb", "number": 3}
    assert parse_reference("https://a/b|2") == {"url": "https://a/b", "version": "2"}
    assert parse_reference(f"{URN_PREFIX}broken") == {}
    assert parse_reference("") == {}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not json", "not JSON"),
        ('{"resourceType": "Questionnaire"}', "not a FHIR QuestionnaireResponse"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"resourceType": "QuestionnaireResponse", "status": "bogus"}', "status"),
        ('{"resourceType": "QuestionnaireResponse", "status": "completed"}', "which Questionnaire"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason(text, says):
    with translation.override("en"):
        doc, problems = read_response(text)
    assert doc is None
    assert problems and says in " ".join(problems)


def test_repeating_group_instances_round_trip():
    doc = {
        "resourceType": "Questionnaire",
        "status": "active",
        "language": "en",
        "item": [
            {
                "linkId": "s",
                "type": "group",
                "text": "Children",
                "item": [
                    {
                        "linkId": "child",
                        "type": "group",
                        "repeats": True,
                        "item": [{"linkId": "age", "type": "integer"}, {"linkId": "home", "type": "boolean"}],
                    }
                ],
            }
        ],
    }
    tree = Tree(doc)
    answers = {"child": [{"age": [4], "home": [True]}, {}, {"age": [9], "home": [False]}]}
    response = answers_to_response(tree, answers, questionnaire="x", status="draft", authored=WHEN)
    group = response["item"][0]
    assert [node["linkId"] for node in group["item"]] == ["child", "child"]  # the blank instance left out
    assert group["item"][1]["item"][0] == {"linkId": "age", "answer": [{"valueInteger": 9}]}
    assert response_to_answers(tree, response) == (
        {"child": [{"age": [4], "home": [True]}, {"age": [9], "home": [False]}]},
        [],
    )
