"""The discreet printout as a PDF (WeasyPrint): an A6 pocket card or an A4 page.

Only what ``safety_plans.printout.card_for`` put on the card is rendered, through the same fragment the page's
preview shows. The document's title is the neutral title the person chose; there is no author, subject or
keywords, and no logo, site name or centre name unless the person asked for the centre's name.
"""

from pathlib import Path

from django.template.loader import render_to_string

from core.pdf import safe_url_fetcher, static_base_url
from safety_plans.printout import Card

# A file handed to WeasyPrint, not a <style> in the template (tests/security/test_security.py); the font is our own from
# static/fonts, so every machine prints the same. The size is a named page chosen by a class on <html>.
CARD_CSS = Path(__file__).resolve().parent / "print" / "card.css"


def card_pdf(card: Card) -> bytes:
    """The card in the active language (the page's). Tagged (PDF/UA-1), so a screen reader can read it."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string("safety_plans/card_pdf.html", {"card": card})
    # The same fetcher as every PDF of ours: our static files and data: URIs only, so nothing typed into a note
    # or a label can make the server fetch a URL or read a file.
    fetcher, font_config = safe_url_fetcher(), FontConfiguration()
    stylesheet = CSS(
        string=CARD_CSS.read_text(), base_url=static_base_url(), url_fetcher=fetcher, font_config=font_config
    )
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, pdf_variant="pdf/ua-1")
