"""Issue 18's expressions with a repeating group in a real browser, in bokmål and English, axe on every page:
a calculated score and a question it shows, children added and removed, each child's own calculated answer
and school question (shown only for a child of 6 or more, and following the child when another is removed),
a question shown when two children are named, and the review listing it all (tests/intake/
children_expression_form.py has the form)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from intake.models import Intake
from intake.services import intake_create, tree_version_create, tree_version_publish
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.intake.children_expression_form import TEXTS, children_expression_form

WORDS = {
    "nb": {
        "update": "Lagre og oppdater utregningene",
        "next": "Lagre og fortsett",
        "to-review": "Lagre og gå gjennom",
        "review": "Gå gjennom kartleggingen",
        "add": "Legg til en til",
        "remove": "Fjern",
        "of": "av",
    },
    "en": {
        "update": "Save and update calculations",
        "next": "Save and continue",
        "to-review": "Save and review",
        "review": "Review the intake",
        "add": "Add another",
        "remove": "Remove",
        "of": "of",
    },
}
DUPLICATE_IDS = (
    "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); "
    "return ids.filter((id, i) => ids.indexOf(id) !== i); }"
)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_score_children_and_the_questions_they_show(page, demo, language):
    version = tree_version_publish(
        version=tree_version_create(
            doc=children_expression_form(language), tree_slug="children-expression-test", language=language
        )
    )
    intake = intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)
    t, w = TEXTS[language], WORDS[language]

    def child(number: int, count: int):
        return page.get_by_role("group", name=f"{t['child']} {number} {w['of']} {count}", exact=True)

    add_child = page.get_by_role("button", name=re.compile(rf"^{w['add']}\W*{t['child']}$"))
    update = page.get_by_role("button", name=w["update"])
    score = page.get_by_role("status", name=t["score"])
    follow_up = page.get_by_label(t["follow-up"])
    childcare = page.get_by_label(t["childcare"])

    log_in(page, "counsellor", PASSWORD)
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(f"/intake/{intake.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t["family"])
    expect(score).to_have_text("0")  # nothing scored yet
    expect(child(1, 1).get_by_label(t["child-name"])).to_have_value("")  # one blank child to begin with
    expect(follow_up).to_have_count(0)
    expect(childcare).to_have_count(0)
    assert_accessible(page)

    # The score, computed by the server, shows the follow-up question.
    page.get_by_role("group", name=t["sleep"]).get_by_label(t["often"], exact=True).check()
    page.get_by_role("group", name=t["worry"]).get_by_label(t["sometimes"], exact=True).check()
    update.click()
    expect(score).to_have_text("3")
    expect(follow_up).to_be_visible()

    # Two children: each gets its own years to 18, and only the child of 6 or more a school question.
    child(1, 1).get_by_label(t["child-name"]).fill("Ada")
    child(1, 1).get_by_label(t["child-age"]).fill("4")
    add_child.click()
    expect(child(2, 2)).to_be_focused()
    expect(childcare).to_have_count(0)  # one child named so far: the blank one counts for nothing
    child(2, 2).get_by_label(t["child-name"]).fill("Bo")
    child(2, 2).get_by_label(t["child-age"]).fill("9")
    update.click()
    expect(child(1, 2).locator("output")).to_have_text("14")
    expect(child(2, 2).locator("output")).to_have_text("9")
    expect(child(1, 2).get_by_label(t["child-school"])).to_have_count(0)
    expect(child(2, 2).get_by_label(t["child-school"])).to_be_visible()
    expect(childcare).to_be_visible()
    assert_accessible(page)
    # axe leaves a repeated id to review by hand: each child's calculated answer has its own.
    assert page.evaluate(DUPLICATE_IDS) == []

    # Ada removed: Bo is child 1 of 1 now and keeps his school question; one child, so no childcare question.
    page.get_by_role("button", name=f"{w['remove']} {t['child']} 1 {w['of']} 2").click()
    expect(page.get_by_role("group", name=t["child"], exact=True)).to_be_focused()
    expect(child(1, 1).get_by_label(t["child-name"])).to_have_value("Bo")
    expect(child(1, 1).locator("output")).to_have_text("9")
    expect(child(1, 1).get_by_label(t["child-school"])).to_be_visible()
    expect(childcare).to_have_count(0)
    assert_accessible(page)

    # Ada back as the second child: the childcare question again, and still no school for her.
    add_child.click()
    child(2, 2).get_by_label(t["child-name"]).fill("Ada")
    child(2, 2).get_by_label(t["child-age"]).fill("4")
    update.click()
    expect(childcare).to_be_visible()
    expect(child(2, 2).get_by_label(t["child-school"])).to_have_count(0)
    expect(child(2, 2).locator("output")).to_have_text("14")
    child(1, 2).get_by_label(t["child-school"]).fill("Nordby")
    childcare.fill("Mormor")
    follow_up.fill("Ro")
    page.get_by_role("button", name=w["next"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t["end"])
    assert_accessible(page)
    page.get_by_label(t["notes"]).fill("—")
    page.get_by_role("button", name=w["to-review"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(w["review"])
    family = page.get_by_role("region", name=t["family"])
    for text in (t["score"], t["follow-up"], "Ro", t["childcare"], "Mormor"):
        expect(family.get_by_text(text, exact=True)).to_be_visible()
    expect(family.get_by_text(f"{t['child']} 1 {w['of']} 2", exact=True)).to_be_visible()
    expect(family.get_by_text(f"{t['child']} 2 {w['of']} 2", exact=True)).to_be_visible()
    expect(family.get_by_text("Nordby", exact=True)).to_be_visible()
    assert_accessible(page)

    answers = Intake.objects.get(pk=intake.pk).answers
    assert answers["score"] == [3]
    assert answers["child"] == [
        {"child-name": ["Bo"], "child-age": [9], "child-years": [9], "child-school": ["Nordby"]},
        {"child-name": ["Ada"], "child-age": [4], "child-years": [14]},
    ]
    assert answers["childcare"] == ["Mormor"]
