"""Managing the people of a unit in the app: adding by e-mail with an invitation, changing and removing roles,
deactivating; who may do what, and the audit log of each change."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.demo import CENTRE_A, CENTRE_B, UNIVERSITY
from accounts.models import Membership
from accounts.roles import Role
from audit.models import AuditEvent
from usersessions.models import UserSession

NEW_EMAIL = "Nina.Ny@Example.org"
NEW_PASSWORD = "et-langt-og-nytt-passord-2026"


def add(client, slug=CENTRE_A, email=NEW_EMAIL, role=Role.COUNSELLOR, **extra):
    data = {"email": email, "first_name": "Nina", "last_name": "Ny", "role": role, **extra}
    return client.post(reverse("member_add", args=[slug]), data)


def invitation_link(message) -> str:
    """The path of the one-time link in an invitation mail."""
    match = re.search(r"https?://\S+/invitation/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def test_a_manager_adds_a_new_person_who_is_invited_and_sets_her_password(
    client_for, users, units, django_capture_on_commit_callbacks
):
    manager = client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = add(manager)
    assert response.status_code == 302
    person = get_user_model().objects.get(email=NEW_EMAIL)
    assert person.username == NEW_EMAIL.lower()
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, unit=units[CENTRE_A], role=Role.COUNSELLOR).exists()
    assert events("member.role_granted", actor=users["manager"], target_id=str(person.pk)).count() == 1
    assert events("member.invited", actor=users["manager"], target_id=str(person.pk)).count() == 1
    [message] = mail.outbox
    assert message.to == [NEW_EMAIL]
    link = invitation_link(message)

    anonymous = client_for("anonymous")
    response = anonymous.get(link)
    assert response.status_code == 302  # Django moves the token out of the address into the session
    form_url = response["Location"]
    assert anonymous.get(form_url).status_code == 200
    response = anonymous.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert events("auth.invitation_accepted", target_id=str(person.pk)).count() == 1
    assert client_for("anonymous").post(reverse("login"), {"username": person.username, "password": NEW_PASSWORD})[
        "Location"
    ] == reverse("home")

    # Single use: the same link does not work again.
    again = client_for("anonymous")
    response = again.get(link, follow=True)
    assert "does not work" in response.content.decode() or "fungerer ikke" in response.content.decode()
    assert "new_password1" not in response.content.decode()


def test_an_invitation_link_expires(client_for, users, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        add(client_for("manager"))
    link = invitation_link(mail.outbox[0])
    settings.INVITATION_TIMEOUT = -1
    response = client_for("anonymous").get(link, follow=True)
    assert "new_password1" not in response.content.decode()


def test_adding_someone_who_has_an_account_gives_the_role_without_an_invitation(
    client_for, users, units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client_for("manager"), email="COUNSELLOR_OTHER@example.org", role=Role.STAFF)
    assert response.status_code == 302
    assert Membership.objects.filter(user=users["counsellor_other"], unit=units[CENTRE_A], role=Role.STAFF).exists()
    assert mail.outbox == []


def test_a_deactivated_account_is_not_given_a_role_and_nothing_typed_is_lost(client_for, users):
    users["staff"].is_active = False
    users["staff"].save()
    response = add(client_for("manager"), email="staff@example.org", role=Role.STAFF)
    assert response.status_code == 200
    assert "staff@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=users["staff"], unit__slug=CENTRE_A).exists()


@pytest.mark.parametrize("bad", [{"email": "not-an-address"}, {"role": "administrator"}, {"email": ""}])
def test_bad_input_shows_the_form_again(client_for, bad):
    before = get_user_model().objects.count()
    response = add(client_for("manager"), **bad) if "email" in bad else add(client_for("manager"), role=bad["role"])
    assert response.status_code == 200
    assert get_user_model().objects.count() == before


@pytest.mark.parametrize("persona", ["manager_other", "counsellor", "staff", "editor", "printshop", "anonymous"])
def test_only_the_units_managers_may_add_people(client_for, persona):
    response = add(client_for(persona))
    assert response.status_code == (302 if persona == "anonymous" else 404)
    assert not get_user_model().objects.filter(email=NEW_EMAIL).exists()


def test_a_manager_cannot_give_roles_in_a_unit_she_does_not_manage(client_for, users):
    response = client_for("manager").post(
        reverse("member_detail", args=[CENTRE_B, "counsellor_other"]), {"action": "roles", "roles": ["manager"]}
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user=users["counsellor_other"], role=Role.MANAGER).exists()


def test_no_role_makes_an_administrator(client_for, users):
    response = client_for("manager").post(
        reverse("member_detail", args=[CENTRE_A, "counsellor"]), {"action": "roles", "roles": ["admin", "superuser"]}
    )
    assert response.status_code == 200
    users["counsellor"].refresh_from_db()
    assert not users["counsellor"].is_superuser and not users["counsellor"].is_staff


def test_changing_and_removing_roles_is_logged_with_who_did_it(client_for, users, units):
    manager = client_for("manager")
    url = reverse("member_detail", args=[CENTRE_A, "counsellor"])
    assert manager.get(url).status_code == 200
    response = manager.post(url, {"action": "roles", "roles": ["counsellor", "staff"]})
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(user=users["counsellor"], unit=units[CENTRE_A]).values_list("role", flat=True)
    ) == {
        "counsellor",
        "staff",
    }
    granted = events("member.role_granted", actor=users["manager"], target_id=str(users["counsellor"].pk))
    assert granted.get().unit == units[CENTRE_A]
    response = manager.post(url, {"action": "roles"})
    assert response.status_code == 302 and response["Location"] == reverse("unit_detail", args=[CENTRE_A])
    assert not Membership.objects.filter(user=users["counsellor"], unit=units[CENTRE_A]).exists()
    assert events("member.role_removed", actor=users["manager"], target_id=str(users["counsellor"].pk)).count() == 2
    # She has no role left here: her next request to the intakes is refused.
    assert client_for("counsellor").get(reverse("intake:list")).status_code == 404
    # And the unit page no longer lists her: the person page is "not found".
    assert manager.get(url).status_code == 404


def test_someone_without_a_role_in_the_unit_is_not_found_there(client_for):
    response = client_for("manager").get(reverse("member_detail", args=[CENTRE_A, "counsellor_other"]))
    assert response.status_code == 404


def test_a_manager_deactivates_a_person_of_her_units_and_her_sessions_end(client_for, users):
    counsellor = client_for("counsellor")
    assert counsellor.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=users["counsellor"]).exists()
    response = client_for("manager").post(
        reverse("member_detail", args=[CENTRE_A, "counsellor"]), {"action": "deactivate"}
    )
    assert response.status_code == 302
    users["counsellor"].refresh_from_db()
    assert not users["counsellor"].is_active
    assert events("member.deactivated", actor=users["manager"]).count() == 1
    assert events("auth.sessions_ended", actor=users["manager"], target_id=str(users["counsellor"].pk)).count() == 1
    assert counsellor.get(reverse("intake:list"))["Location"].startswith(reverse("login"))


def test_a_manager_cannot_deactivate_someone_with_roles_elsewhere(client_for, users):
    # The editor also has a role in the university section, which the other manager does not manage ...
    from accounts.services import membership_grant

    membership_grant(user=users["editor"], unit=users["manager_other"].memberships.get().unit, role=Role.EDITOR)
    response = client_for("manager_other").post(
        reverse("member_detail", args=[CENTRE_B, "editor"]), {"action": "deactivate"}
    )
    assert response.status_code == 302
    users["editor"].refresh_from_db()
    assert users["editor"].is_active
    assert not events("member.deactivated").exists()
    # ... while the manager of both her other units may, and an administrator may.
    assert client_for("admin").post(reverse("member_detail", args=[UNIVERSITY, "editor"]), {"action": "deactivate"})
    users["editor"].refresh_from_db()
    assert not users["editor"].is_active
