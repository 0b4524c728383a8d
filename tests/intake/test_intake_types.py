"""Item types and constraints beyond the first subset (issue 18): dateTime, time, url, quantity with units,
regex, minLength, maxLength, maxDecimalPlaces, min/maxValue on the new types, optionExclusive, and choice
options answered with their own value (valueString, valueInteger, valueDate, valueTime) as R4 says."""

import copy
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.demo import CENTRE_A
from intake.evaluator import Evaluation, condition_holds
from intake.questionnaire import Tree, check_questionnaire
from intake.services import intake_create, tree_version_create, tree_version_publish
from intake.wizard import answers_display, answers_from, initial_for, step_form_class

SD = "http://hl7.org/fhir/StructureDefinition/"
KG = {"system": "http://unitsofmeasure.org", "code": "kg", "display": "kg"}
LB = {"system": "http://unitsofmeasure.org", "code": "[lb_av]", "display": "lb"}


def ext(name: str, **value) -> dict:
    return {"url": SD + name, **value}


DOC = {
    "resourceType": "Questionnaire",
    "name": "types",
    "language": "en",
    "status": "draft",
    "item": [
        {
            "linkId": "s1",
            "type": "group",
            "text": "Step one",
            "item": [
                {
                    "linkId": "when",
                    "type": "dateTime",
                    "text": "When did it happen?",
                    "extension": [
                        ext("minValue", valueDateTime="2020"),
                        ext("maxValue", valueDateTime="2030-06-30T12:00:00+02:00"),
                    ],
                },
                {
                    "linkId": "at",
                    "type": "time",
                    "text": "At what time is it safe to call?",
                    "extension": [ext("minValue", valueTime="08:00:00"), ext("maxValue", valueTime="20:00:00")],
                },
                {"linkId": "site", "type": "url", "text": "Web page", "maxLength": 60},
                {
                    "linkId": "weight",
                    "type": "quantity",
                    "text": "Weight",
                    "extension": [
                        ext("questionnaire-unitOption", valueCoding=KG),
                        ext("questionnaire-unitOption", valueCoding=LB),
                        ext("maxDecimalPlaces", valueInteger=1),
                        ext("minValue", valueInteger=1),
                        ext("maxValue", valueDecimal=500),
                    ],
                },
                {
                    "linkId": "height",
                    "type": "decimal",
                    "text": "Height",
                    "extension": [ext("questionnaire-unit", valueCoding={"code": "cm", "display": "cm"})],
                },
                {
                    "linkId": "postcode",
                    "type": "string",
                    "text": "Postcode",
                    "extension": [
                        ext("regex", valueString="[0-9]{4}"),
                        {
                            "url": "http://ehelse.no/fhir/StructureDefinition/validationtext",
                            "valueString": "Four digits.",
                        },
                    ],
                },
                {
                    "linkId": "story",
                    "type": "text",
                    "text": "What happened",
                    "maxLength": 40,
                    "extension": [ext("minLength", valueInteger=5)],
                },
                {
                    "linkId": "kinds",
                    "type": "choice",
                    "text": "What kinds?",
                    "repeats": True,
                    "answerOption": [
                        {"valueCoding": {"code": "physical", "display": "Physical"}},
                        {"valueCoding": {"code": "threats", "display": "Threats"}},
                        {
                            "valueCoding": {"code": "none", "display": "None of these"},
                            "extension": [ext("questionnaire-optionExclusive", valueBoolean=True)],
                        },
                    ],
                },
                {
                    "linkId": "children",
                    "type": "choice",
                    "text": "How many children?",
                    "answerOption": [{"valueInteger": 0}, {"valueInteger": 1}, {"valueInteger": 2}],
                },
                {
                    "linkId": "place",
                    "type": "open-choice",
                    "text": "Where?",
                    "answerOption": [{"valueString": "home"}, {"valueString": "work"}],
                },
                {
                    "linkId": "day",
                    "type": "choice",
                    "text": "Which day?",
                    "answerOption": [{"valueDate": "2026-12-01"}, {"valueDate": "2026-12-02"}],
                },
            ],
        },
        {
            "linkId": "s2",
            "type": "group",
            "text": "Step two",
            "item": [
                {
                    "linkId": "heavy",
                    "type": "display",
                    "text": "Heavy",
                    "enableWhen": [
                        {"question": "weight", "operator": ">", "answerQuantity": {"value": 100, "code": "kg"}}
                    ],
                },
                {
                    "linkId": "many",
                    "type": "boolean",
                    "text": "Do they all live with her?",
                    "enableWhen": [{"question": "children", "operator": ">=", "answerInteger": 1}],
                },
                {
                    "linkId": "at-home",
                    "type": "boolean",
                    "text": "Is it at home now?",
                    "enableWhen": [{"question": "place", "operator": "=", "answerString": "home"}],
                },
                {
                    "linkId": "first-day",
                    "type": "boolean",
                    "text": "First day?",
                    "enableWhen": [{"question": "day", "operator": "=", "answerDate": "2026-12-01"}],
                },
                {
                    "linkId": "late",
                    "type": "boolean",
                    "text": "Late?",
                    "enableWhen": [
                        {"question": "when", "operator": ">=", "answerDateTime": "2026-01-01T00:00:00+01:00"},
                        {"question": "at", "operator": ">", "answerTime": "18:00:00"},
                    ],
                    "enableBehavior": "any",
                },
            ],
        },
    ],
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problems_of(document) -> list[str]:
    return check_questionnaire(json.dumps(document))[1]


def with_item(link_id: str, **changes) -> dict:
    document: dict[str, Any] = copy.deepcopy(DOC)
    for step in document["item"]:
        for item in step["item"]:
            if item["linkId"] == link_id:
                item.update(changes)
    return document


TREE = Tree(DOC)
STEP = TREE.by_link_id["s1"]


def q(link_id: str) -> str:
    return f"q{TREE.by_link_id[link_id].index}"


def bound(data: dict):
    form = step_form_class(TREE, STEP)({**{q(k): v for k, v in data.items()}, "revision": 0})
    form.is_valid()
    return form


# Import


def test_the_new_types_and_constraints_import():
    assert problems_of(DOC) == []


@pytest.mark.parametrize(
    ("link_id", "changes", "expected"),
    [
        ("postcode", {"extension": [ext("regex", valueString="[0-9")]}, "the regex [0-9 cannot be read"),
        ("when", {"extension": [ext("regex", valueString="x")]}, "regex applies only to string, text, url"),
        ("story", {"extension": [ext("minLength", valueInteger=50)]}, "minLength is more than maxLength"),
        ("story", {"extension": [ext("maxDecimalPlaces", valueInteger=1)]}, "maxDecimalPlaces applies only"),
        ("story", {"extension": [ext("questionnaire-unit", valueCoding=KG)]}, "a unit applies only to integer"),
        (
            "height",
            {"extension": [ext("questionnaire-unitOption", valueCoding=KG)]},
            "unitOption applies only to quantity",
        ),
        ("when", {"extension": [ext("minValue", valueDate="2020-01-01")]}, "minValue must be given as valueDateTime"),
        ("at", {"extension": [ext("maxValue", valueTime="25:00:00")]}, ""),  # fhir.resources refuses it
        ("kinds", {"repeats": False}, "optionExclusive applies only to a question that takes several answers"),
        (
            "weight",
            {"extension": [{"url": SD + "questionnaire-unitValueSet", "valueCanonical": "http://x.org/vs"}]},
            "the unitValueSet extension is not supported",
        ),
    ],
)
def test_constraints_that_cannot_apply_are_refused_with_one_line(link_id, changes, expected):
    problems = problems_of(with_item(link_id, **changes))
    assert len(problems) == 1
    assert problems[0].startswith(f"linkId {link_id}") or not expected
    assert expected in problems[0]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"question": "children", "operator": "=", "answerCoding": {"code": "1"}}, "its options are valueInteger"),
        ({"question": "children", "operator": "=", "answerString": "1"}, "its options are valueInteger"),
        ({"question": "kinds", "operator": "=", "answerString": "threats"}, "its options are valueCoding"),
        ({"question": "when", "operator": "=", "answerDate": "2026-01-01"}, "does not match its type dateTime"),
        ({"question": "site", "operator": ">", "answerString": "a"}, "needs an integer, decimal or date"),
    ],
)
def test_enable_when_answer_must_fit_the_options_value_type(condition, expected):
    document = copy.deepcopy(DOC)
    document["item"][1]["item"][1]["enableWhen"] = [condition]
    problems = problems_of(document)
    assert len(problems) == 1 and expected in problems[0]


# The step form: valid values stored as a QuestionnaireResponse's value[x]


VALID = {
    "when": "2026-03-05T14:30",
    "at": "19:15",
    "site": "example.org/help",
    "weight": "72.5",
    "weight_unit": "0",
    "height": "170",
    "postcode": "0150",
    "story": "Hit me twice",
    "kinds": ["physical", "threats"],
    "children": "2",
    "place": "home",
    "day": "2026-12-01",
}


def post_data(values: dict) -> dict:
    data = {}
    for key, value in values.items():
        link_id, _sep, suffix = key.partition("_")
        data[q(link_id) + (f"_{suffix}" if suffix else "")] = value
    return data


def form_for(values: dict):
    form = step_form_class(TREE, STEP)({**post_data(values), "revision": 0})
    form.is_valid()
    return form


def test_valid_values_are_stored_typed_as_r4_says():
    form = form_for(VALID)
    assert form.errors == {}
    answers = answers_from(TREE, STEP, form.cleaned_data)
    assert answers["when"] == ["2026-03-05T14:30:00+01:00"]
    assert answers["at"] == ["19:15:00"]
    assert answers["site"] == ["https://example.org/help"]
    assert answers["weight"] == [{"value": 72.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}]
    assert answers["height"] == [170.0]
    assert answers["postcode"] == ["0150"]
    assert answers["kinds"] == [{"code": "physical", "display": "Physical"}, {"code": "threats", "display": "Threats"}]
    assert answers["children"] == [2]  # the option's own valueInteger, not a coding
    assert answers["place"] == ["home"]
    assert answers["day"] == ["2026-12-01"]
    # ... and shown again as they were entered.
    initial = initial_for(TREE, STEP, answers)
    again = step_form_class(TREE, STEP)(initial=initial)
    assert again[q("when")].value() is not None and "2026-03-05T14:30" in str(again[q("when")])
    assert initial[q("at")].isoformat() == "19:15:00"
    assert (initial[q("weight")], initial[q("weight") + "_unit"]) == (72.5, "0")
    assert (initial[q("children")], initial[q("place")], initial[q("day")]) == ("2", "home", "2026-12-01")
    assert q("place") + "_other" not in initial


def test_open_choice_free_text_is_kept_apart_from_a_string_option():
    form = form_for({"place": "", "place_other": "in the car"})
    answers = answers_from(TREE, STEP, form.cleaned_data)
    assert answers["place"] == ["in the car"]
    initial = initial_for(TREE, STEP, answers)
    assert (initial[q("place")], initial[q("place") + "_other"]) == (None, "in the car")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"when": "2019-12-31T23:59"}, "when", "greater than or equal to"),
        ({"when": "2030-06-30T12:01"}, "when", "less than or equal to"),
        ({"when": "tomorrow"}, "when", "Enter a valid date/time"),
        ({"at": "07:59"}, "at", "greater than or equal to"),
        ({"site": "not a web address"}, "site", "Enter a web address"),
        ({"site": "https://example.org/" + "x" * 60}, "site", "at most 60 characters"),
        ({"weight": "72.55", "weight_unit": "0"}, "weight", "at most 1 decimals"),
        ({"weight": "501", "weight_unit": "0"}, "weight", "less than or equal to 500"),
        ({"weight": "0.5", "weight_unit": "1"}, "weight", "greater than or equal to 1"),
        ({"weight": "70"}, "weight_unit", "Choose the unit"),
        ({"postcode": "150"}, "postcode", "Four digits."),
        ({"postcode": "01500"}, "postcode", "Four digits."),  # the whole answer must match
        ({"story": "Hit"}, "story", "at least 5 characters (it has 3)"),
        ({"story": "x" * 41}, "story", "at most 40 characters"),
        ({"kinds": ["none", "threats"]}, "kinds", "«None of these» cannot be combined with other answers"),
    ],
)
def test_invalid_values_get_a_clear_error(values, field, message):
    form = form_for(values)
    name = post_data({field: ""}).popitem()[0]
    assert message in " ".join(form.errors.get(name, [])), form.errors


def test_exclusive_option_alone_is_fine_and_marked_for_the_script():
    form = form_for({"kinds": ["none"]})
    assert form.errors == {}
    html = str(form[q("kinds")])
    assert re.search(r'value="none"[^>]*data-exclusive="true"|data-exclusive="true"[^>]*value="none"', html)
    assert "data-exclusive" not in html.split('value="physical"')[0].rsplit("<input", 1)[-1]
    assert "Choosing «None of these» clears the other answers." in form[q("kinds")].help_text


def test_a_single_unit_is_said_and_stored_without_asking():
    item = TREE.by_link_id["height"]
    form = form_for({"height": "170"})
    assert form[q("height")].help_text == "In cm."
    assert answers_display(item, [170.0]) == "170 cm"


# Display in the review and the journal note


def test_answers_display_readably():
    by = TREE.by_link_id
    assert answers_display(by["when"], ["2026-03-05T14:30:00+01:00"]) == "2026-03-05 14:30"
    assert answers_display(by["at"], ["19:15:00"]) == "19:15"
    assert answers_display(by["weight"], [{"value": 72.5, "unit": "kg", "code": "kg"}]) == "72.5 kg"
    assert answers_display(by["weight"], [{"value": 70.0, "unit": "lb", "code": "[lb_av]"}]) == "70 lb"
    assert answers_display(by["children"], [2]) == "2"
    assert answers_display(by["site"], ["https://example.org"]) == "https://example.org"


# enableWhen on the new types and on options with their own value


def enabled(answers: dict) -> dict:
    evaluation = Evaluation(TREE, answers)
    return {k: evaluation.is_enabled(TREE.by_link_id[k]) for k in ("heavy", "many", "at-home", "first-day", "late")}


def test_enable_when_compares_each_type():
    assert enabled({}) == dict.fromkeys(("heavy", "many", "at-home", "first-day", "late"), False)
    on = enabled(
        {
            "weight": [{"value": 120.0, "unit": "kg", "code": "kg"}],
            "children": [2],
            "place": ["home"],
            "day": ["2026-12-01"],
            "at": ["19:00:00"],
        }
    )
    assert on == dict.fromkeys(("heavy", "many", "at-home", "first-day", "late"), True)
    assert enabled({"weight": [{"value": 120.0, "unit": "lb", "code": "[lb_av]"}]})["heavy"] is False  # other unit
    assert enabled({"children": [0], "place": ["work"], "day": ["2026-12-02"], "at": ["18:00:00"]}) == dict.fromkeys(
        ("heavy", "many", "at-home", "first-day", "late"), False
    )
    assert enabled({"when": ["2026-01-01T00:00:00+01:00"]})["late"] is True
    assert enabled({"when": ["2025-12-31T23:59:00+01:00"]})["late"] is False


def test_answers_stored_as_codings_before_still_compare():
    # Intakes saved before options were answered with their own value hold a coding: still the same answer.
    condition = {"question": "children", "operator": ">=", "answerInteger": 1}
    assert condition_holds(condition, [{"code": "2", "display": "2"}]) is True
    assert condition_holds({**condition, "operator": "="}, [{"code": "0", "display": "0"}]) is False
    # ... and a tree published before, with answerCoding on such options, still holds for the new answers.
    old = {"question": "children", "operator": "=", "answerCoding": {"code": "2"}}
    assert condition_holds(old, [2]) is True
    assert condition_holds(old, [1]) is False


# Through the wizard


@pytest.fixture
def types_intake(demo):
    version = tree_version_publish(version=tree_version_create(doc=copy.deepcopy(DOC), language="en"))
    return intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)


def test_wizard_keeps_invalid_values_with_errors_then_saves_valid_ones(client_for, types_intake):
    client = client_for("counsellor")
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("intake:step", args=[types_intake.pk, "s1"])
    bad = {**VALID, "postcode": "01x", "story": "Hit", "kinds": ["none", "threats"], "site": "not a web address"}
    response = client.post(url, {**post_data(bad), "revision": 0, "action": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Four digits." in html and "at least 5 characters" in html and "cannot be combined" in html
    assert 'value="01x"' in html and 'value="not a web address"' in html and "Hit</textarea>" in html
    assert 'type="datetime-local"' in html and 'type="time"' in html and 'type="url"' in html
    types_intake.refresh_from_db()
    assert types_intake.answers == {}

    response = client.post(url, {**post_data(VALID), "revision": 0, "action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    types_intake.refresh_from_db()
    assert types_intake.answers["weight"][0]["code"] == "kg"
    assert types_intake.answers["children"] == [2]
    page = client.get(url).content.decode()
    assert 'value="2026-03-05T14:30"' in page and 'value="19:15"' in page
    step_two = client.get(reverse("intake:step", args=[types_intake.pk, "s2"])).content.decode()
    assert "Do they all live with her?" in step_two and "Is it at home now?" in step_two
    review = client.get(reverse("intake:review", args=[types_intake.pk])).content.decode()
    assert review.count("72.5 kg") == 1 and "2026-03-05 14:30" in review and "19:15" in review
    assert "https://example.org/help" in review and "170 cm" in review


def test_wizard_page_in_bokmal_labels_the_unit(client_for, types_intake):
    client = client_for("counsellor")
    html = client.get(reverse("intake:step", args=[types_intake.pk, "s1"])).content.decode()
    assert "Enhet: Weight" in html and "I cm." in html


def test_answers_that_cannot_be_read_back_are_left_empty_not_a_crash():
    # The editor's preview carries its answers in the page: whatever comes back must not break the step.
    odd = {"when": [["x"]], "at": [3], "weight": ["heavy"], "children": [{"x": 1}], "day": [None]}
    initial = initial_for(TREE, STEP, odd)
    assert initial[q("when")] is None and initial[q("at")] is None
    assert Evaluation(TREE, odd).is_enabled(TREE.by_link_id["heavy"]) is False
    assert answers_display(TREE.by_link_id["when"], ["not a time"]) == "not a time"
