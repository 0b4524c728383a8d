"""The routine PDFs: the print folder a print shop can use as it is, the tagged A4 print, the safe URL fetcher,
and rendering once per version, variant and language."""

import io
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from core.pdf import safe_url_fetcher, static_base_url
from routines import pdf as renderers
from routines.models import RoutinePdf, RoutineVersion
from routines.pdf import BLEED_MM, ICC_PROFILE, MM, render_a4, render_folder
from routines.selectors import get_published_routine
from routines.services import routine_draft_start, routine_version_publish_demo

BLEED_PT = BLEED_MM * MM  # 8.504 pt
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _box(page, name):
    return [float(v) for v in page.obj[name]]


def _pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def _numbers(version: RoutineVersion) -> list[str]:
    return [c["number"] for c in version.content.get("contacts", [])]


def annotations_inside_trim(page) -> list:
    """The annotations (links, ...) of a page whose rectangle reaches into its TrimBox."""
    trim = _box(page, "/TrimBox")
    inside = []
    for annot in page.obj.get("/Annots", []):
        rect = [float(v) for v in annot.Rect]
        (x0, x1), (y0, y1) = sorted(rect[0::2]), sorted(rect[1::2])
        if x0 < trim[2] and x1 > trim[0] and y0 < trim[3] and y1 > trim[1]:
            inside.append(annot)
    return inside


def assert_print_ready(data: bytes, version: RoutineVersion):
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert meta["xmpMM:RenditionClass"] == "default"  # the file to print from, not a proof
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert len(pdf.pages) % 4 == 0
        for page in pdf.pages:
            trim, bleed, media = _box(page, "/TrimBox"), _box(page, "/BleedBox"), _box(page, "/MediaBox")
            assert trim[2] - trim[0] == pytest.approx(A5[0], abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(A5[1], abs=0.01)
            assert [b - t for b, t in zip(bleed, trim, strict=True)] == pytest.approx(
                [-BLEED_PT, -BLEED_PT, BLEED_PT, BLEED_PT], abs=0.01
            )
            # Room for the crop marks outside the bleed on every side.
            assert media[0] < bleed[0] - 5 * MM and media[1] < bleed[1] - 5 * MM
            assert media[2] > bleed[2] + 5 * MM and media[3] > bleed[3] + 5 * MM
            assert annotations_inside_trim(page) == [], "an annotation inside the TrimBox (prepress flags it)"
            # The marks are drawn in the Separation /All colour space, so they print on every plate.
            colour_spaces = page.obj.Resources.ColorSpace
            assert colour_spaces.CSAll[0] == pikepdf.Name.Separation and colour_spaces.CSAll[1] == pikepdf.Name.All
            assert b"/CSAll CS 1 SCN" in page.obj.Contents[-1].read_bytes()
            # Colours are specified for print: no RGB or grey colour operator anywhere on the page.
            operators = {str(op) for _operands, op in pikepdf.parse_content_stream(page)}
            assert operators & {"rg", "RG", "g", "G"} == set()
            assert "/DeviceRGB" not in str(page.obj.Resources.get("/ColorSpace", {}))
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert intent.OutputConditionIdentifier == "FOGRA39"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        assert profile.read_bytes()[16:20] == b"CMYK"
        _assert_profile_embedded_once_compressed(pdf, profile)
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
        assert pdf.docinfo["/Trapped"] == pikepdf.Name("/False")
        assert "PDF/X-4" in str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion", ""))
        _assert_fonts_embedded(pdf)
    if POPPLER:
        text = _pdftotext(data)
        for number in _numbers(version):
            assert number in text


def _assert_profile_embedded_once_compressed(pdf, profile):
    """The output intent carries the shipped profile byte for byte, compressed, and no second copy exists
    (WeasyPrint's own copy, re-serialised by LittleCMS, was 608 kB against the file's 354 kB)."""
    shipped = (Path(settings.STATICFILES_DIRS[0]) / ICC_PROFILE).read_bytes()
    assert profile.read_bytes() == shipped
    assert len(profile.read_raw_bytes()) <= len(shipped)
    assert profile.get("/Filter") == pikepdf.Name.FlateDecode
    profiles = [
        obj
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and "/N" in obj and obj.get("/Type") != pikepdf.Name.ObjStm
    ]
    assert len(profiles) == 1


def _assert_fonts_embedded(pdf):
    fonts = 0
    for page in pdf.pages:
        for font in page.obj.Resources.get("/Font", {}).values():
            fonts += 1
            descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font
            assert "Krise-Sans" in str(font.BaseFont)
    assert fonts


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_demo_routine_gives_a_print_ready_folder(routines, lang):
    versions = [get_published_routine(r.slug) for r in routines]
    assert len(versions) == 4
    for version in versions:
        assert_print_ready(render_folder(version, lang), version)


def test_a_folder_link_loses_its_annotation_but_keeps_its_text(routines, monkeypatch):
    """The duty-to-avert folders link to a web page on page 2: WeasyPrint makes a link annotation there, inside
    the trim; the finished folder has none, and the link's words are still printed."""
    version = get_published_routine("avvergingsplikten-fasilitatorveileder")
    raw_pages = []
    finish = renderers._finish_for_print

    def keep_raw(raw):
        with pikepdf.open(io.BytesIO(raw)) as pdf:
            raw_pages.append(sum(len(annotations_inside_trim(p)) for p in pdf.pages))
        return finish(raw)

    monkeypatch.setattr(renderers, "_finish_for_print", keep_raw)
    data = render_folder(version, "nb")
    assert raw_pages and raw_pages[0] > 0  # there was something to remove
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert all(annotations_inside_trim(p) == [] for p in pdf.pages)
    if POPPLER:
        assert "plikt.no" in _pdftotext(data)


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdffonts) is in .ci/system-packages.sh's test list")
def test_pdffonts_sees_every_font_embedded(routines):
    data = render_folder(get_published_routine("vold-og-trusler"), "nb")
    rows = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=False)
    if rows.returncode:  # older poppler reads no stdin
        path = f"/tmp/krise-{id(data)}.pdf"
        with open(path, "wb") as f:
            f.write(data)
        rows = subprocess.run(["pdffonts", path], capture_output=True, check=True)
    lines = rows.stdout.decode().splitlines()[2:]
    assert lines
    assert all(line.split()[-5] == "yes" for line in lines), lines  # the "emb" column


def test_folder_is_padded_with_notes_pages_before_the_back_cover(routines):
    version = get_published_routine("vold-og-trusler")
    with pikepdf.open(io.BytesIO(render_folder(version, "en"))) as pdf:
        pages = len(pdf.pages)
    text = _pdftotext(render_folder(version, "en")) if POPPLER else ""
    with translation.override("en"):
        unpadded = renderers._document(version, "en", variant="folder")
    assert pages == len(unpadded.pages) + (-len(unpadded.pages) % 4)
    if POPPLER and pages != len(unpadded.pages):
        last_pages = text.split("\f")
        assert "Notes" in last_pages[pages - 2]
        assert "Next review" in last_pages[pages - 1]


def test_back_cover_has_version_dates_and_a_qr_code_to_the_routine(routines, settings):
    settings.SITE_URL = "https://krise.example.org"
    version = get_published_routine("vold-og-trusler")
    data = render_folder(version, "en")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        back = pdf.pages[-1]
        assert "/XObject" in back.obj.Resources  # the QR code (SVG is drawn as a form)
    if POPPLER:
        back_text = _pdftotext(data).split("\f")[-2]
        assert "https://krise.example.org/routines/vold-og-trusler/" in back_text
        assert "Version" in back_text and "Next review" in back_text and "Approved" in back_text


def test_a4_is_tagged_rgb_a4_without_marks(routines):
    for routine in routines:
        version = get_published_routine(routine.slug)
        data = render_a4(version, "nb")
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert bool(pdf.Root.MarkInfo.Marked)
            assert str(pdf.Root.Lang) == "nb"
            for page in pdf.pages:
                media = _box(page, "/MediaBox")
                assert media[2] - media[0] == pytest.approx(A4[0], abs=0.01)
                assert media[3] - media[1] == pytest.approx(A4[1], abs=0.01)
                assert "/CSAll" not in page.obj.Resources.get("/ColorSpace", {})
            assert "/OutputIntents" not in pdf.Root or all(i.S != pikepdf.Name.GTS_PDFX for i in pdf.Root.OutputIntents)
            _assert_fonts_embedded(pdf)
        if POPPLER:
            text = _pdftotext(data)
            for number in _numbers(version):
                assert number in text


# --- The URL fetcher -----------------------------------------------------------------------------------


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_fetcher_reads_no_network_and_no_files_outside_static_and_media(settings, tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/tracker.png"
        fetcher = safe_url_fetcher()
        html = (
            f'<p>x</p><img src="{url}"><img src="file:///etc/passwd">'
            '<img src="fonts/../../../../../../etc/passwd">'
            f'<link rel="stylesheet" href="{url}">'
        )
        HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher).write_pdf()
        assert _Counter.hits == 0
        assert url in fetcher.refused
        assert "file:///etc/passwd" in fetcher.refused
        # A relative path that climbs out of static/ is refused too, even to a file in our own repository.
        with pytest.raises(ValueError):
            fetcher.fetch(static_base_url() + "../pyproject.toml")
        with pytest.raises(ValueError):
            fetcher.fetch("file:///etc/passwd")
        with pytest.raises(ValueError):
            fetcher.fetch(url)
        # Our own files and data: URIs are read.
        assert fetcher.fetch(static_base_url() + "fonts/DejaVuSans.ttf")
        assert fetcher.fetch("data:text/plain,hello")
    finally:
        server.shutdown()


def test_routine_content_pointing_outside_is_not_fetched(routines, monkeypatch):
    version = get_published_routine("vold-og-trusler")
    version.content["sections"][0]["steps"][0] = {
        "nb": '![x](http://127.0.0.1:9/x.png) <img src="file:///etc/passwd">',
        "en": '![x](http://127.0.0.1:9/x.png) <img src="file:///etc/passwd">',
    }
    fetched = []
    original = renderers.safe_url_fetcher

    def spying_fetcher():
        fetcher = original()
        real = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return real(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(renderers, "safe_url_fetcher", spying_fetcher)
    render_a4(version, "nb")
    # The sanitizer drops the images before WeasyPrint sees them; the fetcher would refuse them anyway.
    assert not [u for u in fetched if u.startswith("http") or "passwd" in u]
    assert fetched  # the fetcher is in use: it read our font


# --- Rendering once, serving from storage ---------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    calls = []
    for name in ("render_folder", "render_a4"):
        real = getattr(renderers, name)

        def wrapper(version, lang, _real=real, _name=name):
            calls.append((_name, version.pk, lang))
            return _real(version, lang)

        monkeypatch.setattr(renderers, name, wrapper)
    return calls


def test_second_download_is_served_from_storage_without_rendering(client, routines, counted):
    url = reverse("routines:folder_pdf", args=["vold-og-trusler"])
    first = client.get(url, {"lang": "en"})
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'attachment; filename="routine-vold-og-trusler-v1-en-folder.pdf"'
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF")
    assert len(counted) == 1
    second = client.get(url, {"lang": "en"})
    assert b"".join(second.streaming_content) == body
    assert second["ETag"] == first["ETag"]
    assert len(counted) == 1  # no second render
    not_modified = client.get(url, {"lang": "en"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert len(counted) == 1
    assert RoutinePdf.objects.count() == 1


def test_language_and_variant_are_separate_files_and_bad_lang_falls_back(client, routines, counted):
    client.get(reverse("routines:a4_pdf", args=["vold-og-trusler"]), {"lang": "nb"})
    client.get(reverse("routines:a4_pdf", args=["vold-og-trusler"]), {"lang": "en"})
    response = client.get(reverse("routines:a4_pdf", args=["vold-og-trusler"]), {"lang": "../../etc"})
    assert response.status_code == 200
    assert "-nb-a4.pdf" in response["Content-Disposition"]  # the default language: bokmål
    assert [c[0] for c in counted] == ["render_a4", "render_a4"]


def test_publishing_a_new_version_renders_the_new_one(client, routines, users, counted):
    url = reverse("routines:a4_pdf", args=["vold-og-trusler"])
    old_etag = client.get(url)["ETag"]
    routine = get_published_routine("vold-og-trusler").routine
    draft = routine_draft_start(routine=routine, user=users["editor"])
    draft.title_nb = "Vold og trusler, ny versjon"
    draft.save()
    routine_version_publish_demo(version=draft, user=users["editor"])
    response = client.get(url)
    assert "-v2-" in response["Content-Disposition"]
    assert response["ETag"] != old_etag
    assert len(counted) == 2
    assert client.get(url, HTTP_IF_NONE_MATCH=old_etag).status_code == 200  # the old copy is stale


def test_a_stored_pdf_whose_file_is_gone_is_rendered_again(client, routines, media_root, counted):
    """A database restored without the media folder (the files need no backup): the rows point at nothing, and
    the next download renders the PDF again instead of failing."""
    url = reverse("routines:a4_pdf", args=["vold-og-trusler"])
    first = client.get(url, {"lang": "nb"})
    assert first.status_code == 200 and len(counted) == 1
    shutil.rmtree(media_root)
    again = client.get(url, {"lang": "nb"})
    assert again.status_code == 200
    assert b"".join(again.streaming_content).startswith(b"%PDF")
    assert len(counted) == 2
    pdf = RoutinePdf.objects.get()
    assert (media_root / pdf.file_name).is_file()
    third = client.get(url, {"lang": "nb"})
    assert third.status_code == 200 and len(counted) == 2  # stored again: no third render


def test_a_request_that_waited_for_the_render_lock_uses_the_stored_pdf(routines, media_root, counted):
    """The second of two first requests saw no row before the lock; under it, it finds the first one's and
    renders nothing (routines.pdf_store.render_lock; tests/routines/test_pdf_two_servers.py races two servers)."""
    from routines import pdf_store

    version = get_published_routine("vold-og-trusler")
    first = pdf_store.routine_pdf_get(version=version, variant="a4", lang="nb")
    real_filter = RoutinePdf.objects.filter
    calls = {"n": 0}

    def blind_filter(*args, **kwargs):
        calls["n"] += 1
        qs = real_filter(*args, **kwargs)
        return qs.none() if calls["n"] == 1 else qs  # blind only before the lock

    RoutinePdf.objects.filter = blind_filter
    try:
        second = pdf_store.routine_pdf_get(version=version, variant="a4", lang="nb")
    finally:
        del RoutinePdf.objects.filter
    assert second.pk == first.pk
    assert calls["n"] == 2
    assert len(counted) == 1


def test_a_racing_first_request_keeps_one_whole_file(routines, media_root, counted):
    """Two first requests that both render all the same (a lock that did not hold, e.g. two processes on
    SQLite): the second finds the row taken, uses it and removes its file."""
    from routines import pdf_store

    version = get_published_routine("vold-og-trusler")
    first = pdf_store.routine_pdf_get(version=version, variant="a4", lang="nb")
    # Simulate the other request: it did not see the row before rendering.
    real_filter = RoutinePdf.objects.filter
    calls = {"n": 0}

    def blind_filter(*args, **kwargs):
        calls["n"] += 1
        qs = real_filter(*args, **kwargs)
        return qs.none() if calls["n"] <= 2 else qs  # blind before and under the lock

    RoutinePdf.objects.filter = blind_filter
    try:
        second = pdf_store.routine_pdf_get(version=version, variant="a4", lang="nb")
    finally:
        del RoutinePdf.objects.filter
    assert second.pk == first.pk
    files = list((media_root / "routine-pdfs" / str(version.pk)).iterdir())
    assert [f.name for f in files] == [first.file_name.rsplit("/", 1)[-1]]
    assert len(counted) == 2


def test_staff_only_routine_pdf_needs_a_login(client, routines, users):
    routine = get_published_routine("vold-og-trusler").routine
    routine.staff_only = True
    routine.save()
    response = client.get(reverse("routines:folder_pdf", args=["vold-og-trusler"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_routine_page_links_to_both_pdfs(client, routines):
    html = client.get(reverse("routines:detail", args=["vold-og-trusler"])).content.decode()
    assert re.search(r'href="/routines/vold-og-trusler/folder\.pdf\?lang=\w+"', html)
    assert re.search(r'href="/routines/vold-og-trusler/a4\.pdf\?lang=\w+"', html)
