"""Routines' first-run content (``core.bootstrap``): the seed routines (routines/demo_content.py), offered to the
editors of the unit given to ``bootstrap --unit`` as drafts, never published: a real installation's routines
are approved by two people (four eyes) before anyone sees them. A routine whose short name exists already is
left as it is."""

from typing import Any, cast

from django.db import transaction

from accounts.models import Unit
from audit.services import audit_log
from core.bootstrap import BOOTSTRAP_STEPS, BootstrapError, BootstrapStep
from routines.demo_content import ROUTINES
from routines.models import Routine
from routines.services import routine_version_create


@transaction.atomic
def offer_seed_routines(*, unit_slug: str | None = None) -> str:
    if not unit_slug:
        return (
            f"{len(ROUTINES)} seed routine(s) not offered: give the unit that owns them "
            "(manage.py bootstrap --unit SLUG) once it exists"
        )
    unit = Unit.objects.filter(slug=unit_slug).first()
    if unit is None:
        raise BootstrapError(f"No unit with the short name {unit_slug!r}: create it in the admin (Units) first.")
    added = 0
    for data in cast(list[dict[str, Any]], ROUTINES):
        routine, created = Routine.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "category": data["category"],
                "kind": data["kind"],
                "staff_only": data["staff_only"],
                "owner_unit": unit,
            },
        )
        if not created:
            continue
        audit_log(actor=None, action="routine.created", target=routine, unit=unit)
        routine_version_create(
            routine=routine,
            user=None,
            title_nb=data["title"]["nb"],
            title_en=data["title"]["en"],
            summary_nb=data["summary"]["nb"],
            summary_en=data["summary"]["en"],
            content={key: data[key] for key in ("contacts", "sections", "related", "agenda")},
        )
        added += 1
    return (
        f"{added} seed routine(s) offered as drafts to the editors of {unit.slug}; "
        f"{len(ROUTINES) - added} there already"
    )


def register() -> None:
    BOOTSTRAP_STEPS.register(BootstrapStep(order=60, name="routines", run=offer_seed_routines))
