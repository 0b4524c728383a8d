"""Imported terminology (intake.terminology, intake.services.terminology_import) and a Questionnaire's external
answerValueSet resolved from it (docs/intake-trees.md, "Terminology")."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from audit.models import AuditEvent
from intake.models import CodeSystem, TreeVersion, ValueSet
from intake.questionnaire import Tree, check_questionnaire
from intake.services import terminology_import, tree_version_import, tree_version_publish
from intake.terminology import EXT_ANSWER_VALUE_SET, read_terminology, value_set_notices

pytestmark = pytest.mark.django_db

GENDER_CS = {
    "resourceType": "CodeSystem",
    "url": "http://example.org/CodeSystem/gender",
    "version": "1",
    "status": "active",
    "content": "complete",
    "concept": [
        {"code": "male", "display": "Male"},
        {"code": "female", "display": "Female"},
        {"code": "other", "display": "Other"},
        {"code": "unknown", "display": "Unknown"},
    ],
}
# A hierarchy: "contact" is abstract (notSelectable) and holds two kinds; "other" stands alone.
ROLE_CS = {
    "resourceType": "CodeSystem",
    "url": "http://example.org/CodeSystem/role",
    "status": "active",
    "content": "complete",
    "concept": [
        {
            "code": "contact",
            "display": "Contact",
            "property": [{"code": "notSelectable", "valueBoolean": True}],
            "concept": [
                {"code": "emergency", "display": "Emergency contact"},
                {"code": "kin", "display": "Next of kin"},
            ],
        },
        {"code": "other", "display": "Other"},
    ],
}


def value_set(url="http://example.org/ValueSet/gender", **fields):
    return {"resourceType": "ValueSet", "url": url, "status": "active", **fields}


GENDER_VS = value_set(version="1", compose={"include": [{"system": GENDER_CS["url"]}]})


def imported(*resources):
    read = read_terminology(json.dumps(bundle(*resources)))
    assert read.problems == [] and read.skipped == []
    return terminology_import(resources=read.resources)


def bundle(*resources):
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def codes(url):
    return [c["code"] for c in ValueSet.objects.get(url=url).concepts]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Reading files


def test_a_file_that_is_not_terminology_is_refused_with_one_line():
    assert read_terminology(b"{nope").problems[0].startswith("The file is not JSON")
    assert read_terminology(json.dumps({"resourceType": "Questionnaire"})).problems == [
        "The file is not a FHIR ValueSet, CodeSystem or Bundle of them (resourceType is Questionnaire)."
    ]
    assert read_terminology(json.dumps({"resourceType": "Bundle", "type": "collection"})).problems == [
        "The Bundle has no entries."
    ]
    deep = "[" * 100_000 + "]" * 100_000
    assert read_terminology(json.dumps({"resourceType": "ValueSet", "x": json.loads("[" * 90 + "]" * 90)})).problems
    assert read_terminology(deep).problems


def test_structure_is_checked_with_fhir_resources_each_resource_on_its_own():
    broken = value_set(url="http://example.org/ValueSet/broken", compose={"include": [{"concept": [{"display": "-"}]}]})
    read = read_terminology(json.dumps(bundle(GENDER_CS, broken, {"resourceType": "NamingSystem"})))
    assert read.problems == []
    assert [r["url"] for r in read.resources] == [GENDER_CS["url"]]  # other kinds of resource are passed by
    (line,) = read.skipped
    assert line.startswith("ValueSet http://example.org/ValueSet/broken: compose.include.0.concept.0.code:")


# Each shape of ValueSet


def test_a_whole_imported_code_system():
    result = imported(GENDER_CS, GENDER_VS)
    assert {type(row).__name__ for row in result.stored} == {"CodeSystem", "ValueSet"}
    assert result.refused == []
    row = ValueSet.objects.get(url=GENDER_VS["url"])
    assert row.concepts[0] == {"system": GENDER_CS["url"], "code": "male", "display": "Male"}
    assert (row.version, row.status, row.concept_count) == ("1", "active", 4)


def test_an_expansion_with_nested_and_abstract_entries():
    vs = value_set(
        expansion={
            "timestamp": "2026-01-01T00:00:00Z",
            "contains": [
                {"system": "s", "code": "a", "display": "A"},
                {"abstract": True, "display": "Heading", "contains": [{"system": "s", "code": "b"}]},
            ],
        }
    )
    assert imported(vs).refused == []
    assert ValueSet.objects.get().concepts == [
        {"system": "s", "code": "a", "display": "A"},
        {"system": "s", "code": "b", "display": "b"},
    ]


def test_a_partial_expansion_is_refused():
    vs = value_set(expansion={"timestamp": "2026-01-01T00:00:00Z", "total": 40, "contains": [{"code": "a"}]})
    (line,) = imported(vs).refused
    assert line == "ValueSet http://example.org/ValueSet/gender: its expansion is partial (1 of 40 concepts listed)."


def test_explicit_concepts_take_their_display_from_an_imported_code_system():
    vs = value_set(compose={"include": [{"system": GENDER_CS["url"], "concept": [{"code": "female"}, {"code": "x"}]}]})
    imported(GENDER_CS, vs)
    assert [c["display"] for c in ValueSet.objects.get(url=vs["url"]).concepts] == ["Female", "x"]


def test_the_hierarchy_filters_and_exclude():
    url = ROLE_CS["url"]
    is_a = value_set("http://example.org/ValueSet/is-a", compose={"include": [_filter(url, "is-a", "contact")]})
    not_a = value_set("http://example.org/ValueSet/not-a", compose={"include": [_filter(url, "is-not-a", "contact")]})
    excluded = value_set(
        "http://example.org/ValueSet/excluded",
        compose={"include": [{"system": url}], "exclude": [{"system": url, "concept": [{"code": "kin"}]}]},
    )
    below = value_set("http://example.org/ValueSet/below", compose={"include": [_filter(url, "descendent-of", "kin")]})
    listed = value_set("http://example.org/ValueSet/in", compose={"include": [_filter(url, "in", "kin, other")]})
    unlisted = value_set("http://example.org/ValueSet/not-in", compose={"include": [_filter(url, "not-in", "kin")]})
    assert imported(ROLE_CS, is_a, not_a, excluded, below, listed, unlisted).refused == [
        "ValueSet http://example.org/ValueSet/below: it lists no concepts."  # kin has nothing below it
    ]
    assert codes(is_a["url"]) == ["emergency", "kin"]  # "contact" itself is abstract
    assert codes(not_a["url"]) == ["other"]
    assert codes(excluded["url"]) == ["emergency", "other"]
    assert codes(listed["url"]) == ["kin", "other"]
    assert codes(unlisted["url"]) == ["emergency", "other"]


def test_other_filters_are_refused_saying_which():
    vs = value_set(compose={"include": [_filter(ROLE_CS["url"], "regex", "e.*")]})
    (line,) = imported(ROLE_CS, vs).refused
    assert line == (
        "ValueSet http://example.org/ValueSet/gender: the filter concept regex e.* on http://example.org/CodeSystem/"
        "role is not supported (only is-a, descendent-of, is-not-a, in and not-in on the concepts of an imported "
        "CodeSystem)."
    )


def _filter(system, op, value):
    return {"system": system, "filter": [{"property": "concept", "op": op, "value": value}]}


def test_a_value_set_include_in_any_order_of_the_bundle():
    outer = value_set("http://example.org/ValueSet/outer", compose={"include": [{"valueSet": [GENDER_VS["url"]]}]})
    assert imported(outer, GENDER_VS, GENDER_CS).refused == []  # the ValueSet it includes comes later
    assert codes(outer["url"]) == ["male", "female", "other", "unknown"]


def test_what_builds_on_something_not_imported_is_refused_saying_what_to_import():
    outer = value_set("http://example.org/ValueSet/outer", compose={"include": [{"valueSet": ["http://x.org/vs"]}]})
    assert imported(GENDER_VS, outer).refused == [
        "ValueSet http://example.org/ValueSet/gender|1: it includes the whole code system "
        "http://example.org/CodeSystem/gender, which is not imported: import that CodeSystem first.",
        "ValueSet http://example.org/ValueSet/outer: it includes the ValueSet http://x.org/vs, which is not "
        "imported: import that first.",
    ]
    assert not ValueSet.objects.exists()


def test_a_code_system_that_is_not_complete_is_refused():
    (line,) = imported({**GENDER_CS, "content": "example"}).refused
    assert line.startswith("CodeSystem http://example.org/CodeSystem/gender|1: its content is example;")
    assert not CodeSystem.objects.exists()


# Identity and versions


def test_re_importing_the_same_resources_changes_nothing():
    imported(GENDER_CS, GENDER_VS)
    events = AuditEvent.objects.filter(action="intake_terminology.imported").count()
    again = imported(GENDER_CS, GENDER_VS)
    assert (again.stored, again.refused, len(again.unchanged)) == ([], [], 2)
    assert ValueSet.objects.count() == CodeSystem.objects.count() == 1
    assert AuditEvent.objects.filter(action="intake_terminology.imported").count() == events == 2


def test_a_new_version_is_added_and_the_same_version_with_other_content_refused():
    imported(GENDER_CS, GENDER_VS)
    v2 = {
        **GENDER_VS,
        "version": "2",
        "compose": {"include": [{"system": GENDER_CS["url"], "concept": [{"code": "other"}]}]},
    }
    assert imported(v2).refused == []
    assert sorted(ValueSet.objects.values_list("version", flat=True)) == ["1", "2"]
    changed = {**GENDER_VS, "title": "Changed"}
    assert imported(changed).refused == [
        "ValueSet http://example.org/ValueSet/gender|1 is already imported with other content: give the changed "
        "one a new version."
    ]


# Questionnaires


def questionnaire(ref: str) -> dict:
    return {
        "resourceType": "Questionnaire",
        "url": "http://example.org/Questionnaire/q",
        "status": "active",
        "language": "en",
        "item": [
            {
                "linkId": "g",
                "type": "group",
                "text": "About you",
                "item": [
                    {"linkId": "gender", "type": "choice", "text": "Gender", "answerValueSet": ref},
                    {
                        "linkId": "why",
                        "type": "string",
                        "text": "Why",
                        "enableWhen": [{"question": "gender", "operator": "=", "answerCoding": {"code": "other"}}],
                    },
                ],
            }
        ],
    }


def test_an_external_answer_value_set_becomes_the_questions_options():
    imported(GENDER_CS, GENDER_VS)
    original = questionnaire(GENDER_VS["url"])
    kept = copy.deepcopy(original)
    doc, problems = check_questionnaire(json.dumps(original))
    assert problems == []
    assert original == kept  # the caller's document is not changed
    item = doc["item"][0]["item"][0]
    assert "answerValueSet" not in item
    assert item["answerOption"][1] == {
        "valueCoding": {"system": GENDER_CS["url"], "code": "female", "display": "Female"}
    }
    assert item["extension"] == [
        {"url": EXT_ANSWER_VALUE_SET, "valueCanonical": "http://example.org/ValueSet/gender|1"}
    ]
    tree = Tree(doc)
    assert [o["code"] for o in tree.options(tree.by_link_id["gender"])] == ["male", "female", "other", "unknown"]
    assert value_set_notices(doc) == [
        "linkId gender: 4 answer options copied from the ValueSet http://example.org/ValueSet/gender|1."
    ]


def test_url_alone_takes_the_latest_imported_and_url_version_that_version():
    imported(GENDER_CS, GENDER_VS)
    v2 = {
        **GENDER_VS,
        "version": "2",
        "compose": {"include": [{"system": GENDER_CS["url"], "concept": [{"code": "other"}]}]},
    }
    imported(v2)
    latest = check_questionnaire(json.dumps(questionnaire(GENDER_VS["url"])))[0]
    pinned = check_questionnaire(json.dumps(questionnaire(GENDER_VS["url"] + "|1")))[0]
    assert len(latest["item"][0]["item"][0]["answerOption"]) == 1
    assert len(pinned["item"][0]["item"][0]["answerOption"]) == 4


def test_a_tree_version_keeps_its_options_when_the_value_set_is_imported_again():
    imported(GENDER_CS, GENDER_VS)
    doc, problems = check_questionnaire(json.dumps(questionnaire(GENDER_VS["url"])))
    assert problems == []
    version = tree_version_publish(version=tree_version_import(doc=doc).version)
    stored = copy.deepcopy(version.questionnaire)
    v2 = {
        **GENDER_VS,
        "version": "2",
        "compose": {"include": [{"system": GENDER_CS["url"], "concept": [{"code": "other"}]}]},
    }
    imported(v2)
    version = TreeVersion.objects.get(pk=version.pk)
    assert version.questionnaire == stored
    assert len(Tree(version.questionnaire).options(Tree(version.questionnaire).by_link_id["gender"])) == 4
    # Importing the same file now gives the new version's options: a new tree version, the old one untouched.
    again = tree_version_import(doc=check_questionnaire(json.dumps(questionnaire(GENDER_VS["url"])))[0])
    assert again.created and again.version.number == 2


def test_a_missing_value_set_is_refused_naming_the_link_id_and_url_in_both_languages():
    ref = "http://example.org/ValueSet/missing"
    line = check_questionnaire(json.dumps(questionnaire(ref)))[1][0]  # then the enableWhen on its code
    assert line == (
        f"linkId gender: answerValueSet {ref} is not imported: import that ValueSet first (Terminology, on the "
        "question trees page, or manage.py import_valueset)."
    )
    with translation.override("nb"):
        line = check_questionnaire(json.dumps(questionnaire(ref)))[1][0]
    assert line.startswith(f"linkId gender: answerValueSet {ref} er ikke importert")


def test_an_answer_service_searched_as_one_types_is_refused_as_such():
    doc = questionnaire("https://clinicaltables.nlm.nih.gov/fhir/R4/ValueSet/rxterms")
    doc["item"][0]["item"][0]["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
            "valueCodeableConcept": {"coding": [{"code": "autocomplete"}]},
        }
    ]
    line = check_questionnaire(json.dumps(doc))[1][0]
    assert line.startswith(
        "linkId gender: answerValueSet https://clinicaltables.nlm.nih.gov/fhir/R4/ValueSet/rxterms is searched as "
        "one types (itemControl autocomplete)"
    )


def test_a_value_set_too_long_for_a_question_is_refused(monkeypatch):
    imported(GENDER_CS, GENDER_VS)
    monkeypatch.setattr("intake.terminology.MAX_OPTIONS", 3)
    line = check_questionnaire(json.dumps(questionnaire(GENDER_VS["url"])))[1][0]
    assert (
        line
        == "linkId gender: the ValueSet http://example.org/ValueSet/gender has 4 concepts; a question offers at most 3."
    )


def test_an_implicit_snomed_value_set_is_refused_as_such():
    ref = "http://snomed.info/sct?fhir_vs=ecl/<404684003"
    line = check_questionnaire(json.dumps(questionnaire(ref)))[1][0]
    assert "implicit SNOMED CT ValueSet" in line and ref in line


# The command


def test_the_command_imports_and_reports(tmp_path: Path):
    path = tmp_path / "terminology.json"
    path.write_text(json.dumps(bundle(GENDER_CS, GENDER_VS)))
    out = StringIO()
    call_command("import_valueset", str(path), stdout=out)
    assert f"{path}: 2 imported, 0 already imported (unchanged), 0 left out." in out.getvalue()
    assert f"{path}: imported ValueSet http://example.org/ValueSet/gender|1 (4 concepts)" in out.getvalue()
    out = StringIO()
    call_command("import_valueset", str(path), stdout=out)
    assert f"{path}: 0 imported, 2 already imported (unchanged), 0 left out." in out.getvalue()


def test_the_command_exits_1_on_problems_with_one_line_each(tmp_path: Path):
    bad, partly = tmp_path / "bad.json", tmp_path / "partly.json"
    bad.write_text("not json")
    partly.write_text(json.dumps(bundle(GENDER_VS)))
    err = StringIO()
    with pytest.raises(CommandError, match=r"3 file\(s\) with problems"):
        call_command(
            "import_valueset", str(bad), str(partly), str(tmp_path / "none.json"), stderr=err, stdout=StringIO()
        )
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"{bad}: The file is not JSON")
    assert any(line.startswith(f"{tmp_path / 'none.json'}: cannot read it") for line in lines)
    assert any(
        line.startswith(f"{partly}: left out: ValueSet http://example.org/ValueSet/gender|1: it includes")
        for line in lines
    )


# The upload on the question trees page


def upload_terminology(client, text):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    body = text if isinstance(text, bytes) else text.encode()
    return client.post(reverse("intake:terminology_upload"), {"file": SimpleUploadedFile("t.json", body)})


def test_an_editor_imports_terminology_and_sees_it_listed(client_for, intake_trees):
    from django.urls import reverse

    editor = client_for("editor")
    response = upload_terminology(editor, json.dumps(bundle(GENDER_CS, GENDER_VS)))
    assert response.status_code == 302 and response["Location"].endswith("#terminology-heading")
    stored = ValueSet.objects.get()
    assert stored.imported_by.username == "editor" and stored.concept_count == len(stored.concepts) == 4
    event = AuditEvent.objects.get(action="intake_terminology.imported", target_type="intake.valueset")
    assert event.actor.username == "editor"
    page = editor.get(reverse("intake:tree_list"))
    html = page.content.decode()
    assert "http://example.org/ValueSet/gender" in html and "<td>4</td>" in html
    assert 'id="id_terminology_file"' in html and html.count('id="id_file"') == 1
    # Again: nothing new, and the page says so.
    response = upload_terminology(editor, json.dumps(bundle(GENDER_CS, GENDER_VS)))
    page = editor.get(response["Location"]).content.decode()  # the page speaks bokmål unless told otherwise
    assert ValueSet.objects.count() == 1 and "Importerte 0 ValueSet og CodeSystem; 2 var allerede importert" in page


def test_a_bad_file_is_shown_with_its_lines_and_nothing_is_stored(client_for, intake_trees):
    editor = client_for("editor")
    response = upload_terminology(editor, json.dumps(bundle(GENDER_VS)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "som ikke er importert: importer det CodeSystem-et først" in html
    assert "http://example.org/CodeSystem/gender" in html
    assert not ValueSet.objects.exists()
    assert upload_terminology(editor, b"{nope").status_code == 200


def test_others_do_not_find_the_upload(client_for, intake_trees):
    for persona in ("counsellor", "manager"):
        response = upload_terminology(client_for(persona), json.dumps(bundle(GENDER_CS, GENDER_VS)))
        assert response.status_code == 404
    assert not ValueSet.objects.exists() and not CodeSystem.objects.exists()
