"""Backend helpers: rows without per-row conversion, server-side binding for large
parameters, and JSON documents stored as ``json`` on PostgreSQL."""

import pytest
from django.db import connection

from jiandu.core.db import fetch_rows, server_side_binding
from jiandu.orgs.models import Org

pytestmark = pytest.mark.django_db


def test_fetch_rows_returns_what_values_list_returns(world):
    qs = Org.objects.filter(parent__isnull=False).values_list("pk", "path").order_by("path")
    assert fetch_rows(qs) == list(qs)
    assert fetch_rows(qs)  # the world has orgs: the comparison above is not vacuous


def test_server_side_binding_applies_inside_the_block_only(world):
    connection.ensure_connection()
    before = getattr(connection.connection, "cursor_factory", None)
    with server_side_binding():
        inside = getattr(connection.connection, "cursor_factory", None)
        # A parameter of megabytes goes through unchanged.
        big = "监督" * 500_000
        assert Org.objects.filter(name=big).count() == 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", [big])
            assert cursor.fetchone()[0] == big
    assert getattr(connection.connection, "cursor_factory", None) is before
    if connection.vendor == "postgresql":
        from django.db.backends.postgresql.base import ServerBindingCursor

        assert inside is ServerBindingCursor
        assert before is not ServerBindingCursor
    else:
        assert inside is before


def test_server_side_binding_is_undone_after_an_error(world):
    connection.ensure_connection()
    before = getattr(connection.connection, "cursor_factory", None)
    with pytest.raises(RuntimeError), server_side_binding():
        raise RuntimeError("boom")
    assert getattr(connection.connection, "cursor_factory", None) is before


def test_snapshot_data_column_is_json_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL column type")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'boards_boardsnapshot' AND column_name IN ('data', 'figures') "
            "ORDER BY column_name"
        )
        assert [row[0] for row in cursor.fetchall()] == ["json", "jsonb"]
