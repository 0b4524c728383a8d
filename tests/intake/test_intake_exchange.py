"""An intake as a FHIR QuestionnaireResponse: the download (whoever may see the intake, 404 to others, audited),
starting a new intake from a file (counsellors, trees in use at their unit, audited), and the round trip."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from accounts.demo import CENTRE_A
from audit.models import AuditEvent
from intake.models import Intake, UnitIntakeTree
from intake.response import URN_PREFIX, response_problems
from intake.services import intake_finalize
from tests.intake.second_tree import URL as SECOND_URL
from tests.intake.second_tree import publish_second_tree
from tests.intake.test_intake_finalize import complete

IMPORT = reverse("intake:import")


def export_url(intake):
    return reverse("intake:export", args=[intake.pk])


def download(client, intake) -> dict:
    response = client.get(export_url(intake))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(b"".join(response.streaming_content))


def upload(client, doc, name="response.json"):
    body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    file = io.BytesIO(body)
    file.name = name
    return client.post(IMPORT, {"file": file})


def test_the_export_is_valid_r4_with_only_the_intakes_answers(client_for, intake_a):
    intake = complete(intake_a)
    doc = download(client_for("counsellor"), intake)
    assert response_problems(doc) == []
    assert doc["resourceType"] == "QuestionnaireResponse"
    assert doc["status"] == "in-progress"
    version = intake.tree_version
    assert doc["questionnaire"] == f"{URN_PREFIX}first-contact:nb:{version.number}"
    assert "subject" not in doc and "author" not in doc and "id" not in doc
    assert doc["authored"]
    steps = [node["linkId"] for node in doc["item"]]
    assert steps[0] == "contact"  # nested like the tree: steps, then their questions
    contact = doc["item"][0]["item"]
    assert {"linkId", "answer"} <= set(contact[0])


def test_a_finalized_intake_exports_as_completed(client_for, intake_a, users):
    intake = intake_finalize(
        intake=complete(intake_a), user=users["counsellor"], offered_help="shelter", offered_reason="", information={}
    )
    assert download(client_for("counsellor"), intake)["status"] == "completed"


def test_the_export_is_audited_without_content(client_for, intake_a):
    download(client_for("counsellor"), intake_a)
    event = AuditEvent.objects.get(action="intake.exported")
    assert (event.target_type, event.target_id) == ("intake.intake", str(intake_a.pk))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor", 200),
        ("manager", 200),  # reads the unit's intakes
        ("counsellor2", 404),  # not shared with her
        ("counsellor_other", 404),
        ("manager_other", 404),
        ("editor", 404),
        ("staff", 404),
        ("admin", 404),
    ],
)
def test_the_export_is_for_whoever_may_see_the_intake(client_for, intake_a, persona, status):
    assert client_for(persona).get(export_url(intake_a)).status_code == status
    assert AuditEvent.objects.filter(action="intake.exported").exists() is (status == 200)


def test_round_trip_export_validate_import_compare(client_for, intake_a):
    counsellor = client_for("counsellor")
    intake = complete(intake_a)
    doc = download(counsellor, intake)
    assert response_problems(doc) == []
    response = upload(counsellor, doc)
    new = Intake.objects.exclude(pk=intake.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:step", args=[new.pk, "contact"])
    assert new.answers == intake.answers
    assert new.tree_version == intake.tree_version
    assert new.owner == intake.owner and new.unit == intake.unit and new.is_draft
    assert AuditEvent.objects.filter(action="intake.imported", target_id=str(new.pk)).exists()
    assert AuditEvent.objects.filter(action="intake.created", target_id=str(new.pk)).exists()
    # The new intake exports the same answers again.
    again = download(counsellor, new)
    assert again["item"] == doc["item"]


def test_answers_the_tree_cannot_take_are_listed_and_skipped(client_for, intake_a):
    counsellor = client_for("counsellor")
    doc = download(counsellor, complete(intake_a))
    contact = doc["item"][0]["item"]
    contact.append({"linkId": "no-such-question", "answer": [{"valueString": "x"}]})
    interpreter = next(node for node in contact if node["linkId"] == "interpreter-needed")
    interpreter["answer"] = [{"valueString": "yes"}]
    with translation.override("en"):
        response = upload(counsellor, doc)
        shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    new = Intake.objects.exclude(pk=intake_a.pk).get()
    assert "interpreter-needed" not in new.answers
    assert "contact-channel" in new.answers
    # In the counsellor's language: the linkId and the value[x] name the problem either way.
    assert any(m.startswith("linkId no-such-question:") for m in shown)
    assert any(m.startswith("linkId interpreter-needed:") and "valueString" in m and "boolean" in m for m in shown)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json at all", "JSON"),
        (b'{"resourceType": "Patient"}', "Patient"),
        (b"[" * 50_000 + b"]" * 50_000, "64"),
        (
            json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed", "item": "x"}).encode(),
            "item",
        ),
        (
            json.dumps(
                {"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "https://nowhere/x"}
            ).encode(),
            "https://nowhere/x",
        ),
    ],
)
def test_a_file_that_cannot_start_an_intake_is_refused_with_a_reason(client_for, intake_trees, body, says):
    response = client_for("counsellor").post(IMPORT, {"file": io.BytesIO(body)})
    assert response.status_code == 200
    assert Intake.objects.count() == 0
    assert says in " ".join(response.context["problems"])


def test_a_tree_not_in_use_at_the_unit_is_refused(client_for, demo, intake_trees, users):
    second = publish_second_tree(users["editor"])
    doc = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": f"{SECOND_URL}|1.0",
        "item": [{"linkId": "about", "item": [{"linkId": "sessions", "answer": [{"valueInteger": 2}]}]}],
    }
    counsellor = client_for("counsellor")
    response = upload(counsellor, doc)
    assert response.status_code == 200 and Intake.objects.count() == 0
    assert second.tree.title in response.content.decode()
    UnitIntakeTree.objects.create(unit=demo["units"][CENTRE_A], tree=second.tree)
    response = upload(counsellor, doc)
    intake = Intake.objects.get()
    assert intake.tree_version == second
    assert intake.answers == {"sessions": [2]}


def test_another_version_of_the_tree_stands_in_with_a_warning(client_for, intake_trees):
    doc = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "questionnaire": f"{URN_PREFIX}first-contact:nb:99",
        "item": [
            {"linkId": "contact", "item": [{"linkId": "interpreter-needed", "answer": [{"valueBoolean": False}]}]}
        ],
    }
    with translation.override("en"):
        response = upload(client_for("counsellor"), doc)
        shown = [str(m) for m in get_messages(response.wsgi_request)]
    intake = Intake.objects.get()
    assert intake.answers == {"interpreter-needed": [False]}
    version = intake.tree_version
    assert any(version.tree.title in m and f" {version.number}." in m for m in shown)


@pytest.mark.parametrize("persona", ["manager", "editor", "staff", "admin", "printshop"])
def test_only_counsellors_may_start_from_a_file(client_for, intake_trees, persona):
    assert client_for(persona).get(IMPORT).status_code == 404
    assert upload(client_for(persona), {"resourceType": "QuestionnaireResponse"}).status_code == 404


def test_the_import_page_is_shown_to_counsellors(client_for, intake_trees):
    response = client_for("counsellor").get(IMPORT)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
