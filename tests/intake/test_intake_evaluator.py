"""The one evaluator behind questions, flags and outcomes: FHIR enableWhen semantics, and clearing."""

import pytest

from intake.evaluator import condition_holds, evaluate, prune
from intake.questionnaire import EXT_ROLE, Tree, tree_problems

SYS = "https://example.org/codes"


def coding(code, system=SYS):
    return {"system": system, "code": code, "display": code.title()}


@pytest.mark.parametrize(
    ("operator", "expected", "answers", "holds"),
    [
        ("=", 3, [3], True),
        ("=", 3, [2], False),
        ("=", 3, [2, 3], True),
        ("!=", 3, [2], True),
        ("!=", 3, [3], False),
        ("!=", 3, [], False),  # no answer: every operator but exists is false
        (">", 3, [4], True),
        (">", 3, [3], False),
        ("<", 3, [2], True),
        ("<", 3, [3], False),
        (">=", 3, [3], True),
        (">=", 3, [2], False),
        ("<=", 3, [3], True),
        ("<=", 3, [4], False),
        ("=", 3, [], False),
    ],
)
def test_integer_operators(operator, expected, answers, holds):
    assert condition_holds({"question": "q", "operator": operator, "answerInteger": expected}, answers) is holds


@pytest.mark.parametrize(
    ("answers", "exists", "holds"), [([], True, False), ([1], True, True), ([], False, True), ([1], False, False)]
)
def test_exists(answers, exists, holds):
    assert condition_holds({"question": "q", "operator": "exists", "answerBoolean": exists}, answers) is holds


def test_decimals_compare_as_numbers_with_integers():
    assert condition_holds({"question": "q", "operator": ">", "answerDecimal": 1.5}, [2])
    assert condition_holds({"question": "q", "operator": "=", "answerInteger": 2}, [2.0])
    assert not condition_holds({"question": "q", "operator": "<", "answerDecimal": 0.1}, [0.1])


def test_dates_compare_as_dates():
    before = {"question": "q", "operator": "<", "answerDate": "2026-11-01"}
    assert condition_holds(before, ["2026-10-31"])
    assert not condition_holds(before, ["2026-11-01"])
    assert condition_holds({"question": "q", "operator": ">=", "answerDate": "2026-02-01"}, ["2026-10-01"])
    assert not condition_holds(before, ["not a date"])


def test_codings_match_on_system_and_code():
    equal = {"question": "q", "operator": "=", "answerCoding": {"system": SYS, "code": "police"}}
    assert condition_holds(equal, [coding("police")])
    assert not condition_holds(equal, [coding("police", system="https://other.example.org")])
    assert condition_holds(equal, [{"code": "police"}])  # no system on the answer: the code decides
    assert not condition_holds(equal, [coding("phone")])
    assert condition_holds({**equal, "operator": "!="}, [coding("phone")])
    assert condition_holds(equal, [coding("phone"), coding("police")])  # repeats: any answer


def test_booleans_and_strings():
    assert condition_holds({"question": "q", "operator": "=", "answerBoolean": False}, [False])
    assert not condition_holds({"question": "q", "operator": "=", "answerBoolean": False}, [True])
    assert condition_holds({"question": "q", "operator": "=", "answerString": "ja"}, ["ja"])
    assert condition_holds({"question": "q", "operator": "!=", "answerString": "ja"}, ["nei"])


TREE = {
    "resourceType": "Questionnaire",
    "status": "draft",
    "item": [
        {
            "linkId": "s1",
            "type": "group",
            "item": [
                {"linkId": "children", "type": "boolean"},
                {"linkId": "count", "type": "integer"},
                {
                    "linkId": "children-group",
                    "type": "group",
                    "enableWhen": [{"question": "children", "operator": "=", "answerBoolean": True}],
                    "item": [
                        {
                            "linkId": "where",
                            "type": "choice",
                            "answerOption": [{"valueCoding": coding("home")}, {"valueCoding": coding("perpetrator")}],
                        },
                        {
                            "linkId": "inner",
                            "type": "group",
                            "item": [
                                {
                                    "linkId": "with-perpetrator-how-long",
                                    "type": "string",
                                    "enableWhen": [
                                        {"question": "where", "operator": "=", "answerCoding": {"code": "perpetrator"}}
                                    ],
                                }
                            ],
                        },
                    ],
                },
                {
                    "linkId": "any-of",
                    "type": "string",
                    "enableBehavior": "any",
                    "enableWhen": [
                        {"question": "children", "operator": "=", "answerBoolean": True},
                        {"question": "count", "operator": ">", "answerInteger": 2},
                    ],
                },
                {
                    "linkId": "all-of",
                    "type": "string",
                    "enableBehavior": "all",
                    "enableWhen": [
                        {"question": "children", "operator": "=", "answerBoolean": True},
                        {"question": "count", "operator": ">", "answerInteger": 2},
                    ],
                },
                {
                    "linkId": "flag-child-with-perpetrator",
                    "type": "display",
                    "extension": [{"url": EXT_ROLE, "valueCode": "flag"}],
                    "enableWhen": [{"question": "where", "operator": "=", "answerCoding": {"code": "perpetrator"}}],
                },
            ],
        },
        {
            "linkId": "outcomes",
            "type": "group",
            "extension": [{"url": EXT_ROLE, "valueCode": "outcomes"}],
            "item": [
                {
                    "linkId": "outcome-shelter",
                    "type": "display",
                    "code": [{"system": SYS, "code": "shelter"}],
                    "extension": [{"url": EXT_ROLE, "valueCode": "outcome"}],
                    "enableWhen": [{"question": "count", "operator": ">=", "answerInteger": 1}],
                }
            ],
        },
    ],
}


@pytest.fixture
def tree():
    assert tree_problems(TREE) == []
    return Tree(TREE)


def enabled(tree, answers):
    evaluation = evaluate(tree, answers)
    return {link_id for link_id, on in evaluation.enabled.items() if on}


def test_any_and_all(tree):
    assert {"any-of", "all-of"} & enabled(tree, {"count": [3]}) == {"any-of"}
    assert {"any-of", "all-of"} & enabled(tree, {"children": [True], "count": [3]}) == {"any-of", "all-of"}
    assert {"any-of", "all-of"} & enabled(tree, {"children": [False], "count": [1]}) == set()


def test_nested_groups_follow_their_parent(tree):
    answers = {"children": [True], "where": [coding("perpetrator")], "with-perpetrator-how-long": ["a week"]}
    assert {"where", "inner", "with-perpetrator-how-long"} <= enabled(tree, answers)
    # Saying "no children" disables the group, and with it everything inside, however deep.
    answers["children"] = [False]
    assert {"children-group", "where", "inner", "with-perpetrator-how-long"}.isdisjoint(enabled(tree, answers))


def test_clearing_cascades_through_dependent_answers(tree):
    answers = {
        "children": [False],
        "count": [0],
        "where": [coding("perpetrator")],
        "with-perpetrator-how-long": ["a week"],
        "any-of": ["kept?"],
    }
    kept, cleared = prune(tree, answers)
    assert kept == {"children": [False], "count": [0]}
    assert cleared == ["any-of", "where", "with-perpetrator-how-long"]


def test_answers_of_disabled_questions_do_not_count(tree):
    # "where" still holds an answer, but its group is off: the flag that rests on it must not show.
    evaluation = evaluate(tree, {"children": [False], "where": [coding("perpetrator")]})
    assert evaluation.flags == []


def test_flags_and_outcomes_share_the_evaluator(tree):
    evaluation = evaluate(tree, {"children": [True], "count": [2], "where": [coding("perpetrator")]})
    assert [f.link_id for f in evaluation.flags] == ["flag-child-with-perpetrator"]
    assert [o.link_id for o in evaluation.outcomes] == ["outcome-shelter"]
    (reason,) = evaluation.reasons(evaluation.outcomes[0])
    assert (reason[0].link_id, reason[1]) == ("count", [2])
    assert [s.link_id for s in evaluation.steps()] == ["s1"]
    assert [s.link_id for s in tree.steps] == ["s1"]
