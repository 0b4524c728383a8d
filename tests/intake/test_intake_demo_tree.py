"""The demo first-contact tree (built from the first-contact seed): its shape in both languages, and the
branches, flags and outcomes the issue asks for, walked through the evaluator."""

import uuid

import pytest

from accounts.demo import CENTRE_A
from contacts.demo import DEMO_CASE
from intake.demo import FIRST_CONTACT, demo_tree_document, seed_intake_trees
from intake.evaluator import evaluate, prune
from intake.models import TreeVersion
from intake.questionnaire import Tree

SYS = "https://krisestotte.no/fhir/CodeSystem/first-contact"


def c(code):
    return {"system": SYS, "code": code}


def shape(item):
    """An item without its human texts: what must be identical in every language."""
    kept = {k: v for k, v in item.items() if k not in {"text", "item", "answerOption", "code", "extension"}}
    # An extension's string is a human text too (the "not clarified yet" answer's label); its url is shape.
    kept["extensions"] = [x["url"] for x in item.get("extension", [])]
    kept["options"] = [o["valueCoding"]["code"] for o in item.get("answerOption", [])]
    kept["codes"] = [x["code"] for x in item.get("code", [])]
    kept["item"] = [shape(child) for child in item.get("item", [])]
    return kept


@pytest.fixture(scope="module")
def tree():
    return Tree(demo_tree_document("en"))


def test_both_languages_validate_and_have_one_shape():
    nb, en = demo_tree_document("nb"), demo_tree_document("en")
    assert (nb["language"], en["language"]) == ("nb", "en")
    assert [shape(i) for i in nb["item"]] == [shape(i) for i in en["item"]]
    assert nb["item"][0]["text"] != en["item"][0]["text"]


def test_the_seed_topics_are_there(tree):
    assert [s.link_id for s in tree.steps] == [
        "contact", "situation", "violence", "perpetrator", "children", "wishes", "assessment",
    ]  # fmt: skip
    assert {o["code"] for o in tree.options(tree.by_link_id["contact-channel"])} == {
        "phone", "walk-in", "police", "other-service", "not-clarified",
    }  # fmt: skip
    for link_id in [
        "interpreter-needed",
        "weapons",
        "intoxication",
        "escalation",
        "police",
        "children-where",
        "fears-if-home",
        "wants-home",
        "perpetrator-count",
        "family-supports",
        "recent-rape",
        "strangulation",
        "fears-killed",
        "perpetrator-mental",
    ]:
        assert tree.by_link_id[link_id].is_question, link_id
    assert {o.raw["code"][0]["code"] for o in tree.outcomes} == {
        "shelter", "day-counselling", "adapted-shelter", "other-shelter-police", "better-suited-service",
        "shelter-until-clear",
    }  # fmt: skip


def flags(tree, answers):
    return {f.link_id for f in evaluate(tree, answers).flags}


def outcomes(tree, answers):
    return {o.raw["code"][0]["code"] for o in evaluate(tree, answers).outcomes}


def test_recent_rape_raises_the_forensic_evidence_flag(tree):
    assert "flag-recent-rape" in flags(tree, {"recent-rape": [True]})
    assert "flag-recent-rape" not in flags(tree, {"recent-rape": [False]})


def test_honour_branch_needs_several_perpetrators_and_family_support(tree):
    both = {"perpetrator-count": [3], "family-supports": [True]}
    assert "flag-honour" in flags(tree, both)
    assert evaluate(tree, both).is_enabled(tree.by_link_id["honour-who"])
    assert "flag-honour" not in flags(tree, {"perpetrator-count": [1], "family-supports": [True]})
    assert "flag-honour" not in flags(tree, {"perpetrator-count": [3], "family-supports": [False]})


def test_children_branch_and_clearing(tree):
    answers = {"has-children": [True], "children-count": [2], "children-where": [c("perpetrator")]}
    assert {"flag-children-perpetrator", "flag-duty-to-report"} <= flags(tree, answers)
    kept, cleared = prune(tree, {**answers, "has-children": [False]})
    assert kept == {"has-children": [False]}
    assert cleared == ["children-count", "children-where"]


def test_wants_to_go_home_path(tree):
    answers = {"wants-home": [True]}
    assert "flag-duty-to-avert" in flags(tree, answers)
    assert evaluate(tree, answers).is_enabled(tree.by_link_id["return-plan"])


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"close-relationship": [True], "risk": [c("high")]}, {"shelter"}),
        ({"close-relationship": [True], "risk": [c("low")]}, {"day-counselling"}),
        ({"close-relationship": [True], "risk": [c("unclear")]}, {"shelter-until-clear"}),
        ({"close-relationship": [True], "risk": [c("very-high")], "safe-here": [True]}, {"shelter"}),
        ({"close-relationship": [True], "risk": [c("very-high")], "safe-here": [False]}, {"other-shelter-police"}),
        ({"close-relationship": [True], "risk": [c("high")], "adapted-needs": [True]}, {"shelter", "adapted-shelter"}),
        ({"close-relationship": [False], "risk": [c("high")]}, {"better-suited-service"}),
    ],
)
def test_outcomes(tree, answers, expected):
    assert outcomes(tree, answers) == expected


LEVEL = "https://krisestotte.no/fhir/CodeSystem/risk-level"
# Each of seed 004's signs, as the answer that makes it one (issue 17: "each sign an answer").
SIGN_ANSWERS = {
    "sign-several-perpetrators": {"perpetrator-count": [2]},
    "sign-family-supports": {"family-supports": [True]},
    "sign-perpetrator-knows": {"perpetrator-knows": [c("yes")]},
    "sign-police": {"police": [c("before")]},
    "sign-escalation": {"escalation": [True]},
    "sign-public": {"where-violence": [c("also-public")]},
    "sign-fears-killed": {"fears-killed": [True]},
    "sign-afraid-for-life": {"afraid-for-life": [True]},
    "sign-strangulation": {"strangulation": [True]},
    "sign-children-with-perpetrator": {"has-children": [True], "children-where": [c("perpetrator")]},
    "sign-perpetrator-mental": {"perpetrator-mental": [c("yes")]},
    "sign-weapons": {"weapons": [c("yes")]},
    "sign-intoxication": {"intoxication": [c("yes")]},
}
HIGH = {"sign-escalation", "sign-fears-killed", "sign-afraid-for-life", "sign-strangulation", "sign-weapons"}


def level(tree, answers):
    return evaluate(tree, answers).risk_level["code"]


@pytest.mark.parametrize("sign", sorted(SIGN_ANSWERS))
def test_each_sign_is_an_answer_and_the_high_ones_raise_the_level_alone(tree, sign):
    evaluation = evaluate(tree, SIGN_ANSWERS[sign])
    assert [s.link_id for s in evaluation.risk_signs] == [sign]
    assert evaluation.risk_level["code"] == ("high" if sign in HIGH else "raised")
    assert tree.by_link_id[sign].is_high_risk == (sign in HIGH)


def test_the_signs_that_are_not_there_count_nothing(tree):
    assert level(tree, {}) == "none"
    no = {"perpetrator-count": [1], "weapons": [c("no")], "strangulation": [False], "police": [c("never")]}
    assert evaluate(tree, no).risk_signs == [] and level(tree, no) == "none"


def test_four_lesser_signs_make_the_level_high(tree):
    three = {**SIGN_ANSWERS["sign-several-perpetrators"], **SIGN_ANSWERS["sign-police"], "intoxication": [c("yes")]}
    assert level(tree, three) == "raised"
    assert level(tree, {**three, "perpetrator-mental": [c("yes")]}) == "high"


def test_the_recommendation_follows_the_level(tree):
    low = {"close-relationship": [True], "risk": [c("low")]}
    assert outcomes(tree, low) == {"day-counselling"}
    # The counsellor's "low" does not hide weapons: the recommendation is shelter, and offering day counselling
    # instead needs a reason when finalizing (tests/intake/test_intake_finalize.py).
    assert outcomes(tree, {**low, "weapons": [c("yes")]}) == {"shelter"}
    assert outcomes(tree, {**low, "intoxication": [c("yes")]}) == {"day-counselling"}


def test_the_level_is_computed_never_stored(tree):
    kept, cleared = prune(tree, {"weapons": [c("yes")], "risk-level": [{"system": LEVEL, "code": "none"}]})
    assert kept == {"weapons": [c("yes")]} and cleared == []
    assert level(tree, {"weapons": [c("yes")], "risk-level": [{"system": LEVEL, "code": "none"}]}) == "high"


def test_the_high_risk_signs_bring_their_advice(tree):
    assert {"flag-strangulation", "flag-weapons", "flag-escalation", "flag-fear-for-life"} <= flags(
        tree, {"strangulation": [True], "weapons": [c("yes")], "escalation": [True], "fears-killed": [True]}
    )
    assert flags(tree, {"strangulation": [False], "weapons": [c("no")]}) == set()


def test_each_advice_once_and_before_the_question_it_concerns(tree):
    texts = [f.text for f in tree.flags]
    assert len(texts) == len(set(texts))
    assert sum("duty to avert" in t for t in texts) == 1 and sum("duty to report" in t for t in texts) == 1
    order = [i.link_id for i in tree.items]
    assert order.index("flag-duty-to-avert") < order.index("duty-to-avert")
    assert order.index("flag-duty-to-report") < order.index("children-count")


def test_a_changed_demo_tree_is_a_new_version_and_old_intakes_keep_theirs(db, demo):
    from intake.demo import demo_tree_document
    from intake.services import intake_create, tree_version_create, tree_version_publish

    # The demo tree as it was before the risk summary: published as version 1, an intake pinned to it.
    old = demo_tree_document("nb")
    old["item"] = [i for i in old["item"] if i["linkId"] != "risk-summary"]
    for outcome in old["item"][-1]["item"]:
        outcome["enableWhen"] = [w for w in outcome["enableWhen"] if w["question"] != "risk-level"]
        if len(outcome["enableWhen"]) == 1:
            outcome.pop("enableBehavior", None)
    v1 = tree_version_publish(version=tree_version_create(doc=old, tree_slug=FIRST_CONTACT, language="nb"))
    pinned = intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=v1)
    versions = seed_intake_trees()
    assert versions["nb"].number == 2 and versions["nb"].questionnaire == demo_tree_document("nb")
    pinned.refresh_from_db()
    assert pinned.tree_version == v1 and Tree(v1.questionnaire).risk_level is None


def test_seeding_publishes_both_languages_once(db):
    first = seed_intake_trees()
    again = seed_intake_trees()
    assert {lang: v.pk for lang, v in first.items()} == {lang: v.pk for lang, v in again.items()}
    assert TreeVersion.objects.filter(tree__slug=FIRST_CONTACT, status="published").count() == 2


def test_seed_demo_gives_counsellor_drafts_only_she_and_her_manager_see(db, client):
    from django.core.management import call_command
    from django.urls import reverse

    from intake.models import Intake

    call_command("seed_demo", "--force")
    call_command("seed_demo", "--force")
    # Two drafts to resume, and the finalized case that carries the demo's contacts (contacts.demo).
    assert {i.owner.username for i in Intake.objects.all()} == {"counsellor"}
    assert list(Intake.objects.exclude(status="draft").values_list("pk", flat=True)) == [uuid.UUID(DEMO_CASE)]
    intakes = list(Intake.objects.filter(status="draft"))
    assert len(intakes) == 2 and all(i.tree_version.is_published for i in intakes)
    assert all(i.cover_label.startswith("Demo: ") for i in intakes)
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    for username, status in [("counsellor", 200), ("manager", 200), ("counsellor2", 404), ("counsellor_other", 404)]:
        client.force_login(users[username])
        assert client.get(reverse("intake:review", args=[intakes[0].pk])).status_code == status, username
