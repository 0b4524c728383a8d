import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import PERSONAS
from accounts.models import Membership, Unit


def test_seed_demo_is_idempotent_and_prints_the_logins(db, capsys):
    call_command("seed_demo", "--force")
    counts = (Unit.objects.count(), get_user_model().objects.count(), Membership.objects.count())
    call_command("seed_demo", "--force")
    assert (Unit.objects.count(), get_user_model().objects.count(), Membership.objects.count()) == counts
    assert counts == (3, len(PERSONAS), 10)
    out = capsys.readouterr().out
    for persona in PERSONAS:
        assert persona.username in out


def test_seeded_personas_log_in_with_demo_password(client, db, settings):
    call_command("seed_demo", "--force")
    for persona in PERSONAS:
        response = client.post(reverse("login"), {"username": persona.username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, persona.username
        assert response["Location"] == reverse("home")
        client.post(reverse("logout"))


def test_seeded_roles_match_the_issue(db):
    call_command("seed_demo", "--force")
    roles = {
        (m.user.username, m.unit.kind, m.role)
        for m in Membership.objects.select_related("user", "unit")
    }
    assert ("staff", Unit.Kind.UNIVERSITY_SECTION, "staff") in roles
    assert ("manager", Unit.Kind.CRISIS_CENTRE, "manager") in roles
    assert ("manager", Unit.Kind.UNIVERSITY_SECTION, "manager") in roles
    assert get_user_model().objects.get(username="admin").is_superuser


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False  # as in production; --force is what the tests above pass
    with pytest.raises(CommandError, match="Refusing to create demo users"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()
