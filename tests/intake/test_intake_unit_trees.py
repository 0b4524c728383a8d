"""Any published tree in real use: the unit's editors and managers choose which trees its counsellors may start
(first-contact until they do), the new-intake page offers them, and a second tree goes through the wizard,
finalizing, the journal note and the statistics like the demo tree."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.demo import CENTRE_A, CENTRE_B
from audit.models import AuditEvent
from intake.evaluator import Evaluation
from intake.finalize import statistic_fields, statistic_questions
from intake.models import Intake, IntakeStatistic, QuestionTree, UnitIntakeTree
from intake.questionnaire import EXT_STATISTIC, Tree, tree_problems
from intake.selectors import enabled_trees_for_unit
from tests.intake.second_tree import publish_second_tree, second_tree_document

NEW = reverse("intake:new")


def settings_url(slug):
    return reverse("intake:unit_trees", args=[slug])


@pytest.fixture
def second(users, intake_trees):
    return publish_second_tree(users["editor"])


def test_until_someone_chooses_a_unit_uses_first_contact(demo, intake_trees, second):
    assert [tree.slug for tree in enabled_trees_for_unit(demo["units"][CENTRE_A])] == ["first-contact"]


def test_the_list_starts_at_once_with_one_tree_and_asks_with_several(client_for, demo, second):
    counsellor = client_for("counsellor")
    page = counsellor.get(reverse("intake:list")).content.decode()
    assert f'action="{NEW}" method="post"' in page
    for tree in (second.tree, QuestionTree.objects.get(slug="first-contact")):
        UnitIntakeTree.objects.create(unit=demo["units"][CENTRE_A], tree=tree)
    page = counsellor.get(reverse("intake:list")).content.decode()
    assert f'href="{NEW}"' in page and f'action="{NEW}" method="post"' not in page
    page = counsellor.get(NEW).content.decode()
    assert "Oppfølgingssamtale" in page and 'type="radio"' in page


def test_a_manager_chooses_the_units_trees(client_for, demo, second):
    manager = client_for("manager")
    first_contact = QuestionTree.objects.get(slug="first-contact")
    assert manager.get(settings_url(CENTRE_A)).status_code == 200
    response = manager.post(settings_url(CENTRE_A), {"trees": [first_contact.pk, second.tree.pk]})
    assert response.status_code == 302
    unit = demo["units"][CENTRE_A]
    assert {tree.slug for tree in enabled_trees_for_unit(unit)} == {"first-contact", "follow-up"}
    assert AuditEvent.objects.filter(action="intake.unit_trees_changed", unit=unit).exists()
    # Only the follow-up tree from now on; another unit is untouched.
    manager.post(settings_url(CENTRE_A), {"trees": [second.tree.pk]})
    assert [tree.slug for tree in enabled_trees_for_unit(unit)] == ["follow-up"]
    assert [tree.slug for tree in enabled_trees_for_unit(demo["units"][CENTRE_B])] == ["first-contact"]


def test_choosing_no_tree_is_refused_with_a_reason(client_for, demo, second):
    response = client_for("editor").post(settings_url(CENTRE_A), {})
    assert response.status_code == 200
    assert response.context["form"].errors["trees"]
    assert not UnitIntakeTree.objects.exists()


@pytest.mark.parametrize(
    ("persona", "slug", "status"),
    [
        ("manager", CENTRE_A, 200),
        ("editor", CENTRE_A, 200),
        ("manager_other", CENTRE_A, 404),
        ("counsellor", CENTRE_A, 404),
        ("manager", CENTRE_B, 404),
        ("editor", CENTRE_B, 404),
        ("admin", CENTRE_A, 404),
    ],
)
def test_only_the_units_editors_and_managers_reach_its_setting(client_for, second, persona, slug, status):
    assert client_for(persona).get(settings_url(slug)).status_code == status
    assert client_for(persona).post(settings_url(slug), {"trees": [second.tree.pk]}).status_code in {status, 302}
    assert UnitIntakeTree.objects.filter(unit__slug=slug).exists() is (status == 200)


def test_a_tree_not_chosen_cannot_be_started_by_posting_its_name(client_for, second):
    response = client_for("counsellor").post(NEW, {"tree": "follow-up"})
    assert response.status_code == 200
    assert response.context["form"].errors["tree"]
    assert not Intake.objects.exists()


def step_data(tree, intake, answers):
    data = {f"q{tree.by_link_id[k].index}": v for k, v in answers.items()}
    return {**data, "revision": intake.revision, "action": "next"}


def test_a_second_tree_in_real_use_through_to_the_note_and_statistics(client_for, demo, second):
    UnitIntakeTree.objects.create(unit=demo["units"][CENTRE_A], tree=second.tree)
    counsellor = client_for("counsellor")
    response = counsellor.post(NEW, {"tree": "follow-up"})
    intake = Intake.objects.get()
    assert intake.tree_version == second
    assert response["Location"] == reverse("intake:step", args=[intake.pk, "about"])
    assert counsellor.get(response["Location"]).status_code == 200
    tree = Tree(second.questionnaire)
    response = counsellor.post(
        reverse("intake:step", args=[intake.pk, "about"]),
        step_data(tree, intake, {"channel": "video", "kids": "true", "sessions": "3", "next": "2026-12-10"}),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:review", args=[intake.pk])
    intake.refresh_from_db()
    assert intake.answers["sessions"] == [3] and intake.answers["kids"] == [True]
    review = counsellor.get(reverse("intake:review", args=[intake.pk]))
    assert review.status_code == 200 and "Samtaletilbud" in review.content.decode()
    response = counsellor.post(reverse("intake:finalize", args=[intake.pk]), {"offered_help": "day-service"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert not intake.is_draft
    assert "Kanal: Video." in intake.note_text and "Barn: Ja." in intake.note_text
    assert counsellor.get(reverse("intake:note", args=[intake.pk])).status_code == 200
    row = IntakeStatistic.objects.get()
    assert (row.contact_channel, row.children_involved, row.interpreter_used) == ("video", True, None)
    assert (row.help_recommended, row.help_offered) == ("day-service", "day-service")


def test_the_demo_tree_marks_the_same_statistics_questions_as_before(intake_trees):
    for version in intake_trees.values():
        assert statistic_questions(Tree(version.questionnaire)) == {
            "contact-channel": "contact-channel",
            "interpreter-used": "interpreter-needed",
            "children-involved": "has-children",
        }


def test_statistics_follow_the_marks_not_the_linkids():
    doc = second_tree_document()
    # A question named like the demo tree's, but unmarked, counts for nothing once the tree marks others.
    doc["item"][0]["item"].append({"linkId": "has-children", "type": "boolean", "text": "Decoy"})
    tree = Tree(doc)
    evaluation = Evaluation(tree, {"kids": [False], "has-children": [True]})
    fields = statistic_fields(evaluation, offered_help="", when=__import__("datetime").date(2026, 12, 3))
    assert fields["children_involved"] is False


@pytest.mark.parametrize(
    ("mark", "link_id", "says"),
    [
        ("colour", "kids", "unknown intake-statistic colour"),
        ("contact-channel", "kids", "belongs on a choice question"),
        ("children-involved", "channel", "belongs on a boolean question"),
    ],
)
def test_a_wrong_statistics_mark_is_refused(mark, link_id, says):
    doc = second_tree_document()
    item = next(i for i in doc["item"][0]["item"] if i["linkId"] == link_id)
    item["extension"] = [{"url": EXT_STATISTIC, "valueCode": mark}]
    with translation.override("en"):
        problems = tree_problems(doc)
    assert any(p.startswith(f"linkId {link_id}:") and says in p for p in problems), problems


def test_the_statistics_name_the_help_any_tree_knows(client_for, demo, second):
    IntakeStatistic.objects.create(
        unit=demo["units"][CENTRE_A], month=__import__("datetime").date(2026, 12, 1), help_offered="day-service"
    )
    page = client_for("manager").get(reverse("intake:statistics")).content.decode()
    assert "Samtaletilbud" in page
