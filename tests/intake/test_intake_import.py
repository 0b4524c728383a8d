"""Importing Questionnaires: each kind of bad input gets one clear line naming the linkId, never a traceback."""

import copy
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from intake.models import QuestionTree, TreeVersion
from intake.questionnaire import check_questionnaire
from intake.services import tree_version_create, tree_version_publish

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HELSENORGE = FIXTURES / "helsenorge_style_questionnaire.json"

MINIMAL = {
    "resourceType": "Questionnaire",
    "name": "minimal",
    "language": "en",
    "status": "draft",
    "item": [
        {
            "linkId": "s1",
            "type": "group",
            "text": "Step",
            "item": [
                {"linkId": "q1", "type": "boolean", "text": "Children?"},
                {
                    "linkId": "q2",
                    "type": "choice",
                    "text": "Where?",
                    "answerOption": [{"valueCoding": {"code": "home"}}, {"valueCoding": {"code": "school"}}],
                    "enableWhen": [{"question": "q1", "operator": "=", "answerBoolean": True}],
                },
                {"linkId": "q3", "type": "integer", "text": "How many?"},
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def english():
    # The checks speak the active language (the upload form shows them in bokmål); these tests read English.
    with translation.override("en"):
        yield


def doc(**changes):
    """A copy of MINIMAL with the first step's items changed: changes maps an item index to new keys."""
    result = copy.deepcopy(MINIMAL)
    for index, values in changes.items():
        result["item"][0]["item"][int(index.removeprefix("i"))].update(values)
    return result


def problems_of(document) -> list[str]:
    text = document if isinstance(document, str) else json.dumps(document)
    return check_questionnaire(text)[1]


def test_minimal_is_clean():
    assert problems_of(MINIMAL) == []


def test_problems_are_translated():
    with translation.override("nb"):
        assert problems_of(doc(i2={"linkId": "q1"})) == [
            "linkId q1: linkId finnes fra før (brukt av et tidligere element)."
        ]


def test_not_json():
    (line,) = problems_of("{not json")
    assert line.startswith("The file is not JSON")


@pytest.mark.parametrize("document", [{"resourceType": "Patient"}, [1, 2], {"item": []}])
def test_not_a_questionnaire(document):
    (line,) = problems_of(document)
    assert "not a FHIR Questionnaire" in line


def test_structure_errors_from_fhir_resources_name_the_item():
    bad = doc(i0={"linkId": "q1", "text": {"nested": "object"}})
    (line,) = problems_of(bad)
    assert line.startswith("linkId q1: item.0.item.0.text:")


def test_duplicate_link_id():
    assert problems_of(doc(i2={"linkId": "q1"})) == ["linkId q1: duplicate linkId (also used by an earlier item)."]


def test_enable_when_pointing_at_missing_question():
    bad = doc(i1={"enableWhen": [{"question": "nope", "operator": "=", "answerBoolean": True}]})
    assert problems_of(bad) == ["linkId q2: enableWhen points at nope, which does not exist."]


def test_enable_when_pointing_at_a_later_question():
    bad = doc(i1={"enableWhen": [{"question": "q3", "operator": ">", "answerInteger": 1}]})
    assert problems_of(bad) == [
        "linkId q2: enableWhen points at q3, which comes later; conditions may only use earlier answers."
    ]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"operator": "=", "answerString": "yes"}, "uses answerString, which does not match its type boolean"),
        ({"operator": ">", "answerBoolean": True}, "operator > needs an integer, decimal or date question"),
        ({"operator": "exists", "answerString": "x"}, "exists on q1 needs answerBoolean"),
    ],
)
def test_enable_when_answer_type_not_matching_the_question(condition, expected):
    bad = doc(i1={"enableWhen": [{"question": "q1", **condition}]})
    (line,) = problems_of(bad)
    assert line.startswith("linkId q2: ") and expected in line


def test_enable_when_coding_not_among_the_options():
    bad = copy.deepcopy(MINIMAL)
    bad["item"][0]["item"].append(
        {
            "linkId": "q4",
            "type": "string",
            "enableWhen": [{"question": "q2", "operator": "=", "answerCoding": {"code": "moon"}}],
        }
    )
    assert problems_of(bad) == ["linkId q4: enableWhen on q2 uses code moon, which is not one of its options."]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "reference"}, "linkId q3: item type reference is not supported."),
        ({"initial": [{"valueString": "1"}]}, "linkId q3: initial valueString does not fit a integer question."),
        ({"repeats": True, "type": "attachment"}, "linkId q3: repeats is not supported on items of type attachment."),
        ({"maxLength": 3}, "linkId q3: maxLength applies only to string, text, url and open-choice questions."),
        (
            {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/regex", "valueString": "x"}]},
            "linkId q3: regex applies only to string, text, url and open-choice questions.",
        ),
        (
            {"modifierExtension": [{"url": "http://example.org/x", "valueBoolean": True}]},
            "linkId q3: modifierExtension is not supported.",
        ),
        (
            {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueDate": "2020-01-01"}]},
            "linkId q3: minValue must be given as valueInteger for a integer question.",
        ),
    ],
)
def test_unsupported_types_and_features(change, expected):
    assert problems_of(doc(i2=change)) == [expected]


EXCLUSIVE = {"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive", "valueBoolean": True}


@pytest.mark.parametrize(
    ("index", "change", "expected"),
    [
        (
            "i2",
            {
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-subQuestionnaire",
                        "valueCanonical": "x",
                    }
                ]
            },
            "linkId q3: the subQuestionnaire extension is not supported.",
        ),
        (
            "i2",
            {
                "type": "date",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
                        "valueCodeableConcept": {"coding": [{"code": "yearMonth"}, {"code": "year"}]},
                    }
                ],
            },
            "linkId q3: itemControl year and yearMonth contradict each other.",
        ),
        (
            "i1",
            {
                "answerOption": [
                    {"valueCoding": {"code": "home"}, "extension": [EXCLUSIVE]},
                    {"valueCoding": {"code": "school"}},
                ]
            },
            "linkId q2: optionExclusive applies only to a question that takes several answers (repeats).",
        ),
    ],
)
# SDC expressions, sdf-calculatedExpression, targetConstraint and ordinalValue are run, not refused:
# tests/intake/test_expressions.py.
def test_extensions_that_change_what_is_computed_or_accepted_are_refused_not_ignored(index, change, expected):
    assert problems_of(doc(**{index: change})) == [expected]


def test_a_rendering_hint_is_accepted():
    hint = {
        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
        "valueCodeableConcept": {"coding": [{"code": "radio-button"}]},
    }
    assert problems_of(doc(i1={"extension": [hint]})) == []


@pytest.mark.django_db
def test_an_external_answer_value_set_must_be_imported_first():
    bad = doc(i1={"answerOption": None, "answerValueSet": "http://example.org/ValueSet/x"})
    del bad["item"][0]["item"][1]["answerOption"]
    (line,) = problems_of(bad)
    assert line == (
        "linkId q2: answerValueSet http://example.org/ValueSet/x is not imported: import that ValueSet first "
        "(Terminology, on the question trees page, or manage.py import_valueset)."
    )


def test_top_level_questions_are_accepted():
    loose = copy.deepcopy(MINIMAL)
    loose["item"].append({"linkId": "loose", "type": "string"})
    assert problems_of(loose) == []  # wrapped into a step (tests/intake/test_intake_structure.py)


def test_several_conditions_need_enable_behavior():
    bad = doc(
        i2={
            "enableWhen": [
                {"question": "q1", "operator": "exists", "answerBoolean": True},
                {"question": "q1", "operator": "=", "answerBoolean": False},
            ]
        }
    )
    (line,) = problems_of(bad)
    assert line.startswith("linkId q3: enableBehavior (all or any) is required")


def test_every_problem_is_reported_not_just_the_first():
    bad = doc(i1={"linkId": "q1"}, i2={"type": "reference"})
    assert len(problems_of(bad)) >= 2


# The command


def run(path, *args):
    return call_command("import_questionnaire", str(path), *args)


def test_command_imports_a_helsenorge_style_form_and_publishes(db, capsys):
    # Its FHIR status is draft: --publish alone stores it but does not publish it; --publish-draft does.
    with pytest.raises(CommandError, match="Add --publish-draft"):
        run(HELSENORGE, "--publish")
    run(HELSENORGE, "--publish-draft")
    version = TreeVersion.objects.get()
    assert version.tree.slug == "samtale-for-forste-time"
    assert (version.language, version.number, version.status) == ("nb", 1, "published")
    assert "Already imported as version 1" in capsys.readouterr().out
    # The same document again changes nothing (issue 18: re-importing made a new version).
    run(HELSENORGE)
    assert list(TreeVersion.objects.values_list("number", "status")) == [(1, "published")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "The file is not JSON"),
        (json.dumps({"resourceType": "Patient"}), "not a FHIR Questionnaire"),
        (json.dumps(doc(i2={"linkId": "q1"})), "linkId q1: duplicate linkId"),
        (json.dumps(doc(i2={"type": "reference"})), "linkId q3: item type reference is not supported."),
    ],
)
def test_command_on_bad_input_exits_non_zero_with_one_line_per_problem(db, tmp_path, capsys, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError) as raised:
        run(path)
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert str(raised.value).endswith("nothing was imported.")
    assert not TreeVersion.objects.exists() and not QuestionTree.objects.exists()


def test_command_in_a_subprocess_prints_no_traceback(tmp_path):
    """The real thing a person runs: exit status and output as the shell sees them."""
    import os
    import subprocess
    import sys

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc(i1={"enableWhen": [{"question": "zz", "operator": "=", "answerBoolean": True}]})))
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    result = subprocess.run(
        [sys.executable, str(manage), "import_questionnaire", str(path)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert f"{path}: linkId q2: enableWhen points at zz, which does not exist." in result.stderr
    assert "Traceback" not in result.stderr


def test_command_on_a_missing_file(db):
    with pytest.raises(CommandError, match="Cannot read"):
        run("/no/such/file.json")


def test_language_must_be_known(db, tmp_path, capsys):
    path = tmp_path / "q.json"
    path.write_text(json.dumps({**MINIMAL, "language": "de"}))
    with pytest.raises(CommandError):
        run(path)
    assert "language must be nb or en" in capsys.readouterr().err


# Versions


def test_a_published_version_never_changes(db):
    version = tree_version_publish(version=tree_version_create(doc=MINIMAL))
    version.questionnaire = {**MINIMAL, "title": "changed"}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        tree_version_publish(version=version)
    assert TreeVersion.objects.get().questionnaire == MINIMAL


def test_versions_are_numbered_per_language(db):
    tree_version_create(doc=MINIMAL)
    tree_version_create(doc=MINIMAL)
    tree_version_create(doc={**MINIMAL, "language": "nb"})
    assert sorted(TreeVersion.objects.values_list("language", "number")) == [("en", 1), ("en", 2), ("nb", 1)]


def test_note_template_placeholders_must_name_questions():
    from intake.questionnaire import EXT_NOTE_TEMPLATE

    ok = {**MINIMAL, "extension": [{"url": EXT_NOTE_TEMPLATE, "valueString": "Kids: {{q1}} {{ outcomes }} {{flags}}"}]}
    assert problems_of(ok) == []
    bad = {**MINIMAL, "extension": [{"url": EXT_NOTE_TEMPLATE, "valueString": "{{s1}} {{nope}}"}]}
    assert problems_of(bad) == [
        "The journal-note template uses {{s1}}, which is not a question.",
        "The journal-note template uses {{nope}}, which is not a question.",
    ]
