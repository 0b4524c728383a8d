"""Publishes the demo routines (routines/demo_content.py) once. Safe to repeat: a routine that already has a
version is left as it is, so edits made in a running demo are kept."""

from django.db import transaction

from accounts.models import Unit
from routines.demo_content import ROUTINES
from routines.models import Routine
from routines.services import routine_version_create, routine_version_publish_demo


@transaction.atomic
def seed_routines(*, owner_unit: Unit, editor) -> list[Routine]:
    routines = []
    for data in ROUTINES:
        routine, _created = Routine.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "category": data["category"],
                "kind": data["kind"],
                "staff_only": data["staff_only"],
                "owner_unit": owner_unit,
                "editor": editor,
            },
        )
        if not routine.versions.exists():
            version = routine_version_create(
                routine=routine,
                user=editor,
                title_nb=data["title"]["nb"],
                title_en=data["title"]["en"],
                summary_nb=data["summary"]["nb"],
                summary_en=data["summary"]["en"],
                content={key: data[key] for key in ("contacts", "sections", "related", "agenda")},
            )
            routine_version_publish_demo(version=version, user=editor)
        routines.append(routine)
    return routines
