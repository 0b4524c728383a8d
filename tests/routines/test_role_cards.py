"""Role cards (rollekort): who does what when a routine is in use. Part of a version's content, so they are
edited with the rest of the draft, checked before publishing, approved by a second person, shown in the diff,
on the public page and in the printed folder."""

import io
import shutil
import subprocess

import pikepdf
import pytest
from django.urls import reverse
from django.utils import translation

from routines.content import localize, validate_content
from routines.diff import version_diff
from routines.models import Routine
from routines.pdf import render_a4, render_folder
from routines.selectors import get_published_routine, published_versions
from routines.services import routine_version_create, routine_version_publish_demo
from tests.routines.test_routine_editor import _form_data

VIOLENCE = "vold-og-trusler"
POPPLER = shutil.which("pdftotext")

LEADER = {
    "title": {"nb": "Leder av krisearbeidet", "en": "Crisis leader"},
    "duties": [
        {"nb": "Tar beslutninger og fordeler roller", "en": "Makes decisions and gives out roles"},
        {"nb": "Varsler ledelsen", "en": "Notifies senior management"},
    ],
    "holder": {"nb": "Seksjonssjef", "en": "Head of section"},
}
LOG_KEEPER = {
    "title": {"nb": "Loggfører", "en": "Log-keeper"},
    "duties": [{"nb": "Skriver logg med klokkeslett", "en": "Keeps a log with times"}],
    "holder": {"nb": "", "en": ""},
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _with_roles(routines, users, roles):
    """A new published version of the violence routine carrying ``roles``."""
    routine = Routine.objects.get(slug=VIOLENCE)
    current = get_published_routine(VIOLENCE)
    draft = routine_version_create(
        routine=routine,
        user=users["editor"],
        title_nb=current.title_nb,
        title_en=current.title_en,
        summary_nb=current.summary_nb,
        summary_en=current.summary_en,
        content={**current.content, "roles": roles},
    )
    return routine_version_publish_demo(version=draft, user=users["editor"])


def test_a_role_card_needs_a_title_and_responsibilities_in_both_languages():
    content = {
        "sections": [{"title": {"nb": "A", "en": "A"}, "steps": [{"nb": "x", "en": "x"}]}],
        "roles": [
            LEADER,
            {"title": {"nb": "Kontakt", "en": ""}, "duties": []},
            {"title": {"nb": "P", "en": "P"}, "duties": [{"nb": "Ringer politiet", "en": ""}]},
        ],
    }
    with translation.override("en"):
        problems = validate_content(content)
    assert problems == [
        "Role card 2 needs a role title in both languages.",
        "Role card 2 has no responsibilities: add at least one.",
        "Role card 3: responsibility 1 needs text in both languages.",
    ]


def test_localized_role_cards_keep_their_order_and_language():
    roles = localize({"roles": [LEADER, LOG_KEEPER]}, "en")["roles"]
    assert [r["title"] for r in roles] == ["Crisis leader", "Log-keeper"]
    assert roles[0]["duties"] == ["Makes decisions and gives out roles", "Notifies senior management"]
    assert roles[0]["holder"] == "Head of section" and roles[1]["holder"] == ""


def test_the_editor_adds_a_role_card_row_without_javascript_and_saves_it(client_for, routines):
    editor = client_for("editor")
    editor.post(reverse("routines:draft_new", args=[VIOLENCE]))
    url = reverse("routines:version_edit", args=[VIOLENCE, 2, "roles"])
    data = _form_data(editor, url)
    assert data["roles-TOTAL_FORMS"] == 0
    data["action"] = "add-role"
    response = editor.post(url, data)
    assert response.status_code == 200
    assert response.context["editor"].roles.total_form_count() == 1
    assert b'name="roles-0-title_nb"' in response.content
    data.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-0-title_nb": "Leder av krisearbeidet",
            "roles-0-title_en": "Crisis leader",
            "roles-0-duties_nb": "Tar beslutninger og fordeler roller\n\nVarsler ledelsen\n",
            "roles-0-duties_en": "Makes decisions and gives out roles\nNotifies senior management",
            "roles-0-holder_nb": "Seksjonssjef",
            "roles-0-holder_en": "Head of section",
            "action": "save",
        }
    )
    response = editor.post(url, data)
    assert response.status_code == 302
    draft = Routine.objects.get(slug=VIOLENCE).versions.get(number=2)
    assert draft.content["roles"] == [LEADER]
    assert "Loggfører" not in draft.search_text_nb and "Seksjonssjef" in draft.search_text_nb


def test_a_half_written_role_card_is_saved_with_a_warning(client_for, routines):
    editor = client_for("editor")
    editor.post(reverse("routines:draft_new", args=[VIOLENCE]))
    url = reverse("routines:version_edit", args=[VIOLENCE, 2, "roles"])
    data = _form_data(editor, url)
    data.update({"roles-TOTAL_FORMS": "1", "roles-0-title_nb": "Loggfører", "action": "save"})
    response = editor.post(url, data, follow=True)
    assert "Rollekort 1 trenger en rolle på begge språk." in response.context["warnings"]
    # What was typed is kept.
    assert response.context["editor"].roles.forms[0]["title_nb"].value() == "Loggfører"


def test_saving_another_part_of_the_editor_keeps_the_saved_cards(client_for, routines, users):
    """The editor shows one part a page; saving the contacts part leaves the role cards as they are."""
    published = _with_roles(routines, users, [LEADER])
    editor = client_for("editor")
    editor.post(reverse("routines:draft_new", args=[VIOLENCE]))
    draft = Routine.objects.get(slug=VIOLENCE).versions.get(number=published.number + 1)
    assert draft.content["roles"] == [LEADER]
    url = reverse("routines:version_edit", args=[VIOLENCE, draft.number, "contacts"])
    data = _form_data(editor, url)
    assert "roles-TOTAL_FORMS" not in data
    data.update({"contacts-0-hours_nb": "Hele døgnet", "action": "save"})
    assert editor.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.content["roles"] == [LEADER] and draft.content["contacts"][0]["hours"]["nb"] == "Hele døgnet"


def test_role_card_changes_show_in_the_diff_and_moving_a_card_is_no_change(routines, users):
    old = _with_roles(routines, users, [LEADER, LOG_KEEPER])
    moved = _with_roles(routines, users, [LOG_KEEPER, LEADER])
    assert version_diff(old, moved, "en") == []
    changed_leader = {
        **LEADER,
        "duties": [*LEADER["duties"], {"nb": "Kaller inn til debrief", "en": "Calls the debrief"}],
    }
    changed = _with_roles(routines, users, [changed_leader, LOG_KEEPER])
    with translation.override("en"):
        groups = dict(version_diff(old, changed, "en"))
    assert list(groups) == ["Role card 1"]
    (change,) = groups["Role card 1"]
    assert change.label == "Responsibilities" and "Calls the debrief" in change.html


def test_the_public_page_shows_the_role_cards(client, routines, users):
    _with_roles(routines, users, [LEADER, LOG_KEEPER])
    response = client.get(reverse("routines:detail", args=[VIOLENCE]), HTTP_COOKIE="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Role cards: who does what" in html or "Rollekort: hvem gjør hva" in html
    assert "Leder av krisearbeidet" in html and "Varsler ledelsen" in html and "Seksjonssjef" in html
    # The page is still the same for every anonymous reader: no token, cacheable.
    assert "csrfmiddlewaretoken" not in html
    assert published_versions(user=users["editor"], query="Loggfører")[0].routine.slug == VIOLENCE


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_folder_prints_the_role_cards_and_stays_print_ready(routines, users, lang):
    from tests.routines.test_routine_pdfs import assert_print_ready

    version = _with_roles(routines, users, [LEADER, LOG_KEEPER])
    data = render_folder(version, lang)
    assert_print_ready(data, version)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) in (4, 8, 12)
    if POPPLER:
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
        flat = " ".join(text.split())
        assert LEADER["title"][lang] in flat
        assert LEADER["duties"][1][lang] in flat
        assert LOG_KEEPER["title"][lang] in flat
        assert ("Vanligvis: Seksjonssjef" if lang == "nb" else "Usually: Head of section") in flat
        a4 = subprocess.run(
            ["pdftotext", "-", "-"], input=render_a4(version, lang), capture_output=True, check=True
        ).stdout.decode()
        assert LOG_KEEPER["title"][lang] in a4
