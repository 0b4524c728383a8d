"""Files answering ``attachment`` questions: checked as incidents' attachments are (by content with
``core.uploads.sniff``, scanned with ``core.virusscan``, photos stripped of their metadata), within the
question's ``maxSize`` and ``mimeType`` extensions and the site's ``ATTACHMENT_MAX_BYTES``. The wizard's form
checks (``check_attachment``); ``intake.services.intake_attachment_add`` stores; the answer is a FHIR
Attachment ``{contentType, title, size, url: "urn:uuid:<id>", creation}`` pointing at the stored row."""

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core.uploads import KINDS, BadImage, FileKind, sniff, strip_image_metadata
from core.virusscan import ScannerUnavailable, Verdict, scan_bytes
from intake.questionnaire import Item, extension_value

logger = logging.getLogger(__name__)

EXT_MAX_SIZE = "http://hl7.org/fhir/StructureDefinition/maxSize"  # valueDecimal, bytes
EXT_MIME_TYPE = "http://hl7.org/fhir/StructureDefinition/mimeType"  # valueCode, repeated
NAME_MAX = 200
URN = "urn:uuid:"


@dataclass(frozen=True)
class CheckedAttachment:
    """An upload that passed every check: the bytes to store (photos already stripped)."""

    name: str
    kind: FileKind
    data: bytes
    clean: bool  # scanned and clean; False: no scanner is set up


def size_limit(item: Item) -> int:
    """The question's maxSize, never above the site's limit."""
    limit = int(settings.ATTACHMENT_MAX_BYTES)
    own = extension_value(item.raw, EXT_MAX_SIZE)
    if isinstance(own, int | float) and not isinstance(own, bool) and own > 0:
        limit = min(limit, int(own))
    return limit


def allowed_kinds(item: Item) -> list[FileKind]:
    """The kinds of file we take that the question's mimeType extensions allow (all of them without any)."""
    types = [
        ext.get("valueCode")
        for ext in item.raw.get("extension", []) or []
        if isinstance(ext, dict) and ext.get("url") == EXT_MIME_TYPE
    ]
    kinds = list(KINDS.values())
    if not types:
        return kinds
    return [k for k in kinds if k.content_type in types or f"{k.content_type.split('/')[0]}/*" in types]


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} kB"


def check_attachment(item: Item, upload: UploadedFile) -> CheckedAttachment:
    """The upload checked, or ValidationError with a message for the counsellor who chose it."""
    limit = size_limit(item)
    name = (upload.name or "").replace("\x00", "")[-NAME_MAX:]
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(max)s. Choose a smaller file.")
            % {"name": name, "max": size_text(limit)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is larger than %(max)s.") % {"max": size_text(limit)}, code="too_large")
    if not data:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    try:
        result = scan_bytes(data)
    except ScannerUnavailable as error:
        logger.error("virus scanner unavailable: %s", error)
        raise ValidationError(
            _(
                "The virus scanner is not answering, so the file “%(name)s” was not stored. Try again in a few "
                "minutes; choose the file again then."
            )
            % {"name": name},
            code="scanner_unavailable",
        ) from error
    if result.verdict == Verdict.INFECTED:
        logger.warning("intake upload refused by the virus scanner: %s", result.signature)
        raise ValidationError(
            _("The file “%(name)s” was refused: the virus scanner found malware in it (%(signature)s).")
            % {"name": name, "signature": result.signature},
            code="infected",
        )
    kind = sniff(data)
    allowed = allowed_kinds(item)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("The file “%(name)s” cannot be used here: this question takes %(kinds)s, judged by the content.")
            % {"name": name, "kinds": ", ".join(k.extension.upper() for k in allowed) or "-"},
            code="kind",
        )
    if kind.is_image:
        try:
            data = strip_image_metadata(data, kind)
        except BadImage as error:
            raise ValidationError(
                _("The photo “%(name)s” could not be read. Choose another file.") % {"name": name}, code="bad_image"
            ) from error
    return CheckedAttachment(name=name or kind.extension, kind=kind, data=data, clean=result.verdict == Verdict.CLEAN)


def attachment_ids(answers: dict[str, list]) -> set[str]:
    """The stored attachments the answers refer to (well-formed ``urn:uuid:`` references only)."""
    ids = set()
    for values in answers.values():
        for value in values or []:
            url = value.get("url") if isinstance(value, dict) else None
            if isinstance(url, str) and url.startswith(URN):
                try:
                    ids.add(str(uuid.UUID(url.removeprefix(URN))))
                except ValueError:
                    continue
    return ids


def attachment_display(value: dict) -> str:
    size = value.get("size")
    title = str(value.get("title") or "")
    return f"{title} ({size_text(size)})" if isinstance(size, int) else title
