"""Editors' screens for question trees: upload (with the import's messages), preview without saving,
publish, export and the item-by-item diff."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake.demo import demo_tree_document
from intake.editor import tree_diff
from intake.models import Intake, TreeVersion

LIST = reverse("intake:tree_list")


def upload(client, doc_or_text, **fields):
    text = doc_or_text if isinstance(doc_or_text, (str, bytes)) else json.dumps(doc_or_text)
    data = {
        "tree": "",
        "language": "",
        **fields,
        "file": SimpleUploadedFile("q.json", text.encode() if isinstance(text, str) else text),
    }
    return client.post(LIST, data)


@pytest.fixture
def editor(client_for, intake_trees):
    return client_for("editor")


def changed_doc():
    doc = demo_tree_document("nb")
    group = doc["item"][0]["item"]
    group[0]["text"] = "Ny tekst for kontaktmåte"
    next(i for i in group if i["linkId"] == "interpreter-needed")["required"] = False
    doc["item"][0]["item"] = [i for i in group if i["linkId"] != "contact-phone-invite"]
    return doc


def test_a_bad_file_gets_one_line_per_problem_and_keeps_the_choices(editor):
    doc = demo_tree_document("nb")
    doc["item"][1]["item"].append(dict(doc["item"][0]["item"][0]))  # a duplicate linkId
    response = upload(editor, doc, tree="first-contact", language="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "linkId contact-channel: dupliser" in html or "linkId contact-channel:" in html
    assert '<option value="first-contact" selected>' in html and '<option value="en" selected>' in html
    assert TreeVersion.objects.count() == 2
    assert "ikke JSON" in upload(editor, "{not json").content.decode()


def test_a_good_file_becomes_a_draft_then_publishes_and_exports(editor):
    response = upload(editor, changed_doc(), tree="first-contact", language="nb")
    version = TreeVersion.objects.get(tree__slug="first-contact", language="nb", number=2)
    assert response.status_code == 302 and not version.is_published
    args = ["first-contact", "nb", 2]
    assert editor.post(reverse("intake:tree_publish", args=args)).status_code == 302
    version.refresh_from_db()
    assert version.is_published
    exported = editor.get(reverse("intake:tree_export", args=args))
    assert exported["Content-Disposition"] == 'attachment; filename="first-contact.nb.v2.json"'
    assert json.loads(b"".join(exported.streaming_content)) == version.questionnaire


def test_the_diff_lists_added_removed_and_changed_items_by_link_id():
    changes = {c.link_id: c for c in tree_diff(demo_tree_document("nb"), changed_doc())}
    assert changes["contact-phone-invite"].kind == "removed"
    assert changes["contact-channel"].kind == "changed"
    assert any("Ny tekst for kontaktmåte" in line for line in changes["contact-channel"].changes)
    assert changes["interpreter-needed"].kind == "changed"
    new = changed_doc()
    new["item"][0]["item"].append({"linkId": "extra", "type": "string", "text": "Ekstra"})
    assert {c.link_id: c.kind for c in tree_diff(demo_tree_document("nb"), new)}["extra"] == "added"


def test_the_preview_walks_the_steps_without_saving(editor):
    url = reverse("intake:tree_preview", args=["first-contact", "nb", 1])
    first = editor.post(url, {})
    assert first.status_code == 200 and "Kontakt" in first.content.decode()
    from intake.questionnaire import Tree

    tree = Tree(demo_tree_document("nb"))
    q = lambda link_id: f"q{tree.by_link_id[link_id].index}"  # noqa: E731
    second = editor.post(
        url,
        {
            "answers": "{}",
            "step": "contact",
            "revision": 0,
            "action": "next",
            q("contact-channel"): "walk-in",
            q("interpreter-needed"): "false",
        },
    )
    html = second.content.decode()
    assert "Situasjonen" in html and "walk-in" in html  # the answers travel in the hidden field
    assert Intake.objects.count() == 0


def test_counsellors_do_not_find_the_tree_editor(client_for, intake_trees):
    assert client_for("counsellor").get(LIST).status_code == 404
