"""Issue 18, structure and identity: top-level questions wrapped into steps, questions with nested items,
readOnly, questionnaire-hidden, initial[x] and initialSelected, itemControl notices, and trees keyed by their
canonical url with version, status, re-import and draft publishing."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from accounts.demo import CENTRE_A
from intake import navigation
from intake.evaluator import Evaluation
from intake.models import Intake, QuestionTree, TreeVersion
from intake.questionnaire import Tree, check_questionnaire, initial_answers, questionnaire_notices
from intake.services import (
    intake_create,
    intake_save_step,
    short_name,
    tree_version_create,
    tree_version_import,
    tree_version_publish,
)
from intake.wizard import answers_from, initial_for, step_form_class, step_nodes

HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"

# Loose top-level items (no group), a question with nested items, readOnly, hidden and initial values.
LOOSE = {
    "resourceType": "Questionnaire",
    "url": "https://example.org/Questionnaire/loose",
    "name": "Spørreskjema_om_bærekraft",
    "title": "Kartlegging",
    "version": "2.1",
    "status": "active",
    "language": "nb",
    "item": [
        {"linkId": "intro", "type": "display", "text": "Velkommen"},
        {
            "linkId": "smoker",
            "type": "boolean",
            "text": "Røyker du?",
            "item": [
                {
                    "linkId": "per-day",
                    "type": "integer",
                    "text": "Hvor mange om dagen?",
                    "enableWhen": [{"question": "smoker", "operator": "=", "answerBoolean": True}],
                }
            ],
        },
        {
            "linkId": "source",
            "type": "string",
            "text": "Kilde",
            "readOnly": True,
            "initial": [{"valueString": "skjema"}],
        },
        {
            "linkId": "secret",
            "type": "integer",
            "text": "Skjult",
            "extension": [{"url": HIDDEN, "valueBoolean": True}],
            "initial": [{"valueInteger": 7}],
        },
        {
            "linkId": "g",
            "type": "group",
            "text": "Gruppe",
            "item": [
                {
                    "linkId": "colour",
                    "type": "choice",
                    "text": "Farge",
                    "extension": [{"url": CONTROL, "valueCodeableConcept": {"coding": [{"code": "drop-down"}]}}],
                    "answerOption": [
                        {"valueCoding": {"code": "red", "display": "Rød"}},
                        {"valueCoding": {"code": "blue", "display": "Blå"}, "initialSelected": True},
                    ],
                },
                {"linkId": "born", "type": "date", "text": "Født", "initial": [{"valueDate": "2000-01-02"}]},
                {"linkId": "weight", "type": "decimal", "text": "Vekt", "initial": [{"valueInteger": 70}]},
            ],
        },
        {"linkId": "last", "type": "text", "text": "Noe mer?"},
    ],
}


@pytest.fixture(autouse=True)
def english():
    # The lines are checked in English (the source strings); the upload test reads the bokmål page.
    with translation.override("en"):
        yield


def loose(**changes) -> dict:
    return {**copy.deepcopy(LOOSE), **changes}


def test_the_document_is_accepted_and_the_editor_told_what_is_shown_plainly():
    doc, problems = check_questionnaire(json.dumps(LOOSE))
    assert problems == [] and doc is not None
    notices = questionnaire_notices(doc)
    assert any("shown as 2 step(s)" in n for n in notices)
    assert any("itemControl drop-down (linkId colour)" in n for n in notices)


def test_runs_of_top_level_items_become_steps_titled_from_the_title():
    tree = Tree(LOOSE)
    assert [s.link_id for s in tree.steps] == ["step-1", "g", "step-2"]
    first, _group, last = tree.steps
    assert first.text == "Kartlegging (1)" and last.text == "Kartlegging (2)"
    assert [c.link_id for c in first.children] == ["intro", "smoker", "source", "secret"]
    assert tree.by_link_id["per-day"].step is first and tree.by_link_id["last"].step is last
    # One run only: the title alone. A linkId that is taken is not reused for a made step.
    single = Tree({**LOOSE, "item": [{"linkId": "step-1", "type": "string", "text": "x"}]})
    assert [(s.link_id, s.text) for s in single.steps] == [("_step-1", "Kartlegging")]


def test_nested_items_of_a_question_are_in_its_step_and_follow_its_answer():
    tree = Tree(LOOSE)
    step = tree.steps[0]
    assert [i.link_id for i in navigation.step_questions(step)] == ["smoker", "per-day", "source", "secret"]
    assert not Evaluation(tree, {"smoker": [False]}).is_enabled(tree.by_link_id["per-day"])
    assert Evaluation(tree, {"smoker": [True]}).is_enabled(tree.by_link_id["per-day"])
    form = step_form_class(tree, step)(initial=initial_for(tree, step, {}))
    nodes = step_nodes(tree, step, form, {})
    smoker = next(n for n in nodes if n.item.link_id == "smoker")
    assert [c.item.link_id for c in smoker.children] == ["per-day"]
    assert "secret" not in [n.item.link_id for n in nodes]  # hidden: not shown


def test_a_made_step_applies_while_any_of_its_items_does():
    doc = loose()
    doc["item"][-1]["enableWhen"] = [{"question": "smoker", "operator": "=", "answerBoolean": True}]
    tree = Tree(doc)
    assert [s.link_id for s in navigation.applicable_steps(tree, {})] == ["step-1", "g"]
    assert [s.link_id for s in navigation.applicable_steps(tree, {"smoker": [True]})][-1] == "step-2"


def test_initial_values_are_typed_as_answers():
    tree = Tree(LOOSE)
    assert initial_answers(tree) == {
        "source": ["skjema"],
        "secret": [7],
        "colour": [{"code": "blue", "display": "Blå"}],
        "born": ["2000-01-02"],
        "weight": [70.0],
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"initial": [{"valueString": "7"}]}, "linkId per-day: initial valueString does not fit a integer question."),
        ({"initial": [{"valueInteger": 1}, {"valueInteger": 2}]}, "linkId per-day: only a question that repeats"),
    ],
)
def test_initial_values_that_do_not_fit_are_refused(change, expected):
    doc = loose()
    doc["item"][1]["item"][0].update(change)
    (line,) = check_questionnaire(json.dumps(doc))[1]
    assert line.startswith(expected)


def test_initial_outside_the_options_and_partial_dates_are_refused():
    doc = loose()
    doc["item"][4]["item"][0]["initial"] = [{"valueCoding": {"code": "green"}}]
    doc["item"][4]["item"][0]["answerOption"][1].pop("initialSelected")
    doc["item"][4]["item"][1]["initial"] = [{"valueDate": "2000"}]
    assert check_questionnaire(json.dumps(doc))[1] == [
        "linkId colour: initial green is not one of the question's options.",
        "linkId born: initial valueDate 2000 must be a full date (YYYY-MM-DD).",
    ]


def test_a_display_item_with_initial_is_refused():
    doc = loose()
    doc["item"][0]["initial"] = [{"valueString": "x"}]
    assert check_questionnaire(json.dumps(doc))[1] == [
        "linkId intro: initial values belong on questions, not on a display item."
    ]


@pytest.fixture
def loose_version(db):
    return tree_version_publish(version=tree_version_create(doc=loose()))


def test_a_new_intake_starts_with_the_initial_answers_and_keeps_read_only_and_hidden_ones(
    loose_version, users, units, client_for
):
    intake = intake_create(user=users["counsellor"], unit=units[CENTRE_A], tree_version=loose_version)
    assert intake.answers["source"] == ["skjema"] and intake.answers["secret"] == [7]
    assert intake.current_step == "step-1"
    tree = Tree(loose_version.questionnaire)
    field = lambda link_id: f"q{tree.by_link_id[link_id].index}"  # noqa: E731
    client = client_for("counsellor")
    url = reverse("intake:step", args=[intake.pk, "step-1"])
    html = client.get(url).content.decode()
    assert "Kartlegging (1)" in html and "Hvor mange om dagen?" in html
    assert "Skjult" not in html  # hidden
    assert f'name="{field("source")}"' in html and "disabled" in html and 'value="skjema"' in html
    # A post that tries to change the read-only and hidden answers changes only the others.
    data = {field("smoker"): "true", field("per-day"): "3", field("source"): "x", field("secret"): "1"}
    response = client.post(url, {**data, "revision": 0, "action": "next"})
    assert response.status_code == 302 and response["Location"].endswith("/g/")
    intake.refresh_from_db()
    assert intake.answers["source"] == ["skjema"] and intake.answers["secret"] == [7]
    assert intake.answers["smoker"] == [True] and intake.answers["per-day"] == [3]


def test_saving_a_step_never_clears_its_read_only_answers(loose_version, users, units):
    intake = intake_create(user=users["counsellor"], unit=units[CENTRE_A], tree_version=loose_version)
    tree = Tree(loose_version.questionnaire)
    step = tree.steps[0]
    values = answers_from(tree, step, {})
    assert "source" not in values and "secret" not in values
    saved = intake_save_step(intake=intake, user=None, step="step-1", values=values, revision=0, next_step="g")
    assert saved.intake.answers["source"] == ["skjema"]


def test_the_preview_walks_made_steps_from_the_initial_answers(loose_version, client_for):
    editor = client_for("editor")
    url = reverse("intake:tree_preview", args=[loose_version.tree.slug, "nb", 1])
    html = editor.post(url, {}).content.decode()
    assert "Kartlegging (1)" in html and 'value="skjema"' in html


# Identity


def test_short_names_transliterate_norwegian_letters():
    assert short_name("Spørreskjema for første gang på Ærøy") == "sporreskjema-for-forste-gang-paa-aeroy"


def test_a_tree_is_its_canonical_url_and_version_and_status_are_kept(db):
    version = tree_version_import(doc=loose()).version
    assert version.tree.canonical == "https://example.org/Questionnaire/loose"
    assert version.tree.slug == "sporreskjema_om_baerekraft"
    assert (version.fhir_version, version.fhir_status) == ("2.1", "active")
    # Same name, another url: another tree, with a free short name.
    other = tree_version_import(doc=loose(url="https://example.org/Questionnaire/other")).version
    assert other.tree != version.tree and other.tree.slug == version.tree.slug + "-2"
    # Same url, a new version of the document: the same tree.
    newer = tree_version_import(doc=loose(version="2.2", name="renamed")).version
    assert newer.tree == version.tree and newer.number == 2


def test_without_url_the_name_then_title_then_id_is_the_key(db):
    no_url = {k: v for k, v in LOOSE.items() if k != "url"}
    assert tree_version_import(doc=no_url).version.tree.canonical == LOOSE["name"]
    titled = {k: v for k, v in no_url.items() if k != "name"}
    assert tree_version_import(doc=titled).version.tree.slug == "kartlegging"
    bare = {k: v for k, v in titled.items() if k != "title"}
    with pytest.raises(ValidationError, match="no url, name, title or id"):
        tree_version_import(doc=bare)
    result = tree_version_import(doc=bare, file_name="Mitt skjema")
    assert result.version.tree.slug == "mitt-skjema" and "file name" in result.notices[0]


def test_reimporting_the_same_document_changes_nothing(db):
    first = tree_version_import(doc=loose())
    again = tree_version_import(doc=loose())
    assert first.created and not again.created and again.version == first.version
    assert TreeVersion.objects.count() == 1


def test_a_chosen_short_name_must_fit_the_column(db):
    with pytest.raises(ValidationError, match="longer than 50"):
        tree_version_import(doc=loose(), tree_slug="a" * 51)


def test_no_language_is_asked_for(db):
    doc = {k: v for k, v in LOOSE.items() if k != "language"}
    with pytest.raises(ValidationError, match="has no language"):
        tree_version_import(doc=doc)
    assert tree_version_import(doc=doc, language="en").version.language == "en"


def test_a_missing_status_is_taken_as_draft_with_a_notice(db):
    doc = {k: v for k, v in LOOSE.items() if k != "status"}
    parsed, problems = check_questionnaire(json.dumps(doc))
    assert problems == [] and parsed is not None
    assert "taken as a draft" in questionnaire_notices(parsed)[0]
    assert tree_version_import(doc=parsed).version.fhir_status == "draft"


def test_a_draft_is_published_only_when_the_editor_says_so(db):
    version = tree_version_import(doc=loose(status="draft")).version
    with pytest.raises(ValidationError, match="status is draft"):
        tree_version_publish(version=version, allow_draft=False)
    assert tree_version_publish(version=version, allow_draft=True).is_published


def test_the_command_reports_notices_reimports_and_refuses_to_publish_a_draft(db, tmp_path, capsys):
    path = tmp_path / "skjema.json"
    path.write_text(json.dumps(loose(status="draft")))
    with pytest.raises(CommandError, match="Add --publish-draft"):
        call_command("import_questionnaire", str(path), "--publish")
    out = capsys.readouterr().out
    assert "notice: itemControl drop-down" in out and "Imported" not in out
    call_command("import_questionnaire", str(path), "--publish-draft")
    out = capsys.readouterr().out
    assert "Already imported as version 1" in out
    assert TreeVersion.objects.get().is_published


def test_upload_says_already_imported_and_shows_version_and_status(client_for, intake_trees):
    editor = client_for("editor")

    def upload():
        return editor.post(
            reverse("intake:tree_list"),
            {
                "tree": "",
                "language": "",
                "file": SimpleUploadedFile("q.json", json.dumps(loose(status="draft")).encode()),
            },
            follow=True,
        )

    html = upload().content.decode()
    assert "itemControl drop-down" in html and "2.1" in html and "draft" in html
    assert 'name="publish_draft"' in html
    html = upload().content.decode()
    assert (
        "allerede importert som versjon 1" in html
        and TreeVersion.objects.filter(tree__canonical=LOOSE["url"]).count() == 1
    )
    version = TreeVersion.objects.get(tree__canonical=LOOSE["url"])
    publish = reverse("intake:tree_publish", args=[version.tree.slug, "nb", 1])
    editor.post(publish)
    version.refresh_from_db()
    assert not version.is_published
    editor.post(publish, {"publish_draft": "1"})
    version.refresh_from_db()
    assert version.is_published
    assert QuestionTree.objects.filter(canonical=LOOSE["url"]).count() == 1
    assert Intake.objects.count() == 0


def test_a_form_with_every_step_hidden_is_refused():
    doc = loose()
    for item in doc["item"]:
        item["extension"] = [{"url": HIDDEN, "valueBoolean": True}]
    assert check_questionnaire(json.dumps(doc))[1] == [
        "The Questionnaire has nothing to ask: every top-level item is hidden, or holds the outcomes or the risk "
        "summary."
    ]


def test_the_review_lists_made_steps_and_nested_answers(loose_version, users, units, client_for):
    intake = intake_create(user=users["counsellor"], unit=units[CENTRE_A], tree_version=loose_version)
    intake_save_step(
        intake=intake,
        user=None,
        step="step-1",
        values={"smoker": [True], "per-day": [4]},
        revision=0,
        next_step="g",
    )
    response = client_for("counsellor").get(reverse("intake:review", args=[intake.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kartlegging (1)" in html and "Hvor mange om dagen?" in html and "skjema" in html
