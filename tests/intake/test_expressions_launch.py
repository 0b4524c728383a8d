"""Expressions needing a launch context we do not have (%patient, %user, x-fhir-query variables, ...): an
initialExpression on a question the counsellor fills in is accepted and starts empty, with a notice; anything
else that needs one is refused, since it would change what the form means (docs/intake-trees.md)."""

import copy

import pytest

from intake.evaluator import Evaluation
from intake.expressions import evaluate_expression
from intake.questionnaire import Tree, questionnaire_notices, tree_problems
from tests.intake.expression_form import SDC, expression_form

VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"


@pytest.fixture(autouse=True)
def in_english():
    from django.utils import translation

    with translation.override("en"):
        yield


def fhirpath(expression: str, **more) -> dict:
    return {"language": "text/fhirpath", "expression": expression, **more}


def form_with(
    link_id: str, url: str, value: dict, *, variables: tuple[dict, ...] | list[dict] = (), **item_fields
) -> dict:
    doc = copy.deepcopy(expression_form("en"))
    item = next(i for group in doc["item"] for i in group["item"] if i["linkId"] == link_id)
    item.setdefault("extension", []).append({"url": url, "valueExpression": value})
    item.update(item_fields)
    doc["extension"] += [{"url": VARIABLE, "valueExpression": v} for v in variables]
    return doc


def test_an_initial_expression_needing_the_patient_starts_empty_with_a_notice():
    doc = form_with("notes", SDC + "initialExpression", fhirpath("%patient.name.first().family"))
    assert tree_problems(doc) == []
    assert "linkId notes: starts empty: needs %patient, which this app does not provide." in questionnaire_notices(doc)
    evaluation = Evaluation(Tree(doc), {})
    assert evaluation.expressions.initial(Tree(doc).by_link_id["notes"]) == []
    assert evaluation.expressions.errors == {}


def test_today_and_the_patient_together_still_start_empty():
    # today() alone would give a number: the question starts empty rather than with half a computation.
    expression = (
        "today().toString().substring(0,4).toInteger() - %patient.birthDate.toString().substring(0,4).toInteger()"
    )
    doc = form_with("age", SDC + "initialExpression", fhirpath(expression))
    tree = Tree(doc)
    assert tree_problems(doc) == []
    assert Evaluation(tree, {}).expressions.initial(tree.by_link_id["age"]) == []


@pytest.mark.parametrize("name", ["user", "encounter", "PrePopQuery", "Condition", "fromPatient", "AddressRepeat"])
def test_declared_queried_and_derived_names_count_as_launch_context(name):
    doc = form_with(
        "notes",
        SDC + "initialExpression",
        fhirpath(f"%{name}.id"),
        variables=[
            {
                "name": "Condition",
                "language": "application/x-fhir-query",
                "expression": "Condition?patient={{%patient.id}}",
            },
            fhirpath("%patient.name.given.first()", name="fromPatient"),
        ],
    )
    doc["extension"].append(
        {"url": SDC + "sourceQueries", "valueReference": {"reference": "#PrePopQuery"}},
    )
    doc["item"][1]["extension"] = [
        {"url": SDC + "itemPopulationContext", "valueExpression": fhirpath("%patient.address", name="AddressRepeat")}
    ]
    assert tree_problems(doc) == []
    assert (
        f"linkId notes: starts empty: needs %{name if name != 'fromPatient' else 'patient'}, which this app does not provide."
        in questionnaire_notices(doc)
    )
    tree = Tree(doc)
    evaluation = Evaluation(tree, {})
    assert evaluation.expressions.initial(tree.by_link_id["notes"]) == []
    assert evaluation.expressions.errors == {}


def test_a_read_only_or_hidden_question_filled_only_from_the_patient_is_refused():
    hidden = {
        "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden", "valueBoolean": True}]
    }
    for fields in ({"readOnly": True}, hidden):
        doc = form_with("notes", SDC + "initialExpression", fhirpath("%patient.id"))
        item = doc["item"][1]["item"][0]
        if "extension" in fields:
            item["extension"] += fields["extension"]
        else:
            item.update(fields)
        assert tree_problems(doc) == [
            "linkId notes: the initialExpression «%patient.id» needs %patient, which this app does not provide, and "
            "the question is read-only or hidden: its value would come from nothing."
        ]


@pytest.mark.parametrize(
    ("link_id", "kind"),
    [("notes", "calculatedExpression"), ("notes", "enableWhenExpression"), ("most", "answerExpression")],
)
def test_what_changes_meaning_is_refused_when_it_needs_the_patient(link_id, kind):
    doc = form_with(
        link_id, SDC + kind, fhirpath("%fromPatient"), variables=[fhirpath("%patient.gender", name="fromPatient")]
    )
    problems = [p for p in tree_problems(doc) if "%fromPatient" in p]
    assert problems == [
        f"linkId {link_id}: the {kind} «%fromPatient» needs %patient, which this app does not provide (only "
        "%resource, %context, %questionnaire, %qitem, %unit and the form's own variables)."
    ]


def test_a_query_variable_used_where_it_changes_meaning_is_refused():
    doc = form_with(
        "most",
        SDC + "answerExpression",
        fhirpath("%expansion.expansion.contains"),
        variables=[{"name": "expansion", "language": "application/x-fhir-query", "expression": "ValueSet/x/$expand"}],
    )
    assert any("needs %expansion, which this app does not provide" in p for p in tree_problems(doc))


def test_an_unknown_name_at_run_time_is_empty_not_an_error():
    response = {"resourceType": "QuestionnaireResponse"}
    assert evaluate_expression("%patient.birthDate", response, base="QuestionnaireResponse", variables={}) == []
    assert evaluate_expression("%nobody.exists()", response, base="QuestionnaireResponse", variables={}) == [False]
