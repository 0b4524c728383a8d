"""Which tree new intakes use and which routine the finalize page links are settings, checked at start-up."""

from django.test import override_settings

from intake.checks import check_duty_to_avert_routine, check_intake_tree
from intake.selectors import intake_tree_version


def test_the_local_defaults_name_the_demo_tree_and_routine():
    assert check_intake_tree() == [] and check_duty_to_avert_routine() == []


@override_settings(INTAKE_TREE="", INTAKE_DUTY_TO_AVERT_ROUTINE="")
def test_missing_settings_warn():
    assert [m.id for m in check_intake_tree()] == ["intake.W001"]
    assert [m.id for m in check_duty_to_avert_routine()] == ["intake.W002"]


@override_settings(INTAKE_TREE="")
def test_no_tree_setting_means_no_tree(db, intake_trees):
    assert intake_tree_version("nb") is None


@override_settings(INTAKE_TREE="first-contact")
def test_the_tree_setting_picks_the_published_version(db, intake_trees):
    assert intake_tree_version("en") == intake_trees["en"]
