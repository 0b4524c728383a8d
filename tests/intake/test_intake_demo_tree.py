"""The demo first-contact tree (built from the first-contact seed): its shape in both languages, and the
branches, flags and outcomes the issue asks for, walked through the evaluator."""

import pytest

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
        "phone", "walk-in", "police", "other-service",
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
    intakes = list(Intake.objects.all())
    assert len(intakes) == 2 and {i.owner.username for i in intakes} == {"counsellor"}
    assert all(i.is_draft and i.tree_version.is_published for i in intakes)
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    for username, status in [("counsellor", 200), ("manager", 200), ("counsellor2", 404), ("counsellor_other", 404)]:
        client.force_login(users[username])
        assert client.get(reverse("intake:review", args=[intakes[0].pk])).status_code == status, username
