"""SDC expressions inside a repeating group, evaluated per instance: the FHIRPath context is that instance's
item in the QuestionnaireResponse (a variable on the group is evaluated once per instance), %resource the
whole response. Each kind with two instances whose different answers give different results."""

import json

import pytest

from intake.evaluator import Evaluation, prune
from intake.questionnaire import Tree, check_questionnaire
from intake.repeats import name, shape_from_answers
from intake.wizard import expression_initial, initial_for, step_form_class, step_nodes
from tests.intake.expression_form import SDC

VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"


def fhirpath(expression: str, **more) -> dict:
    return {"language": "text/fhirpath", "expression": expression, **more}


def ext(kind: str, expression: str) -> list[dict]:
    return [{"url": SDC + kind, "valueExpression": fhirpath(expression)}]


DOC = {
    "resourceType": "Questionnaire",
    "url": "https://krisestotte.no/fhir/Questionnaire/children-test",
    "name": "children-test",
    "status": "active",
    "language": "en",
    "item": [
        {
            "linkId": "child",
            "type": "group",
            "text": "Child",
            "repeats": True,
            "extension": [
                {"url": VARIABLE, "valueExpression": fhirpath("item.where(linkId='age').answer.value", name="age")},
                {"url": VARIABLE, "valueExpression": fhirpath("item.where(linkId='name').answer.value", name="name")},
                {"url": VARIABLE, "valueExpression": fhirpath("item.where(linkId='toys').answer.value", name="toys")},
            ],
            "item": [
                {"linkId": "name", "type": "string", "text": "Name"},
                {"linkId": "age", "type": "integer", "text": "Age"},
                {"linkId": "toys", "type": "string", "text": "Toys", "repeats": True},
                {"linkId": "years-left", "type": "integer", "text": "Years to 18", "extension": ext("calculatedExpression", "18 - %age")},
                {"linkId": "school", "type": "string", "text": "School", "extension": ext("enableWhenExpression", "%age >= 6")},
                {"linkId": "greeting", "type": "string", "text": "Greeting", "extension": ext("initialExpression", "'Hello ' + %name")},
                {"linkId": "favourite", "type": "choice", "text": "Favourite toy", "extension": ext("answerExpression", "%toys")},
                {"linkId": "children", "type": "integer", "text": "Children in all", "extension": ext("calculatedExpression", "%resource.item.where(linkId='child').count()")},
            ],
        }
    ],
}  # fmt: skip
TREE = Tree(DOC)
ANSWERS = {
    "child": [
        {"name": ["Ada"], "age": [4], "toys": ["ball", "doll"]},
        {"name": ["Bo"], "age": [9], "toys": ["bike"], "school": ["Nordby"]},
    ]
}


def item(link_id: str):
    return TREE.by_link_id[link_id]


@pytest.fixture
def evaluation():
    return Evaluation(TREE, ANSWERS)


def test_the_form_imports():
    doc, problems = check_questionnaire(json.dumps(DOC))
    assert problems == [] and doc is not None


def test_a_calculated_expression_per_instance(evaluation):
    assert evaluation.answers_at(item("years-left"), (0,)) == [14]
    assert evaluation.answers_at(item("years-left"), (1,)) == [9]
    # %resource is the whole response: the same count in each
    assert evaluation.answers_at(item("children"), (0,)) == evaluation.answers_at(item("children"), (1,)) == [2]


def test_an_enable_when_expression_per_instance(evaluation):
    assert not evaluation.enabled_at(item("school"), (0,))
    assert evaluation.enabled_at(item("school"), (1,))
    # The school of a child under 6 is cleared on save, the other kept.
    ada = {**ANSWERS["child"][0], "school": ["Sørby"]}
    answers, _cleared = prune(TREE, {"child": [ada, ANSWERS["child"][1]]})
    assert "school" not in answers["child"][0] and answers["child"][1]["school"] == ["Nordby"]


def test_an_initial_expression_per_instance(evaluation):
    assert evaluation.expressions.initial(item("greeting"), (0,)) == ["Hello Ada"]
    assert evaluation.expressions.initial(item("greeting"), (1,)) == ["Hello Bo"]
    initial = expression_initial(TREE, item("child"), evaluation)
    assert initial[name(item("greeting"), (0,))] == "Hello Ada"
    assert initial[name(item("greeting"), (1,))] == "Hello Bo"


def test_an_answer_expression_per_instance(evaluation):
    codes = [[o["code"] for o in evaluation.expressions.options(item("favourite"), (i,))] for i in (0, 1)]
    assert codes == [["ball", "doll"], ["bike"]]
    form = step_form_class(TREE, item("child"), shape_from_answers(item("child"), ANSWERS), evaluation=evaluation)()
    choices = [[code for code, _label in form.fields[name(item("favourite"), (i,))].choices] for i in (0, 1)]
    assert [c for c in choices[0] if c] == ["ball", "doll"] and [c for c in choices[1] if c] == ["bike"]


def test_calculated_answers_are_stored_per_instance_and_clear_nothing():
    answers, cleared = prune(TREE, ANSWERS)
    assert [instance["years-left"] for instance in answers["child"]] == [[14], [9]]
    assert cleared == []


def test_the_step_shows_each_instance_its_own_values(evaluation):
    step = item("child")
    form = step_form_class(TREE, step, shape_from_answers(step, ANSWERS), evaluation=evaluation)(
        initial={**initial_for(TREE, step, ANSWERS), "revision": 0}
    )
    (group,) = step_nodes(TREE, step, form, ANSWERS, evaluation=evaluation)
    values = [[n.value for n in instance.children if n.calculated] for instance in group.instances]
    assert values == [["14", "2"], ["9", "2"]]
    shown = [[n.item.link_id for n in instance.children] for instance in group.instances]
    assert "school" not in shown[0] and "school" in shown[1]


# Through the wizard's step page


@pytest.fixture
def intake(demo):
    from accounts.demo import CENTRE_A
    from intake.services import intake_create, tree_version_create, tree_version_publish

    version = tree_version_publish(version=tree_version_create(doc=DOC, tree_slug="children-test", language="en"))
    return intake_create(user=demo["users"]["counsellor"], unit=demo["units"][CENTRE_A], tree_version=version)


def test_the_step_page_computes_each_instance(client_for, intake):
    from django.urls import reverse

    client = client_for("counsellor")
    url = reverse("intake:step", args=[intake.pk, "child"])
    data = {"q0-count": "2", "revision": intake.revision, "action": "update"}
    for i, (child_name, age, toys) in enumerate([("Ada", "4", ["ball", "doll"]), ("Bo", "9", ["bike"])]):
        data |= {f"q1-{i}": child_name, f"q2-{i}": age, f"q3-{i}-count": str(len(toys))}
        data |= {f"q3-{i}-{k}": toy for k, toy in enumerate(toys)}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    intake.refresh_from_db()
    assert [child["years-left"] for child in intake.answers["child"]] == [[14], [9]]
    html = client.get(url).content.decode()
    assert 'value="Hello Ada"' in html and 'value="Hello Bo"' in html  # suggested per instance
    assert 'name="q5-0"' not in html and 'name="q5-1"' in html  # school: only for the child of 6 or more
    # favourite toy: each child's own toys as options
    assert 'name="q7-0" value="ball"' in html and 'name="q7-1" value="bike"' in html
    assert 'name="q7-1" value="ball"' not in html and 'name="q7-0" value="bike"' not in html


def test_an_instance_left_blank_gets_no_calculated_answer_and_stays_blank():
    # "children" counts the instances of the whole response: it has a value in any instance, but one the
    # counsellor left blank between others must stay blank (it counts for nothing).
    answers = {"child": [ANSWERS["child"][0], {}, ANSWERS["child"][1]]}
    stored, _cleared = prune(TREE, answers)
    assert stored["child"][1] == {}
    assert stored["child"][0]["children"] == stored["child"][2]["children"] == [3]
    # Even when a calculated answer was stored in it before.
    stored, _cleared = prune(TREE, {"child": [ANSWERS["child"][0], {"children": [3]}, ANSWERS["child"][1]]})
    assert stored["child"][1] == {}


def test_each_instance_has_its_own_calculated_answer_ids(client_for, intake):
    # Two children, each with "Years to 18" and "Children in all": an id per instance, each output labelled
    # by its own instance's label (an id repeated on the page would be invalid and name only the first).
    import re

    from django.urls import reverse

    client = client_for("counsellor")
    url = reverse("intake:step", args=[intake.pk, "child"])
    data = {"q0-count": "2", "revision": intake.revision, "action": "update"}
    for i, (child_name, age) in enumerate([("Ada", "4"), ("Bo", "9")]):
        data |= {f"q1-{i}": child_name, f"q2-{i}": age, f"q3-{i}-count": "0"}
    assert client.post(url, data).status_code == 302
    html = client.get(url).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    years = item("years-left").index
    for i in (0, 1):
        assert f'aria-labelledby="calculated-{years}-{i}-label"' in html
        assert f'id="calculated-{years}-{i}-label"' in html
