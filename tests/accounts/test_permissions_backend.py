"""accounts.backends.PermissionsInOneQueryBackend: the same model permissions as Django's ModelBackend, read
in one query, and still read again on every request (a role removed counts from the next one)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import PermissionsInOneQueryBackend
from accounts.models import Membership
from accounts.services import membership_revoke


def _fresh(user):
    """The person as the next request loads her (no permission cache)."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_same_permissions_as_model_backend_in_one_query(users):
    for name in ("manager", "counsellor", "staff", "editor", "printshop", "admin"):
        user = _fresh(users[name])
        with CaptureQueriesContext(connection) as queries:
            ours = PermissionsInOneQueryBackend().get_all_permissions(user)
        assert len(queries) == 1, name
        assert ours == ModelBackend().get_all_permissions(_fresh(users[name])), name
    assert "incidents.view_incident" in PermissionsInOneQueryBackend().get_all_permissions(_fresh(users["manager"]))


def test_own_permissions_count_as_well_as_the_groups(users):
    staff = users["staff"]
    staff.user_permissions.add(Permission.objects.get(codename="view_incident"))
    assert _fresh(staff).has_perm("incidents.view_incident")
    assert "incidents.view_incident" in PermissionsInOneQueryBackend().get_all_permissions(_fresh(staff))


def test_a_page_asks_once_and_the_other_backends_answer_from_the_cache(users):
    manager = _fresh(users["manager"])
    with CaptureQueriesContext(connection) as queries:
        assert manager.has_perm("incidents.view_incident")
        assert not manager.has_perm("intake.add_intake")  # asked of every backend, all from the cache
    assert len(queries) == 1


def test_inactive_people_have_no_permissions(users):
    manager = _fresh(users["manager"])
    manager.is_active = False
    assert PermissionsInOneQueryBackend().get_all_permissions(manager) == set()
    assert not manager.has_perm("incidents.view_incident")


def test_a_role_removed_counts_from_the_next_request(users, client_for):
    from django.urls import reverse

    client = client_for("manager_other")
    assert client.get(reverse("incidents:list")).status_code == 200
    for membership in Membership.objects.filter(user=users["manager_other"], role="manager"):
        membership_revoke(membership=membership)
    assert not _fresh(users["manager_other"]).has_perm("incidents.view_incident")
    assert client.get(reverse("incidents:list")).status_code == 404
