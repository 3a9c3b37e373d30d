"""Database helpers that depend on the backend."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, models
from django.db.models import QuerySet


@contextmanager
def server_side_binding(using: str = "default") -> Iterator[None]:
    """Send the parameters of the queries run inside apart from the SQL text
    (PostgreSQL with psycopg 3; elsewhere nothing changes).

    Django binds parameters on the client by default: every value is quoted into the SQL
    text, which for a JSON document of megabytes costs more than the query itself. Only
    wrap simple statements (an INSERT of a model, an UPDATE by key): the ORM does not
    promise that every query it writes can be bound on the server.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    # Defined only with psycopg 3 (the project's driver), hence unknown to the stubs.
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )

    connection.ensure_connection()
    raw = connection.connection
    previous = raw.cursor_factory
    raw.cursor_factory = ServerBindingCursor
    try:
        yield
    finally:
        raw.cursor_factory = previous


def fetch_rows(queryset: QuerySet) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the driver returns them, without the ORM's
    per-row conversion: for plain integers and strings only (ids, counts), where that
    conversion changes nothing but costs a function call per value."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class JSONDocumentField(models.JSONField):
    """A JSON document written once and read whole (a frozen board, say).

    PostgreSQL keeps it as ``json``: the text as sent, checked but not parsed into
    ``jsonb`` on write nor rebuilt as text on read (several times faster for documents
    of megabytes). Its keys cannot be queried in SQL; use ``JSONField`` for that.
    Other databases store it as ``JSONField`` does.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        adapted = super().get_db_prep_value(value, connection, prepared)
        if connection.vendor == "postgresql":
            from psycopg.types.json import Json, Jsonb

            if isinstance(adapted, Jsonb):
                return Json(adapted.obj, adapted.dumps)
        return adapted

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value  # the driver already decoded a ``json`` column
        return super().from_db_value(value, expression, connection)


def insert_rows(
    model: type[models.Model], objs: Iterable[models.Model], *, batch_size: int = 1000
) -> int:
    """INSERT model instances with one ``executemany`` per batch: what ``bulk_create``
    does, without compiling a statement per batch and per value, for writers of tens of
    thousands of rows (the demo builder, the audit log's bulk append). Every field's
    ``pre_save`` and database preparation run as for ``save()``; an auto id left unset
    is left to the database (ids are not read back). No signals are sent."""
    objs = list(objs)
    if not objs:
        return 0
    connection = connections["default"]
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(objs[0], f.attname) is None)
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                    for obj in objs[start : start + batch_size]
                ],
            )
    return len(objs)


def insert_values(
    table: str, columns: list[str], rows: Iterable[tuple[Any, ...]], *, batch_size: int = 1000
) -> int:
    """INSERT plain value tuples (already in database form: ids, strings, numbers) into
    ``table``, one ``executemany`` per batch: many-to-many link rows, say."""
    rows = list(rows)
    connection = connections["default"]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])
    return len(rows)
