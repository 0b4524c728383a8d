"""Editing routines in the app: drafts, preview, publish, history, diff, overdue list, session mode, cache."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.demo import UNIVERSITY
from audit.models import AuditEvent
from routines.diff import word_diff
from routines.models import Routine, RoutineVersion

VIOLENCE = "vold-og-trusler"
GUIDE = "avvergingsplikten-fasilitatorveileder"


def _edit_url(slug, number, part=None):
    """The editor's page for one part of a draft; without ``part``, its first part (title and summary)."""
    return reverse("routines:version_edit", args=[slug, number, *([part] if part else [])])


def _form_data(client, url):
    """The edit form's fields as a browser would post them, read from the page's context."""
    response = client.get(url)
    context = response.context
    data = {"base_token": context["base_token"]}
    for form in (context["form"], context["related_form"]):
        for name in form.fields if form is not None else []:
            value = form[name].value()
            if value is None:
                continue
            data[name] = value
    editor = context["editor"]
    for formset in editor.formsets():
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for f in formset.forms:
            for name in f.fields:
                value = f[name].value()
                if value not in (None, False):
                    data[f.add_prefix(name)] = value
    return data


@pytest.fixture
def editor_client(client_for):
    return client_for("editor")


@pytest.fixture
def draft(editor_client, routines):
    response = editor_client.post(reverse("routines:draft_new", args=[VIOLENCE]))
    assert response.status_code == 302
    return Routine.objects.get(slug=VIOLENCE).versions.get(number=2)


def test_new_draft_copies_the_current_version_and_reuses_an_open_draft(editor_client, draft, routines):
    published = draft.routine.versions.get(number=1)
    assert draft.status == "draft" and draft.content == published.content and draft.title_nb == published.title_nb
    editor_client.post(reverse("routines:draft_new", args=[VIOLENCE]))
    assert draft.routine.versions.count() == 2
    assert AuditEvent.objects.filter(action="routine.draft_created").count() == 1


def test_editing_a_step_and_publishing_shows_the_new_text_at_once(client_for, editor_client, client, draft):
    url = _edit_url(VIOLENCE, 2, "sections")
    assert client.get(reverse("routines:detail", args=[VIOLENCE])).status_code == 200  # fills the cache
    data = _form_data(editor_client, url)
    data["sections-0-steps-0-nb"] = "Ring **112** straks."
    data["action"] = "submit"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["problems"]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.awaiting_approval and draft.submitted_by.username == "editor"
    # The manager of the unit approves it: only then is it published.
    response = client_for("manager").post(reverse("routines:version_approve", args=[VIOLENCE, 2]), {})
    assert response.status_code == 302, response.context["refused"] or response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == "published"
    assert (draft.approved_by.username, draft.published_by.username) == ("manager", "editor")
    assert not draft.approved_by_demo
    assert draft.content["sections"][0]["steps"][0]["nb"] == "Ring **112** straks."
    client.logout()
    assert (
        "Ring <strong>112</strong> straks." in client.get(reverse("routines:detail", args=[VIOLENCE])).content.decode()
    )
    assert AuditEvent.objects.filter(action="routine.edited").count() == 1
    assert AuditEvent.objects.filter(action="routine.submitted", target_id=str(draft.pk)).exists()
    assert AuditEvent.objects.filter(action="routine.approved", target_id=str(draft.pk)).exists()
    assert AuditEvent.objects.filter(action="routine.published", target_id=str(draft.pk)).exists()


def test_publishing_a_contact_without_a_number_keeps_everything_typed(editor_client, draft):
    url = _edit_url(VIOLENCE, 2, "contacts")
    data = _form_data(editor_client, url)
    data["contacts-0-number"] = ""
    data["contacts-0-when_nb"] = "Når det haster, skrevet nå"
    data["action"] = "submit"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nødkontakt 1 mangler telefonnummer." in html
    assert "Når det haster, skrevet nå" in html
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.content["contacts"][0]["when"]["nb"] == "Når det haster, skrevet nå"


def test_publishing_without_sections_is_refused(editor_client, draft):
    url = _edit_url(VIOLENCE, 2, "sections")
    data = _form_data(editor_client, url)
    for key in [k for k in data if k.startswith("sections-") and k.endswith("-DELETE")]:
        del data[key]
    for i in range(int(data["sections-TOTAL_FORMS"])):
        data[f"sections-{i}-DELETE"] = "on"
    data["action"] = "submit"
    response = editor_client.post(url, data)
    assert "Legg til minst én del med trinn før du publiserer." in response.content.decode()


def test_adding_a_step_without_javascript_keeps_what_was_typed(editor_client, draft):
    url = _edit_url(VIOLENCE, 2, "sections")
    data = _form_data(editor_client, url)
    steps_before = int(data["sections-0-steps-TOTAL_FORMS"])
    data["sections-0-title_en"] = "Typed but not saved"
    data["action"] = "add-step-0"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert len(response.context["editor"].steps[0].forms) == steps_before + 1
    assert "Typed but not saved" in response.content.decode()
    data["action"] = "add-section"
    response = editor_client.post(url, data)
    assert len(response.context["editor"].sections.forms) == int(data["sections-TOTAL_FORMS"]) + 1
    draft.refresh_from_db()
    assert draft.content["sections"][0]["title"]["en"] != "Typed but not saved"  # adding a row does not save


def test_a_published_version_is_never_edited(editor_client, routines):
    url = _edit_url(VIOLENCE, 1)
    response = editor_client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("routines:history", args=[VIOLENCE])
    before = RoutineVersion.objects.get(routine__slug=VIOLENCE, number=1).content
    editor_client.post(url, {"title_nb": "x", "title_en": "x", "action": "save"})
    assert RoutineVersion.objects.get(routine__slug=VIOLENCE, number=1).content == before


@pytest.mark.parametrize(("slug", "message"), [(VIOLENCE, "finnes allerede"), ("editor", "reservert")])
def test_creating_a_routine_refuses_a_taken_or_reserved_slug(editor_client, routines, units, slug, message):
    data = {
        "slug": slug,
        "category": "violence",
        "kind": "routine",
        "owner_unit": units[UNIVERSITY].pk,
        "title_nb": "Ny rutine",
        "title_en": "New routine",
    }
    response = editor_client.post(reverse("routines:new"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert 'value="Ny rutine"' in response.content.decode()


def test_creating_a_routine_makes_a_first_draft(editor_client, routines, units):
    data = {
        "slug": "brann",
        "category": "violence",
        "kind": "routine",
        "owner_unit": units[UNIVERSITY].pk,
        "title_nb": "Brann",
        "title_en": "Fire",
    }
    response = editor_client.post(reverse("routines:new"), data)
    assert response["Location"] == _edit_url("brann", 1)
    assert Routine.objects.get(slug="brann").editor.username == "editor"
    assert AuditEvent.objects.filter(action="routine.created").exists()


def test_owner_unit_is_limited_to_the_editors_units(editor_client, routines, units):
    form = editor_client.get(reverse("routines:new")).context["form"]
    assert {u.slug for u in form.fields["owner_unit"].queryset} == {UNIVERSITY, "nordby-krisesenter"}


def test_preview_shows_the_draft_with_a_banner(editor_client, draft):
    RoutineVersion.objects.filter(pk=draft.pk).update(title_nb="Forhåndsvist tittel")
    html = editor_client.get(reverse("routines:version_preview", args=[VIOLENCE, 2])).content.decode()
    assert "Forhåndsvisning, ikke publisert." in html and "Forhåndsvist tittel" in html


def test_history_and_diff_show_who_approved_and_what_changed(client_for, editor_client, draft):
    content = draft.content
    content["sections"][0]["steps"][0]["nb"] = "Ring politiet med en gang."
    RoutineVersion.objects.filter(pk=draft.pk).update(content=content)
    manager = client_for("manager")
    html = manager.get(reverse("routines:history", args=[VIOLENCE])).content.decode()
    assert "Eva Redaktør" in html and "Utkast" in html and "Publisert" in html
    html = manager.get(reverse("routines:diff", args=[VIOLENCE]), {"from": 1, "to": 2}).content.decode()
    assert "<ins>" in html and "<del>" in html and "politiet med en gang." in html
    assert manager.get(reverse("routines:diff", args=[VIOLENCE]), {"from": 1, "to": 9}).status_code == 404


def test_word_diff_escapes_and_marks_words():
    html = word_diff("Ring <b>112</b> nå", "Ring 113 nå")
    assert "<b>" not in html and "&lt;b&gt;112&lt;/b&gt;" in html
    assert '<ins><span class="visually-hidden">' in html and "113</ins>" in html


def test_overdue_list_shows_routines_past_their_review(client_for, routines):
    RoutineVersion.objects.filter(routine__slug=VIOLENCE).update(next_review=date.today() - timedelta(days=1))
    for persona in ("editor", "manager", "admin"):
        html = client_for(persona).get(reverse("routines:overdue")).content.decode()
        assert reverse("routines:history", args=[VIOLENCE]) in html, persona
        assert reverse("routines:history", args=[GUIDE]) not in html
    other = client_for("manager_other").get(reverse("routines:overdue")).content.decode()
    assert reverse("routines:history", args=[VIOLENCE]) not in other  # not a routine of centre B
    assert client_for("staff").get(reverse("routines:overdue")).status_code == 404
    home = client_for("manager").get(reverse("home")).content.decode()
    assert reverse("routines:overdue") in home and f'"{reverse("routines:editor_list")}"' not in home
    home = client_for("editor").get(reverse("home")).content.decode()
    assert reverse("routines:overdue") in home and reverse("routines:editor_list") in home
    assert reverse("routines:overdue") not in client_for("staff").get(reverse("home")).content.decode()


def test_session_mode_is_for_facilitator_guides_only(client, routines):
    html = client.get(reverse("routines:session", args=[GUIDE])).content.decode()
    assert 'data-minutes="' in html and "js/session.js" in html
    assert client.get(reverse("routines:session", args=[VIOLENCE])).status_code == 404


def _content_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    return html, [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_routine_page_content_is_cached_per_version_and_language(client, routines, monkeypatch):
    cache.clear()
    url = reverse("routines:detail", args=[VIOLENCE])
    calls = []
    import routines.views.public

    real = routines.views.public.localize
    monkeypatch.setattr(routines.views.public, "localize", lambda *a: calls.append(a) or real(*a))
    first, _ = _content_queries(client, url)
    second, queries = _content_queries(client, url)
    assert len(calls) == 1, "the second request renders nothing from the content"
    article = slice(first.index("<article"), first.index("</article>"))
    assert first[article] == second[article] and len(queries) <= 6
    client.post(reverse("set_language"), {"language": "en"})
    assert "Violence and threats" in client.get(url).content.decode() and len(calls) == 2


def test_per_user_parts_are_not_cached(client_for, routines):
    cache.clear()
    RoutineVersion.objects.filter(routine__slug=VIOLENCE).update(next_review=date.today() - timedelta(days=1))
    url = reverse("routines:detail", args=[VIOLENCE])
    # The review banner's element (the page's inlined CSS names the class too).
    banner = '<p class="alert alert-warning">'
    assert banner not in client_for("anonymous").get(url).content.decode()
    assert banner in client_for("editor").get(url).content.decode()
    assert "Logg ut" in client_for("editor").get(url).content.decode()


def test_outsiders_get_404_on_editor_pages(client_for, draft):
    for persona in ("staff", "manager", "manager_other", "counsellor", "printshop"):
        c = client_for(persona)
        assert c.get(_edit_url(VIOLENCE, 2)).status_code == 404, persona
        assert c.get(reverse("routines:version_preview", args=[VIOLENCE, 2])).status_code == 404, persona
        assert c.post(reverse("routines:draft_new", args=[VIOLENCE])).status_code == 404, persona


def test_a_next_review_in_the_past_is_refused_at_approval(client_for, editor_client, draft):
    url = _edit_url(VIOLENCE, 2)
    data = _form_data(editor_client, url)
    data.update(action="submit", summary_nb="Skrevet nå")
    assert editor_client.post(url, data).status_code == 302
    response = client_for("manager").post(
        reverse("routines:version_approve", args=[VIOLENCE, 2]), {"next_review": "2020-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Neste gjennomgang må være en dato etter i dag." in html and 'value="2020-01-01"' in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_diff_shows_an_inserted_step_as_one_added_step(routines, users):
    from routines.diff import version_diff
    from routines.services import routine_version_create

    old = RoutineVersion.objects.get(routine__slug=VIOLENCE, number=1)
    content = {**old.content, "sections": [dict(s) for s in old.content["sections"]]}
    steps = list(content["sections"][0]["steps"])
    steps.insert(1, {"nb": "Et nytt trinn i midten", "en": "A new step in the middle"})
    content["sections"][0] = {**content["sections"][0], "steps": steps}
    new = routine_version_create(
        routine=old.routine,
        user=users["editor"],
        title_nb=old.title_nb,
        title_en=old.title_en,
        summary_nb=old.summary_nb,
        summary_en=old.summary_en,
        content=content,
    )
    groups = version_diff(old, new, "nb")
    assert len(groups) == 1
    ((group, changes),) = groups
    assert group == "Del 1" and len(changes) == 1
    assert changes[0].kind == "added" and changes[0].label == "Trinn 2" and "nytt trinn" in changes[0].html


def test_a_save_over_a_newer_save_is_refused_and_the_typed_text_kept(editor_client, draft):
    url = _edit_url(VIOLENCE, 2)
    first_tab, second_tab = _form_data(editor_client, url), _form_data(editor_client, url)
    second_tab.update({"summary_nb": "Lagret i den andre fanen", "action": "save"})
    assert editor_client.post(url, second_tab).status_code == 302

    first_tab.update({"summary_nb": "Skrevet i den første fanen", "action": "save"})
    response = editor_client.post(url, first_tab)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre lagret dette utkastet mens du redigerte det." in html
    assert "Skrevet i den første fanen" in html
    draft.refresh_from_db()
    assert draft.summary_nb == "Lagret i den andre fanen"

    # Saving again from the re-shown form is a deliberate choice, and goes through.
    again = {**first_tab, "base_token": response.context["base_token"]}
    assert editor_client.post(url, again).status_code == 302
    draft.refresh_from_db()
    assert draft.summary_nb == "Skrevet i den første fanen"


def test_related_routines_are_chosen_by_title(editor_client, draft):
    from routines.demo_content import ROUTINES

    form = editor_client.get(_edit_url(VIOLENCE, 2, "related")).context["related_form"]
    expected = sorted(((r["slug"], r["title"]["nb"]) for r in ROUTINES if r["slug"] != VIOLENCE), key=lambda c: c[1])
    assert form.fields["related"].choices == expected


# --- The editor in parts -------------------------------------------------------------------------------------


def test_each_part_is_a_page_of_its_own_with_the_part_navigation(editor_client, draft):
    parts = ["details", "contacts", "sections", "roles", "related"]  # no agenda: not a facilitator guide
    for n, part in enumerate(parts, start=1):
        response = editor_client.get(_edit_url(VIOLENCE, 2, part))
        assert response.status_code == 200
        html = response.content.decode()
        assert [code for code, _label in response.context["parts"]] == parts
        assert f'aria-current="step">{n}. ' in html
        assert html.count('name="action" value="goto-') == len(parts) - 1 + (n > 1) + (n < len(parts))
    details = editor_client.get(_edit_url(VIOLENCE, 2)).content.decode()
    assert 'name="title_nb"' in details and 'name="contacts-TOTAL_FORMS"' not in details
    contacts = editor_client.get(_edit_url(VIOLENCE, 2, "contacts")).content.decode()
    assert 'name="contacts-TOTAL_FORMS"' in contacts and 'name="title_nb"' not in contacts
    assert 'name="sections-TOTAL_FORMS"' not in contacts
    assert editor_client.get(_edit_url(VIOLENCE, 2, "agenda")).status_code == 404
    assert editor_client.get(_edit_url(VIOLENCE, 2, "nonsense")).status_code == 404


def test_a_facilitator_guide_has_an_agenda_part(editor_client, routines):
    editor_client.post(reverse("routines:draft_new", args=[GUIDE]))
    response = editor_client.get(_edit_url(GUIDE, 2, "agenda"))
    assert response.status_code == 200
    assert 'name="agenda-TOTAL_FORMS"' in response.content.decode()
    assert [code for code, _label in response.context["parts"]] == [
        "details",
        "contacts",
        "sections",
        "agenda",
        "roles",
        "related",
    ]


def test_saving_one_part_keeps_the_others_and_goes_where_asked(editor_client, draft):
    before = RoutineVersion.objects.get(pk=draft.pk)
    url = _edit_url(VIOLENCE, 2, "contacts")
    data = _form_data(editor_client, url)
    data.update({"contacts-0-when_nb": "Alltid først", "action": "goto-sections"})
    response = editor_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == _edit_url(VIOLENCE, 2, "sections")
    draft.refresh_from_db()
    assert draft.content["contacts"][0]["when"]["nb"] == "Alltid først"
    assert draft.content["sections"] == before.content["sections"]
    assert draft.content["related"] == before.content["related"]
    assert (draft.title_nb, draft.summary_en) == (before.title_nb, before.summary_en)


def test_moving_on_without_a_change_writes_nothing(editor_client, draft):
    url = _edit_url(VIOLENCE, 2, "related")
    data = {**_form_data(editor_client, url), "action": "goto-details"}
    assert editor_client.post(url, data).status_code == 302
    assert not AuditEvent.objects.filter(action="routine.edited").exists()


def test_a_part_with_an_error_stays_as_typed_when_moving_on(editor_client, draft):
    url = _edit_url(VIOLENCE, 2)
    data = _form_data(editor_client, url)
    data.update({"title_nb": "", "summary_nb": "Et sammendrag jeg skrev", "action": "goto-contacts"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Feltet er påkrevet." in html and "Et sammendrag jeg skrev" in html
    draft.refresh_from_db()
    assert draft.summary_nb != "Et sammendrag jeg skrev"


def test_a_newer_save_of_another_part_is_not_overwritten_and_the_notice_shows(editor_client, draft):
    """Two tabs: the first opens the contacts, the second saves a new summary meanwhile. The first tab's save is
    refused with the notice, keeping its typing; saving again keeps the other tab's summary too."""
    contacts_url = _edit_url(VIOLENCE, 2, "contacts")
    first_tab = _form_data(editor_client, contacts_url)
    second_tab = _form_data(editor_client, _edit_url(VIOLENCE, 2))
    second_tab.update({"summary_nb": "Lagret i den andre fanen", "action": "save"})
    assert editor_client.post(_edit_url(VIOLENCE, 2), second_tab).status_code == 302

    first_tab.update({"contacts-0-when_nb": "Skrevet i den første fanen", "action": "save"})
    response = editor_client.post(contacts_url, first_tab)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="save-conflict"' in html and "Noen andre lagret dette utkastet mens du redigerte det." in html
    assert "Skrevet i den første fanen" in html
    draft.refresh_from_db()
    assert draft.content["contacts"][0]["when"]["nb"] != "Skrevet i den første fanen"

    again = {**first_tab, "base_token": response.context["base_token"]}
    assert editor_client.post(contacts_url, again).status_code == 302
    draft.refresh_from_db()
    assert draft.content["contacts"][0]["when"]["nb"] == "Skrevet i den første fanen"
    assert draft.summary_nb == "Lagret i den andre fanen"
