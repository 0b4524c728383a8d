"""The two PDFs of a published routine version: the print folder and the office print.

- ``render_folder``: A5 pages for a print shop, PDF/X-4 with a CMYK output intent (FOGRA39 coated), 3 mm bleed,
  crop marks outside the bleed in the registration colour, the page count a multiple of 4 (a folded,
  saddle-stitched folder is made of sheets of four pages), our own font embedded.
- ``render_a4``: A4 for the office printer, RGB, tagged (PDF/UA-1) for screen readers, same content.

WeasyPrint lays the pages out; pikepdf then makes what WeasyPrint does not: room around the bleed for the
marks, the marks themselves, and the PDF/X keys it leaves out. Both renderers return bytes; storing and
serving them once is routines.pdf_store's job.
"""

import base64
import io
import zlib
from decimal import Decimal
from functools import cache
from pathlib import Path

import pikepdf
import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from core.pdf import safe_url_fetcher, static_base_url
from routines.content import localize
from routines.emergency import EMERGENCY_NUMBERS
from routines.models import Routine, RoutineVersion

MM = 72 / 25.4  # PDF points per millimetre
BLEED_MM = 3
# Room for the crop marks outside the bleed: a 2 mm gap so they never print on the bleed, then 6 mm of mark.
MARK_GAP_MM = 2
MARK_LENGTH_MM = 6
SLUG_MM = 10  # how far the MediaBox reaches beyond the bleed; holds the marks, on paper that stays unpainted

# A colour per category, for print (CMYK fractions, FOGRA39 paper) and for screens and office printers (RGB).
CATEGORY_COLOURS: dict[str, dict[str, str]] = {
    Routine.Category.VIOLENCE: {"cmyk": "0 0.85 0.9 0.1", "rgb": "#c8322a"},
    Routine.Category.SUICIDE_ILLNESS: {"cmyk": "0.85 0.45 0 0.1", "rgb": "#1f5fa8"},
    Routine.Category.EXCHANGE_STUDENTS: {"cmyk": "0.8 0 0.75 0.2", "rgb": "#1e7d4a"},
    Routine.Category.DUTY_TO_AVERT: {"cmyk": "0.55 0.8 0 0.1", "rgb": "#6b3a96"},
}
ICC_PROFILE = "icc/FOGRA39L-coated.icc"
OUTPUT_CONDITION = "FOGRA39"


@cache
def icc_profile_bytes() -> bytes:
    """The output-intent profile exactly as shipped in static/ (read once per process)."""
    return (Path(settings.STATICFILES_DIRS[0]) / ICC_PROFILE).read_bytes()


def routine_url(version: RoutineVersion) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("routines:detail", args=[version.routine.slug])


def _qr_data_uri(url: str, *, variant: str) -> str:
    """The QR code as an SVG data: URI: sharp at any resolution, no file, no fetching. In the folder it is
    stroked in CMYK black (K only): RGB black would become four-colour black at the print shop, which smears
    on a pattern this fine. WeasyPrint's SVG renderer reads CSS colours, so device-cmyk() works there."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=0, dark="#000000", xmldecl=False)
    svg = out.getvalue().decode()
    if variant == "folder":
        svg = svg.replace('stroke="#000"', 'fill="none" stroke="device-cmyk(0 0 0 1)"')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _context(version: RoutineVersion, lang: str, *, variant: str, notes_pages: int = 0) -> dict:
    colours = CATEGORY_COLOURS.get(version.routine.category, {"cmyk": "0 0 0 0.8", "rgb": "#333333"})
    url = routine_url(version)
    return {
        "version": version,
        "routine": version.routine,
        "content": localize(version.content, lang),
        "variant": variant,
        "lang": lang,
        "url": url,
        "qr": _qr_data_uri(url, variant=variant),
        "colour": f"device-cmyk({colours['cmyk']})" if variant == "folder" else colours["rgb"],
        "ink": "device-cmyk(0 0 0 1)" if variant == "folder" else "#000000",
        "notes_pages": range(notes_pages),
        "icc_profile": ICC_PROFILE,
        "bleed_mm": BLEED_MM,
        "national_numbers": [(e.display, e.label[lang]) for e in EMERGENCY_NUMBERS],
    }


def _document(version: RoutineVersion, lang: str, *, variant: str, notes_pages: int = 0, **options):
    """The laid-out pages. The template and its style sheet are rendered with one context."""
    context = _context(version, lang, variant=variant, notes_pages=notes_pages)
    fetcher = safe_url_fetcher()
    # Shared between the style sheet and the document, as WeasyPrint needs: @font-face and @color-profile.
    font_config = FontConfiguration()
    color_profiles: dict[str, object] = {}
    css = CSS(
        string=render_to_string("routines/pdf/routine.css", context),
        base_url=static_base_url(),
        url_fetcher=fetcher,
        font_config=font_config,
        color_profiles=color_profiles,
    )
    html = HTML(
        string=render_to_string("routines/pdf/routine.html", context), base_url=static_base_url(), url_fetcher=fetcher
    )
    return html.render(stylesheets=[css], font_config=font_config, color_profiles=color_profiles, **options)


def render_folder(version: RoutineVersion, lang: str) -> bytes:
    with translation.override(lang):
        document = _document(version, lang, variant="folder", pdf_variant="pdf/x-4")
        missing = -len(document.pages) % 4
        if missing:
            # Lay out again with blank note pages before the back cover, so the back cover stays last.
            document = _document(version, lang, variant="folder", notes_pages=missing, pdf_variant="pdf/x-4")
        assert len(document.pages) % 4 == 0, "notes pages did not fill the folder to a multiple of 4"
        raw = document.write_pdf(pdf_variant="pdf/x-4")
    return _finish_for_print(raw)


def render_a4(version: RoutineVersion, lang: str) -> bytes:
    with translation.override(lang):
        return _document(version, lang, variant="a4", pdf_variant="pdf/ua-1").write_pdf(pdf_variant="pdf/ua-1")


def _box(values) -> list[Decimal]:
    return [Decimal(str(float(v))) for v in values]


def _crop_marks(trim: list[float]) -> bytes:
    """Eight crop marks, two at each trim corner, continuing the trim lines outside the bleed."""
    x0, y0, x1, y1 = trim
    start = (BLEED_MM + MARK_GAP_MM) * MM
    end = start + MARK_LENGTH_MM * MM
    ops = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            ops.append(f"{x + sx * start:.3f} {y:.3f} m {x + sx * end:.3f} {y:.3f} l S")
            ops.append(f"{x:.3f} {y + sy * start:.3f} m {x:.3f} {y + sy * end:.3f} l S")
    # /CSAll is the Separation "All" colour space: the marks print on every plate (registration colour).
    return ("Q q /CSAll CS 1 SCN 0.25 w 0 J\n" + "\n".join(ops) + "\nQ\n").encode()


def _overlaps(rect: list[float], box: list[float]) -> bool:
    x0, y0, x1, y1 = min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
    return x0 < box[2] and x1 > box[0] and y0 < box[3] and y1 > box[1]


def _drop_annotations_inside(page: pikepdf.Page, trim: list[float]) -> None:
    """Remove every annotation that reaches into the trim area. Prepress checks flag annotations on the printed
    page, and paper cannot be clicked: a link's text stays on the page as plain text (the A4 print and the web
    page keep their links)."""
    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept = [a for a in annots if "/Rect" not in a or not _overlaps([float(v) for v in a.Rect], trim)]
    if kept:
        page.obj.Annots = pikepdf.Array(kept)
    else:
        del page.obj["/Annots"]


def _embed_shipped_profile(stream: pikepdf.Object) -> None:
    """Replace the profile WeasyPrint embeds with the shipped file, Flate-compressed. WeasyPrint writes the
    profile back out through LittleCMS (ImageCmsProfile.tobytes), which stores every tag the file shares between
    several lookup tables once per table: 608 kB instead of the file's 354 kB, before compression. The
    stream object is the one the page colour spaces refer to as well, so the profile is in the file once."""
    assert isinstance(stream, pikepdf.Stream)
    stream.write(zlib.compress(icc_profile_bytes(), 9), filter=pikepdf.Name.FlateDecode)


def _finish_for_print(raw: bytes) -> bytes:
    """Make WeasyPrint's PDF/X-4 ready for a print shop: MediaBox with room for marks, BleedBox exactly 3 mm
    outside the TrimBox, crop marks in the registration colour, and the PDF/X keys."""
    pdf = pikepdf.open(io.BytesIO(raw))
    registration = pdf.make_indirect(
        pikepdf.Array(
            [
                pikepdf.Name.Separation,
                pikepdf.Name.All,
                pikepdf.Name.DeviceCMYK,
                pikepdf.Dictionary(
                    FunctionType=2,
                    Domain=pikepdf.Array([0, 1]),
                    C0=pikepdf.Array([0, 0, 0, 0]),
                    C1=pikepdf.Array([1, 1, 1, 1]),
                    N=1,
                ),
            ]
        )
    )
    bleed = BLEED_MM * MM
    slug = (BLEED_MM + SLUG_MM) * MM
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        x0, y0, x1, y1 = trim
        page.obj.TrimBox = _box(trim)
        page.obj.BleedBox = _box([x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed])
        page.obj.MediaBox = _box([x0 - slug, y0 - slug, x1 + slug, y1 + slug])
        resources = page.obj.Resources
        if pikepdf.Name.ColorSpace not in resources:
            resources.ColorSpace = pikepdf.Dictionary()
        resources.ColorSpace.CSAll = registration
        # WeasyPrint's stream may end with a changed graphics state; "q" before and "Q" after (in the marks
        # stream) put the marks in the page's plain coordinate system.
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        _drop_annotations_inside(page, trim)
        page.contents_add(pikepdf.Stream(pdf, _crop_marks(trim)), prepend=False)
    for intent in pdf.Root.get("/OutputIntents", []):
        _embed_shipped_profile(intent.DestOutputProfile)
        intent.OutputConditionIdentifier = pikepdf.String(OUTPUT_CONDITION)
        intent.OutputCondition = pikepdf.String("Offset printing, coated paper (FOGRA39)")
        intent.RegistryName = pikepdf.String("http://www.color.org")
        intent.Info = pikepdf.String("FOGRA39L coated, built from free characterisation data (see static/icc)")
    # WeasyPrint calls its PDF/X-4 a proof ("proof:pdf"); this file is what the print shop prints from.
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["xmpMM:RenditionClass"] = "default"
    pdf.docinfo["/GTS_PDFXVersion"] = pikepdf.String("PDF/X-4")
    pdf.docinfo["/Trapped"] = pikepdf.Name("/False")
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()
