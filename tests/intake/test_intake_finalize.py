"""Finalizing an intake: help offered (a reason when it differs), information given, idempotence, the
going-home path and the anonymous statistics row."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from intake.evaluator import prune
from intake.models import Intake, IntakeStatistic
from intake.questionnaire import Tree


def complete(intake, **extra):
    """Give the intake every required answer (as if each step had been saved): high risk, not safe here,
    so shelter with the police involved is recommended."""
    tree = Tree(intake.tree_version.questionnaire)

    def coding(link_id, code):
        # As the step form stores it: the option's system, code and display.
        option = next(o for o in tree.options(tree.by_link_id[link_id]) if o["code"] == code)
        return [{k: v for k, v in option.items() if v}]

    answers = {
        "contact-channel": coding("contact-channel", "walk-in"),
        "interpreter-needed": [True],
        "recent-rape": [False],
        "perpetrator-count": [1],
        "family-supports": [False],
        "has-children": [True],
        "wants-home": [False],
        "close-relationship": [True],
        "risk": coding("risk", "high"),
        "safe-here": [True],
        **extra,
    }
    intake.answers = prune(tree, answers)[0]
    intake.save(update_fields=["answers"])
    return intake


@pytest.fixture
def counsellor(client_for):
    return client_for("counsellor")


def finalize_url(intake):
    return reverse("intake:finalize", args=[intake.pk])


def recommended(intake):
    from intake.evaluator import Evaluation
    from intake.finalize import recommended_codes

    return recommended_codes(Evaluation(Tree(intake.tree_version.questionnaire), intake.answers))


def test_an_incomplete_intake_cannot_be_finalized(counsellor, intake_a):
    response = counsellor.post(finalize_url(intake_a), {"offered_help": "shelter"})
    assert response.status_code == 302
    intake_a.refresh_from_db()
    assert intake_a.is_draft


def test_other_help_than_recommended_needs_a_reason_and_keeps_what_was_typed(counsellor, intake_a):
    complete(intake_a)
    codes = recommended(intake_a)
    assert codes and "day-counselling" not in codes
    response = counsellor.post(finalize_url(intake_a), {"offered_help": "day-counselling", "info_centre-offers": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "differs from the recommendation" in html or "avviker fra anbefalingen" in html
    assert re.search(r'<input[^>]*value="day-counselling"[^>]*checked', html)
    assert re.search(r'<input[^>]*name="info_centre-offers"[^>]*checked', html)
    intake_a.refresh_from_db()
    assert intake_a.is_draft


def test_finalizing_records_help_information_and_a_statistic_without_identifiers(counsellor, intake_a):
    complete(intake_a)
    response = counsellor.post(
        finalize_url(intake_a),
        {
            "offered_help": "day-counselling",
            "offered_reason": "Demo: wants to stay with a friend.",
            "info_centre-offers": "on",
            "info_duty-to-avert": "on",
        },
    )
    assert response.status_code == 302
    intake_a.refresh_from_db()
    assert intake_a.status == Intake.Status.FINALIZED
    assert intake_a.offered_help == "day-counselling"
    assert intake_a.information_given == {
        "centre-offers": True,
        "rights-services": False,
        "risk-seeking-help": False,
        "duty-report-child-welfare": False,
        "duty-to-avert": True,
    }
    assert "Møtte opp selv" in intake_a.note_text and "{{" not in intake_a.note_text
    stat = IntakeStatistic.objects.get()
    assert stat.month.day == 1
    assert (stat.contact_channel, stat.interpreter_used, stat.children_involved) == ("walk-in", True, True)
    assert stat.help_offered == "day-counselling"
    assert stat.help_recommended == ",".join(recommended(intake_a))
    # No field of the statistics model can point back at the intake or hold free text.
    names = {f.name for f in IntakeStatistic._meta.get_fields()}
    assert names == {
        "id",
        "month",
        "unit",
        "contact_channel",
        "interpreter_used",
        "children_involved",
        "help_recommended",
        "help_offered",
    }
    assert AuditEvent.objects.filter(action="intake.finalized", target_id=str(intake_a.pk)).count() == 1
    review = counsellor.get(reverse("intake:review", args=[intake_a.pk])).content.decode()
    assert "Demo: wants to stay with a friend." in review


def test_finalizing_twice_changes_nothing(counsellor, intake_a):
    complete(intake_a)
    data = {"offered_help": recommended(intake_a)[0]}
    assert counsellor.post(finalize_url(intake_a), data).status_code == 302
    intake_a.refresh_from_db()
    first = (intake_a.finalized_at, intake_a.revision)
    again = counsellor.post(finalize_url(intake_a), {"offered_help": "day-counselling", "offered_reason": "x"})
    assert again.status_code == 302 and again.url == reverse("intake:review", args=[intake_a.pk])
    intake_a.refresh_from_db()
    assert (intake_a.finalized_at, intake_a.revision) == first
    assert intake_a.offered_help == data["offered_help"]
    assert IntakeStatistic.objects.count() == 1
    # And the answers are locked.
    assert counsellor.get(reverse("intake:step", args=[intake_a.pk, "contact"])).status_code == 302


def test_the_going_home_path_shows_its_steps_and_the_duty_to_avert_routine(counsellor, intake_a):
    complete(intake_a)
    html = counsellor.get(finalize_url(intake_a)).content.decode()
    assert "/routines/avvergingsplikten-fasilitatorveileder/" not in html
    complete(intake_a, **{"wants-home": [True]})
    html = counsellor.get(finalize_url(intake_a)).content.decode()
    assert 'href="/routines/avvergingsplikten-fasilitatorveileder/"' in html


def test_a_manager_cannot_finalize(client_for, intake_a):
    complete(intake_a)
    assert client_for("manager").post(finalize_url(intake_a), {"offered_help": "shelter"}).status_code == 403
    intake_a.refresh_from_db()
    assert intake_a.is_draft
