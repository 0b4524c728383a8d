"""Repeating groups and repeating questions (intake.repeats): the evaluator per instance, required answers and
min/maxOccurs, the form's rows and the "Add another" / "Remove" rewriting, and the import checks."""

import copy
import json
from pathlib import Path

import pytest
from django.http import QueryDict
from django.utils import translation

from intake import navigation
from intake.evaluator import Evaluation, prune
from intake.questionnaire import Tree, check_questionnaire
from intake.repeats import (
    MAX_ROWS,
    apply_action,
    is_blank,
    parse_action,
    shape_from_answers,
    shape_from_data,
)
from intake.wizard import answer_rows, answers_from, initial_for, instances_display, step_form_class

DOC = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "repeating-children.nb.json").read_text()
)
TREE = Tree(DOC)
FAMILY = TREE.steps[0]


def q(link_id: str, *path: int) -> str:
    return f"q{TREE.by_link_id[link_id].index}" + "".join(f"-{i}" for i in path)


def child(name="", age=None, with_perpetrator=None, where=""):
    result: dict = {}
    if name:
        result["child-name"] = [name]
    if age is not None:
        result["child-age"] = [age]
    if with_perpetrator is not None:
        result["child-with-perpetrator"] = [with_perpetrator]
    if where:
        result["child-where"] = [where]
    return result


def by_id(link_id):
    return TREE.by_link_id[link_id]


# The evaluator


def test_enable_when_inside_an_instance_reads_the_same_instance():
    answers = {
        "has-children": [True],
        "child": [child("Ada", 4, False, "Hos mormor"), child("Bo", 9, True, "Hos far")],
    }
    pruned, cleared = prune(TREE, answers)
    # Bo lives with the perpetrator: his "where" no longer applies; Ada's stays.
    assert pruned["child"] == [child("Ada", 4, False, "Hos mormor"), child("Bo", 9, True)]
    assert cleared == ["child"]
    evaluation = Evaluation(TREE, answers)
    assert evaluation.enabled_at(by_id("child-where"), (0,)) is True
    assert evaluation.enabled_at(by_id("child-where"), (1,)) is False


def test_a_condition_outside_the_group_reads_every_instance():
    answers = {"has-children": [True], "child": [child("Ada", 4, False), child("Bo", 9, True)]}
    evaluation = Evaluation(TREE, answers)
    assert [item.link_id for item in evaluation.flags] == ["flag-child-with-perpetrator"]
    # A later step's condition on an age: any child of 6 or more.
    assert [s.link_id for s in evaluation.steps()] == ["family", "school", "end"]
    younger = Evaluation(TREE, {"has-children": [True], "child": [child("Ada", 4, False)]})
    assert [s.link_id for s in younger.steps()] == ["family", "end"]
    assert younger.flags == []


def test_a_disabled_repeating_group_clears_every_instance():
    answers = {"has-children": [False], "child": [child("Ada", 4)], "school-informed": [True]}
    pruned, cleared = prune(TREE, answers)
    assert pruned == {"has-children": [False]}
    assert cleared == ["child", "school-informed"]


def test_blank_instances_keep_positions_and_count_for_nothing():
    answers = {"has-children": [True], "child": [{}, child("Bo", 9)]}
    pruned, _cleared = prune(TREE, answers)
    assert pruned["child"] == [{}, child("Bo", 9)]
    assert is_blank({}) and is_blank({"child": [{}]}) and not is_blank(child("Bo"))
    # Only blanks: nothing is stored.
    assert "child" not in prune(TREE, {"has-children": [True], "child": [{}, {}]})[0]


def test_required_applies_within_each_answered_instance():
    evaluation = Evaluation(TREE, {"has-children": [True], "child": [child("Ada"), {}, child(age=9)]})
    missing = navigation.missing_answers(FAMILY, evaluation)
    assert [(m.item.link_id, m.path) for m in missing] == [("child-name", (2,))]
    assert navigation.missing_required(FAMILY, evaluation) == [by_id("child-name")]


def test_min_occurs_of_a_repeating_group():
    evaluation = Evaluation(TREE, {"has-children": [True]})
    (missing,) = navigation.missing_answers(FAMILY, evaluation)
    assert (missing.item.link_id, missing.needed, missing.given) == ("child", 1, 0)
    assert navigation.missing_answers(FAMILY, Evaluation(TREE, {"has-children": [False]})) == []


def test_min_occurs_of_a_repeating_question():
    doc = copy.deepcopy(DOC)
    phone = doc["item"][0]["item"][3]
    phone["extension"].append(
        {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs", "valueInteger": 2}
    )
    tree = Tree(doc)
    evaluation = Evaluation(tree, {"has-children": [False], "phone": ["1"]})
    (missing,) = navigation.missing_answers(tree.steps[0], evaluation)
    assert (missing.item.link_id, missing.needed, missing.given) == ("phone", 2, 1)


def test_garbled_instances_never_crash_the_evaluator():
    answers = {"has-children": [True], "child": ["x", 3, {"child-name": "not a list"}], "phone": "nope"}
    evaluation = Evaluation(TREE, answers)
    assert "child" not in evaluation.answers
    assert "phone" not in evaluation.answers


# Forms: rows, initial values, answers


def test_the_form_has_a_field_per_instance_and_row_and_a_count_each():
    shape = shape_from_answers(FAMILY, {"has-children": [True], "child": [child("Ada"), child("Bo")], "phone": ["1"]})
    fields = step_form_class(TREE, FAMILY, shape).base_fields
    assert {q("child-name", 0), q("child-name", 1), q("child") + "-count", q("phone", 0), q("phone") + "-count"} <= set(
        fields
    )
    assert q("child-name", 2) not in fields
    assert fields[q("child-name", 1)].summary_label == "Fornavn (må besvares) (Barn 2 av 2)"


def test_no_answers_show_one_blank_row():
    shape = shape_from_answers(FAMILY, {})
    assert shape.rows == {q("child") + "-count": 1, q("phone") + "-count": 1}


def test_answers_round_trip_through_the_form():
    answers = {
        "has-children": [True],
        "child": [child("Ada", 4, False, "Hos mormor"), {}, child("Bo", 9, True)],
        "phone": ["111", "222"],
    }
    shape = shape_from_answers(FAMILY, answers)
    form_class = step_form_class(TREE, FAMILY, shape)
    initial = initial_for(TREE, FAMILY, answers)
    data = {k: v for k, v in initial.items() if v is not None}
    data.update({k: str(f.initial) for k, f in form_class.base_fields.items() if k.endswith("-count")})
    data["revision"] = "0"
    data = {
        k: (v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in data.items()
    }
    form = form_class(data)
    assert form.is_valid(), form.errors
    assert answers_from(TREE, FAMILY, form.cleaned_data) == answers


def test_trailing_blank_rows_are_not_stored():
    data = {q("has-children"): "true", q("child") + "-count": "3", q("child-name", 0): "Ada", "revision": "0"}
    data[q("phone") + "-count"] = "2"
    form = step_form_class(TREE, FAMILY, shape_from_data(FAMILY, data))(data)
    assert form.is_valid()
    assert answers_from(TREE, FAMILY, form.cleaned_data) == {
        "has-children": [True],
        "child": [{"child-name": ["Ada"]}],
        "phone": [],
    }


@pytest.mark.parametrize("count", ["999", "-4", "abc", "", "1e9"])
def test_a_tampered_count_is_clamped(count):
    shape = shape_from_data(FAMILY, {q("child") + "-count": count, q("phone") + "-count": count})
    assert 0 <= shape.of(by_id("child"), ()) <= 3  # maxOccurs
    assert 0 <= shape.of(by_id("phone"), ()) <= 2
    assert all(n <= MAX_ROWS for n in shape.rows.values())


# "Add another" and "Remove"


def posted(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data[key] = value
    return data


def test_remove_moves_the_later_rows_up():
    data = posted(
        **{
            q("child") + "-count": "3",
            q("child-name", 0): "Ada",
            q("child-name", 1): "Bo",
            q("child-name", 2): "Cy",
            q("child-age", 2): "abc",
            q("has-children"): "true",
        }
    )
    shape = shape_from_data(FAMILY, data)
    action = parse_action(f"remove:{q('child', 1)}", FAMILY, TREE.items, shape)
    assert action is not None
    after = apply_action(data, action, TREE.items)
    assert after[q("child") + "-count"] == "2"
    assert (after[q("child-name", 0)], after[q("child-name", 1)], after[q("child-age", 1)]) == ("Ada", "Cy", "abc")
    assert q("child-name", 2) not in after
    assert after[q("has-children")] == "true"


def test_add_stops_at_max_occurs():
    data = posted(**{q("phone") + "-count": "2"})
    action = parse_action(f"add:{q('phone')}", FAMILY, TREE.items, shape_from_data(FAMILY, data))
    assert apply_action(data, action, TREE.items)[q("phone") + "-count"] == "2"


@pytest.mark.parametrize(
    "value",
    [
        "add:q9999",
        "add:q0",  # the step itself, not repeating
        "remove:{child}-7",  # out of range
        "remove:{child}",  # no row
        "add:{child}-0",  # a path too deep
        "remove:{name}-0",  # not a repeating item
        "remove:q1-0-0-0-0-0-0-0-0-0-0",
        "add:",
        "nonsense",
    ],
)
def test_a_tampered_action_is_none(value):
    value = value.format(child=q("child"), name=q("child-name"))
    data = posted(**{q("child") + "-count": "2"})
    assert parse_action(value, FAMILY, TREE.items, shape_from_data(FAMILY, data)) is None


# Review and note


def test_review_rows_and_the_note_show_each_instance():
    answers = {"has-children": [True], "child": [child("Ada", 4), {}, child("Bo", 9)]}
    rows = answer_rows(FAMILY, Evaluation(TREE, answers).answers)
    assert [row.item.link_id for row in rows] == ["has-children", "child"]
    labels = [label for label, _sub in rows[1].instances]
    assert labels == ["Barn 1 av 2", "Barn 2 av 2"]
    assert instances_display(by_id("child"), answers["child"]) == (
        "Barn 1 av 2: Fornavn: Ada; Alder: 4\nBarn 2 av 2: Fornavn: Bo; Alder: 9"
    )


# Import checks


def test_the_fixture_imports():
    assert check_questionnaire(json.dumps(DOC))[1] == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "display", "repeats": True}, "repeats is not supported on items of type display."),
        (
            {
                "extension": [
                    {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs", "valueInteger": 3}
                ]
            },
            "minOccurs above 1 needs repeats: true.",
        ),
        (
            {
                "repeats": True,
                "extension": [
                    {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs", "valueInteger": 4},
                    {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs", "valueInteger": 2},
                ],
            },
            "minOccurs is more than maxOccurs.",
        ),
        (
            {
                "repeats": True,
                "extension": [
                    {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs", "valueString": "2"}
                ],
            },
            "minOccurs must be a valueInteger of 0 or more.",
        ),
    ],
)
def test_min_and_max_occurs_are_checked(change, expected):
    """Refused where they cannot be met or make no sense; maxOccurs without repeats is accepted (no effect)."""
    doc = copy.deepcopy(DOC)
    doc["item"][2]["item"][0].update(change)  # "notes"
    doc["item"][2]["item"][0]["type"] = change.get("type", "string")
    with translation.override("en"):
        problems = check_questionnaire(json.dumps(doc))[1]
    assert problems == [f"linkId notes: {expected}"]


def test_max_occurs_without_repeats_is_accepted():
    doc = copy.deepcopy(DOC)
    doc["item"][2]["item"][0]["extension"] = [
        {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs", "valueInteger": 30}
    ]
    assert check_questionnaire(json.dumps(doc))[1] == []


def test_the_version_diff_names_repeats_and_occurs():
    from intake.editor import tree_diff

    doc = copy.deepcopy(DOC)
    child_group = doc["item"][0]["item"][1]
    child_group["repeats"] = False
    child_group["extension"] = []
    with translation.override("en"):
        (change,) = [c for c in tree_diff(doc, DOC) if c.link_id == "child"]
    assert change.changes == ["repeats: “False” → “True”", "minOccurs..maxOccurs: “0..*” → “1..3”"]


NESTED = {
    "resourceType": "Questionnaire",
    "name": "nested",
    "status": "active",
    "language": "nb",
    "item": [
        {
            "linkId": "household",
            "type": "group",
            "text": "Husstand",
            "repeats": True,
            "item": [
                {"linkId": "address", "type": "string", "text": "Adresse"},
                {
                    "linkId": "person",
                    "type": "group",
                    "text": "Person",
                    "repeats": True,
                    "item": [
                        {"linkId": "person-name", "type": "string", "text": "Navn", "required": True},
                        {
                            "linkId": "person-note",
                            "type": "string",
                            "text": "Merknad",
                            "enableWhen": [{"question": "address", "operator": "exists", "answerBoolean": True}],
                        },
                    ],
                },
            ],
        }
    ],
}


def test_nested_repeating_groups_in_a_repeating_step():
    assert check_questionnaire(json.dumps(NESTED))[1] == []
    tree = Tree(NESTED)
    (step,) = tree.steps
    answers = {
        "household": [
            {"address": ["Gate 1"], "person": [{"person-name": ["A"], "person-note": ["x"]}, {"person-note": ["y"]}]},
            {"person": [{"person-name": ["C"], "person-note": ["z"]}]},
        ]
    }
    pruned, cleared = prune(tree, answers)
    # The note reads the address of its own household: the second has none.
    assert pruned["household"][1] == {"person": [{"person-name": ["C"]}]}
    assert cleared == ["household"]
    missing = navigation.missing_answers(step, Evaluation(tree, answers))
    assert [(m.item.link_id, m.path) for m in missing] == [("person-name", (0, 1))]

    shape = shape_from_answers(step, pruned)
    form_class = step_form_class(tree, step, shape)
    name_of = {i.link_id: i.index for i in tree.items}
    assert f"q{name_of['person-name']}-0-1" in form_class.base_fields
    data = QueryDict(mutable=True)
    data["revision"] = "0"
    data.update({k: str(v) for k, v in initial_for(tree, step, pruned).items()})
    for key, field_ in form_class.base_fields.items():
        if key.endswith("-count"):
            data[key] = str(field_.initial)
    # Removing the first household moves the second, its persons and their counts, up.
    action = parse_action(f"remove:q{name_of['household']}-0", step, tree.items, shape_from_data(step, data))
    after = apply_action(data, action, tree.items)
    assert after[f"q{name_of['household']}-count"] == "1"
    assert after[f"q{name_of['person']}-0-count"] == "1"
    assert after[f"q{name_of['person-name']}-0-0"] == "C"
    form = step_form_class(tree, step, shape_from_data(step, after))(after)
    assert form.is_valid(), form.errors
    assert answers_from(tree, step, form.cleaned_data) == {"household": [{"person": [{"person-name": ["C"]}]}]}
    rows = answer_rows(step, pruned)
    assert rows[0].item.link_id == "household" and len(rows[0].instances) == 2
