"""Routine pages: public, numbers first, versioned content, search."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from accounts.demo import UNIVERSITY
from core.phone import tel_href
from routines.content import render_markdown, validate_content
from routines.demo import seed_routines
from routines.demo_content import ROUTINES
from routines.models import Routine, RoutineVersion
from routines.services import routine_version_create, routine_version_publish_demo, routine_version_submit

VIOLENCE = "vold-og-trusler"


def test_seed_publishes_four_routines_once(routines, demo):
    assert len(routines) == 4
    seed_routines(owner_unit=demo["units"][UNIVERSITY], editor=demo["users"]["editor"])
    assert RoutineVersion.objects.filter(status="published").count() == 4
    assert {r.category for r in Routine.objects.all()} == set(Routine.Category.values)


def test_demo_content_is_complete_and_valid():
    for data in ROUTINES:
        content = {key: data[key] for key in ("contacts", "sections", "related", "agenda")}
        assert validate_content(content) == [], data["slug"]
        assert data["title"]["nb"] and data["title"]["en"]
    guide = next(r for r in ROUTINES if r["kind"] == "facilitator_guide")
    assert 43 <= sum(item["minutes"] for item in guide["agenda"]) <= 47


def test_anonymous_reads_a_routine_with_numbers_first(client, routines):
    response = client.get(reverse("routines:detail", args=[VIOLENCE]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:112"' in html
    # The routine's own call buttons come before its first section.
    main = html[html.index("<main") :]
    assert main.index("contact-call") < main.index("routine-section")
    assert "Versjon" in html and "Neste gjennomgang" in html


def test_every_routine_page_lists_its_contacts_as_tel_links(client, routines):
    for data in ROUTINES:
        html = client.get(reverse("routines:detail", args=[data["slug"]])).content.decode()
        for contact in data["contacts"]:
            assert f'href="{tel_href(contact["number"])}"' in html, (data["slug"], contact["number"])


def test_local_numbers_are_dialled_in_full():
    assert tel_href("112") == "tel:112"
    assert tel_href("116 117") == "tel:116117"
    assert tel_href("73 86 54 41") == "tel:+4773865441"


def test_routine_page_in_english(client, routines):
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("routines:detail", args=[VIOLENCE])).content.decode()
    assert ROUTINES[0]["title"]["en"] in html


@pytest.mark.parametrize("persona", ["anonymous", "staff", "editor"])
def test_routine_page_needs_at_most_six_queries(client_for, routines, persona):
    client = client_for(persona)
    for data in ROUTINES:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("routines:detail", args=[data["slug"]])).status_code == 200
        # The savepoints come from the test's own transaction around the session save; in production the
        # session save runs in autocommit and sends no such statement.
        statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) <= 6, statements


def test_staff_only_routine_needs_login(client, routines, users):
    Routine.objects.filter(slug=VIOLENCE).update(staff_only=True)
    url = reverse("routines:detail", args=[VIOLENCE])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert ROUTINES[0]["title"]["nb"] not in client.get(reverse("routines:list")).content.decode()
    client.force_login(users["staff"])
    assert client.get(url).status_code == 200


def test_unknown_or_unpublished_routine_is_404(client, routines, users, units):
    assert client.get(reverse("routines:detail", args=["finnes-ikke"])).status_code == 404
    draft_only = Routine.objects.create(slug="utkast", category="violence", owner_unit=units[UNIVERSITY])
    routine_version_create(
        routine=draft_only,
        user=users["editor"],
        title_nb="Utkast",
        title_en="Draft",
        summary_nb="",
        summary_en="",
        content={},
    )
    assert client.get(reverse("routines:detail", args=["utkast"])).status_code == 404


def test_list_groups_by_category_and_searches(client, routines):
    html = client.get(reverse("routines:list")).content.decode()
    for data in ROUTINES:
        assert data["title"]["nb"] in html
    html = client.get(reverse("routines:list"), {"q": "legevakt"}).content.decode()
    assert ROUTINES[1]["title"]["nb"] in html
    assert ROUTINES[3]["title"]["nb"] not in html
    html = client.get(reverse("routines:list"), {"q": "zzzqqq"}).content.decode()
    assert "0 rutiner" in html


def test_publishing_a_new_version_keeps_the_old_one(client, routines, users):
    routine = Routine.objects.get(slug=VIOLENCE)
    old = routine.versions.get()
    new = routine_version_create(
        routine=routine,
        user=users["editor"],
        title_nb="Vold og trusler (ny)",
        title_en="Violence (new)",
        summary_nb="",
        summary_en="",
        content=old.content,
    )
    assert client.get(reverse("routines:detail", args=[VIOLENCE])).content.decode().count("(ny)") == 0
    routine_version_publish_demo(version=new, user=users["editor"])
    assert "Vold og trusler (ny)" in client.get(reverse("routines:detail", args=[VIOLENCE])).content.decode()
    old.refresh_from_db()
    assert old.status == "published" and old.title_nb != new.title_nb


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"sections": []}, "at least one section"),
        (
            {
                "sections": [{"title": {"nb": "A", "en": "A"}, "steps": [{"nb": "x", "en": "x"}]}],
                "contacts": [{"label": {"nb": "Politi", "en": "Police"}, "number": ""}],
            },
            "no phone number",
        ),
        ({"sections": [{"title": {"nb": "A", "en": ""}, "steps": [{"nb": "x", "en": "x"}]}]}, "title in both"),
    ],
)
def test_publishing_refuses_bad_content_with_a_clear_message(routines, users, content, message):
    routine = Routine.objects.get(slug=VIOLENCE)
    version = routine_version_create(
        routine=routine,
        user=users["editor"],
        title_nb="x",
        title_en="x",
        summary_nb="",
        summary_en="",
        content=content,
    )
    with pytest.raises(ValidationError) as error, override("en"):
        routine_version_submit(version=version, user=users["editor"])
    assert message in str(error.value)
    version.refresh_from_db()
    assert version.status == "draft"


def test_step_text_is_sanitized():
    html = render_markdown("**Ring** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<strong>Ring</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html


@pytest.mark.parametrize(
    ("persona", "sees_banner"), [("editor", True), ("manager", True), ("staff", False), ("anonymous", False)]
)
def test_overdue_review_banner_is_for_editors_and_managers(client_for, routines, persona, sees_banner):
    RoutineVersion.objects.filter(routine__slug=VIOLENCE).update(next_review="2020-01-01")
    html = client_for(persona).get(reverse("routines:detail", args=[VIOLENCE])).content.decode()
    assert ("skulle vært gjennomgått" in html) is sees_banner


def test_a_list_right_after_a_line_of_text_is_a_list():
    # Editors write "Explain:\n- this\n- that" without the blank line Markdown wants before a list.
    html = render_markdown("Fortell kort:\n- hvorfor\n- formålet")
    assert html == "<p>Fortell kort:</p>\n<ul>\n<li>hvorfor</li>\n<li>formålet</li>\n</ul>"
    assert (
        render_markdown("Gjør slik:\n1. først\n2. så") == "<p>Gjør slik:</p>\n<ol>\n<li>først</li>\n<li>så</li>\n</ol>"
    )
