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


def test_a_name_too_long_for_a_short_name_is_cut_to_fit_not_a_500(editor):
    doc = demo_tree_document("en")
    doc["name"] = "A" * 51
    doc["url"] = "https://example.org/Questionnaire/long"
    response = upload(editor, doc)
    assert response.status_code == 302
    version = TreeVersion.objects.get(tree__canonical="https://example.org/Questionnaire/long")
    assert version.tree.slug == "a" * 50


def test_deep_nesting_is_refused_with_a_clear_line_not_a_500(editor):
    deep_json = "[" * 100_000 + "]" * 100_000
    assert "for dypt" in upload(editor, deep_json).content.decode()
    step = {"linkId": "s0", "type": "group", "text": "Step", "item": []}
    node = step
    for level in range(1, 160):
        child = {"linkId": f"g{level}", "type": "group", "text": "Group", "item": []}
        node["item"].append(child)
        node = child
    node["item"].append({"linkId": "q", "type": "boolean", "text": "Yes?"})
    doc = {"resourceType": "Questionnaire", "name": "deep", "language": "en", "status": "draft", "item": [step]}
    html = upload(editor, doc).content.decode()
    assert "linkId g12:" in html and "12 nivåer" in html
    assert TreeVersion.objects.count() == 2


def test_a_partial_date_limit_imports_and_its_step_page_shows_and_checks_it(editor):
    doc = {
        "resourceType": "Questionnaire",
        "name": "partial-dates",
        "language": "en",
        "status": "draft",
        "item": [
            {
                "linkId": "s1",
                "type": "group",
                "text": "Step",
                "item": [
                    {
                        "linkId": "born",
                        "type": "date",
                        "text": "Born?",
                        "extension": [
                            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueDate": "1900"},
                            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueDate": "2026-02"},
                        ],
                    }
                ],
            }
        ],
    }
    assert upload(editor, doc).status_code == 302
    url = reverse("intake:tree_preview", args=["partial-dates", "en", 1])
    assert editor.post(url, {}).status_code == 200
    answers = {"answers": "{}", "step": "s1", "revision": 0, "action": "next"}
    late = editor.post(url, {**answers, "q1": "2026-03-01"}).content.decode()
    early = editor.post(url, {**answers, "q1": "1899-12-31"}).content.decode()
    assert "2026-02-28" in late or "28.02.2026" in late
    assert "1900-01-01" in early or "01.01.1900" in early


@pytest.mark.parametrize(
    ("value", "last", "expected"),
    [
        ("1900", False, "1900-01-01"),
        ("1900", True, "1900-12-31"),
        ("2024-02", True, "2024-02-29"),
        ("2026-12-03", True, "2026-12-03"),
    ],
)
def test_fhir_dates_may_be_partial(value, last, expected):
    from intake.questionnaire import fhir_date

    assert fhir_date(value, last=last).isoformat() == expected


@pytest.mark.parametrize("value", ["19", "1900-1", "1900-13", "abc", "1900-01-01T00:00"])
def test_a_fhir_date_that_is_not_one_raises_value_error(value):
    from intake.questionnaire import fhir_date

    with pytest.raises(ValueError):
        fhir_date(value)
