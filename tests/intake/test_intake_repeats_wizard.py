"""Repeating groups and questions in the counsellor's wizard: "Add another" and "Remove" without JavaScript,
required answers and minOccurs per instance, tampered posts, autosave, the review and the preview."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.demo import CENTRE_A
from intake.questionnaire import Tree
from intake.services import intake_create, tree_version_create, tree_version_publish

DOC = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "repeating-children.nb.json").read_text()
)
TREE = Tree(DOC)


def q(link_id: str, *path: int) -> str:
    return f"q{TREE.by_link_id[link_id].index}" + "".join(f"-{i}" for i in path)


CHILDREN = q("child") + "-count"
PHONES = q("phone") + "-count"


@pytest.fixture
def version(demo):
    version = tree_version_create(doc=DOC, user=demo["users"]["editor"])
    return tree_version_publish(version=version, user=demo["users"]["editor"])


@pytest.fixture
def intake(demo, version):
    return intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)


@pytest.fixture
def counsellor(client_for):
    return client_for("counsellor")


def url(intake, step="family"):
    return reverse("intake:step", args=[intake.pk, step])


def post(client, intake, data, action="next"):
    intake.refresh_from_db()
    return client.post(url(intake), {"revision": intake.revision, "action": action, **data})


def test_the_step_shows_one_blank_child_and_phone_row_labelled(counsellor, intake):
    html = counsellor.get(url(intake)).content.decode()
    assert "Barn 1 av 1" in html and "Trygt telefonnummer 1 av 1" in html
    assert f'name="{CHILDREN}" value="1"' in html
    assert f'value="add:{q("child")}"' in html and f'value="remove:{q("child", 0)}"' in html


def test_add_another_saves_what_was_typed_and_shows_a_new_row(counsellor, intake):
    data = {q("has-children"): "true", CHILDREN: "1", q("child-name", 0): "Ada", q("child-age", 0): "4", PHONES: "1"}
    response = post(counsellor, intake, data, action=f"add:{q('child')}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Barn 2 av 2" in html and 'value="Ada"' in html
    assert f'data-focus="{q("child", 1)}-row"' in html
    intake.refresh_from_db()
    assert intake.answers == {"has-children": [True], "child": [{"child-name": ["Ada"], "child-age": [4]}]}
    # The page carries the new revision: the next save is not a conflict.
    assert f'name="revision" value="{intake.revision}"' in html


def test_add_keeps_an_answer_needing_correction_as_typed(counsellor, intake):
    data = {q("has-children"): "true", CHILDREN: "1", q("child-name", 0): "Ada", q("child-age", 0): "fire"}
    html = post(counsellor, intake, {**data, PHONES: "1"}, action=f"add:{q('child')}").content.decode()
    assert 'value="fire"' in html and "Barn 2 av 2" in html
    intake.refresh_from_db()
    assert "child" not in intake.answers  # kept as saved (nothing) until it validates


def test_remove_drops_the_row_and_moves_the_later_ones_up(counsellor, intake):
    data = {
        q("has-children"): "true",
        CHILDREN: "3",
        q("child-name", 0): "Ada",
        q("child-name", 1): "Bo",
        q("child-name", 2): "Cy",
        PHONES: "1",
    }
    html = post(counsellor, intake, data, action=f"remove:{q('child', 1)}").content.decode()
    intake.refresh_from_db()
    assert intake.answers["child"] == [{"child-name": ["Ada"]}, {"child-name": ["Cy"]}]
    assert f'name="{q("child-name", 1)}" value="Cy"' in html
    assert "Barn 3 av" not in html


def test_add_stops_at_max_occurs(counsellor, intake):
    data = {q("has-children"): "true", CHILDREN: "3", PHONES: "2", q("phone", 0): "1", q("phone", 1): "2"}
    html = post(counsellor, intake, data, action=f"add:{q('phone')}").content.decode()
    assert f'value="add:{q("phone")}"' not in html  # the most there may be
    assert f'value="add:{q("child")}"' not in html
    intake.refresh_from_db()
    assert intake.answers["phone"] == ["1", "2"]


def test_required_within_an_instance_is_asked_for_on_the_right_row(counsellor, intake):
    data = {q("has-children"): "true", CHILDREN: "2", q("child-name", 0): "Ada", q("child-age", 1): "9", PHONES: "1"}
    response = post(counsellor, intake, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fornavn (må besvares) (Barn 2 av 2): Svar på dette spørsmålet." in html
    assert f'href="#id_{q("child-name", 1)}"' in html
    assert 'value="9"' in html  # what was typed is kept
    intake.refresh_from_db()
    assert intake.answers == {}


def test_min_occurs_of_the_group_is_asked_for(counsellor, intake):
    response = post(counsellor, intake, {q("has-children"): "true", CHILDREN: "1", PHONES: "1"})
    html = response.content.decode()
    assert "Fyll ut minst 1; 0 så langt." in html
    assert f'href="#{CHILDREN}-group"' in html


def test_a_full_step_saves_and_moves_on(counsellor, intake):
    data = {
        q("has-children"): "true",
        CHILDREN: "2",
        q("child-name", 0): "Ada",
        q("child-age", 0): "4",
        q("child-with-perpetrator", 0): "false",
        q("child-where", 0): "Hos mormor",
        q("child-name", 1): "Bo",
        q("child-age", 1): "9",
        q("child-with-perpetrator", 1): "true",
        q("child-where", 1): "should be cleared",
        PHONES: "2",
        q("phone", 0): "111",
        q("phone", 1): "",
    }
    response = post(counsellor, intake, data)
    assert response["Location"] == url(intake, "school")  # Bo is 9: the school step applies
    intake.refresh_from_db()
    assert intake.answers == {
        "has-children": [True],
        "child": [
            {"child-name": ["Ada"], "child-age": [4], "child-with-perpetrator": [False], "child-where": ["Hos mormor"]},
            {"child-name": ["Bo"], "child-age": [9], "child-with-perpetrator": [True]},
        ],
        "phone": ["111"],
    }
    page = counsellor.get(url(intake)).content.decode()
    assert "Barn 2 av 2" in page and 'value="Hos mormor"' in page
    review = counsellor.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert "Barn 1 av 2" in review and "Hos mormor" in review and "Bo" in review
    assert "Minst ett barn bor med utøveren" in review  # the flag reads every child


@pytest.mark.parametrize(
    "action",
    ["add:q999", "remove:{child}-9", "remove:{child}", "add:{name}", "remove:q0-0", "add:{child}-0-0-0", "remove:"],
)
def test_a_tampered_action_never_fails(counsellor, intake, action):
    action = action.format(child=q("child"), name=q("child-name"))
    data = {q("has-children"): "true", CHILDREN: "1", q("child-name", 0): "Ada", PHONES: "1"}
    response = post(counsellor, intake, data, action=action)
    assert response.status_code == 200
    assert 'value="Ada"' in response.content.decode()


@pytest.mark.parametrize("count", ["9999", "-1", "x", ""])
def test_a_tampered_count_never_fails(counsellor, intake, count):
    data = {q("has-children"): "false", CHILDREN: count, PHONES: count, q("child-name", 40): "X"}
    response = post(counsellor, intake, data)
    assert response.status_code in {200, 302}
    intake.refresh_from_db()
    assert "child" not in intake.answers


def test_autosave_saves_instances(counsellor, intake):
    autosave = reverse("intake:step_autosave", args=[intake.pk, "family"])
    data = {
        "revision": 0,
        q("has-children"): "true",
        CHILDREN: "2",
        q("child-name", 0): "Ada",
        q("child-name", 1): "Bo",
        q("child-age", 1): "ni",
        PHONES: "1",
    }
    answer = counsellor.post(autosave, data).json()
    assert answer["saved"] is True and answer["unsaved"] == 1
    intake.refresh_from_db()
    # A row needing correction keeps the group as saved (nothing yet); the rest is saved.
    assert intake.answers == {"has-children": [True]}
    data.update({"revision": intake.revision, q("child-age", 1): "9"})
    assert counsellor.post(autosave, data).json()["saved"] is True
    intake.refresh_from_db()
    assert intake.answers["child"] == [{"child-name": ["Ada"]}, {"child-name": ["Bo"], "child-age": [9]}]


def test_the_journal_note_draft_shows_instances(counsellor, intake):
    from intake.finalize import draft_note

    doc = json.loads(json.dumps(DOC))
    doc["extension"] = [
        {
            "url": "https://krisestotte.no/fhir/StructureDefinition/intake-journal-note-template",
            "valueString": "Barn:\n{{child}}\nNavn: {{child-name}}",
        }
    ]
    answers = {"has-children": [True], "child": [{"child-name": ["Ada"]}, {}, {"child-name": ["Bo"]}]}
    note = draft_note(Tree(doc), answers)
    assert "Barn 1 av 2: Fornavn: Ada\nBarn 2 av 2: Fornavn: Bo" in note
    assert "Navn: Ada, Bo" in note


def test_the_editors_preview_adds_and_removes_rows(client_for, version):
    editor = client_for("editor")
    preview = reverse("intake:tree_preview", args=[version.tree.slug, version.language, version.number])
    data = {"answers": "{}", "step": "family", "revision": 0, q("has-children"): "true", CHILDREN: "1", PHONES: "1"}
    data[q("child-name", 0)] = "Ada"
    html = editor.post(preview, {**data, "action": f"add:{q('child')}"}).content.decode()
    assert "Barn 2 av 2" in html and 'value="Ada"' in html
    html = editor.post(preview, {**data, CHILDREN: "2", "action": f"remove:{q('child', 0)}"}).content.decode()
    assert "Barn 1 av 1" in html and 'value="Ada"' not in html
    response = editor.post(preview, {**data, "action": "next"})
    assert response.status_code == 200
    assert re.search(r'name="answers" value="[^"]*Ada', response.content.decode())


def test_a_repeating_step_renders_and_saves(counsellor, demo):
    from tests.intake.test_intake_repeats import NESTED

    editor = demo["users"]["editor"]
    version = tree_version_publish(version=tree_version_create(doc=NESTED, user=editor), user=editor)
    intake = intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)
    step_url = reverse("intake:step", args=[intake.pk, "household"])
    html = counsellor.get(step_url).content.decode()
    assert "Husstand 1 av 1" in html and "Person 1 av 1" in html
    response = counsellor.post(
        step_url,
        {"revision": 0, "action": "add:q2-0", "q0-count": "1", "q1-0": "Gate 1", "q2-0-count": "1", "q3-0-0": "A"},
    )
    assert response.status_code == 200 and "Person 2 av 2" in response.content.decode()
    intake.refresh_from_db()
    assert intake.answers == {"household": [{"address": ["Gate 1"], "person": [{"person-name": ["A"]}]}]}
    response = counsellor.post(
        step_url,
        {"revision": intake.revision, "action": "next", "q0-count": "1", "q1-0": "Gate 1", "q2-0-count": "1"},
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.answers == {"household": [{"address": ["Gate 1"]}]}
