"""`manage.py bootstrap`: a fresh installation's shipped content (question trees, checklist, seed routines as
drafts), loaded from an empty database, and nothing more or twice when it runs again."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import Unit
from core.bootstrap import BOOTSTRAP_STEPS
from incidents.models import Incident
from intake.models import Intake, TreeVersion
from routines.demo_content import ROUTINES
from routines.models import Routine, RoutineVersion
from safety_plans.checklist import ITEMS
from safety_plans.models import ChecklistItem, SafetyPlan

pytestmark = pytest.mark.django_db


def state() -> dict:
    return {
        "trees": sorted(TreeVersion.objects.values_list("tree__slug", "language", "number", "status")),
        "checklist": sorted(ChecklistItem.objects.values_list("code", "title_nb")),
        "routines": sorted(RoutineVersion.objects.values_list("routine__slug", "number", "status")),
    }


@pytest.fixture
def empty():
    # The checklist's data migration filled it; a database restored or flushed may not have it.
    ChecklistItem.objects.all().delete()
    assert not TreeVersion.objects.exists() and not Routine.objects.exists() and not Unit.objects.exists()


def test_twice_on_an_empty_database_loads_the_shipped_content_once(empty, client, capsys):
    call_command("bootstrap")
    first = state()
    out = capsys.readouterr().out
    assert "question tree first-contact published (en version 1, nb version 1)" in out
    assert f"checklist: {len(ITEMS)} item(s) added" in out
    assert "seed routine(s) not offered" in out and "--unit SLUG" in out

    assert first["trees"] == [("first-contact", "en", 1, "published"), ("first-contact", "nb", 1, "published")]
    assert [code for code, _ in first["checklist"]] == sorted(item[0] for item in ITEMS)
    assert first["routines"] == []

    call_command("bootstrap")
    assert state() == first
    assert "checklist: 0 item(s) added" in capsys.readouterr().out
    # No people, units or records about anyone.
    assert get_user_model().objects.count() == 0 and Unit.objects.count() == 0
    assert not Intake.objects.exists() and not SafetyPlan.objects.exists() and not Incident.objects.exists()


def test_the_seed_routines_are_offered_as_drafts_to_the_units_editors_once(empty, client, capsys):
    unit = Unit.objects.create(slug="hms", name="HMS", kind=Unit.Kind.UNIVERSITY_SECTION)
    call_command("bootstrap", unit="hms")
    assert f"{len(ROUTINES)} seed routine(s) offered as drafts to the editors of hms" in capsys.readouterr().out
    routines = Routine.objects.all()
    assert {r.slug for r in routines} == {data["slug"] for data in ROUTINES}
    assert {r.owner_unit for r in routines} == {unit}
    assert set(RoutineVersion.objects.values_list("number", "status")) == {(1, "draft")}
    # Drafts are for editors: nothing is published, so the public list shows none of them.
    assert ROUTINES[0]["title"]["nb"] not in client.get("/routines/").content.decode()

    # An editor changes one draft; running again changes nothing, adds nothing.
    draft = RoutineVersion.objects.get(routine__slug=ROUTINES[0]["slug"])
    RoutineVersion.objects.filter(pk=draft.pk).update(title_nb="Vår egen tittel")
    before = state()
    call_command("bootstrap", unit="hms")
    assert state() == before
    assert f"0 seed routine(s) offered as drafts to the editors of hms; {len(ROUTINES)} there already" in (
        capsys.readouterr().out
    )


def test_an_unknown_unit_is_a_clear_error_and_changes_nothing(empty):
    with pytest.raises(CommandError, match="No unit with the short name 'nowhere'"):
        call_command("bootstrap", unit="nowhere")
    assert state() == {"trees": [], "checklist": [], "routines": []}


def test_each_feature_with_shipped_content_registers_a_step():
    assert [step.name for step in sorted(BOOTSTRAP_STEPS, key=lambda s: s.order)] == [
        "intake",
        "safety plans",
        "routines",
    ]
