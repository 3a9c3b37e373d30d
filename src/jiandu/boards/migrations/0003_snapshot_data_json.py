"""Snapshot data as PostgreSQL ``json`` (written once, read whole), LZ4-compressed where
the server supports it."""

from django.db import migrations

import jiandu.core.db


def compress_lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone() is None:
            return  # a server built without LZ4 keeps the default (pglz)
        cursor.execute("ALTER TABLE boards_boardsnapshot ALTER COLUMN data SET COMPRESSION lz4")


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0002_snapshot_figures"),
    ]

    operations = [
        migrations.AlterField(
            model_name="boardsnapshot",
            name="data",
            field=jiandu.core.db.JSONDocumentField(verbose_name="结账数据"),
        ),
        migrations.RunPython(compress_lz4, migrations.RunPython.noop),
    ]
