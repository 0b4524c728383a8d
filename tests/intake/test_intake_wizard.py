"""The intake wizard through the test client: saving steps, back and next, clearing, conflicts, review."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from intake.demo import demo_tree_document
from intake.models import Intake, TreeVersion
from intake.questionnaire import Tree
from intake.services import intake_share, tree_version_create, tree_version_publish

TREE = Tree(demo_tree_document("nb"))


def q(link_id: str) -> str:
    return f"q{TREE.by_link_id[link_id].index}"


def step_url(intake, step):
    return reverse("intake:step", args=[intake.pk, step])


def post(client, intake, step, answers: dict, *, revision=None, action="next"):
    data = {q(k): v for k, v in answers.items()}
    data["revision"] = intake.revision if revision is None else revision
    data["action"] = action
    return client.post(step_url(intake, step), data)


CONTACT = {"contact-channel": "walk-in", "interpreter-needed": "false"}


@pytest.fixture
def counsellor(client_for):
    return client_for("counsellor")


def test_new_intake_opens_the_first_step(counsellor, intake_trees, users):
    response = counsellor.post(reverse("intake:new"))
    intake = Intake.objects.get()
    assert response["Location"] == step_url(intake, "contact")
    assert (intake.owner, intake.tree_version, intake.status) == (users["counsellor"], intake_trees["nb"], "draft")
    page = counsellor.get(response["Location"])
    assert page.status_code == 200
    assert "Hvordan kom personen i kontakt med krisesenteret?" in page.content.decode()
    assert "Steg 1 av 7" in page.content.decode()


def test_english_session_gets_the_english_tree(counsellor, intake_trees):
    counsellor.post(reverse("set_language"), {"language": "en"})
    counsellor.post(reverse("intake:new"))
    assert Intake.objects.get().tree_version == intake_trees["en"]


def test_required_questions_are_asked_for_and_typed_answers_kept(counsellor, intake_a):
    response = post(counsellor, intake_a, "contact", {"contact-channel": "phone"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Svar på dette spørsmålet." in html  # interpreter-needed is required
    assert re.search(r"<input[^>]*value=\"phone\"[^>]*checked", html)  # what was chosen is kept
    intake_a.refresh_from_db()
    assert intake_a.answers == {} and intake_a.revision == 0


def test_next_saves_and_back_never_loses_answers(counsellor, intake_a):
    response = post(counsellor, intake_a, "contact", CONTACT)
    assert response["Location"] == step_url(intake_a, "situation")
    intake_a.refresh_from_db()
    assert intake_a.answers["contact-channel"][0]["code"] == "walk-in"
    assert intake_a.answers["interpreter-needed"] == [False]
    assert (intake_a.revision, intake_a.current_step) == (1, "situation")
    # Back from the next step, with something typed there: both are kept.
    response = post(counsellor, intake_a, "situation", {"why-now": "Redd"}, action="back")
    assert response["Location"] == step_url(intake_a, "contact")
    intake_a.refresh_from_db()
    assert intake_a.answers["why-now"] == ["Redd"]
    html = counsellor.get(step_url(intake_a, "contact")).content.decode()
    assert 'value="walk-in"' in html and "checked" in html


def test_resume_opens_the_step_where_the_counsellor_left(counsellor, intake_a):
    post(counsellor, intake_a, "contact", CONTACT)
    response = counsellor.get(reverse("intake:detail", args=[intake_a.pk]))
    assert response["Location"] == step_url(intake_a, "situation")


def test_answers_that_stop_applying_are_cleared_on_save(counsellor, intake_a):
    post(counsellor, intake_a, "contact", CONTACT)
    intake_a.refresh_from_db()
    response = post(
        counsellor,
        intake_a,
        "children",
        {"has-children": "true", "children-count": "2", "children-where": "perpetrator"},
    )
    assert response.status_code == 302
    intake_a.refresh_from_db()
    assert intake_a.answers["children-count"] == [2]
    response = post(counsellor, intake_a, "children", {"has-children": "false", "children-count": "2"})
    intake_a.refresh_from_db()
    assert "children-count" not in intake_a.answers and "children-where" not in intake_a.answers
    assert intake_a.answers["has-children"] == [False]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("ble tømt" in m for m in messages)


def test_a_later_save_from_an_older_page_is_refused_and_shows_the_saved_answers(counsellor, intake_a):
    assert post(counsellor, intake_a, "contact", CONTACT, revision=0).status_code == 302
    # The second tab was opened at revision 0 and answers differently.
    response = post(
        counsellor, intake_a, "contact", {"contact-channel": "phone", "interpreter-needed": "true"}, revision=0
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ikke lagret" in html
    assert "Møtte opp selv" in html  # the saved answer, shown
    intake_a.refresh_from_db()
    assert intake_a.answers["contact-channel"][0]["code"] == "walk-in" and intake_a.revision == 1
    # Saving again from the refused page is a knowing choice: it now carries the current revision.
    assert 'name="revision" value="1"' in html


def test_double_submitting_a_step_changes_nothing(counsellor, intake_a):
    first = post(counsellor, intake_a, "contact", CONTACT, revision=0)
    second = post(counsellor, intake_a, "contact", CONTACT, revision=0)
    assert first.status_code == second.status_code == 302
    intake_a.refresh_from_db()
    assert intake_a.revision == 1
    assert AuditEvent.objects.filter(action="intake.changed").count() == 1


def test_review_shows_only_enabled_answers_flags_and_outcomes(counsellor, intake_a):
    post(counsellor, intake_a, "contact", CONTACT)
    intake_a.refresh_from_db()
    post(counsellor, intake_a, "violence", {"recent-rape": "true"})
    intake_a.refresh_from_db()
    post(counsellor, intake_a, "assessment", {"close-relationship": "true", "risk": "unclear"})
    html = counsellor.get(reverse("intake:review", args=[intake_a.pk])).content.decode()
    assert "Vurder å henvise til overgrepsmottaket for sporsikring." in html
    assert "Opphold på krisesenteret til risikoen er avklart" in html
    assert "Møtte opp selv" in html


def test_steps_and_review_are_audit_logged_without_content(counsellor, intake_a):
    counsellor.get(step_url(intake_a, "contact"))
    post(counsellor, intake_a, "contact", CONTACT)
    counsellor.get(reverse("intake:review", args=[intake_a.pk]))
    events = AuditEvent.objects.filter(target_id=str(intake_a.pk)).values_list("action", flat=True)
    assert sorted(set(events)) == ["intake.changed", "intake.created", "intake.viewed"]
    for event in AuditEvent.objects.filter(target_id=str(intake_a.pk)):
        assert event.target_type == "intake.intake"


def test_a_colleague_sees_the_intake_only_once_shared(client_for, intake_a, users):
    colleague = client_for("counsellor2")
    assert colleague.get(reverse("intake:review", args=[intake_a.pk])).status_code == 404
    intake_share(intake=intake_a, by=users["counsellor"], with_user=users["counsellor2"])
    assert colleague.get(reverse("intake:review", args=[intake_a.pk])).status_code == 200
    assert colleague.get(step_url(intake_a, "contact")).status_code == 200


def test_sharing_outside_the_unit_is_refused(intake_a, users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        intake_share(intake=intake_a, by=users["counsellor"], with_user=users["counsellor_other"])


def test_an_intake_keeps_its_tree_version_when_a_new_one_is_published(counsellor, intake_a, intake_trees):
    doc = demo_tree_document("nb")
    doc["item"][0]["text"] = "Ny tittel"
    newer = tree_version_publish(version=tree_version_create(doc=doc, tree_slug="first-contact", language="nb"))
    assert newer.number == 2
    html = counsellor.get(step_url(intake_a, "contact")).content.decode()
    assert "Ny tittel" not in html and "Kontakt" in html
    assert TreeVersion.objects.get(pk=intake_a.tree_version_id).number == 1


def test_the_list_puts_drafts_first(counsellor, intake_a, users):
    response = counsellor.get(reverse("intake:list"))
    assert response.status_code == 200
    assert reverse("intake:detail", args=[intake_a.pk]) in response.content.decode()
