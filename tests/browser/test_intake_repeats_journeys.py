"""Repeating groups in a real browser (nb), axe on every page: a child per instance, "Add another" and
"Remove" by keyboard, a condition inside one instance shown live for that instance only, required answers
asked for in the right instance, and the review listing each child."""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from intake.models import Intake
from intake.services import intake_create, tree_version_create, tree_version_publish
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

ADD_CHILD = re.compile(r"^Legg til en til\W*Barn$")
DOC = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "repeating-children.nb.json").read_text()
)


def test_children_as_a_repeating_group(page, demo):
    editor = demo["users"]["editor"]
    version = tree_version_publish(version=tree_version_create(doc=DOC, user=editor), user=editor)
    intake = intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)
    log_in(page, "counsellor", PASSWORD)
    page.goto(f"/intake/{intake.pk}/step/family/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie")
    page.get_by_role("group", name="Har personen barn? (må besvares)").get_by_label("Ja", exact=True).check()
    first = page.get_by_role("group", name="Barn 1 av 1")
    first.get_by_label("Fornavn (må besvares)").fill("Ada")
    first.get_by_label("Alder").fill("4")
    assert_accessible(page)

    # "Add another" by keyboard: what was typed is saved, the new child gets the focus.
    page.get_by_role("button", name=ADD_CHILD).focus()
    page.keyboard.press("Enter")
    second = page.get_by_role("group", name="Barn 2 av 2")
    expect(second).to_be_focused()
    expect(page.get_by_role("group", name="Barn 1 av 2").get_by_label("Fornavn (må besvares)")).to_have_value("Ada")
    assert Intake.objects.get().answers["child"] == [{"child-name": ["Ada"], "child-age": [4]}]
    assert_accessible(page)

    # A condition inside an instance: only Bo's "where" goes away when he lives with the perpetrator.
    second.get_by_label("Alder").fill("9")
    second.get_by_role("group", name="Bor barnet med utøveren?").get_by_label("Ja", exact=True).check()
    expect(second.get_by_label("Hvor bor barnet?")).to_be_hidden()
    page.get_by_role("group", name="Barn 1 av 2").get_by_role("group", name="Bor barnet med utøveren?").get_by_label(
        "Nei", exact=True
    ).check()
    expect(page.get_by_role("group", name="Barn 1 av 2").get_by_label("Hvor bor barnet?")).to_be_visible()

    # Bo's first name is required in his instance.
    page.get_by_role("button", name="Lagre og fortsett").click()
    summary = page.get_by_role("alert").filter(has_text="Se på disse svarene")
    expect(summary).to_contain_text("Fornavn (må besvares) (Barn 2 av 2)")
    assert_accessible(page)
    page.get_by_role("group", name="Barn 2 av 2").get_by_label("Fornavn (må besvares)").fill("Bo")

    # A third child, then removed again.
    page.get_by_role("button", name=ADD_CHILD).click()
    page.get_by_role("group", name="Barn 3 av 3").get_by_label("Fornavn (må besvares)").fill("Cy")
    page.get_by_role("button", name="Fjern Barn 3 av 3").click()
    expect(page.get_by_role("group", name="Barn 3 av 3")).to_have_count(0)
    expect(page.get_by_role("group", name="Barn", exact=True)).to_be_focused()

    page.get_by_role("button", name="Lagre og fortsett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skole")  # Bo is 9
    assert_accessible(page)
    page.get_by_role("link", name="Gjennomgang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gå gjennom kartleggingen")
    expect(page.get_by_text("Barn 1 av 2")).to_be_visible()
    expect(page.get_by_text("Barn 2 av 2")).to_be_visible()
    expect(page.get_by_text("Minst ett barn bor med utøveren: vurder bekymringsmelding.")).to_be_visible()
    assert_accessible(page)
    assert [c["child-name"] for c in Intake.objects.get().answers["child"]] == [["Ada"], ["Bo"]]
