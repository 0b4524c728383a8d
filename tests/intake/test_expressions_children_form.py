"""The form of the children-and-expressions browser journey, checked without a browser: it imports in both
languages and its expressions give what the journey expects, per instance and across the instances."""

import json

import pytest

from intake.evaluator import Evaluation
from intake.questionnaire import Tree, check_questionnaire
from tests.intake.children_expression_form import children_expression_form


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_form_imports(language):
    doc, problems = check_questionnaire(json.dumps(children_expression_form(language)))
    assert problems == [] and doc is not None


def test_its_expressions():
    tree = Tree(children_expression_form("en"))
    item = tree.by_link_id.get
    children = [{"child-name": ["Ada"], "child-age": [4]}, {"child-name": ["Bo"], "child-age": [9]}]
    answers = {"sleep": [{"code": "often"}], "worry": [{"code": "sometimes"}], "child": children}
    evaluation = Evaluation(tree, answers)
    assert evaluation.answers_at(item("score"), ()) == [3]
    assert evaluation.enabled_at(item("follow-up"), ())
    assert [evaluation.answers_at(item("child-years"), (i,)) for i in (0, 1)] == [[14], [9]]
    assert [evaluation.enabled_at(item("child-school"), (i,)) for i in (0, 1)] == [False, True]
    assert evaluation.enabled_at(item("childcare"), ())
    # One child named (a blank instance counts for nothing) and a lower score: both questions go.
    fewer = Evaluation(
        tree, {"sleep": [{"code": "never"}], "worry": [{"code": "sometimes"}], "child": [children[1], {}]}
    )
    assert fewer.answers_at(item("score"), ()) == [1]
    assert not fewer.enabled_at(item("follow-up"), ())
    assert not fewer.enabled_at(item("childcare"), ())
