"""The new question types and constraints in a browser (issue 18): date-time, time, web address and quantity
controls reached by their labels, an exclusive option that clears the others with the keyboard, and a refused
answer kept with its error. axe on the way."""

import copy
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import CENTRE_A
from intake.services import intake_create, tree_version_create, tree_version_publish
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.intake.test_intake_types import DOC


@pytest.fixture
def types_intake(demo):
    version = tree_version_publish(version=tree_version_create(doc=copy.deepcopy(DOC), language="nb"))
    return intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)


def test_new_types_exclusive_option_and_a_kept_refused_answer(page, types_intake):
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("intake:step", args=[types_intake.pk, "s1"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Step one")
    assert_accessible(page)

    # "None of these" stands alone: ticking it clears the others, ticking another clears it.
    kinds = page.get_by_role("group", name="What kinds?")
    physical, none = kinds.get_by_label("Physical"), kinds.get_by_label("None of these")
    physical.focus()
    page.keyboard.press("Space")
    none.focus()
    page.keyboard.press("Space")
    expect(none).to_be_checked()
    expect(physical).not_to_be_checked()
    physical.focus()
    page.keyboard.press("Space")
    expect(physical).to_be_checked()
    expect(none).not_to_be_checked()
    expect(page.get_by_text("Velger du «None of these», fjernes de andre svarene.")).to_be_visible()

    page.get_by_label("When did it happen?").fill("2026-03-05T14:30")
    page.get_by_label("At what time is it safe to call?").fill("19:15")
    page.get_by_label("Web page").fill("example.org/help")
    page.get_by_label("Weight", exact=True).fill("72.5")
    page.get_by_label("Enhet: Weight").select_option(label="kg")
    page.get_by_label("Postcode").fill("01x")
    page.get_by_role("button", name="Lagre og fortsett").click()

    # Refused on the server, with the tree's own message, and what was typed is still there.
    expect(page.get_by_text("Four digits.").first).to_be_visible()
    expect(page.get_by_label("Postcode")).to_have_value("01x")
    expect(page.get_by_label("When did it happen?")).to_have_value("2026-03-05T14:30")
    assert_accessible(page)

    page.get_by_label("Postcode").fill("0150")
    page.get_by_role("button", name="Lagre og fortsett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step two")
    types_intake.refresh_from_db()
    assert types_intake.answers["weight"] == [
        {"value": 72.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}
    ]
    assert types_intake.answers["kinds"] == [{"code": "physical", "display": "Physical"}]


@pytest.fixture
def files_intake(demo):
    from tests.intake.test_intake_attachments import DOC as FILES_DOC

    version = tree_version_publish(version=tree_version_create(doc=copy.deepcopy(FILES_DOC), language="nb"))
    return intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)


def test_a_file_answer_is_chosen_saved_and_linked(page, files_intake):
    from tests.intake.test_intake_attachments import png

    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("intake:step", args=[files_intake.pk, "s1"]))
    field = page.get_by_label("Photo of the injury")
    expect(page.get_by_text("JPG, PNG, høyst 2 kB.")).to_be_visible()
    field.set_input_files({"name": "skade.png", "mimeType": "image/png", "buffer": png()})
    page.get_by_label("Note").fill("typed")
    page.get_by_role("button", name="Lagre og lukk").click()
    expect(page).to_have_url(re.compile(r"/intake/$"))
    page.goto(reverse("intake:step", args=[files_intake.pk, "s1"]))
    expect(page.get_by_role("link", name="skade.png (1 kB)")).to_be_visible()
    expect(page.get_by_label("Fjern den lagrede filen")).not_to_be_checked()
    expect(page.get_by_label("Note")).to_have_value("typed")
    assert_accessible(page)
