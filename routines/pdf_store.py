"""Render each PDF of a published version once, store it, and find it again.

Keyed on the version's pk, variant and language: publishing a new version gives a new key, so the next
request renders the new one and a stale folder is never served. Files go through the Django storage API
(default storage), so several app servers can share them (see docs/deployment.md).
"""

import hashlib
import io

import pikepdf
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from routines import pdf as renderers
from routines.models import RoutinePdf, RoutineVersion

LANGS = ("nb", "en")


def _render(variant: str, version: RoutineVersion, lang: str) -> bytes:
    # Looked up at call time, so tests can count the calls.
    if variant == RoutinePdf.Variant.FOLDER:
        return renderers.render_folder(version, lang)
    return renderers.render_a4(version, lang)


def routine_pdf_get(*, version: RoutineVersion, variant: str, lang: str) -> RoutinePdf:
    """The stored PDF for this published version, variant and language; rendered now if it is the first."""
    if variant not in RoutinePdf.Variant.values or lang not in LANGS:
        raise ValueError(f"No PDF variant {variant!r} in {lang!r}")
    found = RoutinePdf.objects.filter(version=version, variant=variant, lang=lang).select_related("version__routine")
    if (pdf := found.first()) is not None:
        if default_storage.exists(pdf.file_name):
            return pdf
        # The row outlived its file: a database restored without the media folder (docs/deployment.md, "Backups"),
        # or the files cleared. Render it again rather than fail every download.
        RoutinePdf.objects.filter(pk=pdf.pk).delete()
    data = _render(variant, version, lang)
    digest = hashlib.sha256(data).hexdigest()
    with pikepdf.open(io.BytesIO(data)) as document:
        pages = len(document.pages)
    # The hash in the name: two racing renders of the same content write the same bytes, and storage picks a
    # free name for the second rather than overwriting a file someone may be reading.
    name = default_storage.save(f"routine-pdfs/{version.pk}/{variant}-{lang}-{digest[:16]}.pdf", ContentFile(data))
    try:
        with transaction.atomic():
            return RoutinePdf.objects.create(
                version=version, variant=variant, lang=lang, file_name=name, sha256=digest, size=len(data), pages=pages
            )
    except IntegrityError:
        # Another request stored it first: use theirs, drop ours.
        default_storage.delete(name)
        return RoutinePdf.objects.select_related("version__routine").get(version=version, variant=variant, lang=lang)
