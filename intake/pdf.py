"""The journal note as an A4 PDF (WeasyPrint), in the tree's language."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation


# The print stylesheet is a file handed to WeasyPrint, not a <style> in the template: templates hold no inline
# CSS (tests/test_security.py), and nothing has to be fetched by URL.
NOTE_CSS = Path(__file__).resolve().parent / "print" / "note.css"


def data_uri_only_fetcher():
    """WeasyPrint's url_fetcher for the note: nothing leaves the process. Only data: URIs (inline images or
    fonts) are fetched; anything else (file:, http:, a path a crafted note might smuggle in) is refused with
    ValueError, and no redirect is followed. Local and minimal on purpose, so it is easy to swap for the
    project's shared fetcher."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def journal_note_pdf(*, intake, addenda, language: str) -> bytes:
    from weasyprint import CSS, HTML

    with translation.override(language):
        html = render_to_string("intake/note_pdf.html", {"intake": intake, "addenda": addenda})
    fetcher = data_uri_only_fetcher()
    stylesheet = CSS(string=NOTE_CSS.read_text(), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
