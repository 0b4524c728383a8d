"""Norwegian bokmål is complete, and the page language follows the user's choice."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def test_nb_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy


def test_nb_catalogue_holds_every_source_string(tmp_path):
    """Extract the strings from a copy of the source and compare: a new string without a translation fails."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.mo", "test-artifacts")
    )
    (copy / "locale" / "nb" / "LC_MESSAGES" / "django.po").unlink()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nb", "--ignore=var", "--ignore=tests"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))}
    translated = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert extracted - translated == set(), "run `make messages` and translate the new strings"
    assert translated - extracted == set(), "run `make messages` to drop strings no longer in the source"


def test_norwegian_is_the_default_and_html_lang_matches(client, db):
    response = client.get(reverse("home"))
    assert '<html lang="nb">' in response.content.decode()
    assert "Nødnumre" in response.content.decode()


def test_browser_language_does_not_override_the_bokmal_default(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nb">' in response.content.decode()


def test_switching_to_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Emergency numbers" in page and "Nødnumre" not in page


def test_set_language_refuses_an_outside_next_address(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
