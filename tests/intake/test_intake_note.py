"""The journal note: drafted at finalizing, editable, then locked; addenda; the A4 PDF."""

import subprocess

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from intake.models import IntakeNoteAddendum
from tests.intake.test_intake_finalize import complete


@pytest.fixture
def counsellor(client_for):
    return client_for("counsellor")


@pytest.fixture
def finalized(counsellor, intake_a):
    complete(intake_a)
    counsellor.post(
        reverse("intake:finalize", args=[intake_a.pk]),
        {"offered_help": "other-shelter-police", "offered_reason": "x"},
    )
    intake_a.refresh_from_db()
    assert not intake_a.is_draft
    return intake_a


def note_url(intake):
    return reverse("intake:note", args=[intake.pk])


def test_the_draft_is_filled_from_the_answers_and_editable(counsellor, finalized):
    html = counsellor.get(note_url(finalized)).content.decode()
    assert "Møtte opp selv" in html and "<textarea" in html
    counsellor.post(note_url(finalized), {"note_text": "Redigert utkast.", "action": "save"})
    finalized.refresh_from_db()
    assert finalized.note_text == "Redigert utkast." and not finalized.note_is_final


def test_an_empty_note_is_refused_with_a_message(counsellor, finalized):
    response = counsellor.post(note_url(finalized), {"note_text": "", "action": "finalize"})
    assert response.status_code == 200
    assert "kan ikke være tomt" in response.content.decode()
    finalized.refresh_from_db()
    assert not finalized.note_is_final


def test_a_finalized_note_is_locked_and_changes_only_by_addenda(counsellor, finalized, users):
    counsellor.post(note_url(finalized), {"note_text": "Endelig notat.", "action": "finalize"})
    finalized.refresh_from_db()
    assert finalized.note_is_final and finalized.note_finalized_by == users["counsellor"]
    stamp = finalized.note_finalized_at
    counsellor.post(note_url(finalized), {"note_text": "Overskrevet?", "action": "finalize"})
    finalized.refresh_from_db()
    assert finalized.note_text == "Endelig notat." and finalized.note_finalized_at == stamp
    response = counsellor.post(reverse("intake:note_addendum", args=[finalized.pk]), {"text": "Ringte igjen."})
    assert response.status_code == 302
    addendum = IntakeNoteAddendum.objects.get()
    assert addendum.author == users["counsellor"]
    html = counsellor.get(note_url(finalized)).content.decode()
    assert "Endelig notat." in html and "Ringte igjen." in html and "<textarea" in html  # the addendum form


def test_a_manager_reads_but_does_not_write_the_note(client_for, finalized):
    manager = client_for("manager")
    assert manager.get(note_url(finalized)).status_code == 200
    assert manager.post(note_url(finalized), {"note_text": "x", "action": "save"}).status_code == 403


def test_the_pdf_has_the_note_a_neutral_filename_and_is_audit_logged(counsellor, finalized, tmp_path):
    pdf_url = reverse("intake:note_pdf", args=[finalized.pk])
    assert counsellor.get(pdf_url).status_code == 404  # not before the note is finalized
    counsellor.post(note_url(finalized), {"note_text": "Notat til utskrift.", "action": "finalize"})
    counsellor.post(reverse("intake:note_addendum", args=[finalized.pk]), {"text": "Et tillegg."})
    response = counsellor.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="journal-note.pdf"'
    path = tmp_path / "note.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Notat til utskrift." in text and "Et tillegg." in text
    assert "Journalnotat" in text  # the tree's language (bokmål), whatever the request's
    assert AuditEvent.objects.filter(action="intake.printed", target_id=str(finalized.pk)).count() == 1


def test_a_url_typed_into_the_note_is_not_fetched(counsellor, finalized, tmp_path, fetched_urls):
    """The note is rendered with the shared fetcher (core.pdf): a URL in the text stays text, and an image or
    stylesheet smuggled into the template context would be refused, never fetched."""
    text = "Se http://example.org/x.png og file:///etc/passwd"
    counsellor.post(note_url(finalized), {"note_text": text, "action": "finalize"})
    response = counsellor.get(reverse("intake:note_pdf", args=[finalized.pk]))
    assert response.status_code == 200
    pdf = tmp_path / "note.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Krise-Sans" in fonts and "Serif" not in fonts  # our shipped font, embedded, and no other
    assert all(url.startswith("file:") and "/static/fonts/" in url for url in fetched_urls), fetched_urls
    assert not any("example.org" in url or "/etc/passwd" in url for url in fetched_urls)


def test_an_english_tree_prints_in_english_whatever_the_session_language(
    counsellor, demo, intake_trees, users, tmp_path
):
    from accounts.demo import CENTRE_A
    from intake.services import intake_create

    intake = complete(
        intake_create(user=users["counsellor"], unit=demo["units"][CENTRE_A], tree_version=intake_trees["en"])
    )
    counsellor.post(
        reverse("intake:finalize", args=[intake.pk]), {"offered_help": "other-shelter-police", "offered_reason": "x"}
    )
    intake.refresh_from_db()
    assert "Came into contact: Walked in." in intake.note_text
    counsellor.post(note_url(intake), {"note_text": intake.note_text, "action": "finalize"})
    response = counsellor.get(reverse("intake:note_pdf", args=[intake.pk]))  # the test client speaks bokmål
    path = tmp_path / "note.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Journal note" in text and "Journalnotat" not in text


def test_the_draft_carries_the_decision_block_in_sentences(counsellor, demo, intake_trees, users):
    from accounts.demo import CENTRE_A
    from intake.services import intake_create

    intake = complete(
        intake_create(user=users["counsellor"], unit=demo["units"][CENTRE_A], tree_version=intake_trees["en"])
    )
    counsellor.post(
        reverse("intake:finalize", args=[intake.pk]),
        {
            "offered_help": "other-shelter-police",
            "offered_reason": "Her sister lives nearby.",
            "info_duty-to-avert": "on",
        },
    )
    intake.refresh_from_db()
    note = intake.note_text
    assert "{{" not in note and "\n\n\n" not in note
    decision = note[note.index("Decision") :]
    assert "Recommended help: " in decision
    assert (
        "Help offered: " in decision
        and "Why this help rather than the recommended one: Her sister lives nearby." in decision
    )
    assert "Information given: The duty to avert." in decision
    assert "Information not given: What the centre offers;" in decision
    assert "Signs of risk: " in decision
    # A line whose answers are all missing is left out, not printed as "Label: ."
    assert not any(line.rstrip().endswith(": .") or line.rstrip().endswith(":") for line in note.splitlines())


def test_finalizing_the_note_asks_first_and_keeps_the_text(counsellor, finalized):
    response = counsellor.post(note_url(finalized), {"note_text": "Nesten ferdig.", "action": "confirm"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ferdigstille journalnotatet?" in html and "Nesten ferdig." in html
    finalized.refresh_from_db()
    assert not finalized.note_is_final


def test_the_pdf_is_tagged_with_title_and_language_and_marked_confidential(counsellor, finalized, tmp_path):
    import io

    import pikepdf

    counsellor.post(note_url(finalized), {"note_text": "Notat til utskrift.", "action": "finalize"})
    data = b"".join(counsellor.get(reverse("intake:note_pdf", args=[finalized.pk])).streaming_content)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "nb"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.open_metadata().get("dc:title")) == "Journalnotat"
    path = tmp_path / "note.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Konfidensielt: underlagt taushetsplikt" in text and "Notat til utskrift." in text
