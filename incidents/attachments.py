"""Attachments on incident reports and their actions: the checks an upload passes before anything is stored,
and storing and removing them. Views and forms call these; nothing here takes a request.

The order of the checks: size (before reading more than the limit), the virus scan of the bytes as uploaded
(``core.virusscan``; an infected file is refused whatever its kind), the kind by content (``core.uploads.sniff``,
never the name), and for photos a re-encode without EXIF data (location, camera, time).
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.uploads import BadImage, FileKind, sniff, strip_image_metadata
from core.virusscan import ScannerUnavailable, Verdict, scan_bytes
from incidents.models import Incident, IncidentAction, IncidentAttachment, IncidentTransition

logger = logging.getLogger(__name__)

NAME_MAX = 200


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: the bytes to store (photos already stripped), ready to save."""

    name: str
    kind: FileKind
    data: bytes
    scan: str


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The upload checked, or ValidationError with a message for the person who chose the file."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(max)s MB. Choose a smaller file, or take a new photo.")
            % {"name": upload.name, "max": _megabytes(limit)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is larger than %(max)s MB.") % {"max": _megabytes(limit)}, code="too_large")
    if not data:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": upload.name}, code="empty")
    try:
        result = scan_bytes(data)
    except ScannerUnavailable as error:
        logger.error("virus scanner unavailable: %s", error)
        raise ValidationError(
            _(
                "The virus scanner is not answering, so the file “%(name)s” was not stored. The rest of what you "
                "entered is kept: try again in a few minutes, or send the report without the file."
            )
            % {"name": upload.name},
            code="scanner_unavailable",
        ) from error
    if result.verdict == Verdict.INFECTED:
        # The signature's name only: never the file's name or content, which may say who it is about.
        logger.warning("upload refused by the virus scanner: %s", result.signature)
        raise ValidationError(
            _(
                "The file “%(name)s” was refused: the virus scanner found malware in it (%(signature)s). It was "
                "not stored. If you think this is wrong, contact your IT department."
            )
            % {"name": upload.name, "signature": result.signature},
            code="infected",
        )
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            _(
                "The file “%(name)s” cannot be attached: only photos (JPEG, PNG) and documents (PDF, Word, Excel, "
                "OpenDocument text) are taken, and this file's content is none of these, whatever its name says."
            )
            % {"name": upload.name},
            code="kind",
        )
    if kind.is_image:
        try:
            data = strip_image_metadata(data, kind)
        except BadImage as error:
            raise ValidationError(
                _("The photo “%(name)s” could not be read. Take it again or choose another file.")
                % {"name": upload.name},
                code="bad_image",
            ) from error
    scan = IncidentAttachment.Scan.CLEAN if result.verdict == Verdict.CLEAN else IncidentAttachment.Scan.NOT_SCANNED
    name = (upload.name or kind.extension).replace("\x00", "")[-NAME_MAX:]
    return CheckedFile(name=name, kind=kind, data=data, scan=scan)


def _delete_files_later(names: list[str]) -> None:
    """Delete stored files once the transaction that removed their rows has committed."""
    if not names:
        return
    storage = IncidentAttachment._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def attachment_add(
    *, incident: Incident, user: Any, checked: CheckedFile, action: IncidentAction | None = None
) -> IncidentAttachment:
    """Store a checked file on the report (or one of its actions), in the change log and the audit log."""
    if action is not None and action.incident_id != incident.pk:
        raise ValueError("The action belongs to another report.")
    attachment = IncidentAttachment(
        incident=incident,
        action=action,
        name=checked.name,
        kind=checked.kind.code,
        size=len(checked.data),
        scan=checked.scan,
        uploaded_by=user,
    )
    attachment.file.save("upload", ContentFile(checked.data), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    IncidentTransition.objects.create(
        incident=incident,
        by=user,
        from_state=incident.state,
        to_state=incident.state,
        kind="attachment_added",
        changes={"attachment": checked.kind.code},
    )
    audit_log(actor=user, action="incident.attachment_added", target=incident, unit=incident.unit)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: IncidentAttachment, user: Any) -> None:
    incident = attachment.incident
    name = attachment.file.name
    attachment.delete()
    _delete_files_later([name])
    IncidentTransition.objects.create(
        incident=incident,
        by=user,
        from_state=incident.state,
        to_state=incident.state,
        kind="attachment_removed",
        changes={"attachment": attachment.kind},
    )
    audit_log(actor=user, action="incident.attachment_removed", target=incident, unit=incident.unit)


def delete_attachments_of(incident_pks: list[Any]) -> int:
    """Remove every attachment of these reports, rows now and files after commit (the retention run)."""
    rows = IncidentAttachment.objects.filter(incident__in=incident_pks)
    names = list(rows.values_list("file", flat=True))
    count, _per_model = rows.delete()
    _delete_files_later(names)
    return count
