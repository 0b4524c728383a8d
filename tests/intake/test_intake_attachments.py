"""Attachment questions (issue 18): a file answering a question, checked by content within the question's
maxSize and mimeType and the site's limit, stored privately with the intake, served only to who may see the
intake, replaced or removed with its file, kept by autosave, and deleted with the intake by retention."""

import copy
import io
import json
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from accounts.demo import CENTRE_A
from intake.models import Intake, IntakeAttachment
from intake.questionnaire import check_questionnaire
from intake.retention import purge_intakes
from intake.services import intake_create, tree_version_create, tree_version_publish

SD = "http://hl7.org/fhir/StructureDefinition/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

DOC = {
    "resourceType": "Questionnaire",
    "name": "files",
    "language": "en",
    "status": "draft",
    "item": [
        {
            "linkId": "s1",
            "type": "group",
            "text": "Evidence",
            "item": [
                {
                    "linkId": "photo",
                    "type": "attachment",
                    "text": "Photo of the injury",
                    "extension": [
                        {"url": SD + "maxSize", "valueDecimal": 2000},
                        {"url": SD + "mimeType", "valueCode": "image/png"},
                        {"url": SD + "mimeType", "valueCode": "image/jpeg"},
                    ],
                },
                {
                    "linkId": "shown",
                    "type": "boolean",
                    "text": "Was a photo given?",
                    "enableWhen": [{"question": "photo", "operator": "exists", "answerBoolean": True}],
                },
                {"linkId": "note", "type": "string", "text": "Note"},
            ],
        },
        {"linkId": "s2", "type": "group", "text": "End", "item": [{"linkId": "end", "type": "string", "text": "x"}]},
    ],
}


def png(size: int = 10) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problems_of(document) -> list[str]:
    return check_questionnaire(json.dumps(document))[1]


def test_attachment_with_size_and_types_imports():
    assert problems_of(DOC) == []


@pytest.mark.parametrize(
    ("extension", "item", "expected"),
    [
        ({"url": SD + "mimeType", "valueCode": "text/plain"}, 0, "none of these kinds of file is taken"),
        ({"url": SD + "maxSize", "valueDecimal": 0}, 0, "maxSize must be a valueDecimal of bytes"),
        ({"url": SD + "maxSize", "valueDecimal": 10}, 2, "maxSize and mimeType apply only to attachment"),
    ],
)
def test_size_and_type_limits_that_cannot_apply_are_refused(extension, item, expected):
    document = copy.deepcopy(DOC)
    document["item"][0]["item"][item]["extension"] = [extension]
    problems = problems_of(document)
    assert len(problems) == 1 and expected in problems[0]


@pytest.fixture
def files_intake(demo):
    version = tree_version_publish(version=tree_version_create(doc=copy.deepcopy(DOC), language="en"))
    return intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)


def post_step(client, intake, data: dict, files: dict | None = None):
    intake.refresh_from_db()
    payload = {**data, "revision": intake.revision, "action": "close"}
    for name, upload in (files or {}).items():
        payload[name] = upload
    return client.post(reverse("intake:step", args=[intake.pk, "s1"]), payload)


def stored_path(attachment: IntakeAttachment) -> Path:
    return Path(attachment.file.path)


def test_a_file_is_stored_privately_served_to_who_may_see_and_replaced(
    client_for, files_intake, settings, django_capture_on_commit_callbacks
):
    counsellor = client_for("counsellor")
    counsellor.post(reverse("set_language"), {"language": "en"})
    response = post_step(counsellor, files_intake, {}, {"q1": SimpleUploadedFile("my face.png", png())})
    assert response.status_code == 302
    files_intake.refresh_from_db()
    attachment = IntakeAttachment.objects.get()
    (answer,) = files_intake.answers["photo"]
    assert answer["url"] == f"urn:uuid:{attachment.pk}" and answer["contentType"] == "image/png"
    assert answer["title"] == "my face.png" and answer["size"] == attachment.size
    path = stored_path(attachment)
    assert path.is_relative_to(Path(settings.PRIVATE_FILES_ROOT)) and path.exists()
    assert "face" not in path.name  # nothing the uploader named reaches the disk

    # The step shows the saved file with a link; the review lists it.
    page = counsellor.get(reverse("intake:step", args=[files_intake.pk, "s1"])).content.decode()
    url = reverse("intake:attachment", args=[files_intake.pk, attachment.pk])
    assert f'href="{url}"' in page and "Remove the saved file" in page and 'enctype="multipart/form-data"' in page
    assert "my face.png (1 kB)" in counsellor.get(reverse("intake:review", args=[files_intake.pk])).content.decode()
    download = counsellor.get(url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert client_for("counsellor_other").get(url).status_code == 404
    assert client_for("counsellor2").get(url).status_code == 404

    # Saving the step again without a file (or by autosave) keeps it; the enableWhen "exists" holds.
    post_step(counsellor, files_intake, {"q3": "kept"})
    files_intake.refresh_from_db()
    assert files_intake.answers["photo"] == [answer] and files_intake.answers["note"] == ["kept"]
    autosave = reverse("intake:step_autosave", args=[files_intake.pk, "s1"])
    assert counsellor.post(autosave, {"q3": "again", "revision": files_intake.revision}).status_code == 200
    files_intake.refresh_from_db()
    assert files_intake.answers["photo"] == [answer] and files_intake.answers["note"] == ["again"]

    # A new file replaces the old one, file and row.
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows' deletion has committed
        post_step(counsellor, files_intake, {}, {"q1": SimpleUploadedFile("second.png", png(12))})
    files_intake.refresh_from_db()
    assert not path.exists()
    second = IntakeAttachment.objects.get()
    assert files_intake.answers["photo"][0]["url"] == f"urn:uuid:{second.pk}"

    # Removed: answer, row and file gone.
    with django_capture_on_commit_callbacks(execute=True):
        post_step(counsellor, files_intake, {"q1_remove": "on"})
    files_intake.refresh_from_db()
    assert "photo" not in files_intake.answers
    assert not IntakeAttachment.objects.exists() and not stored_path(second).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.png", png(60), "larger than 2 kB"),
        ("doc.pdf", PDF, "this question takes JPG, PNG"),
        ("photo.png", PDF, "this question takes JPG, PNG"),  # judged by the content, not the name
        ("empty.png", b"", "The submitted file is empty"),
    ],
)
def test_a_refused_file_gets_a_clear_error_and_keeps_the_rest(client_for, files_intake, name, data, message):
    counsellor = client_for("counsellor")
    counsellor.post(reverse("set_language"), {"language": "en"})
    response = post_step(counsellor, files_intake, {"q3": "typed"}, {"q1": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'value="typed"' in html
    assert not IntakeAttachment.objects.exists()


def test_retention_deletes_the_files_with_the_intake(client_for, files_intake, django_capture_on_commit_callbacks):
    counsellor = client_for("counsellor")
    post_step(counsellor, files_intake, {}, {"q1": SimpleUploadedFile("a.png", png())})
    path = stored_path(IntakeAttachment.objects.get())
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        purge_intakes([Intake.objects.get(pk=files_intake.pk)], None)
    assert not path.exists() and not IntakeAttachment.objects.exists()
