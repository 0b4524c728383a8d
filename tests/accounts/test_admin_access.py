"""The Django admin gives no access around memberships: no raw groups on a user, no group editing, two-factor
login required from what a person can reach, and its logins and deactivations are logged with who did them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.services import role_group
from audit.models import AuditEvent
from tests.conftest import INTAKE_A, PASSWORD, PLAN_A
from usersessions.models import UserSession

CASE_PAGES = [
    ("intake:list", []),
    ("intake:detail", [INTAKE_A]),
    ("intake:review", [INTAKE_A]),
    ("safety_plans:list", []),
    ("safety_plans:detail", [PLAN_A]),
]


def test_a_shadow_account_made_in_the_admin_reaches_no_case_record(client_for, units, intake_a, safety_plan_a):
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:auth_user_add"),
        {"username": "shadow", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    shadow = get_user_model().objects.get(username="shadow")
    # The raw group the issue ticked: the global manager role (the unit's own role groups no longer exist:
    # what a person sees of a unit follows from her memberships, issue 16).
    role_group("manager")
    groups = [Group.objects.get(name="manager").pk]
    page = admin.get(reverse("admin:auth_user_change", args=[shadow.pk])).content.decode()
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    response = admin.post(
        reverse("admin:auth_user_change", args=[shadow.pk]),
        {
            "username": "shadow",
            "is_active": "on",
            "groups": groups,
            "user_permissions": [],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not shadow.groups.exists()

    client = Client()
    assert client.post(reverse("login"), {"username": "shadow", "password": PASSWORD}).status_code == 302
    for name, args in CASE_PAGES:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_the_admin_offers_no_group_pages():
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_group_changelist")


def test_two_factor_login_follows_what_a_person_can_reach(users, settings):
    """Permissions given around memberships (a group added in a shell) still require two-factor login."""
    from twofactor.selectors import must_enrol

    shadow = get_user_model().objects.create_user("shadow2", password=PASSWORD)
    assert not must_enrol(shadow)
    shadow.groups.add(role_group("manager"))
    shadow = get_user_model().objects.get(pk=shadow.pk)  # a fresh permission cache
    assert must_enrol(shadow)
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    client.post(reverse("login"), {"username": "shadow2", "password": PASSWORD})
    response = client.get(reverse("intake:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("twofactor:enrol"))
    # Staff and the print shop are not made to enrol.
    assert not must_enrol(users["staff"]) and not must_enrol(users["printshop"])


def test_a_login_through_the_admin_page_is_logged(users):
    client = Client()
    response = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=users["admin"]).count() == 1


def test_a_deactivation_in_the_admin_logs_who_did_it(users, client_for):
    assert client_for("counsellor").get(reverse("home")).status_code == 200
    user = users["counsellor"]
    response = client_for("admin").post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "email": user.email,
            "is_active": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not UserSession.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(
        action="auth.sessions_ended", actor=users["admin"], target_id=str(user.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="member.deactivated", actor=users["admin"], target_id=str(user.pk)).exists()
    # The admin form has no groups: her roles are untouched by saving it.
    assert user.memberships.exists() and user.groups.exists()
