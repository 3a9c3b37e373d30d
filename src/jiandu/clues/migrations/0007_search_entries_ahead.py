from django.db import migrations

from jiandu.clues.search import SEARCHED_TABLES, ensure_sqlite_index


def write_ahead(apps, schema_editor):
    """SQLite: the bookkeeping of search entries written ahead of a staged import's
    publication, and an insert trigger that leaves such rows alone (ADR 0013)."""
    ensure_sqlite_index(schema_editor.connection)


def back(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    for table in SEARCHED_TABLES:
        fts = f"{table}_search"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_ai")
        schema_editor.execute(
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, search_grams) VALUES (new.id, new.search_grams); END"
        )
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts}_ahead_batch")
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts}_ahead")


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0006_clue_action_extend"),
    ]

    operations = [migrations.RunPython(write_ahead, back)]
