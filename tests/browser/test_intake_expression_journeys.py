"""Issue 18's expressions in a real browser, in bokmål and English, axe on every page: a calculated score the
server updates when the step is saved, a question an enableWhenExpression shows when the score is high
enough, a suggestion from the unit (initialExpression) and a targetConstraint's message."""

import pytest
from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from intake.services import intake_create, tree_version_create, tree_version_publish
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.intake.expression_form import TEXTS, expression_form

BUTTONS = {
    "nb": {"update": "Lagre og oppdater utregningene", "next": "Lagre og fortsett"},
    "en": {"update": "Save and update calculations", "next": "Save and continue"},
}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_calculated_score_and_a_question_it_shows(page, demo, language):
    version = tree_version_publish(
        version=tree_version_create(doc=expression_form(language), tree_slug="expression-test", language=language)
    )
    intake = intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)
    t, buttons = TEXTS[language], BUTTONS[language]
    log_in(page, "counsellor", PASSWORD)
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(f"/intake/{intake.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t["screening"])
    score = page.locator("output")
    follow_up = page.get_by_label(t["follow-up"])
    expect(follow_up).to_have_count(0)
    # The unit's name is suggested by an initialExpression.
    expect(page.get_by_label(t["unit-name"])).to_have_value(demo["units"][CENTRE_A].name)
    assert_accessible(page)

    page.get_by_role("group", name=t["sleep"]).get_by_label(t["often"], exact=True).check()
    page.get_by_role("group", name=t["worry"]).get_by_label(t["sometimes"], exact=True).check()
    page.get_by_role("button", name=buttons["update"]).click()
    expect(score).to_have_text("3")
    expect(follow_up).to_be_visible()
    assert_accessible(page)

    # A lower score hides the question again.
    page.get_by_role("group", name=t["sleep"]).get_by_label(t["never"], exact=True).check()
    page.get_by_role("button", name=buttons["update"]).click()
    expect(score).to_have_text("1")
    expect(follow_up).to_have_count(0)

    # The targetConstraint keeps the counsellor on the step with its message; what was typed is kept.
    page.get_by_label(t["age"]).fill("130")
    page.get_by_role("button", name=buttons["next"]).click()
    expect(page.get_by_role("alert").filter(has_text=t["age-check"])).to_be_visible()
    expect(page.get_by_label(t["age"])).to_have_value("130")
    assert_accessible(page)
    page.get_by_label(t["age"]).fill("30")
    page.get_by_role("button", name=buttons["next"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["end"])
    assert_accessible(page)
