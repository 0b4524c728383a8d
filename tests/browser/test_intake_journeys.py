"""Intake journeys in a real browser, axe on every wizard page: a full intake through the children and
honour-related branches to an outcome; resuming a draft after logging out; another centre's counsellor
gets 404."""

import re
import subprocess

from django.urls import reverse
from playwright.sync_api import expect

from intake.models import Intake
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import INTAKE_A, PASSWORD


def choose(page, question: str, option: str) -> None:
    page.get_by_role("group", name=question).get_by_label(option, exact=True).check()


def next_step(page, expected_heading: str) -> None:
    page.get_by_role("button", name="Lagre og fortsett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(expected_heading)
    assert_accessible(page)


def test_full_intake_through_children_and_honour_branches_to_an_outcome(page, intake_trees):
    log_in(page, "counsellor", PASSWORD)
    page.get_by_role("link", name="Kartlegginger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kartlegginger")
    assert_accessible(page)
    page.get_by_role("button", name="Ny kartlegging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    expect(page.get_by_text("Steg 1 av 7")).to_be_visible()
    assert_accessible(page)

    # The script shows follow-up questions as they start to apply.
    service = page.get_by_label("Hvilken tjeneste?")
    expect(service).to_be_hidden()
    choose(page, "Hvordan kom personen i kontakt med krisesenteret?", "Brakt hit av en annen tjeneste")
    expect(service).to_be_visible()
    service.fill("Legevakten")
    choose(page, "Trenger personen tolk for å fortelle om situasjonen sin?", "Ja")
    choose(page, "Hvilken tolk?", "Telefontolk (ofte raskest)")
    page.get_by_label("Språk", exact=True).fill("arabisk")
    assert_accessible(page)
    next_step(page, "Situasjonen")

    page.get_by_label("Hva gjorde at personen tok kontakt akkurat nå?").fill("Ble truet i går")
    next_step(page, "Vold og trusler")

    choose(page, "Forteller personen om en nylig voldtekt?", "Ja")
    expect(page.get_by_text("Vurder å henvise til overgrepsmottaket for sporsikring.")).to_be_visible()
    assert_accessible(page)
    next_step(page, "Utøver")

    honour = page.get_by_label("Hvem i familien støtter volden?")
    expect(honour).to_be_hidden()
    page.get_by_label("Hvor mange utøvere er det?").fill("3")
    choose(page, "Er det flere i familien som støtter bruken av vold?", "Ja")
    expect(honour).to_be_visible()
    expect(page.get_by_text(re.compile("Tegn på æresrelatert vold"))).to_be_visible()
    honour.fill("Brødrene")
    assert_accessible(page)
    next_step(page, "Barn")

    choose(page, "Har personen barn?", "Ja")
    page.get_by_label("Hvor mange barn?").fill("2")
    page.get_by_role("group", name="Hvor er barna nå?").get_by_label("Hos utøver").check()
    expect(page.get_by_text(re.compile("Barn er hos utøver"))).to_be_visible()
    assert_accessible(page)
    next_step(page, "Frykt og ønsker")

    choose(page, "Vil personen dra hjem?", "Nei")
    next_step(page, "Vurdering")

    choose(page, "Handler situasjonen om vold i nære relasjoner?", "Ja")
    choose(page, "Hvordan vurderer du risikoen for ny vold?", "Uklar: vanskelig å få oversikt")
    page.get_by_role("button", name="Lagre og gå gjennom").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gå gjennom kartleggingen")
    assert_accessible(page)
    main = page.get_by_role("main")
    expect(main.get_by_text("Opphold på krisesenteret til risikoen er avklart")).to_be_visible()
    expect(main.get_by_text("Vurder å henvise til overgrepsmottaket for sporsikring.")).to_be_visible()
    expect(main.get_by_text("Brødrene")).to_be_visible()
    expect(main.get_by_text("Hos utøver", exact=True)).to_be_visible()

    # Editing an answer from the review: saying "no children" clears the children's answers.
    main.get_by_role("link", name="Endre Barn").click()
    choose(page, "Har personen barn?", "Nei")
    page.get_by_role("button", name="Lagre og fortsett").click()
    # (Choosing "No" is saved at once in the background, clearing the follow-ups on this same step, which the
    # page had already hidden; the button's save then has nothing left to clear or report.)
    expect(page.get_by_role("heading", level=1)).to_have_text("Frykt og ønsker")
    intake = Intake.objects.get()
    assert "children-where" not in intake.answers and "children-count" not in intake.answers
    assert intake.answers["perpetrator-count"] == [3]

    # Finalizing: other help than recommended needs a reason; nothing ticked or chosen is lost meanwhile.
    page.goto(reverse("intake:review", args=[intake.pk]))
    page.get_by_role("link", name="Gå videre til ferdigstilling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ferdigstill kartleggingen")
    assert_accessible(page)
    page.get_by_label("Råd og veiledning (samtaletilbud)", exact=True).check()
    page.get_by_label("Hva krisesenteret tilbyr").check()
    page.get_by_label("Opplysningsplikten til barnevernet").check()
    page.get_by_role("button", name="Ferdigstill kartleggingen").click()
    expect(
        page.get_by_text("Hjelpen som tilbys avviker fra anbefalingen: skriv hvorfor, med en setning eller to.")
    ).to_be_visible()
    expect(page.get_by_label("Råd og veiledning (samtaletilbud)", exact=True)).to_be_checked()
    expect(page.get_by_label("Opplysningsplikten til barnevernet")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Hvorfor denne hjelpen og ikke den anbefalte").fill("Vil bo hos en venninne i natt.")
    page.get_by_role("button", name="Ferdigstill kartleggingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gå gjennom kartleggingen")
    expect(page.get_by_text("Vil bo hos en venninne i natt.")).to_be_visible()
    assert_accessible(page)

    # The journal note: drafted from the answers, edited, finalized, then an addendum; the PDF.
    page.get_by_role("link", name="Journalnotat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journalnotat")
    note = page.get_by_label("Journalnotat")
    expect(note).to_contain_text("Brakt hit av en annen tjeneste")
    assert_accessible(page)
    note.fill(note.input_value() + "\nAvtalt ny samtale på mandag.")
    # The decision is in the draft: the help offered, why it differs, the information given, the signs of risk.
    expect(note).to_contain_text("Tilbudt hjelp: Råd og veiledning (samtaletilbud).")
    expect(note).to_contain_text("Hvorfor denne hjelpen og ikke den anbefalte: Vil bo hos en venninne i natt.")
    expect(note).to_contain_text(
        "Informasjon som er gitt: Hva krisesenteret tilbyr; Opplysningsplikten til barnevernet."
    )
    # (The children were answered "no" above: two signs are left, and the level they give.)
    expect(note).to_contain_text("Tegn på risiko: Flere utøvere; Flere i familien støtter volden.")
    expect(note).to_contain_text("Risikonivå ut fra tegnene: Forhøyet: tegn på risiko (2 av 13 tegn til stede).")
    expect(page.get_by_text("Konfidensielt: underlagt taushetsplikt")).to_be_visible()
    # Finalizing locks the note: it asks first, and the text typed is still there.
    page.get_by_role("button", name="Ferdigstill notatet …").click()
    expect(page.get_by_role("heading", name="Ferdigstille journalnotatet?")).to_be_visible()
    expect(page.get_by_label("Journalnotat")).to_contain_text("Avtalt ny samtale på mandag.")
    assert not Intake.objects.get().note_is_final
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ferdigstill og lås notatet").click()
    expect(page.get_by_text("Journalnotatet er ferdigstilt.")).to_be_visible()
    page.get_by_role("textbox", name="Tillegg").fill("Ringte og bekreftet avtalen.")
    page.get_by_role("button", name="Legg til tillegget").click()
    expect(page.get_by_text("Ringte og bekreftet avtalen.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned som PDF (A4)").click()
    download = download_info.value
    assert download.suggested_filename == "journal-note.pdf"
    text = subprocess.run(["pdftotext", download.path(), "-"], capture_output=True, text=True, check=True).stdout
    assert "Avtalt ny samtale på mandag." in text and "Ringte og bekreftet avtalen." in text
    assert "Konfidensielt: underlagt taushetsplikt" in text
    assert "Tilbudt hjelp: Råd og veiledning (samtaletilbud)." in text and "Tegn på risiko:" in text


def test_without_javascript_follow_up_questions_show_their_condition_and_the_server_decides(
    browser, live_server, intake_trees
):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, "counsellor", PASSWORD)
        page.goto("/intake/")
        page.get_by_role("button", name="Ny kartlegging").click()
        expect(page.get_by_label("Hvilken tjeneste?")).to_be_visible()
        expect(
            page.get_by_text(
                "Bare hvis «Hvordan kom personen i kontakt med krisesenteret?» er «Brakt hit av en annen tjeneste»"
            )
        ).to_be_visible()
        # (axe needs JavaScript to run; the same page is checked with it in the journey above.)
        # Answered although it does not apply: the save clears it.
        choose(page, "Hvordan kom personen i kontakt med krisesenteret?", "På telefon")
        page.get_by_label("Hvilken tjeneste?").fill("Skal bort")
        choose(page, "Trenger personen tolk for å fortelle om situasjonen sin?", "Nei")
        page.get_by_role("button", name="Lagre og fortsett").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
        assert "contact-service" not in Intake.objects.get().answers
    finally:
        context.close()


def test_resume_a_draft_after_logging_out(page, intake_a):
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("intake:step", args=[INTAKE_A, "contact"]))
    choose(page, "Hvordan kom personen i kontakt med krisesenteret?", "Møtte opp selv")
    choose(page, "Trenger personen tolk for å fortelle om situasjonen sin?", "Nei")
    page.get_by_role("button", name="Lagre og fortsett").click()
    page.get_by_label("Hva gjorde at personen tok kontakt akkurat nå?").fill("Redd for eksen")
    page.get_by_role("button", name="Lagre og lukk").click()
    expect(page.get_by_text("Lagret. Du kan fortsette kartleggingen fra listen.")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()

    log_in(page, "counsellor", PASSWORD)
    page.goto("/intake/")
    page.get_by_role("link", name=re.compile("^Fortsett")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    expect(page.get_by_label("Hva gjorde at personen tok kontakt akkurat nå?")).to_have_value("Redd for eksen")
    page.get_by_role("button", name="Tilbake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    expect(page.get_by_label("Møtte opp selv")).to_be_checked()


def test_another_centres_counsellor_gets_not_found(page, intake_a):
    log_in(page, "counsellor_other", PASSWORD)
    for url in [
        reverse("intake:detail", args=[INTAKE_A]),
        reverse("intake:step", args=[INTAKE_A, "contact"]),
        reverse("intake:review", args=[INTAKE_A]),
    ]:
        response = page.goto(url)
        assert response.status == 404, url
        assert_accessible(page)


def test_in_english_the_wizard_uses_the_english_tree(page, intake_trees):
    log_in(page, "counsellor", PASSWORD)
    page.get_by_role("button", name="English").click()
    page.goto("/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Intakes")
    assert_accessible(page)
    page.get_by_role("button", name="New intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    assert_accessible(page)
    choose(page, "How did the person get in touch with the centre?", "Walked in")
    choose(page, "Does the person need an interpreter to tell about their situation?", "No")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The situation")
    expect(page.get_by_text("Step 2 of 7")).to_be_visible()
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the intake")
    expect(page.get_by_role("main").get_by_text("Walked in")).to_be_visible()
    assert_accessible(page)


def test_a_manager_reads_the_anonymous_statistics(page, demo, intake_trees):
    import datetime

    from accounts.demo import CENTRE_A
    from intake.models import IntakeStatistic

    IntakeStatistic.objects.bulk_create(
        IntakeStatistic(unit=demo["units"][CENTRE_A], month=datetime.date(2026, 3, 1), help_offered=code)
        for code in ["shelter"] * 6 + ["day-counselling"] * 2
    )
    log_in(page, "manager", PASSWORD)
    page.goto(reverse("intake:list"))
    page.get_by_role("link", name="Statistikk for kartlegginger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistikk for kartlegginger")
    expect(page.get_by_role("cell", name="6", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="<5", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_owner_shares_an_intake_and_takes_it_back(page, intake_a):
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("intake:review", args=[INTAKE_A]))
    page.get_by_role("link", name="Del kartleggingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Del kartleggingen")
    assert_accessible(page)
    page.get_by_label("Kollega").select_option(label="Kamilla Kollega")
    page.get_by_role("button", name="Del", exact=True).click()
    expect(page.get_by_text("Kartleggingen er delt med Kamilla Kollega.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Fjern Kamilla Kollega").click()
    expect(page.get_by_text("Kartleggingen er ikke lenger delt med Kamilla Kollega.")).to_be_visible()


def test_an_editor_uploads_previews_publishes_and_compares_tree_versions(page, intake_trees, tmp_path):
    import json as _json

    from intake.demo import demo_tree_document

    bad = demo_tree_document("nb")
    bad["item"][1]["item"].append(dict(bad["item"][0]["item"][0]))  # duplicate linkId
    good = demo_tree_document("nb")
    good["item"][0]["item"][0]["text"] = "Hvordan tok personen kontakt?"
    (tmp_path / "bad.json").write_text(_json.dumps(bad))
    (tmp_path / "good.json").write_text(_json.dumps(good))

    log_in(page, "editor", PASSWORD)
    page.goto(reverse("intake:tree_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Spørsmålstrær")
    assert_accessible(page)
    page.get_by_label("Spørsmålstre").select_option("first-contact")
    page.get_by_label("Språk").select_option("nb")
    page.get_by_label("Spørreskjema (FHIR R4 JSON)").set_input_files(str(tmp_path / "bad.json"))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_text(re.compile("linkId contact-channel:"))).to_be_visible()
    expect(page.get_by_label("Spørsmålstre")).to_have_value("first-contact")
    assert_accessible(page)
    page.get_by_label("Spørreskjema (FHIR R4 JSON)").set_input_files(str(tmp_path / "good.json"))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versjon 2")
    assert_accessible(page)

    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    # Required questions carry "(må besvares)" after their text.
    expect(page.get_by_text("Hvordan tok personen kontakt? (må besvares)", exact=True)).to_be_visible()
    assert_accessible(page)
    choose(page, "Hvordan tok personen kontakt?", "Møtte opp selv")
    choose(page, "Trenger personen tolk for å fortelle om situasjonen sin?", "Nei")
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    assert Intake.objects.count() == 0
    page.get_by_role("link", name="Tilbake til versjonen").click()

    page.get_by_role("button", name="Publiser").click()
    expect(page.get_by_text("Publisert. Fra nå av endres denne versjonen aldri.")).to_be_visible()
    page.get_by_role("link", name="Forskjeller fra forrige versjon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forskjeller mellom versjon 1 og 2")
    expect(page.get_by_role("cell", name="contact-channel")).to_be_visible()
    expect(page.get_by_text(re.compile("Hvordan tok personen kontakt\\?»"))).to_be_visible()
    assert_accessible(page)


def test_in_english_an_intake_where_the_person_wants_to_go_home_ends_in_a_finalized_note(page, routines, intake_trees):
    """The whole way in English: the English tree, the going-home steps with the link to the duty-to-avert
    guide, the recommended help taken as offered (no reason needed), the note and its PDF in English."""
    log_in(page, "counsellor", PASSWORD)
    page.get_by_role("button", name="English").click()
    page.goto("/intake/")
    page.get_by_role("button", name="New intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    choose(page, "How did the person get in touch with the centre?", "By phone")
    choose(page, "Does the person need an interpreter to tell about their situation?", "No")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The situation")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Violence and threats")
    choose(page, "Does the person tell of a recent rape?", "No")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Perpetrator")
    page.get_by_label("How many perpetrators are there?").fill("1")
    choose(page, "Do others in the family support the violence?", "No")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    choose(page, "Does the person have children?", "No")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fears and wishes")
    choose(page, "Does the person want to go home?", "Yes")
    choose(page, "Does the duty to avert apply?", "Unsure: discuss with a manager")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment")
    choose(page, "Is this about violence in close relationships?", "Yes")
    choose(page, "How do you assess the risk of new violence?", "Low")
    page.get_by_role("button", name="Save and review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the intake")
    assert_accessible(page)

    page.get_by_role("link", name="Continue to finalize").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finalize the intake")
    expect(page.get_by_role("heading", name="The person wants to go home")).to_be_visible()
    guide = page.get_by_role("link", name="Open the facilitator guide on the duty to avert")
    expect(guide).to_have_attribute("href", "/routines/avvergingsplikten-fasilitatorveileder/")
    assert_accessible(page)
    recommended = page.locator("#recommended-heading + ul li").first.inner_text().strip()
    page.get_by_label(recommended, exact=True).check()
    page.get_by_label("The risk of seeking help").check()
    page.get_by_role("button", name="Finalize the intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the intake")

    page.get_by_role("link", name="Journal note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal note")
    note = page.get_by_label("Journal note")
    expect(note).to_contain_text("By phone")
    page.get_by_role("button", name="Finalize the note…").click()
    page.get_by_role("button", name="Yes, finalize and lock the note").click()
    expect(page.get_by_text("The journal note is finalized.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF (A4)").click()
    download = download_info.value
    assert download.suggested_filename == "journal-note.pdf"
    text = subprocess.run(["pdftotext", download.path(), "-"], capture_output=True, text=True, check=True).stdout
    assert "Journal note" in text and "By phone" in text
    intake = Intake.objects.get()
    assert intake.status == "finalized" and intake.note_is_final


def test_an_editor_imports_a_loose_draft_form_and_publishes_it_knowingly(page, intake_trees, tmp_path):
    """Issue 18: top-level questions with a nested one, no language and no status; the editor gives the
    language, reads the notices, and publishes the draft only by ticking that she means to."""
    import json as _json

    doc = {
        "resourceType": "Questionnaire",
        "url": "https://example.org/Questionnaire/loose",
        "name": "Løst skjema",
        "title": "Løst skjema",
        "item": [
            {"linkId": "intro", "type": "display", "text": "Noen raske spørsmål"},
            {
                "linkId": "smoker",
                "type": "boolean",
                "text": "Røyker du?",
                "item": [{"linkId": "per-day", "type": "integer", "text": "Hvor mange om dagen?"}],
            },
            {
                "linkId": "source",
                "type": "string",
                "text": "Kilde",
                "readOnly": True,
                "initial": [{"valueString": "skjema"}],
            },
        ],
    }
    (tmp_path / "loose.json").write_text(_json.dumps(doc))
    log_in(page, "editor", PASSWORD)
    page.goto(reverse("intake:tree_list"))
    page.get_by_label("Spørreskjema (FHIR R4 JSON)").set_input_files(str(tmp_path / "loose.json"))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_text(re.compile("har ikke noe språk"))).to_be_visible()
    page.get_by_label("Språk").select_option("nb")
    page.get_by_label("Spørreskjema (FHIR R4 JSON)").set_input_files(str(tmp_path / "loose.json"))
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versjon 1")
    expect(page.get_by_text(re.compile("regnes som et utkast"))).to_be_visible()
    expect(page.get_by_text(re.compile("vises som 1 steg"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Løst skjema")
    expect(page.get_by_text("Hvor mange om dagen?")).to_be_visible()
    expect(page.get_by_label("Kilde")).to_be_disabled()
    expect(page.get_by_label("Kilde")).to_have_value("skjema")
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til versjonen").click()

    page.get_by_role("button", name="Publiser").click()
    expect(page.get_by_text(re.compile("bekreft at du vil publisere et utkast"))).to_be_visible()
    page.get_by_label("Publiser selv om spørreskjemaets status er utkast").check()
    page.get_by_role("button", name="Publiser").click()
    expect(page.get_by_text("Publisert. Fra nå av endres denne versjonen aldri.")).to_be_visible()
