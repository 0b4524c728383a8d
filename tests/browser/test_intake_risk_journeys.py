"""Issue 17 in a real browser, axe on every page: a draft's cover label in the list; "not clarified yet" on a
required choice question through to the review's open items and the reason finalizing asks for; the high-risk
path, whose signs bring their advice where they are answered, raise the level, and make the recommendation
shelter even when the counsellor's own assessment is "low", until she gives a reason; the note and its PDF
carry the decision and the signs."""

import re
import subprocess

from playwright.sync_api import expect

from intake.models import Intake
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD


def choose(page, question: str, option: str) -> None:
    page.get_by_role("group", name=question).get_by_label(option, exact=True).check()


def go_on(page, button: str, expected_heading: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(expected_heading)


def test_a_cover_label_and_not_clarified_through_the_review_to_a_finalize_reason(page, intake_trees):
    log_in(page, "counsellor", PASSWORD)
    page.goto("/intake/")
    page.get_by_role("button", name="Ny kartlegging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")

    # A cover label, so the draft can be told apart in the list; a phone number in it is warned about first.
    page.get_by_role("link", name="Legg til en merkelapp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merkelapp")
    assert_accessible(page)
    label = page.get_by_label("Merkelapp")
    label.fill("Tirsdag 912 34 567")
    page.get_by_role("button", name="Lagre merkelappen").click()
    expect(page.get_by_text(re.compile("ser ut til å inneholde et telefonnummer"))).to_be_visible()
    expect(label).to_have_value("Tirsdag 912 34 567")
    assert_accessible(page)
    label.fill("Tirsdag, møtte opp")
    page.get_by_role("button", name="Lagre merkelappen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    expect(page.get_by_text("Merkelapp: Tirsdag, møtte opp")).to_be_visible()

    # The required choice question has "not clarified yet" too: no false answer is forced.
    choose(page, "Hvordan kom personen i kontakt med krisesenteret? (må besvares)", "Ikke avklart ennå")
    choose(page, "Trenger personen tolk for å fortelle om situasjonen sin? (må besvares)", "Nei")
    assert_accessible(page)
    go_on(page, "Lagre og fortsett", "Situasjonen")
    go_on(page, "Lagre og fortsett", "Vold og trusler")
    choose(page, "Forteller personen om en nylig voldtekt? (må besvares)", "Nei")
    go_on(page, "Lagre og fortsett", "Utøver")
    page.get_by_label("Hvor mange utøvere er det? (må besvares)").fill("1")
    choose(page, "Er det flere i familien som støtter bruken av vold? (må besvares)", "Nei")
    go_on(page, "Lagre og fortsett", "Barn")
    choose(page, "Har personen barn? (må besvares)", "Nei")
    go_on(page, "Lagre og fortsett", "Frykt og ønsker")
    choose(page, "Vil personen dra hjem? (må besvares)", "Nei")
    go_on(page, "Lagre og fortsett", "Vurdering")
    choose(page, "Handler situasjonen om vold i nære relasjoner? (må besvares)", "Ja")
    choose(page, "Hvordan vurderer du risikoen for ny vold? (må besvares)", "Lav")
    go_on(page, "Lagre og gå gjennom", "Gå gjennom kartleggingen")
    assert_accessible(page)
    open_items = page.get_by_role("region", name="Ikke avklart ennå")
    expect(open_items.get_by_role("listitem")).to_have_text(["Hvordan kom personen i kontakt med krisesenteret?"])

    page.get_by_role("link", name="Gå videre til ferdigstilling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ferdigstill kartleggingen")
    page.get_by_label("Råd og veiledning (samtaletilbud)", exact=True).check()
    page.get_by_role("button", name="Ferdigstill kartleggingen").click()
    expect(page.get_by_text(re.compile("Noen svar er ikke avklart ennå"))).to_be_visible()
    assert Intake.objects.get().is_draft
    assert_accessible(page)
    page.get_by_label("Hvorfor ferdigstille før dette er avklart").fill("Hun ville ikke si hvordan hun kom hit.")
    go_on(page, "Ferdigstill kartleggingen", "Gå gjennom kartleggingen")
    expect(page.get_by_text("Hun ville ikke si hvordan hun kom hit.")).to_be_visible()

    page.goto("/intake/")
    expect(page.get_by_role("cell", name="Tirsdag, møtte opp", exact=True)).to_be_visible()
    assert_accessible(page)


def test_in_english_the_high_risk_path_brings_advice_a_shelter_recommendation_and_a_note_with_the_signs(
    page, intake_trees
):
    log_in(page, "counsellor", PASSWORD)
    page.get_by_role("button", name="English").click()
    page.goto("/intake/")
    page.get_by_role("button", name="New intake").click()
    choose(page, "How did the person get in touch with the centre? (required)", "Walked in")
    choose(page, "Does the person need an interpreter to tell about their situation? (required)", "No")
    go_on(page, "Save and continue", "The situation")
    go_on(page, "Save and continue", "Violence and threats")

    # Each sign's advice appears where it is answered, once, marked as new on this step.
    choose(page, "Does the person tell of a recent rape? (required)", "No")
    strangulation_advice = page.get_by_text(re.compile("Pressure on the neck is a sign of serious danger"))
    expect(strangulation_advice).to_be_hidden()
    choose(page, "Has anyone squeezed or held the person's neck or throat, or covered the mouth and nose?", "Yes")
    expect(strangulation_advice).to_be_visible()
    choose(page, "Has the person feared for their life?", "Yes")
    expect(page.get_by_text(re.compile("fear for their life is among the strongest signs"))).to_have_count(1)
    assert_accessible(page)
    go_on(page, "Save and continue", "Perpetrator")
    expect(page.get_by_text(re.compile("Pressure on the neck"))).to_have_count(0)  # shown once, where it applies
    page.get_by_label("How many perpetrators are there? (required)").fill("1")
    choose(page, "Do others in the family support the violence? (required)", "No")
    choose(page, "Does the perpetrator have access to weapons?", "Yes")
    weapons = page.locator(".intake-flag", has_text="Access to weapons raises the danger")
    expect(weapons).to_be_visible()
    expect(weapons).to_contain_text("New on this step")
    choose(page, "Has the violence escalated lately?", "Yes")
    assert_accessible(page)
    go_on(page, "Save and continue", "Children")
    choose(page, "Does the person have children? (required)", "No")
    go_on(page, "Save and continue", "Fears and wishes")
    choose(page, "Does the person want to go home? (required)", "No")
    go_on(page, "Save and continue", "Assessment")

    # The risk summary before the counsellor's own assessment: the level and the signs present.
    summary = page.get_by_role("region", name="Risk summary")
    expect(summary).to_contain_text("High: signs of serious danger")
    expect(summary).to_contain_text("4 of 13 signs of risk present.")
    expect(summary.get_by_role("listitem")).to_have_count(4)
    expect(summary).to_contain_text("Pressure on the neck or breathing stopped")
    assert_accessible(page)
    choose(page, "Is this about violence in close relationships? (required)", "Yes")
    choose(page, "How do you assess the risk of new violence? (required)", "Low")
    go_on(page, "Save and review", "Review the intake")
    main = page.get_by_role("main")
    # The recommendation follows the level, not the "low" given: shelter.
    expect(page.get_by_role("region", name="Recommended help").get_by_role("heading", level=3)).to_have_text(
        ["Shelter (a place to stay)"]
    )
    expect(main.get_by_role("region", name="Risk summary")).to_contain_text("The perpetrator has access to weapons")
    advice = main.get_by_role("region", name="Advice")
    expect(advice.get_by_role("listitem")).to_have_count(4)
    assert_accessible(page)

    # Her own judgement may override it, with a reason.
    page.get_by_role("link", name="Continue to finalize").click()
    page.get_by_label("Day counselling", exact=True).check()
    page.get_by_label("The risk of seeking help").check()
    page.get_by_role("button", name="Finalize the intake").click()
    expect(
        page.get_by_text("The help offered differs from the recommendation: say why, in a sentence or two.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why this help rather than the recommended one").fill("She will stay with her sister tonight.")
    go_on(page, "Finalize the intake", "Review the intake")

    page.get_by_role("link", name="Journal note").click()
    note = page.get_by_label("Journal note")
    expect(note).to_contain_text("Recommended help: Shelter (a place to stay).")
    expect(note).to_contain_text("Help offered: Day counselling.")
    expect(note).to_contain_text("Risk level from the signs: High: signs of serious danger (4 of 13 signs present).")
    expect(note).to_contain_text("Pressure on the neck or mouth and nose covered: Yes.")
    page.get_by_role("button", name="Finalize the note…").click()
    page.get_by_role("button", name="Yes, finalize and lock the note").click()
    expect(page.get_by_text("The journal note is finalized.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF (A4)").click()
    pdf = download_info.value.path()
    text = " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout.split())
    for expected in [
        "Decision",
        "Recommended help: Shelter (a place to stay).",
        "Help offered: Day counselling.",
        "Why this help rather than the recommended one: She will stay with her sister tonight.",
        "Risk level from the signs: High: signs of serious danger (4 of 13 signs present).",
        "Risk of new violence, as assessed: Low.",
        "Signs of risk: The violence has got worse lately; Has feared for her or his life; Pressure on the neck or "
        "breathing stopped; The perpetrator has access to weapons.",
    ]:
        assert expected in text, expected
