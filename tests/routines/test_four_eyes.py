"""Four eyes on publishing: a draft is sent for approval by one person and approved, which publishes it, by
another (an editor of the unit or its manager); emergency numbers are data the app checks; every other phone
number change is confirmed by the approver."""

import io
import re

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from accounts.demo import UNIVERSITY
from accounts.models import Membership, Unit
from accounts.roles import Role
from routines.demo_content import ROUTINES
from routines.emergency import emergency_number_problems, number_changes
from routines.models import Routine, RoutineVersion
from routines.pdf import render_folder
from routines.services import routine_draft_start, routine_version_approve, routine_version_submit

VIOLENCE = "vold-og-trusler"
ILLNESS = "selvmordsfare-og-alvorlig-sykdom"


def _contact(label_nb, number, label_en="x"):
    return {"label": {"nb": label_nb, "en": label_en}, "number": number}


def _approve_url(slug, number):
    return reverse("routines:version_approve", args=[slug, number])


@pytest.fixture
def draft(routines, users):
    return routine_draft_start(routine=Routine.objects.get(slug=VIOLENCE), user=users["editor"])


def _edit(draft, **changes):
    RoutineVersion.objects.filter(pk=draft.pk).update(**changes)
    draft.refresh_from_db()
    return draft


# --- Emergency numbers as data ------------------------------------------------------------------------------


def test_every_demo_routine_passes_the_emergency_number_check():
    for data in ROUTINES:
        assert emergency_number_problems(data) == [], data["slug"]


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (_contact("Politi", "02800"), ["is named “Politi”, but its number is 02800", "for Police is 112"]),
        (_contact("Politi", "1 1 2"), []),
        (_contact("Legevakt", "113"), ["for Emergency clinic is 116 117", "113 is the number for Ambulance"]),
        (_contact("Ring", "113", label_en="Fire brigade"), ["for Fire is 110", "113 is the number for Ambulance"]),
        (_contact("Peisprat", "22 22 22 22", label_en="Fireside talks"), []),  # "fire" is a word of its own only
        (_contact("Brann", "110"), []),
        (_contact("x", "02800", label_en="Police"), ["its number is 02800"]),
        (_contact("Politiet, ikke akutt", "02800"), []),
        (_contact("Politiets sentralbord", "02800"), []),
        (_contact("AAT (ambulant akutt team)", "73 86 54 41"), []),
        (_contact("Legevakt", "116117"), []),
    ],
)
def test_a_contact_named_as_an_emergency_service_must_carry_its_number(contact, expected):
    with override("en"):
        problems = " ".join(emergency_number_problems({"contacts": [contact]}))
    for words in expected:
        assert words in problems
    assert bool(problems) == bool(expected)


def test_moving_a_contact_is_no_number_change_but_changing_adding_or_removing_one_is():
    old = {"contacts": [_contact("Politi", "112"), _contact("Vakt", "22 22 22 22")]}
    assert number_changes(old, {"contacts": list(reversed(old["contacts"]))}) == []
    assert number_changes(old, {"contacts": [_contact("Politi", "1 1 2"), _contact("Vakt", "22222222")]}) == []
    changed = number_changes(old, {"contacts": [_contact("Politi", "112"), _contact("Vakt", "22 22 22 23")]})
    assert [(c.label, c.old, c.new) for c in changed] == [("Vakt", "22 22 22 22", "22 22 22 23")]
    added = number_changes(old, {"contacts": [*old["contacts"], _contact("Ny", "99 99 99 99")]})
    assert [(c.label, c.old, c.new) for c in added] == [("Ny", "", "99 99 99 99")]
    removed = number_changes(old, {"contacts": old["contacts"][:1]})
    assert [(c.label, c.old, c.new) for c in removed] == [("Vakt", "22 22 22 22", "")]


def test_changing_the_police_number_is_refused_at_submit_and_warned_at_save(client_for, draft):
    content = draft.content
    content["contacts"][0]["number"] = "02800"
    _edit(draft, content=content)
    with pytest.raises(ValidationError) as error:
        routine_version_submit(version=draft, user=draft.created_by)
    assert "02800" in str(error.value) and "112" in str(error.value)
    # The editor sees the same problem on the saved draft, as a warning.
    html = client_for("editor").get(reverse("routines:version_edit", args=[VIOLENCE, draft.number])).content
    assert 'id="draft-warnings"' in html.decode() and "02800" in html.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.submitted_by is None


# --- Two people --------------------------------------------------------------------------------------------


def test_the_editor_who_sent_it_cannot_approve_it(client_for, users, draft):
    routine_version_submit(version=draft, user=users["editor"])
    editor = client_for("editor")
    page = editor.get(_approve_url(VIOLENCE, draft.number)).content.decode()
    assert "Godkjenn og publiser</button>" not in page
    response = editor.post(_approve_url(VIOLENCE, draft.number), {})
    assert response.status_code == 200
    assert "Du ba om at dette utkastet skulle publiseres" in response.content.decode()
    with pytest.raises(ValidationError):
        routine_version_approve(version=draft, user=users["editor"], numbers_confirmed=True)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_editor_of_the_unit_may_approve(client_for, users, draft, django_user_model):
    from django.contrib.auth.models import Permission

    second = django_user_model.objects.create_user("editor2", password="x" * 20)
    second.user_permissions.add(Permission.objects.get(codename="change_routine"))
    Membership.objects.create(user=second, unit=Unit.objects.get(slug=UNIVERSITY), role=Role.EDITOR)
    routine_version_submit(version=draft, user=users["editor"])
    routine_version_approve(version=draft, user=second, numbers_confirmed=False)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.approved_by == second and draft.published_by == users["editor"]


def test_a_change_after_sending_takes_the_approval_request_back(client_for, users, draft):
    routine_version_submit(version=draft, user=users["editor"])
    _edit(draft, summary_nb="Endret etter innsending")
    assert not draft.awaiting_approval
    response = client_for("manager").post(_approve_url(VIOLENCE, draft.number), {})
    assert response.status_code == 200
    assert "venter ikke på godkjenning" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_number_change_needs_the_approvers_tick_and_comes_first(client_for, users, draft):
    content = draft.content
    content["contacts"].append(_contact("Vakttelefon", "22 22 22 22", label_en="Duty phone"))
    content["sections"][0]["title"]["nb"] = "En ny tittel"
    _edit(draft, content=content)
    routine_version_submit(version=draft, user=users["editor"])
    manager = client_for("manager")
    html = manager.get(_approve_url(VIOLENCE, draft.number)).content.decode()
    # The number table and the contact changes come before every other change.
    assert html.index("22 22 22 22") < html.index("En ny tittel")
    assert html.index("Nødkontakt 2") < html.index("Del 1")
    response = manager.post(_approve_url(VIOLENCE, draft.number), {})
    assert response.status_code == 200
    assert "kryss så av for at du har kontrollert dem" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    response = manager.post(_approve_url(VIOLENCE, draft.number), {"numbers_confirmed": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.numbers_confirmed and draft.approved_by == users["manager"]


@pytest.mark.parametrize("persona", ["counsellor", "manager_other", "printshop", "staff"])
def test_outsiders_get_404_on_the_approval_page(client_for, users, draft, persona):
    routine_version_submit(version=draft, user=users["editor"])
    c = client_for(persona)
    assert c.get(_approve_url(VIOLENCE, draft.number)).status_code == 404
    assert c.post(_approve_url(VIOLENCE, draft.number), {}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_demo_versions_are_marked_as_the_demos_approval(client, routines):
    versions = RoutineVersion.objects.filter(status="published")
    assert versions.count() == len(ROUTINES)
    assert all(v.approved_by_demo for v in versions)
    assert "demoen" in client.get(reverse("routines:detail", args=[VIOLENCE])).content.decode()


# --- The printed folder ------------------------------------------------------------------------------------


def _page_texts(data: bytes) -> list[str]:
    import subprocess

    texts = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
    for n in (1, count):
        out = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-", "-"], input=data, capture_output=True, check=True
        )
        texts.append(re.sub(r"\s+", " ", out.stdout.decode()))
    return texts


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_folder_cover_and_back_print_the_national_numbers_whatever_the_routine_lists(routines, lang):
    version = RoutineVersion.objects.get(routine__slug=ILLNESS, status="published")
    version.content["contacts"] = []  # a routine that lists none
    cover, back = _page_texts(render_folder(version, lang))
    names = {"nb": ["112 Politi", "113 Ambulanse", "110 Brann", "116 117 Legevakt"]}.get(
        lang, ["112 Police", "113 Ambulance", "110 Fire", "116 117 Emergency clinic"]
    )
    for words in names:
        assert words in cover, (words, cover)
        assert words in back, (words, back)


# --- The diff ----------------------------------------------------------------------------------------------


def _new_version(old, content, users):
    from routines.services import routine_version_create

    return routine_version_create(
        routine=old.routine,
        user=users["editor"],
        title_nb=old.title_nb,
        title_en=old.title_en,
        summary_nb=old.summary_nb,
        summary_en=old.summary_en,
        content=content,
    )


def test_a_change_of_order_alone_is_no_change(routines, users):
    import copy

    from routines.diff import version_diff

    old = RoutineVersion.objects.get(routine__slug=ILLNESS, number=1)
    content = copy.deepcopy(old.content)
    content["contacts"].reverse()
    content["sections"].reverse()
    content["related"] = list(reversed(content["related"])) + []
    assert len(content["contacts"]) > 1 and len(content["sections"]) > 1
    new = _new_version(old, content, users)
    with override("nb"):
        assert version_diff(old, new, "nb") == []


def test_the_diff_shows_rendered_text_and_titles_not_markdown_and_slugs(client_for, routines, users):
    import copy

    old = RoutineVersion.objects.get(routine__slug=VIOLENCE, number=1)
    content = copy.deepcopy(old.content)
    content["sections"][0]["steps"][0]["nb"] = "Ring **politiet** nå, se [veilederen](https://example.org/v)."
    content["related"] = [ILLNESS]
    _new_version(old, content, users)
    html = client_for("manager").get(reverse("routines:diff", args=[VIOLENCE]), {"from": 1, "to": 2})
    text = html.content.decode()
    assert "**" not in text and "](https://" not in text
    assert "politiet" in text and "veilederen" in text
    title = RoutineVersion.objects.get(routine__slug=ILLNESS, number=1).title_nb
    assert title in text
    related = text[text.index("Relaterte rutiner") :]
    assert ILLNESS not in related.split("</dl>")[0]
