"""Stylesheets inlined into a page, so it paints without waiting for a stylesheet request.

The public routine pages (issue 22: the emergency numbers must paint at once on a slow phone) carry their
small stylesheets in a ``<style>`` element instead of linking Bootstrap. The CSP forbids inline styles except
these: their SHA-256 hashes go into ``style-src`` (config/settings.py), computed from the very text the
template tag writes, so an edited file is allowed as soon as the app restarts, and nothing else is.
"""

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# The files the public pages inline, in the order they are written.
PUBLIC_STYLESHEETS = ("css/public.css", "css/app.css")


@cache
def inline_css(name: str) -> str:
    """The stylesheet ``static/<name>`` without comments and with its whitespace collapsed."""
    if name not in PUBLIC_STYLESHEETS:
        raise ValueError(f"{name} is not an inlined stylesheet (core.inline_css.PUBLIC_STYLESHEETS)")
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};])\s*", r"\1", text)
    return text.strip()


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly ``text`` as the content of a ``<style>`` element."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def public_style_hashes() -> list[str]:
    return [csp_hash(inline_css(name)) for name in PUBLIC_STYLESHEETS]
