"""SDC expressions (intake.expressions): checked on import, evaluated by the one evaluator, never a 500."""

import copy

import pytest

from intake import navigation
from intake.evaluator import Evaluation, prune
from intake.expressions import (
    TIME_LIMIT,
    ExpressionError,
    Expressions,
    evaluate_expression,
    launch_context,
)
from intake.questionnaire import Tree, check_questionnaire, tree_problems
from intake.response import answers_to_response
from tests.intake.expression_form import SDC, expression_form

TREE = Tree(expression_form("nb"))


@pytest.fixture(autouse=True)
def in_english():
    """The import messages as written in the code (the bokmål ones are in the catalogue)."""
    from django.utils import translation

    with translation.override("en"):
        yield


LAUNCH = {"unit": {"resourceType": "Organization", "id": "7", "name": "Krisesenteret i Nord"}}


def coding(code: str) -> dict:
    return next(o for o in TREE.options(TREE.by_link_id["sleep"]) if o["code"] == code)


def answers(sleep="never", worry="never", **more) -> dict:
    return {"sleep": [coding(sleep)], "worry": [coding(worry)], **more}


def with_extension(link_id: str, url: str, expression: str, **value) -> dict:
    doc = copy.deepcopy(expression_form("nb"))
    item = next(i for group in doc["item"] for i in group["item"] if i["linkId"] == link_id)
    item.setdefault("extension", []).append(
        {"url": url, "valueExpression": {"language": "text/fhirpath", "expression": expression, **value}}
    )
    return doc


def test_the_form_imports():
    doc, problems = check_questionnaire(__import__("json").dumps(expression_form("en")))
    assert problems == [] and doc is not None


# The QuestionnaireResponse the expressions read


def test_answers_as_an_r4_questionnaire_response():
    response = answers_to_response(TREE, answers("often", "sometimes", age=[40], notes=["Trenger ro"]))
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["questionnaire"] == "https://krisestotte.no/fhir/Questionnaire/expression-test"
    screening, end = response["item"]
    # unanswered left out; the calculated score in (the answers are evaluated first)
    assert [i["linkId"] for i in screening["item"]] == ["sleep", "worry", "score", "age"]
    sleep = screening["item"][0]["answer"][0]["valueCoding"]
    assert (sleep["code"], sleep["display"]) == ("often", "Ofte")
    assert screening["item"][2]["answer"] == [{"valueInteger": 3}]
    assert screening["item"][3]["answer"] == [{"valueInteger": 40}]
    assert end == {"linkId": "end", "text": "Avslutning", "item": [
        {"linkId": "notes", "text": "Notater", "answer": [{"valueString": "Trenger ro"}]}
    ]}  # fmt: skip


def test_the_response_is_valid_fhir():
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    QuestionnaireResponse.model_validate(answers_to_response(TREE, answers("often", "often", age=[3])))


def test_value_types_follow_r4():
    doc = {
        "resourceType": "Questionnaire", "status": "active", "language": "nb",
        "item": [{"linkId": "g", "type": "group", "item": [
            {"linkId": "b", "type": "boolean"}, {"linkId": "d", "type": "decimal"}, {"linkId": "t", "type": "date"},
            {"linkId": "s", "type": "choice", "answerOption": [{"valueString": "a"}, {"valueInteger": 2}]},
            {"linkId": "o", "type": "open-choice", "answerOption": [{"valueCoding": {"code": "x"}}]},
        ]}],
    }  # fmt: skip
    tree = Tree(doc)
    found = answers_to_response(
        tree,
        {
            "b": [True, {"code": "not-clarified"}],
            "d": [1.5],
            "t": ["2026-12-03"],
            "s": [{"code": "2", "display": "2"}],
            "o": [{"code": "x"}, "annet"],
        },
    )
    values = {i["linkId"]: i["answer"] for i in found["item"][0]["item"]}
    assert values == {
        "b": [{"valueBoolean": True}],  # "not clarified yet" is no FHIR answer
        "d": [{"valueDecimal": 1.5}],
        "t": [{"valueDate": "2026-12-03"}],
        "s": [{"valueInteger": 2}],  # the option's own type, not a coding
        "o": [{"valueCoding": {"code": "x"}}, {"valueString": "annet"}],
    }


# calculatedExpression, ordinalValue and variable


def test_a_calculated_score_adds_up_the_ordinal_values():
    evaluation = Evaluation(TREE, answers("often", "sometimes"))
    assert evaluation.answers["score"] == [3]
    assert Evaluation(TREE, answers("never", "sometimes")).answers["score"] == [1]
    assert "score" not in Evaluation(TREE, {}).answers or Evaluation(TREE, {}).answers["score"] == [0]


def test_a_stored_score_is_recomputed_and_never_counts_as_cleared():
    stored = {**answers("never", "never"), "score": [99]}
    kept, cleared = prune(TREE, stored)
    assert kept["score"] == [0] and cleared == []


def test_weight_reads_the_same_scores():
    doc = with_extension("score", SDC + "calculatedExpression", "1")  # replaced below
    score = next(i for i in doc["item"][0]["item"] if i["linkId"] == "score")
    score["extension"] = [
        {
            "url": SDC + "calculatedExpression",
            "valueExpression": {
                "language": "text/fhirpath",
                "expression": "%resource.repeat(item).answer.value.weight().sum() * 10",
            },
        }
    ]
    assert Evaluation(Tree(doc), answers("often", "often")).answers["score"] == [40]


def test_helsenorge_sdf_calculated_expression_runs_on_the_same_engine():
    doc = copy.deepcopy(expression_form("nb"))
    score = next(i for i in doc["item"][0]["item"] if i["linkId"] == "score")
    score["extension"] = [
        {
            "url": "http://ehelse.no/fhir/StructureDefinition/sdf-calculatedExpression",
            "valueString": "QuestionnaireResponse.descendants().where(linkId='age').answer.value * 2",
        }
    ]
    assert tree_problems(doc) == []
    assert Evaluation(Tree(doc), {"age": [21]}).answers["score"] == [42]


def test_a_helsenorge_data_receiver_copies_its_answer_on_the_same_engine():
    doc = copy.deepcopy(expression_form("nb"))
    score = next(i for i in doc["item"][0]["item"] if i["linkId"] == "score")
    cqf = {
        "url": "http://hl7.org/fhir/StructureDefinition/cqf-expression",
        "valueString": "QuestionnaireResponse.descendants().where(linkId='age').answer.value",
    }
    score["extension"] = [cqf]
    # Without itemControl data-receiver a cqf-expression is a computed text we do not run: refused.
    assert tree_problems(doc) == ["linkId score: the cqf-expression extension is not supported."]
    control = {
        "coding": [{"system": "http://hl7.org/fhir/ValueSet/questionnaire-item-control", "code": "data-receiver"}]
    }
    score["extension"].append(
        {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl", "valueCodeableConcept": control}
    )
    assert tree_problems(doc) == []
    assert Evaluation(Tree(doc), {"age": [21]}).answers["score"] == [21]


def test_an_item_variable_is_visible_to_the_item_and_what_it_holds():
    doc = copy.deepcopy(expression_form("nb"))
    group = doc["item"][0]
    group["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/variable",
            "valueExpression": {"language": "text/fhirpath", "expression": "%resource.repeat(item).where("
                                "linkId='age').answer.value", "name": "ageNow"},
        }
    ]  # fmt: skip
    score = next(i for i in group["item"] if i["linkId"] == "score")
    score["extension"][0]["valueExpression"]["expression"] = "%ageNow + 1"
    assert tree_problems(doc) == []
    assert Evaluation(Tree(doc), {"age": [30]}).answers["score"] == [31]
    # Outside the group the name is unknown: refused on import.
    doc["item"][1]["item"][0]["extension"] = [
        {"url": SDC + "initialExpression", "valueExpression": {"language": "text/fhirpath", "expression": "%ageNow"}}
    ]
    assert tree_problems(doc) == [
        "linkId notes: the initialExpression «%ageNow» uses %ageNow, which this service cannot supply (only "
        "%resource, %context, %questionnaire, %qitem, %unit and the form's own variables)."
    ]


def test_a_calculation_using_a_later_one_settles():
    doc = copy.deepcopy(expression_form("nb"))
    items = doc["item"][0]["item"]
    age = next(i for i in items if i["linkId"] == "age")
    age.pop("extension")
    age["extension"] = [
        {
            "url": SDC + "calculatedExpression",
            "valueExpression": {"language": "text/fhirpath", "expression": "%score * 10"},
        }
    ]
    evaluation = Evaluation(Tree(doc), answers("often", "often"))
    assert evaluation.answers["age"] == [40]


# enableWhenExpression


def test_an_enable_when_expression_shows_and_hides_a_question():
    assert not Evaluation(TREE, answers("never", "often")).is_enabled(TREE.by_link_id["follow-up"])
    assert Evaluation(TREE, answers("often", "sometimes")).is_enabled(TREE.by_link_id["follow-up"])


def test_answers_of_a_question_an_expression_disables_are_cleared():
    kept, cleared = prune(TREE, {**answers("never", "never"), "follow-up": ["Et sted å bo"]})
    assert "follow-up" not in kept and cleared == ["follow-up"]


def test_enable_when_and_enable_when_expression_are_both_conditions():
    doc = with_extension("notes", SDC + "enableWhenExpression", "%score > 0")
    doc["item"][1]["item"][0]["extension"] = doc["item"][1]["item"][0].get("extension", [])
    notes = doc["item"][1]["item"][0]
    notes["extension"] = [
        {
            "url": SDC + "enableWhenExpression",
            "valueExpression": {"language": "text/fhirpath", "expression": "%score > 0"},
        }
    ]
    notes["enableWhen"] = [{"question": "age", "operator": "exists", "answerBoolean": True}]
    tree = Tree(doc)
    assert not Evaluation(tree, answers("often")).is_enabled(tree.by_link_id["notes"])
    assert Evaluation(tree, answers("often", age=[3])).is_enabled(tree.by_link_id["notes"])
    assert not Evaluation(tree, answers(age=[3])).is_enabled(tree.by_link_id["notes"])


# initialExpression and the launch context


def test_an_initial_expression_suggests_from_the_launch_context():
    expressions = Evaluation(TREE, {}, launch=LAUNCH).expressions
    assert expressions.initial(TREE.by_link_id["unit-name"]) == ["Krisesenteret i Nord"]
    # Without a launch context %unit is empty: no suggestion, no error.
    expressions = Evaluation(TREE, {}).expressions
    assert expressions.initial(TREE.by_link_id["unit-name"]) == [] and expressions.errors == {}


def test_the_launch_context_is_the_unit_as_an_organization(units):
    unit = next(iter(units.values()))
    assert launch_context(unit) == {"unit": {"resourceType": "Organization", "id": str(unit.pk), "name": unit.name}}


# answerExpression


def test_answer_options_are_computed_from_the_answers():
    chosen = [o for o in TREE.options(TREE.by_link_id["hard"]) if o["code"] in {"money", "children"}]
    expressions = Evaluation(TREE, {"hard": chosen}).expressions
    assert [o["code"] for o in expressions.options(TREE.by_link_id["most"])] == ["money", "children"]
    assert Evaluation(TREE, {}).expressions.options(TREE.by_link_id["most"]) == []


# targetConstraint


def test_a_target_constraint_gives_its_message_on_the_step():
    evaluation = Evaluation(TREE, {"age": [130]})
    step = TREE.by_link_id["screening"]
    assert navigation.constraint_failures(TREE, step, evaluation, last=False) == [
        (TREE.by_link_id["age"], "Alderen må være under 120 år.", "error")
    ]
    assert navigation.constraint_failures(TREE, step, Evaluation(TREE, {"age": [30]}), last=False) == []
    move = navigation.move(TREE, step, {"age": [130]}, navigation.Action.NEXT)
    assert move.blocked and move.failed == [(TREE.by_link_id["age"], "Alderen må være under 120 år.")]
    # Going back never checks.
    assert not navigation.move(TREE, step, {"age": [130]}, navigation.Action.BACK).blocked


# Checks on import


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("1 +", {}, "the calculatedExpression «1 +» is not valid FHIRPath (at character 4: mismatched input '<EOF>')."),
        ("%patient.birthDate", {}, "the calculatedExpression «%patient.birthDate» needs %patient, which this app "
         "does not provide (only %resource, %context, %questionnaire, %qitem, %unit and the form's own variables)."),
        ("%nobody.birthDate", {}, "the calculatedExpression «%nobody.birthDate» uses %nobody, which this service "
         "cannot supply (only %resource, %context, %questionnaire, %qitem, %unit and the form's own variables)."),
        ("answer.value.resolve()", {}, "the calculatedExpression «answer.value.resolve()» uses the function "
         "resolve(), which is not supported."),
        ("Observation?code=1234", {"language": "application/x-fhir-query"}, "the calculatedExpression is a query "
         "(application/x-fhir-query) to an electronic health record, which this service cannot run."),
        ("1", {"language": "text/cql"}, "the calculatedExpression is in text/cql; only FHIRPath (text/fhirpath) is "
         "supported."),
    ],
)  # fmt: skip
def test_bad_expressions_are_refused_with_one_line_naming_the_link_id(expression, value, expected):
    doc = with_extension("notes", SDC + "calculatedExpression", expression, **value)
    doc["item"][1]["item"][0]["extension"][0]["valueExpression"].update(value)
    (problem,) = tree_problems(doc)
    assert problem == f"linkId notes: {expected}"


def test_an_expression_kind_on_the_wrong_item_is_refused():
    doc = copy.deepcopy(expression_form("nb"))
    doc["item"][1]["extension"] = [
        {"url": SDC + "calculatedExpression", "valueExpression": {"language": "text/fhirpath", "expression": "1"}}
    ]
    assert tree_problems(doc) == ["linkId end: the calculatedExpression belongs on a question."]


def test_what_cannot_run_per_instance_in_a_repeating_group_is_refused_in_one_line():
    doc = copy.deepcopy(expression_form("nb"))
    doc["item"][1]["repeats"] = True
    doc["item"][1]["item"][0]["extension"] = [
        {"url": SDC + "calculatedExpression", "valueExpression": {"language": "text/fhirpath", "expression": "1"}}
    ]
    assert tree_problems(doc) == []  # evaluated per instance (tests/intake/test_expressions_repeats.py)
    doc["item"][1]["extension"] = [
        {"url": SDC + "enableWhenExpression", "valueExpression": {"language": "text/fhirpath", "expression": "true"}}
    ]
    assert tree_problems(doc) == ["linkId end: on a repeating group only variables are supported."]
    del doc["item"][1]["extension"]
    age = next(i for i in doc["item"][0]["item"] if i["linkId"] == "age")
    doc["item"][1]["item"][0]["extension"] = copy.deepcopy(age["extension"])
    assert tree_problems(doc) == [
        "linkId notes: a targetConstraint in a repeating group or on a repeating question is not supported."
    ]


def test_a_target_constraint_needs_its_message():
    doc = copy.deepcopy(expression_form("nb"))
    age = next(i for i in doc["item"][0]["item"] if i["linkId"] == "age")
    age["extension"][0]["extension"] = [e for e in age["extension"][0]["extension"] if e["url"] != "human"]
    assert tree_problems(doc) == ["linkId age: a targetConstraint needs an expression and a human message."]


# Failures at run time


def test_an_expression_that_fails_gives_no_value_and_says_so():
    doc = copy.deepcopy(expression_form("nb"))
    score = next(i for i in doc["item"][0]["item"] if i["linkId"] == "score")
    score["extension"][0]["valueExpression"]["expression"] = "%resource.repeat(item).answer.value.sum()"
    tree = Tree(doc)
    evaluation = Evaluation(tree, answers("often", "often"))  # sum() of codings: a type error
    assert "score" not in evaluation.answers
    assert evaluation.could_not_compute(tree.by_link_id["score"]) == "calculatedExpression"


def test_an_enable_when_expression_that_fails_leaves_the_question_shown():
    doc = copy.deepcopy(expression_form("nb"))
    follow = next(i for i in doc["item"][0]["item"] if i["linkId"] == "follow-up")
    follow["extension"][0]["valueExpression"]["expression"] = "%resource.repeat(item).answer.value.sum() > 1"
    tree = Tree(doc)
    evaluation = Evaluation(tree, answers("often", "often"))
    assert evaluation.is_enabled(tree.by_link_id["follow-up"])
    assert evaluation.could_not_compute(tree.by_link_id["follow-up"]) == "enableWhenExpression"


def test_a_runaway_expression_is_stopped():
    ten = "(" + "|".join(str(n) for n in range(10)) + ")"
    runaway = ten + "".join(f".select({ten}" for _ in range(6)) + ")" * 6
    import time

    started = time.monotonic()
    with pytest.raises(ExpressionError):
        evaluate_expression(runaway, {}, base="QuestionnaireResponse", variables={})
    assert time.monotonic() - started < TIME_LIMIT * 40  # wall-clock, on a busy machine


def test_a_tree_without_expressions_pays_nothing():
    from intake.demo import demo_tree_document

    assert Evaluation(Tree(demo_tree_document("nb")), {}).expressions is None


def test_expressions_object_reads_the_answers_as_given():
    expressions = Expressions(TREE, answers("often", "often"), LAUNCH)
    assert expressions.calculated(TREE.by_link_id["score"]) == [4]


def test_helsenorge_section_and_total_scores_add_up_the_question_scores():
    """Refero's calculator form (tests/fixtures/fhir/refero): items coded SS and TS in
    http://ehelse.no/scoringFormulas sum the ordinalValues of the QS questions of their section and form."""
    import json
    from pathlib import Path

    from intake.expressions import HELSENORGE_SCORING, _scores, expression_problems

    path = Path(__file__).parent.parent / "fixtures" / "fhir" / "refero" / "calculators--q.json"
    tree = Tree(json.loads(path.read_text()))
    assert expression_problems(tree) == []  # readOnly is refused until another part of issue 18 lands
    questions = [
        i
        for i in tree.items
        if any(c.get("code") == "QS" for c in i.raw.get("code", []) if c.get("system") == HELSENORGE_SCORING)
    ]
    chosen = {i.link_id: [{k: v for k, v in tree.options(i)[-1].items() if v}] for i in questions}
    expected = sum(_scores(tree)[(c[0].get("system", ""), c[0]["code"])] for c in chosen.values())
    evaluation = Evaluation(tree, chosen)
    assert evaluation.answers["Totalsum"] == [int(expected)] and expected > 0
    assert evaluation.answers["Delsum"] == [int(expected)]  # one section holds every scored question


def test_a_required_question_whose_options_could_not_be_computed_does_not_hold_the_counsellor():
    doc = copy.deepcopy(expression_form("nb"))
    most = next(i for i in doc["item"][0]["item"] if i["linkId"] == "most")
    most["required"] = True
    most["extension"][0]["valueExpression"]["expression"] = "%resource.repeat(item).answer.value.sum()"
    tree = Tree(doc)
    evaluation = Evaluation(tree, answers("often", "often"))
    assert navigation.missing_required(tree.by_link_id["screening"], evaluation) == []
    assert evaluation.expressions.options(tree.by_link_id["most"]) == []
