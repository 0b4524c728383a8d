"""What the FHIR corpus (tests/intake/test_fhir_corpus.py) showed to be valid R4 that was refused (issue 18):
an extension's ``_valueString`` (a primitive's id and extensions), a choice question whose only answers are its
initial codings, repeating boolean and quantity questions (one answer per row), and an open-choice question
whose answerValueSet is an answer service searched as one types (answered as free text)."""

import copy
import json

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from intake.navigation import start_answers
from intake.questionnaire import Tree, check_questionnaire, questionnaire_notices
from intake.repeats import shape_from_data
from intake.response import answers_to_response, response_problems, response_to_answers
from intake.wizard import answers_from, initial_for, step_form_class, step_nodes

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


# A choice question with initial codings and no options


FIXED = {"linkId": "code", "type": "choice", "initial": [{"valueCoding": FEVER}]}


def test_a_choice_without_options_offers_its_initial_coding():
    doc = questionnaire({"linkId": "seen", "type": "boolean", "text": "Seen?"}, {**FIXED, "text": "Finding"})
    assert problems_of(doc) == []
    tree = Tree(doc)
    assert tree.options(tree.by_link_id["code"]) == [{**FEVER}]
    assert start_answers(tree)["code"] == [FEVER]
    with translation.override("en"):
        notices = questionnaire_notices(doc)
    assert any("linkId code" in n and "initial value" in n for n in notices), notices
    # Answered with it, or left empty; nothing else is offered.
    step = tree.by_link_id["s1"]
    field = f"q{tree.by_link_id['code'].index}"
    form = step_form_class(tree, step)({field: FEVER["code"], "revision": 0})
    assert form.is_valid(), form.errors
    assert answers_from(tree, step, form.cleaned_data)["code"] == [FEVER]
    form = step_form_class(tree, step)({field: "other-code", "revision": 0})
    assert not form.is_valid()
    form = step_form_class(tree, step)({"revision": 0})
    assert form.is_valid() and answers_from(tree, step, form.cleaned_data)["code"] == []


def test_a_hidden_choice_with_a_fixed_coding_keeps_it():
    hidden = {**FIXED, "extension": [{"url": SD + "questionnaire-hidden", "valueBoolean": True}]}
    doc = questionnaire({"linkId": "a", "type": "string", "text": "Name"}, hidden)
    assert problems_of(doc) == []
    assert start_answers(Tree(doc))["code"] == [FEVER]


@pytest.mark.parametrize(
    "item",
    [
        {"linkId": "code", "type": "choice", "text": "Finding"},  # nothing to choose from
        {"linkId": "code", "type": "choice", "text": "Finding", "initial": [{"valueString": "fever"}]},
        {"linkId": "code", "type": "choice", "text": "Finding", "initial": [{"valueCoding": {"display": "Fever"}}]},
    ],
)
def test_a_choice_without_options_or_initial_codings_is_still_refused(item):
    assert any("needs answerOption or answerValueSet" in p for p in problems_of(questionnaire(item)))


def test_an_initial_outside_the_options_is_still_refused():
    item = {**FIXED, "text": "Finding", "answerOption": [{"valueCoding": {"code": "other"}}]}
    assert problems_of(questionnaire(item)) == ["linkId code: initial 386661006 is not one of the question's options."]


# Repeating boolean and quantity questions


REPEATS = questionnaire(
    {"linkId": "flags", "type": "boolean", "text": "Agreed", "repeats": True},
    {
        "linkId": "weights",
        "type": "quantity",
        "text": "Weight",
        "repeats": True,
        "extension": [
            {"url": SD + "questionnaire-unitOption", "valueCoding": KG},
            {"url": SD + "questionnaire-unitOption", "valueCoding": LB},
        ],
    },
)


def test_repeating_boolean_and_quantity_questions_import():
    assert problems_of(REPEATS) == []


def test_repeating_display_and_attachment_stay_refused():
    for kind in ("display", "attachment"):
        doc = questionnaire({"linkId": "x", "type": kind, "text": "X", "repeats": True})
        assert f"linkId x: repeats is not supported on items of type {kind}." in problems_of(doc)


def test_not_clarified_on_a_repeating_boolean_is_refused():
    doc = copy.deepcopy(REPEATS)
    doc["item"][0]["item"][0]["extension"] = [
        {"url": "https://krisestotte.no/fhir/StructureDefinition/intake-not-clarified", "valueString": "Unknown"}
    ]
    assert any("not supported on a boolean question that repeats" in p for p in problems_of(doc))


def rows_form(data: dict):
    tree = Tree(REPEATS)
    step = tree.by_link_id["s1"]
    flags, weights = (f"q{tree.by_link_id[k].index}" for k in ("flags", "weights"))
    posted = {f"{flags}-count": "2", f"{weights}-count": "2", "revision": 0}
    posted.update({key.replace("F", flags).replace("W", weights): value for key, value in data.items()})
    shape = shape_from_data(step, posted)
    return tree, step, shape, step_form_class(tree, step, shape)(posted)


def test_each_row_of_a_repeating_boolean_and_quantity_is_one_answer():
    tree, step, shape, form = rows_form({"F-0": "true", "F-1": "false", "W-0": "70", "W-0_unit": "0", "W-1": "150"})
    assert not form.is_valid()
    # The second weight's unit is asked for on its own row ...
    assert list(form.errors) == [f"q{tree.by_link_id['weights'].index}-1_unit"]
    tree, step, shape, form = rows_form(
        {"F-0": "true", "F-1": "false", "W-0": "70", "W-0_unit": "0", "W-1": "150", "W-1_unit": "1"}
    )
    assert form.is_valid(), form.errors
    answers = answers_from(tree, step, form.cleaned_data, shape)
    assert answers["flags"] == [True, False]
    assert answers["weights"] == [
        {"value": 70.0, "unit": "kg", "system": KG["system"], "code": "kg"},
        {"value": 150.0, "unit": "lb", "system": LB["system"], "code": "[lb_av]"},
    ]
    # ... and each row, its unit included, is shown again from the stored answers.
    initial = initial_for(tree, step, answers)
    weights = f"q{tree.by_link_id['weights'].index}"
    assert (initial[f"{weights}-1"], initial[f"{weights}-1_unit"]) == (150.0, "1")
    form = step_form_class(tree, step, shape)(initial={**initial, "revision": 0})
    html = render_to_string("intake/_items.html", {"nodes": step_nodes(tree, step, form, answers, shape)})
    assert html.count(f'name="{weights}-1_unit"') == 1 and html.count(f'name="{weights}-0_unit"') == 1
    # Each row's unit chooser is labelled with its own row, not the question alone.
    with translation.override("en"):
        form = step_form_class(tree, step, shape)(initial={**initial, "revision": 0})
    assert form[f"{weights}-1_unit"].label == "Unit: Weight 2 of 2"


def test_repeating_boolean_and_quantity_answers_make_a_valid_response_and_come_back():
    tree = Tree(REPEATS)
    answers = {"flags": [True, False], "weights": [{"value": 70.0, "unit": "kg", "system": KG["system"], "code": "kg"}]}
    response = answers_to_response(tree, answers)
    assert response_problems(response) == []
    (step,) = response["item"]
    by_link_id = {node["linkId"]: node["answer"] for node in step["item"]}
    assert by_link_id["flags"] == [{"valueBoolean": True}, {"valueBoolean": False}]
    assert by_link_id["weights"][0]["valueQuantity"]["code"] == "kg"
    assert response_to_answers(tree, response) == (answers, [])


# An answer service (itemControl autocomplete) on an open-choice question


CONDITIONS = "http://clinicaltables.nlm.nih.gov/fhir/R4/ValueSet/conditions"
AUTOCOMPLETE = {
    "url": SD + "questionnaire-itemControl",
    "valueCodeableConcept": {
        "coding": [{"system": "http://hl7.org/fhir/questionnaire-item-control", "code": "autocomplete"}]
    },
}


def searched(kind: str, **more) -> dict:
    return questionnaire(
        {
            "linkId": "cond",
            "type": kind,
            "text": "Condition",
            "answerValueSet": CONDITIONS,
            "extension": [AUTOCOMPLETE],
            **more,
        }
    )


@pytest.mark.django_db
def test_an_open_choice_answer_service_is_answered_as_free_text():
    doc = searched("open-choice")
    assert problems_of(doc) == []
    with translation.override("en"):
        notices = questionnaire_notices(doc)
    assert (
        f"linkId cond: answered as free text: the answer service {CONDITIONS} (itemControl autocomplete) is not used."
        in notices
    )
    tree = Tree(doc)
    step = tree.by_link_id["s1"]
    field = f"q{tree.by_link_id['cond'].index}"
    assert tree.options(tree.by_link_id["cond"]) == []
    form = step_form_class(tree, step)({field + "_other": "Asthma", "revision": 0})
    assert form.is_valid(), form.errors
    answers = answers_from(tree, step, form.cleaned_data)
    assert answers["cond"] == ["Asthma"]
    html = render_to_string("intake/_items.html", {"nodes": step_nodes(tree, step, form, answers)})
    assert f'name="{field}_other"' in html and 'type="radio"' not in html


@pytest.mark.django_db
def test_a_choice_answer_service_or_a_coded_initial_on_one_stays_refused():
    assert [p for p in problems_of(searched("choice")) if "searched as one types" in p]
    doc = searched("open-choice", initial=[{"valueCoding": {"code": "asthma"}}])
    assert problems_of(doc) == ["linkId cond: initial asthma is not one of the question's options."]


@pytest.mark.django_db
def test_an_open_choice_valueset_that_is_not_an_answer_service_stays_refused():
    doc = searched("open-choice")
    doc["item"][0]["item"][0]["extension"] = []
    assert [p for p in problems_of(doc) if "is not imported: import that ValueSet first" in p]
