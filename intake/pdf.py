"""The journal note as an A4 PDF (WeasyPrint), in the tree's language, tagged (PDF/UA-1) and marked\nconfidential on every page."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import safe_url_fetcher, static_base_url

# The print stylesheet is a file handed to WeasyPrint, not a <style> in the template: templates hold no inline
# CSS (tests/security/test_security.py). Its font is the one shipped in static/fonts/, so every machine prints the same.
NOTE_CSS = Path(__file__).resolve().parent / "print" / "note.css"


def journal_note_pdf(*, intake, addenda, language: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    with translation.override(language):
        html = render_to_string("intake/note_pdf.html", {"intake": intake, "addenda": addenda})
    # The same fetcher as every PDF of ours: our static files and data: URIs only, so a URL typed into a note
    # is never fetched from the network or the disk.
    fetcher, font_config = safe_url_fetcher(), FontConfiguration()
    stylesheet = CSS(
        string=NOTE_CSS.read_text(), base_url=static_base_url(), url_fetcher=fetcher, font_config=font_config
    )
    html = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher)
    # Tagged (PDF/UA-1) like the other PDFs: a structure tree, the title and the language, for screen readers.
    return html.write_pdf(stylesheets=[stylesheet], font_config=font_config, pdf_variant="pdf/ua-1")
