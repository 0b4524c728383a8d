"""Audit events cannot be changed or deleted through the app, nor (on PostgreSQL) by raw SQL."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from accounts.demo import CENTRE_A
from audit.models import AuditEvent, AuditLogIsAppendOnly
from audit.services import audit_log


@pytest.fixture
def event(users, units):
    return audit_log(actor=users["manager"], action="unit.viewed", target=units[CENTRE_A], unit=units[CENTRE_A])


def test_a_new_event_is_written(event):
    assert AuditEvent.objects.filter(pk=event.pk, action="unit.viewed").exists()


def test_saving_an_existing_event_raises(event):
    event.action = "auth.login"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    loaded = AuditEvent.objects.get(pk=event.pk)
    with pytest.raises(AuditLogIsAppendOnly):
        loaded.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "unit.viewed"


def test_saving_a_copy_under_an_existing_id_does_not_overwrite(event, users):
    copy = AuditEvent(pk=event.pk, actor=users["staff"], action="auth.login")
    with pytest.raises(IntegrityError), transaction.atomic():  # an insert: the primary key refuses it
        copy.save()
    assert AuditEvent.objects.get(pk=event.pk).actor == users["manager"]


def test_deleting_an_event_raises(event):
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_raise(event):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="auth.login")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "unit.viewed"


def test_deleting_a_person_with_events_is_refused(event, users):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        users["manager"].delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_cannot_change_or_delete_an_event(event, client_for):
    admin = client_for("admin")
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert admin.get(change).status_code == 200  # read-only view
    response = admin.post(change, {"action": "auth.login", "target_type": "", "target_id": ""})
    assert response.status_code == 403
    assert admin.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert admin.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert admin.get(reverse("admin:audit_auditevent_add")).status_code == 403
    changelist = admin.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200
    assert b'name="action"' not in changelist.content  # no bulk actions (such as "delete selected")
    bulk = admin.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [str(event.pk)], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert AuditEvent.objects.get(pk=event.pk).action == "unit.viewed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.django_db
def test_postgresql_refuses_raw_update_and_delete(event):
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET action = 'auth.login' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "unit.viewed"
    with connection.cursor() as cursor:  # inserting stays possible
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] >= 1
