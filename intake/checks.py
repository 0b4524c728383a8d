"""System checks: the settings that say which question tree and which routine intake uses. Missing, the app
still runs, but counsellors cannot start an intake (no tree) or the finalize page has no duty-to-avert link.
They read settings only (no database): checks run before migrations too."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage
from django.core.checks import Warning as CheckWarning


def check_intake_tree(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "INTAKE_TREE", ""):
        return []
    return [
        CheckWarning(
            "INTAKE_TREE is empty: counsellors cannot start an intake.",
            hint="Set DJANGO_INTAKE_TREE to the short name of the question tree new intakes use "
            "(docs/intake-trees.md).",
            id="intake.W001",
        )
    ]


def check_duty_to_avert_routine(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "INTAKE_DUTY_TO_AVERT_ROUTINE", ""):
        return []
    return [
        CheckWarning(
            "INTAKE_DUTY_TO_AVERT_ROUTINE is empty: the finalize page links no routine on the duty to avert.",
            hint="Set DJANGO_INTAKE_DUTY_TO_AVERT_ROUTINE to that routine's slug (docs/intake-trees.md).",
            id="intake.W002",
        )
    ]
