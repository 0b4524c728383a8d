"""How long does a routine PDF take the first time (rendered) and after that (served from storage)?

Runs against a throwaway test database (SQLite in memory unless DATABASE_URL is set) and a throwaway
MEDIA_ROOT, seeds the demo data, and downloads each demo routine's folder and A4 PDF in both languages with
the Django test client (whole middleware stack, no network):

- cold: the first download, which renders (WeasyPrint + pikepdf) and stores the file;
- cached: the median of N later downloads, read from storage (the body is read to the end);
- the page count and size of each PDF.

Usage: .venv/bin/python benchmarks/routine_pdf.py [N]   (default N=20)
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def _download(client: Client, url: str, lang: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    response = client.get(url, {"lang": lang})
    body = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed, body


def main(n: int) -> None:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seeding only
    media = tempfile.TemporaryDirectory()
    settings.MEDIA_ROOT = Path(media.name)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accounts.demo import UNIVERSITY, seed_demo
        from routines.demo import seed_routines
        from routines.models import RoutinePdf

        demo = seed_demo(password="benchmark-password")
        routines = seed_routines(owner_unit=demo["units"][UNIVERSITY], editor=demo["users"]["editor"])
        client = Client()
        print(f"{'routine':42} {'pdf':6} {'lang':4} {'pages':>5} {'size kB':>8} {'cold s':>7} {'cached ms':>9}")
        for routine in routines:
            for name, variant in (("routines:folder_pdf", "folder"), ("routines:a4_pdf", "a4")):
                for lang in ("nb", "en"):
                    url = reverse(name, args=[routine.slug])
                    cold, body = _download(client, url, lang)
                    cached = [_download(client, url, lang)[0] for _ in range(n)]
                    pdf = RoutinePdf.objects.get(version__routine=routine, variant=variant, lang=lang)
                    print(
                        f"{routine.slug:42} {variant:6} {lang:4} {pdf.pages:5d} {len(body) / 1024:8.0f} "
                        f"{cold:7.2f} {statistics.median(cached) * 1000:9.1f}"
                    )
        print(f"renders: {RoutinePdf.objects.count()} (one per routine, variant and language)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        media.cleanup()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
