"""Database helpers that depend on the backend."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import DatabaseError, connections, models
from django.db.models import QuerySet
from django.dispatch import Signal

log = logging.getLogger(__name__)


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


# --- staged writes: long jobs that must not hold the write lock -------------------------

_stage_numbers = itertools.count(1)


# Sent after a staged write (core.audit.StagedWrite) made its rows visible, once per
# model with ``pks``: the rows that came in without ``save()`` and so without
# ``post_save`` (the statistics centre's daily aggregate follows them this way), and
# ``objs``, the staged instances themselves (their field values are the rows', so a
# receiver can read them instead of querying the rows back inside the transaction).
rows_published = Signal()


class AheadWrite(Protocol):
    """Something a staged write puts in the real tables *ahead* of its publication,
    in short transactions of its own, that nobody can reach until the rows it belongs
    to are published (the SQLite text-search entries of staged clues, say:
    ``clues.search.SearchEntriesAhead``). :meth:`publish` runs inside the publishing
    transaction and must cost the same whatever the number of rows; :meth:`discard`
    runs after it, published or not: it removes what was written ahead unless it was
    published (and any bookkeeping either way). A job killed before publishing leaves
    it to :func:`discard_abandoned_ahead`."""

    def publish(self) -> None: ...

    def discard(self) -> None: ...


# Functions ``(older_than) -> int`` that remove what killed jobs wrote ahead and never
# published; apps register theirs (core imports no app), the sealer's clean-up runs them.
_abandoned_cleanups: list[Callable[[dt.timedelta], int]] = []


def register_abandoned_cleanup(function: Callable[[dt.timedelta], int]) -> None:
    if function not in _abandoned_cleanups:
        _abandoned_cleanups.append(function)


def discard_abandoned_ahead(older_than: dt.timedelta) -> int:
    """Run every registered clean-up of abandoned ahead writes; the number removed."""
    return sum(function(older_than) for function in list(_abandoned_cleanups))


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for the short transaction that publishes a
    long job. The job holds millions of objects (50,000 built rows, the parsed file); a
    full collection that happens to fall inside the transaction walks all of them for a
    second or two, holding SQLite's write lock. Collections resume after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def large_write_cache(using: str = "default", *, kib: int = 262_144) -> Iterator[None]:
    """SQLite: a page cache of ``kib`` KiB on this connection while inside (then the
    one it had). A transaction that writes more pages than the cache holds (the default
    is 2 MiB) spills them to the WAL and reads them back while it goes on: publishing
    50,000 clues took 2–3 times as long under the default cache, all of it holding the
    write lock. Pages are allocated only as used. Elsewhere nothing changes."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        if connection.connection is not None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(previous)}")
            except DatabaseError:
                log.warning("could not restore the page cache size", exc_info=True)


class StagedTable:
    """Rows of ``model`` written ahead of the transaction that makes them visible.

    A long job (an import of 50,000 people) writes its prepared rows here, outside any
    transaction, into a temporary table of its own connection: on SQLite a write to the
    temporary database takes no lock on the main one, so other users' writes and logins
    go on; on PostgreSQL a temporary table is private to the session. :meth:`publish`
    then copies them into the real table with one ``INSERT … SELECT`` inside the
    caller's short transaction; until it commits nobody sees any of them. A job that
    fails or is killed leaves nothing: the temporary table goes with the connection (and
    :meth:`discard` drops it at once).

    The table has the real table's columns (PostgreSQL: ``CREATE TEMPORARY TABLE … AS
    SELECT``, the same types; SQLite: columns without a type, which store values as
    given), none of its constraints or indexes, so uniqueness is checked once, at
    publication, plus the order the rows were added in. With ``with_pk=False`` the
    primary key is left out and assigned by the database at publication.
    """

    def __init__(self, model: type[models.Model], *, with_pk: bool = True) -> None:
        self.model = model
        self.connection = connections["default"]
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.rows = 0
        self.with_pk = with_pk
        self.pks: list[Any] = []  # of the rows added, when they come with their own
        self.objs: list[models.Model] = []  # the instances added, with those keys
        quote = self.connection.ops.quote_name
        self.name = quote(f"jiandu_stage_{next(_stage_numbers)}_{model._meta.db_table}")
        self._columns = ", ".join(quote(f.column) for f in self.fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "sqlite":
                # Columns without a type keep each value as the driver passed it (the
                # real table's affinities apply when published); the order is the
                # rowid, so publishing reads the rows in order without sorting them.
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.name} "
                    f"(jiandu_stage_order INTEGER PRIMARY KEY, {self._columns})"
                )
            else:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.name} AS SELECT {self._columns}, "
                    f"0 AS jiandu_stage_order FROM {quote(model._meta.db_table)} WHERE 1 = 0"
                )
        self._dropped = False

    def add(self, objs: Iterable[models.Model], *, batch_size: int = 2000) -> int:
        """Write ``objs`` (each field's ``pre_save`` and database preparation as for
        ``save()``) in batches; outside a transaction each batch commits on its own."""
        connection = self.connection
        sql = "INSERT INTO {} ({}, jiandu_stage_order) VALUES ({})".format(
            self.name, self._columns, ", ".join(["%s"] * (len(self.fields) + 1))
        )
        objs = list(objs)
        if self.with_pk:
            self.pks += [obj.pk for obj in objs]
            self.objs += objs
        with connection.cursor() as cursor:
            for start in range(0, len(objs), batch_size):
                batch = []
                for obj in objs[start : start + batch_size]:
                    values = [
                        f.get_db_prep_save(f.pre_save(obj, True), connection) for f in self.fields
                    ]
                    values.append(self.rows)
                    self.rows += 1
                    batch.append(values)
                cursor.executemany(sql, batch)
        return len(objs)

    def publish(self, *, overrides: dict[str, Any] | None = None) -> int:
        """Copy the staged rows into the real table in the order they were added (run it
        inside the transaction that is to make them visible). ``overrides`` sets a field
        to one value on every row (the audit rows' time: when they became visible).
        Raises IntegrityError when a row breaks a constraint: nothing is copied."""
        overrides = overrides or {}
        connection = self.connection
        quote = connection.ops.quote_name
        select = []
        params = []
        for f in self.fields:
            if f.name in overrides:
                select.append("%s")
                params.append(f.get_db_prep_save(overrides[f.name], connection))
            else:
                select.append(quote(f.column))
        sql = "INSERT INTO {} ({}) SELECT {} FROM {} ORDER BY jiandu_stage_order".format(
            quote(self.model._meta.db_table), self._columns, ", ".join(select), self.name
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return self.rows

    def discard(self) -> None:
        """Drop the temporary table (published or not)."""
        if self._dropped:
            return
        self._dropped = True
        if self.connection.connection is None or self.connection.needs_rollback:
            return  # closed (the table went with it), or inside a failed transaction
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
        except DatabaseError:
            # Never hide the error that ended the job; the table goes with the connection.
            log.warning("staged table %s left to its connection", self.name, exc_info=True)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys of ``model`` that no other insert will take, without
    inserting anything (so that rows staged ahead of their publication, and the audit rows
    naming them, know their ids). SQLite: moves the table's AUTOINCREMENT counter past
    them in a short transaction; PostgreSQL: draws them from the column's sequence. Ids
    of a job that never publishes are skipped, as after any rolled-back insert."""
    if count <= 0:
        return []
    connection = connections["default"]
    table = model._meta.db_table
    pk = model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"reserve_ids: {connection.vendor}")
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        row = cursor.fetchone()
        if row is None or "AUTOINCREMENT" not in row[0].upper():
            raise NotImplementedError(f"reserve_ids: {table} has no AUTOINCREMENT key")
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
        top = max(row[0] if row else 0, cursor.fetchone()[0] or 0)
        if row is None:
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top + count]
            )
        else:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top + count, table]
            )
    return list(range(top + 1, top + count + 1))
