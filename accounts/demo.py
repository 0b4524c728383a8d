"""Demo units and personas. Used by ``manage.py seed_demo`` and by the test suite's persona fixtures, so
what a newcomer clicks through is exactly what the tests check. Later features add their demo records here.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import Unit
from accounts.roles import Role
from accounts.services import membership_grant

CENTRE_A = "nordby-krisesenter"
CENTRE_B = "sorvik-krisesenter"
UNIVERSITY = "studentseksjonen"

UNITS = [
    (CENTRE_A, "Nordby krisesenter", Unit.Kind.CRISIS_CENTRE),
    (CENTRE_B, "Sørvik krisesenter", Unit.Kind.CRISIS_CENTRE),
    (UNIVERSITY, "Studentseksjonen, Universitetet i Nordby", Unit.Kind.UNIVERSITY_SECTION),
]


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str], ...]  # (unit slug, role)
    superuser: bool = False


PERSONAS = [
    Persona("staff", "Siri", "Student-Service", ((UNIVERSITY, Role.STAFF),)),
    Persona("counsellor", "Kari", "Rådgiver", ((CENTRE_A, Role.COUNSELLOR),)),
    Persona("counsellor2", "Kamilla", "Kollega", ((CENTRE_A, Role.COUNSELLOR),)),
    Persona("counsellor_other", "Kjetil", "Sørvik", ((CENTRE_B, Role.COUNSELLOR),)),
    Persona("manager", "Marit", "Leder", ((CENTRE_A, Role.MANAGER), (UNIVERSITY, Role.MANAGER))),
    Persona("manager_other", "Magnus", "Sørvik", ((CENTRE_B, Role.MANAGER),)),
    Persona("editor", "Eva", "Redaktør", ((UNIVERSITY, Role.EDITOR), (CENTRE_A, Role.EDITOR))),
    Persona("printshop", "Per", "Trykkeri", ((UNIVERSITY, Role.PRINTSHOP),)),
    Persona("admin", "Ada", "Administrator", (), superuser=True),
]


@transaction.atomic
def seed_demo(*, password: str) -> dict[str, Any]:
    """Create or update the demo units and personas. Safe to run any number of times. Returns
    {"units": {slug: Unit}, "users": {username: User}}."""
    units: dict[str, Unit] = {}
    for slug, name, kind in UNITS:
        units[slug], _created = Unit.objects.update_or_create(slug=slug, defaults={"name": name, "kind": kind})
    user_model = get_user_model()
    users: dict[str, User] = {}
    for persona in PERSONAS:
        user, _created = user_model.objects.update_or_create(
            username=persona.username,
            defaults={
                "first_name": persona.first_name,
                "last_name": persona.last_name,
                "email": f"{persona.username}@example.org",
                "is_active": True,
                "is_staff": persona.superuser,
                "is_superuser": persona.superuser,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        for unit_slug, role in persona.memberships:
            membership_grant(user=user, unit=units[unit_slug], role=role)
        users[persona.username] = user
    return {"units": units, "users": users}
