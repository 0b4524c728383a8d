"""AuditEvent moves here from accounts, in Django's state only.

The table (``accounts_auditevent``), its index and its PostgreSQL append-only trigger (accounts.0003) stay as
they are: no row moves, nothing is locked. The content type is renamed in place, so the permissions that point
at it keep their ids; accounts.0004 then removes the model from accounts' state.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_types.objects.using(db).filter(app_label="audit", model="auditevent").exists():
        content_types.objects.using(db).filter(app_label="accounts", model="auditevent").update(app_label="audit")


def restore_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_types.objects.using(db).filter(app_label="accounts", model="auditevent").exists():
        content_types.objects.using(db).filter(app_label="audit", model="auditevent").update(app_label="accounts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_auditevent_append_only_trigger"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        (
                            "at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when"),
                        ),
                        ("action", models.CharField(db_index=True, max_length=64, verbose_name="action")),
                        ("target_type", models.CharField(blank=True, max_length=64, verbose_name="record type")),
                        ("target_id", models.CharField(blank=True, max_length=64, verbose_name="record id")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="who",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.unit",
                                verbose_name="unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "ordering": ["-at"],
                        "db_table": "accounts_auditevent",
                        "indexes": [
                            models.Index(fields=["target_type", "target_id"], name="accounts_au_target__6d660f_idx")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type, elidable=False),
    ]
