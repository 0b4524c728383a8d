"""A required question the person cannot answer yet is answered "not clarified yet" (from the tree), never a
false "No": listed as an open item on the review page, and finalizing with open items needs a reason, which the
journal note carries (issue 17)."""

import re

from django.urls import reverse

from intake.models import Intake
from tests.intake.test_intake_finalize import complete, counsellor, finalize_url, recommended  # noqa: F401

CONTACT = {"q1": "walk-in"}


def step_post(client, intake, step, data):
    intake.refresh_from_db()
    return client.post(
        reverse("intake:step", args=[intake.pk, step]), {**data, "revision": intake.revision, "action": "next"}
    )


def test_not_clarified_is_an_answer_from_the_tree_and_an_open_item(counsellor, intake_a):
    page = counsellor.get(reverse("intake:step", args=[intake_a.pk, "violence"])).content.decode()
    assert "Ikke avklart ennå" in page and "(må besvares)" in page
    from intake.questionnaire import Tree

    tree = Tree(intake_a.tree_version.questionnaire)
    field = f"q{tree.by_link_id['recent-rape'].index}"
    response = step_post(counsellor, intake_a, "violence", {field: "not-clarified"})
    assert response.status_code == 302  # a required question answered: the step goes on
    intake_a.refresh_from_db()
    assert intake_a.answers["recent-rape"] == [{"code": "not-clarified", "display": "Ikke avklart ennå"}]
    again = counsellor.get(reverse("intake:step", args=[intake_a.pk, "violence"])).content.decode()
    assert re.search(r'value="not-clarified"[^>]*checked|checked[^>]*value="not-clarified"', again)
    review = counsellor.get(reverse("intake:review", args=[intake_a.pk])).content.decode()
    assert "Ikke avklart ennå" in review and "Forteller personen om en nylig voldtekt?" in review


def test_finalizing_with_open_items_needs_a_reason_and_the_note_says_so(counsellor, intake_a):
    intake = complete(intake_a, **{"recent-rape": [{"code": "not-clarified", "display": "Ikke avklart ennå"}]})
    help_code = recommended(intake)[0]
    page = counsellor.get(finalize_url(intake)).content.decode()
    assert "Hvorfor ferdigstille før dette er avklart" in page
    response = counsellor.post(finalize_url(intake), {"offered_help": help_code, "info_centre-offers": "on"})
    assert response.status_code == 200
    assert "Noen svar er ikke avklart ennå" in response.content.decode()
    assert Intake.objects.get(pk=intake.pk).is_draft
    counsellor.post(finalize_url(intake), {"offered_help": help_code, "open_reason": "Hun ville ikke si mer i dag."})
    intake.refresh_from_db()
    assert not intake.is_draft and intake.open_items_reason == "Hun ville ikke si mer i dag."
    assert "Ikke avklart ennå: Forteller personen om en nylig voldtekt?" in intake.note_text
    assert "Ferdigstilt med uavklarte punkter fordi: Hun ville ikke si mer i dag." in intake.note_text
    review = counsellor.get(reverse("intake:review", args=[intake.pk])).content.decode()
    assert "Hun ville ikke si mer i dag." in review


def test_without_open_items_no_reason_is_asked(counsellor, intake_a):
    intake = complete(intake_a)
    assert "Hvorfor ferdigstille før dette er avklart" not in counsellor.get(finalize_url(intake)).content.decode()
    counsellor.post(finalize_url(intake), {"offered_help": recommended(intake)[0]})
    intake.refresh_from_db()
    assert not intake.is_draft and "Ikke avklart" not in intake.note_text


def test_required_choice_questions_have_not_clarified_too(counsellor, intake_a):
    """As data in the tree, like the yes/no ones: the contact channel and the counsellor's risk assessment."""
    from intake.questionnaire import NOT_CLARIFIED, Tree

    tree = Tree(intake_a.tree_version.questionnaire)
    required_choices = [i for i in tree.questions if i.required and i.type == "choice"]
    assert {i.link_id for i in required_choices} == {"contact-channel", "risk"}
    for item in required_choices:
        assert tree.options(item)[-1] == {"system": "", "code": NOT_CLARIFIED, "display": "Ikke avklart ennå"}
    field = f"q{tree.by_link_id['contact-channel'].index}"
    interpreter = f"q{tree.by_link_id['interpreter-needed'].index}"
    response = step_post(counsellor, intake_a, "contact", {field: NOT_CLARIFIED, interpreter: "false"})
    assert response.status_code == 302
    intake_a.refresh_from_db()
    assert intake_a.answers["contact-channel"] == [{"code": NOT_CLARIFIED, "display": "Ikke avklart ennå"}]
    review = counsellor.get(reverse("intake:review", args=[intake_a.pk])).content.decode()
    assert (
        "Hvordan kom personen i kontakt med krisesenteret?"
        in review.split('id="open-heading"')[1].split("</section>")[0]
    )


def test_not_clarified_is_refused_on_a_question_that_cannot_have_it():
    from django.utils import translation

    from intake.demo import demo_tree_document
    from intake.questionnaire import EXT_NOT_CLARIFIED, tree_problems

    doc = demo_tree_document("en")
    doc["item"][1]["item"][1].setdefault("extension", []).append({"url": EXT_NOT_CLARIFIED, "valueString": "?"})
    with translation.override("en"):
        assert any("not clarified yet" in p and "why-now" in p for p in tree_problems(doc))
