"""Rolling upgrades: a migration added since the last release must not break a server still running the
previous release's code on the migrated database (a NOT NULL column without a database default, a dropped or
renamed column or table ...). django-migration-linter reads the SQL each migration runs and says which.

`.ci/released-migrations.txt` lists the migrations of the last release; they ran long ago and are not
judged again. Everything else must lint clean, on the database CI uses (PostgreSQL) as on SQLite. When a
release is made, its migrations are added to that file.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django_migration_linter import MigrationLinter
from django_migration_linter.sql_analyser import analyse_sql_statements, get_sql_analyser_class

ROOT = Path(__file__).resolve().parents[2]
RELEASED = set((ROOT / ".ci" / "released-migrations.txt").read_text().split())
OURS = {
    config.label
    for config in apps.get_app_configs()
    if config.path.startswith(str(ROOT)) and ".venv" not in Path(config.path).parts
}


def new_migrations() -> list[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(key for key in loader.disk_migrations if key[0] in OURS and f"{key[0]}:{key[1]}" not in RELEASED)


def test_the_released_list_names_real_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}:{name}" for app, name in loader.disk_migrations}
    assert RELEASED and known >= RELEASED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("app_label", "name"), new_migrations())
def test_a_new_migration_keeps_the_previous_release_working(app_label, name):
    if connection.vendor != "postgresql":
        pytest.skip("judged on PostgreSQL, the production database: SQLite rebuilds a table for any new column")
    linter = MigrationLinter(no_cache=True, no_output=True, include_apps=[app_label], include_name=[name])
    linter.lint_all_migrations(app_label=app_label, migration_name=name)
    assert linter.nb_total == 1, "the linter did not find the migration"
    assert not linter.has_errors, f"{app_label}.{name} would break the release still running on this database"


def _sql_of(operation) -> list[str]:
    """The SQL one operation runs on an app state holding a model with a table."""
    state = ProjectState()
    migrations.CreateModel("Probe", [("id", models.AutoField(primary_key=True))]).state_forwards("compat", state)
    new_state = state.clone()
    operation.state_forwards("compat", new_state)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        operation.database_forwards("compat", editor, state, new_state)
    return editor.collected_sql


@pytest.mark.django_db(transaction=True)
def test_the_check_refuses_a_not_null_column_without_a_database_default():
    """What broke a rolling upgrade once (intake 0004): the old code inserts rows without the new column."""
    analyser = get_sql_analyser_class(connection.vendor)
    breaking = migrations.AddField("Probe", "reason", models.CharField(max_length=20, default="x"))
    errors, _ignored, _warnings = analyse_sql_statements(analyser, _sql_of(breaking))
    assert errors, "a NOT NULL column with only a Python default must be refused"
    if connection.vendor == "postgresql":  # SQLite rebuilds the table for any new column, default or not
        safe = migrations.AddField("Probe", "reason", models.CharField(max_length=20, db_default="x"))
        errors, _ignored, _warnings = analyse_sql_statements(analyser, _sql_of(safe))
        assert not errors, "a column with a database default keeps the old code's inserts working"


@pytest.mark.django_db(transaction=True)
def test_the_check_refuses_dropping_a_column_the_old_code_reads():
    analyser = get_sql_analyser_class(connection.vendor)
    state = ProjectState()
    migrations.CreateModel(
        "Probe", [("id", models.AutoField(primary_key=True)), ("note", models.TextField(default=""))]
    ).state_forwards("compat", state)
    new_state = state.clone()
    operation = migrations.RemoveField("Probe", "note")
    operation.state_forwards("compat", new_state)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        operation.database_forwards("compat", editor, state, new_state)
    errors, _ignored, _warnings = analyse_sql_statements(analyser, editor.collected_sql)
    assert errors
