"""Memberships, role groups and the unit access helper."""

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.urls import reverse

from accounts.access import get_unit_for_user
from accounts.demo import CENTRE_A, CENTRE_B
from accounts.models import Membership, UnitGroupObjectPermission
from accounts.roles import Role
from accounts.services import membership_grant, membership_revoke
from audit.models import AuditEvent


def test_grant_is_idempotent_and_makes_no_unit_group_or_grant_rows(users, units):
    before = Membership.objects.count()
    membership_grant(user=users["manager"], unit=units[CENTRE_A], role=Role.MANAGER)
    assert Membership.objects.count() == before
    # The unit page follows from the membership alone: no unit role group, no grant row on the unit.
    assert not UnitGroupObjectPermission.objects.exists()
    assert not Group.objects.filter(name__startswith="unit:").exists()
    assert set(users["manager"].groups.values_list("name", flat=True)) == {Role.MANAGER.value}


def test_unknown_role_is_refused(users, units):
    with pytest.raises(ValueError):
        membership_grant(user=users["staff"], unit=units[CENTRE_A], role="boss")


def test_access_helper_gives_404_to_outsiders(users, units):
    assert get_unit_for_user(users["manager"], CENTRE_A) == units[CENTRE_A]
    for outsider in ["manager_other", "counsellor", "staff", "editor", "printshop"]:
        with pytest.raises(Http404):
            get_unit_for_user(users[outsider], CENTRE_A)
    with pytest.raises(Http404):
        get_unit_for_user(users["manager"], CENTRE_B)


def test_revoking_a_role_takes_effect_on_the_next_request(client, users, units):
    manager = users["manager"]
    client.force_login(manager)
    url = reverse("unit_detail", args=[CENTRE_A])
    assert client.get(url).status_code == 200
    membership_revoke(membership=Membership.objects.get(user=manager, unit=units[CENTRE_A], role=Role.MANAGER))
    assert client.get(url).status_code == 404
    # Still manager elsewhere: the feature permission stays, the other unit is still reachable.
    assert manager.groups.filter(name=Role.MANAGER).exists()
    assert client.get(reverse("unit_detail", args=["studentseksjonen"])).status_code == 200


def test_revoking_the_last_membership_of_a_role_removes_the_role_group(users, units):
    manager = users["manager_other"]
    membership_revoke(membership=Membership.objects.get(user=manager, role=Role.MANAGER))
    assert not manager.groups.filter(name=Role.MANAGER).exists()
    manager = type(manager).objects.get(pk=manager.pk)  # fresh permission cache
    assert not manager.has_perm("accounts.view_membership")


def test_deactivated_user_is_logged_out_on_next_request(client, users):
    user = users["counsellor"]
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unit_page_lists_members_and_is_audited(client, users, units):
    client.force_login(users["manager"])
    response = client.get(reverse("unit_detail", args=[CENTRE_A]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "counsellor2" in content and "counsellor_other" not in content
    event = AuditEvent.objects.get(action="unit.viewed")
    assert event.actor == users["manager"]
    assert (event.target_type, event.target_id) == ("accounts.unit", str(units[CENTRE_A].pk))


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("manager", ["Nordby krisesenter", "Studentseksjonen"], ["Sørvik krisesenter", "/admin/"]),
        ("manager_other", ["Sørvik krisesenter"], ["Nordby krisesenter", "/admin/"]),
        ("counsellor", ["/password/", "/routines/"], ["/units/", "/admin/"]),
        ("admin", ["/admin/", "Sørvik krisesenter", "Nordby krisesenter"], []),
    ],
)
def test_home_page_shows_each_role_only_what_it_can_do(client, users, persona, shown, hidden):
    client.force_login(users[persona])
    content = client.get(reverse("home")).content.decode()
    for text in shown:
        assert text in content
    for text in hidden:
        assert text not in content
