"""Render each PDF of a published version once, store it, and find it again.

Keyed on the version's pk, variant and language: publishing a new version gives a new key, so the next
request renders the new one and a stale folder is never served. Files go through the Django storage API
(default storage: a folder, or an object store every app server shares; docs/deployment.md).

Once, for all servers: a request that finds no stored file takes a lock for its key before rendering. On
PostgreSQL that is a transaction advisory lock, which every process on every server sees; a second request
asking at the same moment waits for it, then finds the first one's row and file and renders nothing. The lock
is released at commit, or when a process dies with its connection. On SQLite (one machine, development) it is
a lock in this process; the unique row still settles a race between processes there.
"""

import hashlib
import io
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pikepdf
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction

from routines import pdf as renderers
from routines.models import RoutinePdf, RoutineVersion

LANGS = ("nb", "en")

logger = logging.getLogger(__name__)

_local_locks: dict[str, threading.Lock] = {}
_local_locks_guard = threading.Lock()


def _render(variant: str, version: RoutineVersion, lang: str) -> bytes:
    # Looked up at call time, so tests can count the calls.
    if variant == RoutinePdf.Variant.FOLDER:
        return renderers.render_folder(version, lang)
    return renderers.render_a4(version, lang)


def lock_key(*, version: RoutineVersion, variant: str, lang: str) -> int:
    """A signed 64-bit number for PostgreSQL's advisory locks, the same in every process for one PDF."""
    name = f"routines.pdf_store:{version.pk}:{variant}:{lang}".encode()
    return int.from_bytes(hashlib.sha256(name).digest()[:8], "big", signed=True)


@contextmanager
def render_lock(*, version: RoutineVersion, variant: str, lang: str) -> Iterator[None]:
    """Held by one request at a time for this PDF: across all servers on PostgreSQL, in this process elsewhere.
    On PostgreSQL the block runs in a transaction, and the lock ends with it."""
    key = lock_key(version=version, variant=variant, lang=lang)
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            yield
        return
    with _local_locks_guard:
        lock = _local_locks.setdefault(str(key), threading.Lock())
    with lock:
        yield


def _stored(*, version: RoutineVersion, variant: str, lang: str) -> RoutinePdf | None:
    """The row and its file, if both are there (the file in the storage every server shares, if it is shared)."""
    found = RoutinePdf.objects.filter(version=version, variant=variant, lang=lang).select_related("version__routine")
    if (pdf := found.first()) is None:
        return None
    if default_storage.exists(pdf.file_name):
        return pdf
    # The row outlived its file: a database restored without the media folder (docs/deployment.md, "Backups"),
    # or the files cleared. Render it again rather than fail every download.
    RoutinePdf.objects.filter(pk=pdf.pk).delete()
    return None


def routine_pdf_get(*, version: RoutineVersion, variant: str, lang: str) -> RoutinePdf:
    """The stored PDF for this published version, variant and language; rendered now if it is the first."""
    if variant not in RoutinePdf.Variant.values or lang not in LANGS:
        raise ValueError(f"No PDF variant {variant!r} in {lang!r}")
    if (pdf := _stored(version=version, variant=variant, lang=lang)) is not None:
        return pdf
    with render_lock(version=version, variant=variant, lang=lang):
        # Another request (on this server or another) may have stored it while this one waited for the lock.
        if (pdf := _stored(version=version, variant=variant, lang=lang)) is not None:
            return pdf
        return _render_and_store(version=version, variant=variant, lang=lang)


def _render_and_store(*, version: RoutineVersion, variant: str, lang: str) -> RoutinePdf:
    started = time.monotonic()
    data = _render(variant, version, lang)
    digest = hashlib.sha256(data).hexdigest()
    with pikepdf.open(io.BytesIO(data)) as document:
        pages = len(document.pages)
    # The hash in the name: two racing renders of the same content write the same bytes, and storage picks a
    # free name for the second rather than overwriting a file someone may be reading.
    name = default_storage.save(f"routine-pdfs/{version.pk}/{variant}-{lang}-{digest[:16]}.pdf", ContentFile(data))
    logger.info(
        "routine PDF rendered: version %s, %s, %s, %d pages, %d bytes, %.2f s",
        version.pk,
        variant,
        lang,
        pages,
        len(data),
        time.monotonic() - started,
    )
    try:
        with transaction.atomic():
            return RoutinePdf.objects.create(
                version=version, variant=variant, lang=lang, file_name=name, sha256=digest, size=len(data), pages=pages
            )
    except IntegrityError:
        # Another request stored it first: use theirs, drop ours.
        default_storage.delete(name)
        return RoutinePdf.objects.select_related("version__routine").get(version=version, variant=variant, lang=lang)
