"""The wizard's navigation on its own: no database, no requests. A small tree of three steps, the second
only for those who answered yes on the first."""

import pytest

from intake import navigation
from intake.evaluator import Evaluation
from intake.finalize import outcome_name
from intake.navigation import REVIEW, Action
from intake.questionnaire import EXT_ROLE, Tree

TREE = {
    "resourceType": "Questionnaire",
    "status": "active",
    "item": [
        {
            "linkId": "first",
            "type": "group",
            "text": "First",
            "item": [
                {"linkId": "children", "type": "boolean", "text": "Children?", "required": True},
                {"linkId": "note", "type": "string", "text": "Anything else?"},
            ],
        },
        {
            "linkId": "kids",
            "type": "group",
            "text": "Children",
            "enableWhen": [{"question": "children", "operator": "=", "answerBoolean": True}],
            "item": [
                {
                    "linkId": "ages",
                    "type": "group",
                    "text": "Ages",
                    "item": [{"linkId": "youngest", "type": "integer", "text": "Youngest", "required": True}],
                }
            ],
        },
        {
            "linkId": "last",
            "type": "group",
            "text": "Last",
            "item": [{"linkId": "why", "type": "text", "text": "Why now?"}],
        },
    ],
}


@pytest.fixture
def tree():
    return Tree(TREE)


def ids(items):
    return [item.link_id for item in items]


@pytest.mark.parametrize(
    ("value", "action"),
    [("next", Action.NEXT), ("back", Action.BACK), ("close", Action.CLOSE), (None, Action.NEXT), ("", Action.NEXT)],
)
def test_actions_parse_and_default_to_next(value, action):
    assert Action.parse(value) is action


def test_unknown_action_means_next():
    assert Action.parse("finalize") is Action.NEXT


def test_step_questions_include_nested_groups(tree):
    assert ids(navigation.step_questions(navigation.find_step(tree, "kids"))) == ["youngest"]
    assert ids(navigation.step_questions(navigation.find_step(tree, "first"))) == ["children", "note"]


def test_find_step(tree):
    assert navigation.find_step(tree, "last").link_id == "last"
    assert navigation.find_step(tree, "children") is None  # a question, not a step
    assert navigation.find_step(tree, "nowhere") is None


def test_applicable_steps_follow_the_answers(tree):
    assert ids(navigation.applicable_steps(tree, {})) == ["first", "last"]
    assert ids(navigation.applicable_steps(tree, {"children": [True]})) == ["first", "kids", "last"]


def test_step_index_is_zero_for_a_step_that_does_not_apply(tree):
    steps = navigation.applicable_steps(tree, {})
    assert navigation.step_index(steps, navigation.find_step(tree, "last")) == 1
    assert navigation.step_index(steps, navigation.find_step(tree, "kids")) == 0


def test_missing_required_only_counts_enabled_questions(tree):
    first, kids = navigation.find_step(tree, "first"), navigation.find_step(tree, "kids")
    assert ids(navigation.missing_required(first, Evaluation(tree, {}))) == ["children"]
    assert navigation.missing_required(first, Evaluation(tree, {"children": [False]})) == []
    assert navigation.missing_required(kids, Evaluation(tree, {"children": [False]})) == []  # disabled
    assert ids(navigation.missing_required(kids, Evaluation(tree, {"children": [True]}))) == ["youngest"]


def test_complete_when_every_applicable_step_is_answered(tree):
    assert not navigation.is_complete(Evaluation(tree, {}))
    assert navigation.is_complete(Evaluation(tree, {"children": [False]}))
    assert not navigation.is_complete(Evaluation(tree, {"children": [True]}))
    assert navigation.is_complete(Evaluation(tree, {"children": [True], "youngest": [4]}))


def test_destination_next_back_close_and_review(tree):
    steps = navigation.applicable_steps(tree, {"children": [True]})
    first, kids, last = steps
    assert navigation.destination(steps, first, Action.NEXT) == "kids"
    assert navigation.destination(steps, kids, Action.BACK) == "first"
    assert navigation.destination(steps, first, Action.BACK) == "first"  # nothing before the first
    assert navigation.destination(steps, kids, Action.CLOSE) == "kids"
    assert navigation.destination(steps, last, Action.NEXT) == REVIEW


def test_move_on_follows_the_new_answers(tree):
    first = navigation.find_step(tree, "first")
    assert navigation.move(tree, first, {"children": [True]}, Action.NEXT).target == "kids"
    assert navigation.move(tree, first, {"children": [False]}, Action.NEXT).target == "last"


def test_move_on_or_close_is_blocked_by_a_missing_required_answer(tree):
    first = navigation.find_step(tree, "first")
    for action in (Action.NEXT, Action.CLOSE):
        move = navigation.move(tree, first, {"note": ["hi"]}, action)
        assert move.blocked and ids(move.missing) == ["children"] and move.target == "first"


def test_move_back_asks_for_nothing(tree):
    kids = navigation.find_step(tree, "kids")
    move = navigation.move(tree, kids, {"children": [True]}, Action.BACK)
    assert not move.blocked and move.target == "first"


def test_move_from_a_step_that_no_longer_applies_counts_from_the_first(tree):
    kids = navigation.find_step(tree, "kids")
    # The answers now disable the step being left: on from the first applicable step.
    assert navigation.move(tree, kids, {"children": [False]}, Action.NEXT).target == "last"


def outcome(display):
    coding = {"system": "https://example.org/help", "code": "shelter"}
    if display is not None:
        coding["display"] = display
    tree = Tree(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [
                {
                    "linkId": "outcomes",
                    "type": "group",
                    "extension": [{"url": EXT_ROLE, "valueCode": "outcomes"}],
                    "item": [
                        {
                            "linkId": "o1",
                            "type": "display",
                            "text": "Shelter",
                            "extension": [{"url": EXT_ROLE, "valueCode": "outcome"}],
                            "code": [coding],
                        }
                    ],
                }
            ],
        }
    )
    return tree.outcomes[0]


@pytest.mark.parametrize(
    ("display", "name"), [("A shelter place", "A shelter place"), (None, "shelter"), ("", "shelter")]
)
def test_an_outcome_is_named_by_its_display_else_its_code(display, name):
    # The review page once had its own copy that showed an empty display as empty; one rule now.
    assert outcome_name(outcome(display)) == name
