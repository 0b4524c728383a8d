"""The wizard with a tree that uses SDC expressions: the server computes the score, shows and hides the
question an enableWhenExpression governs, suggests from the unit, computes options and checks constraints."""

import pytest
from django.urls import reverse

from accounts.demo import CENTRE_A
from intake.questionnaire import Tree
from intake.services import intake_create, tree_version_create, tree_version_publish
from tests.intake.expression_form import expression_form

TREE = Tree(expression_form("nb"))


def q(link_id: str) -> str:
    return f"q{TREE.by_link_id[link_id].index}"


@pytest.fixture
def counsellor(client_for):
    return client_for("counsellor")


@pytest.fixture
def intake(demo):
    version = tree_version_publish(
        version=tree_version_create(doc=expression_form("nb"), tree_slug="expression-test", language="nb")
    )
    return intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)


def url(intake, step="screening"):
    return reverse("intake:step", args=[intake.pk, step])


def post(client, intake, answers: dict, action="update"):
    intake.refresh_from_db()
    data = {q(k): v for k, v in answers.items()}
    return client.post(url(intake), {**data, "revision": intake.revision, "action": action})


def test_the_score_is_calculated_by_the_server_and_shown_read_only(counsellor, intake):
    html = counsellor.get(url(intake)).content.decode()
    assert 'name="{}"'.format(q("score")) not in html  # never asked
    assert "Poengsum" in html and "Lagre og oppdater utregningene" in html
    response = post(counsellor, intake, {"sleep": "often", "worry": "sometimes"})
    assert response.status_code == 302 and response["Location"] == url(intake)
    intake.refresh_from_db()
    assert intake.answers["score"] == [3]
    html = counsellor.get(url(intake)).content.decode()
    assert (
        f'<output class="d-block fw-bold" aria-labelledby="calculated-{TREE.by_link_id["score"].index}-label">3'
        "</output>" in html
    )
    post(counsellor, intake, {"sleep": "never", "worry": "sometimes"})
    intake.refresh_from_db()
    assert intake.answers["score"] == [1]


def test_a_posted_score_is_ignored(counsellor, intake):
    post(counsellor, intake, {"sleep": "never", "worry": "never", "score": "99"})
    intake.refresh_from_db()
    assert intake.answers["score"] == [0]


def test_an_enable_when_expression_shows_and_hides_the_question(counsellor, intake):
    follow = 'name="{}"'.format(q("follow-up"))
    assert follow not in counsellor.get(url(intake)).content.decode()
    post(counsellor, intake, {"sleep": "often", "worry": "sometimes"})
    assert follow in counsellor.get(url(intake)).content.decode()
    post(counsellor, intake, {"sleep": "often", "worry": "sometimes", "follow-up": "Et trygt sted"})
    intake.refresh_from_db()
    assert intake.answers["follow-up"] == ["Et trygt sted"]
    # The score falls: the question goes, and its answer is cleared (said on the page).
    response = post(counsellor, intake, {"sleep": "never", "worry": "sometimes", "follow-up": "Et trygt sted"})
    intake.refresh_from_db()
    assert "follow-up" not in intake.answers
    page = counsellor.get(response["Location"]).content.decode()
    assert follow not in page and "1 svar gjaldt ikke lenger og ble tømt." in page


def test_the_unit_is_suggested_by_an_initial_expression(counsellor, intake, units):
    html = counsellor.get(url(intake)).content.decode()
    assert f'value="{units[CENTRE_A].name}"' in html


def test_options_are_computed_from_the_saved_answers(counsellor, intake):
    assert 'value="money"' not in counsellor.get(url(intake)).content.decode().split(q("most"))[-1]
    post(counsellor, intake, {"hard": ["money", "children"]})
    html = counsellor.get(url(intake)).content.decode()
    assert (
        'name="{}" value="money"'.format(q("most")) in html
        and 'name="{}" value="housing"'.format(q("most")) not in html
    )
    post(counsellor, intake, {"hard": ["money", "children"], "most": "children"})
    intake.refresh_from_db()
    assert intake.answers["most"] == [{"code": "children", "display": "Barna"}]


def test_a_target_constraint_keeps_the_counsellor_here_with_its_message(counsellor, intake):
    response = post(counsellor, intake, {"age": "130"}, action="next")
    assert response.status_code == 200
    assert "Alderen må være under 120 år." in response.content.decode()
    intake.refresh_from_db()
    assert "age" not in intake.answers
    response = post(counsellor, intake, {"age": "30"}, action="next")
    assert response["Location"] == url(intake, "end")


def test_an_expression_that_fails_never_gives_a_500(counsellor, demo):
    doc = expression_form("nb")
    score = next(i for i in doc["item"][0]["item"] if i["linkId"] == "score")
    score["extension"][0]["valueExpression"]["expression"] = "%resource.repeat(item).answer.value.sum()"
    version = tree_version_publish(version=tree_version_create(doc=doc, tree_slug="broken-sum", language="nb"))
    intake = intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)
    response = post(counsellor, intake, {"sleep": "often", "worry": "often"})
    assert response.status_code == 302
    html = counsellor.get(url(intake)).content.decode()
    assert "Kunne ikke regnes ut fra svarene." in html
    assert post(counsellor, intake, {"sleep": "often", "worry": "often"}, action="next")["Location"] == url(
        intake, "end"
    )
