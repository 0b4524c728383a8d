"""Print orders move from routines to their own app. The tables stay where they are (``db_table``): this
migration changes Django's idea of which app the models belong to, not the database, and routines 0004 drops
them from the routines app's state.

The content types are renamed in place (``routines.printorder`` -> ``printing.printorder``), so the permission
rows keep their ids and every group that holds ``add_printorder``, ``view_printorder`` or ``change_printorder``
(the print-shop, manager and editor roles) keeps them. On a new database there is nothing to rename: the
content types and permissions are created after the migrations, under ``printing``.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("printorder", "printorderevent")


def _move_content_types(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # made by a migrate run in between; keep it rather than guess which rows to merge
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def content_types_to_printing(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="routines", target="printing")


def content_types_to_routines(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="printing", target="routines")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("routines", "0003_print_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PrintOrder",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        (
                            "lang",
                            models.CharField(
                                choices=[("nb", "Norwegian bokmål"), ("en", "English")],
                                max_length=8,
                                verbose_name="language",
                            ),
                        ),
                        ("quantity", models.PositiveIntegerField(verbose_name="number of copies")),
                        ("delivery_address", models.TextField(max_length=500, verbose_name="delivery address")),
                        ("wanted_by", models.DateField(verbose_name="wanted by")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("new", "New"),
                                    ("accepted", "Accepted"),
                                    ("printed", "Printed"),
                                    ("delivered", "Delivered"),
                                    ("superseded", "Superseded"),
                                ],
                                default="new",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "delivery_unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="print_orders",
                                to="accounts.unit",
                                verbose_name="deliver to unit",
                            ),
                        ),
                        (
                            "ordered_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "routine",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="print_orders",
                                to="routines.routine",
                            ),
                        ),
                        (
                            "superseded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="printing.printorder",
                            ),
                        ),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="print_orders",
                                to="routines.routineversion",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "print order",
                        "verbose_name_plural": "print orders",
                        "ordering": ["wanted_by", "created_at"],
                        "db_table": "routines_printorder",
                    },
                ),
                migrations.CreateModel(
                    name="PrintOrderEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("new", "New"),
                                    ("accepted", "Accepted"),
                                    ("printed", "Printed"),
                                    ("delivered", "Delivered"),
                                    ("superseded", "Superseded"),
                                ],
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        ("note", models.TextField(blank=True, max_length=1000, verbose_name="note")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="when")),
                        (
                            "by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="printing.printorder",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "print order event",
                        "verbose_name_plural": "print order events",
                        "ordering": ["at", "pk"],
                        "db_table": "routines_printorderevent",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_printing, content_types_to_routines, elidable=False),
    ]
