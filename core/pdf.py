"""What WeasyPrint may read while it renders one of our PDFs: our own static and media files, and data: URIs.

Every PDF we make (routine folders, safety-plan printouts, intake notes) goes through ``safe_url_fetcher``. Text
in a PDF can come from people (routine steps, later a person's own words), so a stray ``<img src>`` or CSS
``url()`` must never make the server call out to the network (SSRF) or read files such as ``/etc/passwd``
into a document. A refused URL is simply left out of the PDF; WeasyPrint logs it and carries on.
"""

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint.urls import URLFetcher, path2url


def allowed_roots() -> list[Path]:
    roots = [*settings.STATICFILES_DIRS, settings.STATIC_ROOT, settings.MEDIA_ROOT]
    return [Path(root).resolve() for root in roots if root]


def static_base_url() -> str:
    """The base URL templates resolve relative paths against: the project's static source folder, which is
    in the repository on every machine (fonts, ICC profile)."""
    return str(path2url(str(Path(settings.STATICFILES_DIRS[0]).resolve()))) + "/"


class SafeURLFetcher(URLFetcher):
    """WeasyPrint's fetcher, narrowed to data: URIs and file: URLs that resolve inside ``allowed_roots()``."""

    def __init__(self) -> None:
        # No network handlers are ever consulted: fetch() refuses every other scheme before opening anything.
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            # resolve() follows symlinks and "..", so a path cannot step out of a root.
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in allowed_roots()) and path.is_file():
                return super().fetch(path2url(str(path)), headers)
        self.refused.append(url)
        raise ValueError(f"Refused to fetch {scheme or 'relative'} URL while rendering a PDF")


def safe_url_fetcher() -> SafeURLFetcher:
    return SafeURLFetcher()
