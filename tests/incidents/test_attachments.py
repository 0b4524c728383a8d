"""Issue 21, attachments: photos and documents on a report and its actions, checked by content, scanned by a
real clamd where one runs, photos without their location, kept where no URL reaches them, served only through
the access check, and gone when the report is anonymised."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.demo import UNIVERSITY
from audit.models import AuditEvent
from core.uploads import private_storage
from incidents import retention, services
from incidents.models import Incident, IncidentAttachment
from tests.conftest import EICAR
from tests.incidents.test_incidents import form_data, report

GPS_IFD = 0x8825


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (59.0, 54.0, 50.0), 3: "E", 4: (10.0, 45.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo does carry a location
    return data


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def new_report(client, units, *files):
    data = form_data(unit=units[UNIVERSITY].pk)
    data["attachments"] = list(files)
    return client.post(reverse("incidents:new"), data)


def test_a_photo_sent_with_the_report_is_stored_privately_without_its_location(client_for, units, settings):
    response = new_report(client_for("staff"), units, upload("IMG_0001.jpg", jpeg_with_location(), "image/jpeg"))
    assert response.status_code == 302
    attachment = IncidentAttachment.objects.get()
    assert attachment.name == "IMG_0001.jpg" and attachment.kind == "jpeg" and attachment.action is None
    # No scanner configured here: stored, and marked so.
    assert attachment.scan == IncidentAttachment.Scan.NOT_SCANNED
    path = Path(attachment.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_FILES_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "IMG_0001" not in path.name  # nothing the uploader named reaches the disk
    stored = Image.open(path)
    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif and 0x010F not in exif
    assert stored.size == (40, 30)
    with pytest.raises(ValueError):
        private_storage.url(attachment.file.name)
    assert AuditEvent.objects.filter(action="incident.attachment_added").count() == 1


def test_the_file_is_served_only_through_the_access_check(client_for, users, units, django_capture_on_commit_callbacks):
    incident = report(users, units)
    client = client_for("manager")
    response = client.post(
        reverse("incidents:attachment_add", args=[incident.pk]),
        {"attachments": [upload("notes.pdf", PDF)], "target": ""},
    )
    assert response.status_code == 302
    attachment = IncidentAttachment.objects.get()
    url = reverse("incidents:attachment", args=[incident.pk, attachment.pk])
    for persona in ("staff", "manager", "admin"):
        got = client_for(persona).get(url)
        assert got.status_code == 200, persona
        assert got["Content-Type"] == "application/pdf"
        assert got["Content-Disposition"].startswith("attachment;")
        assert b"".join(got.streaming_content) == PDF
        assert got["Cache-Control"] == "private, no-store"
    for persona in ("counsellor", "manager_other", "editor", "printshop"):
        assert client_for(persona).get(url).status_code == 404, persona
    assert client_for("anonymous").get(url).status_code == 302  # to the login page
    # Another report's id with this file's id: not found either.
    other = report(users, units)
    assert client.get(reverse("incidents:attachment", args=[other.pk, attachment.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="incident.attachment_viewed").count() == 3
    # The page lists it, and the manager may remove it.
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "notes.pdf" in page and url in page
    remove = reverse("incidents:attachment_remove", args=[incident.pk, attachment.pk])
    assert client_for("staff").post(remove).status_code == 404  # the reporter sees it, may not remove it
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove)
    assert response.status_code == 302
    assert not IncidentAttachment.objects.exists()
    assert not path.exists()


def test_the_kind_is_checked_by_content_not_by_name(client_for, users, units):
    incident = report(users, units)
    client = client_for("manager")
    url = reverse("incidents:attachment_add", args=[incident.pk])
    response = client.post(url, {"attachments": [upload("holiday.jpg", b"#!/bin/sh\nrm -rf /\n", "image/jpeg")]})
    assert response.status_code == 400
    assert "holiday.jpg" in response.content.decode()
    assert "uansett hva navnet sier" in response.content.decode()
    assert not IncidentAttachment.objects.exists()
    # A PDF named .txt is a PDF.
    assert client.post(url, {"attachments": [upload("minutes.txt", PDF, "text/plain")]}).status_code == 302
    assert IncidentAttachment.objects.get().kind == "pdf"


def test_a_file_over_the_limit_is_refused_and_the_report_is_not_lost(client_for, units, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = new_report(client_for("staff"), units, upload("big.pdf", PDF + b"0" * 2000))
    assert response.status_code == 200
    html = response.content.decode()
    assert ("big.pdf" in html and "1 MB" not in html) or "større enn" in html
    assert "A visitor shouted at a colleague." in html  # what was typed is kept
    assert not Incident.objects.exists()


def test_the_reporter_may_attach_to_her_report_and_an_action_owner_to_his_action(client_for, users, units):
    incident = report(users, units)
    action = services.action_add(
        incident=incident,
        user=users["manager"],
        description="Install an alarm button.",
        responsible=users["counsellor"],
        deadline=timezone.localdate() + timedelta(days=3),
    )
    url = reverse("incidents:attachment_add", args=[incident.pk])
    assert client_for("staff").post(url, {"attachments": [upload("a.png", png())], "target": ""}).status_code == 302
    # The reporter cannot attach to an action that is not hers.
    refused = client_for("staff").post(url, {"attachments": [upload("b.png", png())], "target": str(action.pk)})
    assert refused.status_code == 400
    owner = client_for("counsellor").post(url, {"attachments": [upload("c.png", png())], "target": str(action.pk)})
    assert owner.status_code == 302
    assert list(IncidentAttachment.objects.values_list("name", "action_id")) == [("a.png", None), ("c.png", action.pk)]
    assert client_for("manager_other").post(url, {"attachments": [upload("d.png", png())]}).status_code == 404


def test_anonymising_a_report_deletes_its_files(users, units, django_capture_on_commit_callbacks):
    from core.retention import cutoffs as make_cutoffs

    incident = report(users, units)
    from incidents.attachments import attachment_add, check_upload

    with django_capture_on_commit_callbacks(execute=True):
        attachment = attachment_add(
            incident=incident, user=users["staff"], checked=check_upload(upload("p.png", png()))
        )
    path = Path(attachment.file.path)
    assert path.exists()
    Incident.objects.filter(pk=incident.pk).update(state="closed", closed_at=timezone.now() - timedelta(days=4000))
    cutoffs = make_cutoffs()
    with django_capture_on_commit_callbacks(execute=True):
        retention.anonymise_incidents(list(retention.expired_incidents(cutoffs)), cutoffs)
    assert not IncidentAttachment.objects.exists()
    assert not path.exists()


# --- a real ClamAV daemon ---------------------------------------------------------------------------------


def test_an_eicar_file_is_refused_with_a_clear_message(clamd, client_for, users, units):
    incident = report(users, units)
    client = client_for("manager")
    url = reverse("incidents:attachment_add", args=[incident.pk])
    response = client.post(url, {"attachments": [upload("report.pdf", EICAR)]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "report.pdf" in html and "Eicar-Test-Signature" in html and "skadevare" in html
    # Inside a PDF too: the scanner reads every byte.
    response = client.post(url, {"attachments": [upload("scan.pdf", PDF + EICAR)]})
    assert response.status_code == 400
    assert not IncidentAttachment.objects.exists()
    # A clean file is stored and marked as scanned.
    assert client.post(url, {"attachments": [upload("clean.png", png())]}).status_code == 302
    assert IncidentAttachment.objects.get().scan == IncidentAttachment.Scan.CLEAN


def test_a_configured_scanner_that_does_not_answer_refuses_the_upload(settings, client_for, users, units, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    incident = report(users, units)
    response = client_for("manager").post(
        reverse("incidents:attachment_add", args=[incident.pk]), {"attachments": [upload("clean.png", png())]}
    )
    assert response.status_code == 400
    assert "svarer ikke" in response.content.decode()
    assert not IncidentAttachment.objects.exists()
