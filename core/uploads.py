"""Checking uploaded files by their content, never by their name, and storing them where no URL reaches.

``sniff(data)`` names the kind of file from its first bytes (magic numbers) among the few kinds the app takes;
``strip_image_metadata`` re-encodes a photo without its EXIF data (the GPS location above all), turned the
way the camera meant it; ``PrivateStorage`` keeps files under ``PRIVATE_FILES_ROOT``, outside ``MEDIA_ROOT``,
and has no URL: files are served only by views that check access first.
"""

import io
import os
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageOps


@dataclass(frozen=True)
class FileKind:
    code: str
    content_type: str
    extension: str
    is_image: bool = False


JPEG = FileKind("jpeg", "image/jpeg", "jpg", is_image=True)
PNG = FileKind("png", "image/png", "png", is_image=True)
PDF = FileKind("pdf", "application/pdf", "pdf")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "odt")
KINDS = {k.code: k for k in (JPEG, PNG, PDF, DOCX, XLSX, ODT)}


def _zip_kind(data: bytes) -> FileKind | None:
    """A ZIP is an office document only if its parts say so."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
                return ODT
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def sniff(data: bytes) -> FileKind | None:
    """The kind of file ``data`` is, from its content; None for anything not taken."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


class BadImage(Exception):
    """The file starts like a photo but cannot be read as one."""


def strip_image_metadata(data: bytes, kind: FileKind) -> bytes:
    """The photo re-encoded without EXIF or other metadata (location, camera, time), turned upright."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if kind is JPEG:
                    upright = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
                    upright.save(out, format="JPEG", quality=90)
                else:
                    upright.save(out, format="PNG")
                return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise BadImage(str(e)) from e


class PrivateStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_FILES_ROOT`` (read on every use, so tests can point it elsewhere), with no
    URL at all: asking for one is a programming error."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> str:
        raise ValueError("Private files have no URL; serve them through a view that checks access.")

    @property
    def file_permissions_mode(self) -> int:
        return 0o600

    @property
    def directory_permissions_mode(self) -> int:
        return 0o700

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a view that checks access.")

    def deconstruct(self):  # type: ignore[no-untyped-def]
        return ("core.uploads.PrivateStorage", (), {})


private_storage = PrivateStorage()
