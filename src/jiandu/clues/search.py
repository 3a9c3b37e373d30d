"""Text search over the titles and contents of petitions and clues.

Chinese has no spaces between words, so the index holds character bigrams: each run of
letters and digits in 标题 + 内容 gives its overlapping two-character pieces ("套取低保"
→ 套取 取低 低保), stored once per record in ``search_grams`` (written by the model's
``save``). A query of two characters or more asks the index for the records holding all
of its bigrams, and the few candidates are then checked with a plain substring match,
so the answer is exactly today's "contains" — only found through an index:

- PostgreSQL: a GIN index on ``string_to_array(search_grams, ' ')`` (array containment,
  ``@>``). Nothing in it depends on the database locale; pg_trgm would, and does not
  index two-character LIKE patterns at all.
- SQLite: an FTS5 table over ``search_grams`` (external content, kept in step by
  triggers), queried with ``MATCH '"套取" AND "取低" AND "低保"'``. FTS5's own trigram
  tokenizer cannot answer two-character queries; bigrams can.

A query shorter than two characters (one character) falls back to the plain scan.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
import time
from typing import Any, TypeVar

from django.db import DatabaseError, connections, transaction
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.utils import timezone

from jiandu.core.pagination import estimate_total

_Q = TypeVar("_Q", bound=QuerySet)

# Runs of letters and digits (any script); everything else separates runs.
_RUN = re.compile(r"[^\W_]+")


def text_grams(*texts: str) -> str:
    """The distinct bigrams of ``texts``, lower-cased, space-separated (index order)."""
    grams: dict[str, None] = {}
    for text in texts:
        for run in _RUN.findall((text or "").lower()):
            for i in range(len(run) - 1):
                grams[run[i : i + 2]] = None
    return " ".join(grams)


def query_grams(text: str) -> list[str]:
    """The bigrams a record must hold to contain ``text`` ([] when it has none)."""
    grams = text_grams(text)
    return grams.split(" ") if grams else []


def search_table(model: Any) -> str:
    """The SQLite FTS5 table that indexes ``model``'s ``search_grams``."""
    return f"{model._meta.db_table}_search"


def text_filter(queryset: _Q, text: str, *, fields: tuple[str, ...]) -> _Q:
    """Rows whose ``fields`` contain ``text`` (case-insensitive), through the bigram
    index when ``text`` has a bigram, else by scanning."""
    contains = Q()
    for name in fields:
        contains |= Q(**{f"{name}__icontains": text})
    grams = query_grams(text)
    if not grams:
        return queryset.filter(contains)
    vendor = connections[queryset.db].vendor
    if vendor in ("sqlite", "postgresql"):
        # Neither planner weighs the index against the newest-first scan well (SQLite
        # cannot cost an FTS5 match; PostgreSQL takes ILIKE '%低保%' for rare and reads
        # 200,000 index hits), so decide here from the index's term statistics:
        # ``rows`` records hold the rarest bigram.
        if vendor == "sqlite":
            rows, table_rows = _sqlite_gram_rows(queryset, grams)
            if rows > COUNT_ROWS:
                estimate_total(queryset)  # marks the query in place
        else:
            rows, table_rows = _pg_gram_rows(queryset, grams)
            if rows > COUNT_ROWS:
                # The planner's estimate of ILIKE is a guess: the bigram's frequency is not.
                estimate_total(queryset, rows)
        if rows > max(SCAN_MIN_ROWS, math.sqrt(SCAN_FACTOR * table_rows)):
            # So common that newest-first a match comes every few rows: scan. Reading
            # the index would fetch and sort all ``rows`` records.
            if vendor == "postgresql":
                return _found_by_position(queryset, text, fields)
            return queryset.filter(contains)
    return _indexed(queryset, grams).filter(contains)


# SQLite: above this many candidate records the total is estimated, not counted
# (counting checks each candidate: ~10 µs each, 2,000 ≈ 20 ms).
COUNT_ROWS = 2_000
# SQLite: scan instead of reading the index when more records than this, and than
# sqrt(SCAN_FACTOR × table rows), hold the rarest bigram (where the two ways cost about
# the same: the index checks n candidates at ~10 µs, the scan about 50 × table rows / n
# rows at ~2 µs).
SCAN_MIN_ROWS = 500
SCAN_FACTOR = 20


def _found_by_position(queryset: _Q, text: str, fields: tuple[str, ...]) -> _Q:
    """The substring test written as ``strpos(upper(field), TEXT) > 0``: the same rows as
    ``icontains``, but PostgreSQL does not read it as highly selective (it does
    ``ILIKE '%特困供养%'``, and then sorts a full scan instead of walking the date index
    backwards until the page is full)."""
    found = Q()
    needle = Value(text.upper())
    for i, name in enumerate(fields):
        alias = f"_text_at_{i}"
        queryset = queryset.alias(**{alias: StrIndex(Upper(name), needle)})
        found |= Q(**{f"{alias}__gt": 0})
    return queryset.filter(found)


def _pg_gram_rows(queryset: QuerySet, grams: list[str]) -> tuple[int, int]:
    """(records holding the rarest of ``grams``, records in the table) from ANALYZE's
    statistics of the GIN index's arrays: a bigram among the most common elements has
    its frequency; any other is rarer than the least common listed (counted as 0)."""
    table = queryset.model._meta.db_table
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = %s "
            "AND s.attname = 'string_to_array' WHERE c.relname = %s",
            [f"{table}_search", table],
        )
        row = cursor.fetchone()
    if row is None:
        return 0, 0
    elems, freqs, reltuples = row
    table_rows = max(int(reltuples or 0), 0)
    frequency = dict(zip(elems or [], freqs or [], strict=False))
    rarest = min(frequency.get(gram, 0.0) for gram in grams)
    return round(rarest * table_rows), table_rows


def _sqlite_gram_rows(queryset: QuerySet, grams: list[str]) -> tuple[int, int]:
    """(records holding the rarest of ``grams``, records in the table), from FTS5's
    term statistics and the largest id: two index look-ups."""
    vocab = f"{search_table(queryset.model)}_vocab"
    marks = ", ".join(["%s"] * len(grams))
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT term, doc FROM {vocab} WHERE term IN ({marks})", grams)
        found = dict(cursor.fetchall())
        cursor.execute(f"SELECT max(id) FROM {queryset.model._meta.db_table}")
        table_rows = cursor.fetchone()[0] or 0
    return min(found.get(gram, 0) for gram in grams), table_rows


def _indexed(queryset: _Q, grams: list[str]) -> _Q:
    model = queryset.model
    table = model._meta.db_table
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.fields import ArrayField

        array: Any = RawSQL(
            f'string_to_array("{table}"."search_grams", \' \')',
            [],
            output_field=ArrayField(TextField()),
        )
        return queryset.alias(search_array=array).filter(search_array__contains=grams)
    fts = search_table(model)
    match = " AND ".join(f'"{gram}"' for gram in grams)
    return queryset.filter(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match]))


# --- the index's DDL (migration 0005 and after every migrate on SQLite) --------------

SEARCHED_TABLES = ("clues_petition", "clues_clue")


def _ahead_skip(table: str) -> str:
    """The insert trigger's condition: not a row whose entries were written ahead."""
    return f"NOT EXISTS (SELECT 1 FROM {table}_search_ahead a WHERE new.id BETWEEN a.lo AND a.hi)"


def _sqlite_ddl(table: str) -> list[str]:
    fts = f"{table}_search"
    insert = f"INSERT INTO {fts}(rowid, search_grams) VALUES (new.id, new.search_grams);"
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, search_grams) "
        "VALUES ('delete', old.id, old.search_grams);"
    )
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_grams, "
        f"content='{table}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts}_vocab USING fts5vocab({fts}, 'row')",
        *_ahead_ddl(table),
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} "
        f"WHEN {_ahead_skip(table)} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_grams ON {table} "
        f"WHEN old.search_grams IS NOT new.search_grams BEGIN {delete} {insert} END",
    ]


def _ahead_ddl(table: str) -> list[str]:
    """The bookkeeping of entries written ahead (:class:`SearchEntriesAhead`): one row per
    job with the range of ids it reserved (while it is there, the insert trigger leaves
    those ids alone), and the entries themselves, a JSON list per batch, to take them out
    again if the job never publishes (an external-content FTS5 index can only forget an
    entry given its original text)."""
    fts = f"{table}_search"
    return [
        f"CREATE TABLE IF NOT EXISTS {fts}_ahead (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "lo INTEGER NOT NULL, hi INTEGER NOT NULL, created_at TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {fts}_ahead_batch (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "ahead_id INTEGER NOT NULL, entries TEXT NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {fts}_ahead_batch_ahead ON {fts}_ahead_batch (ahead_id)",
    ]


def ensure_sqlite_index(connection: Any) -> bool:
    """Create the FTS5 tables and their triggers where missing; rebuild an index whose
    triggers were missing (SQLite drops a table's triggers when a migration rebuilds the
    table); give an insert trigger of before entries could be written ahead its
    condition. True when something was (re)built."""
    if connection.vendor != "sqlite":
        return False
    rebuilt = False
    with connection.cursor() as cursor:
        for table in SEARCHED_TABLES:
            names = {
                row[0]
                for row in cursor.execute(
                    "SELECT name FROM sqlite_master WHERE tbl_name IN (%s, %s, %s, %s, %s)",
                    [
                        table,
                        f"{table}_search",
                        f"{table}_search_vocab",
                        f"{table}_search_ahead",
                        f"{table}_search_ahead_batch",
                    ],
                )
            }
            if table not in names:
                continue
            fts = f"{table}_search"
            wanted = {fts, *(f"{fts}_{s}" for s in ("vocab", "ai", "ad", "au", "ahead"))}
            wanted.add(f"{fts}_ahead_batch")
            if wanted <= names:
                continue
            rebuild = not {fts, *(f"{fts}_{s}" for s in ("ai", "ad", "au"))} <= names
            if not rebuild:
                # An index made before entries were written ahead: its insert trigger
                # has no condition. Replaced; the index itself is intact.
                cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_ai")
            for statement in _sqlite_ddl(table):
                cursor.execute(statement)
            if rebuild:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            rebuilt = True
    return rebuilt


# --- entries written ahead of a staged import's publication (SQLite) -----------------

AHEAD_BATCH = 2000
# Between two batches, as the audit stage pauses: other users' writes get the lock.
AHEAD_PAUSE = 0.05


class SearchEntriesAhead:
    """SQLite: the bigram index entries of rows staged for publication
    (``core.audit.StagedWrite``), written into the FTS5 index *before* the publishing
    transaction, in short transactions of :data:`AHEAD_BATCH` rows, so that publishing
    does not index tens of thousands of rows while holding the write lock.

    Nobody finds them early: a search answers rows of the real table whose id the index
    gives (``pk__in (SELECT rowid … MATCH …)``), and ids reserved for staged rows have no
    row until publication. While the job's row in ``<table>_search_ahead`` (its reserved
    range) exists, the insert trigger skips those ids; :meth:`publish` deletes that row
    in the publishing transaction (one statement), so from the commit on, the rows and
    their entries are there together, and a rolled-back publication leaves it in place.
    :meth:`discard` (after the publishing transaction, published or not) takes the
    entries out again unless published, from the batches kept in
    ``<table>_search_ahead_batch``; a killed job's are taken out by
    :func:`discard_abandoned_entries` (``jiandu audit seal``, the task worker)."""

    def __init__(self, model: Any, entries: list[tuple[int, str]], *, using: str = "default"):
        self.connection = connections[using]
        self.table = model._meta.db_table
        self.fts = search_table(model)
        self.ahead_id: int | None = None
        self.rows = 0
        ids = [pk for pk, _grams in entries]
        if not ids:
            return
        if max(ids) - min(ids) + 1 != len(set(ids)):
            # The trigger skips the whole range: a gap could be someone else's row.
            raise ValueError("search entries are written ahead for one range of reserved ids")
        with transaction.atomic(using=using), self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.fts}_ahead (lo, hi, created_at) VALUES (%s, %s, %s)",
                [min(ids), max(ids), timezone.now().isoformat()],
            )
            self.ahead_id = cursor.lastrowid
        try:
            for start in range(0, len(entries), AHEAD_BATCH):
                if start:
                    time.sleep(AHEAD_PAUSE)
                self._write(entries[start : start + AHEAD_BATCH])
        except BaseException:
            # What was written, taken out again (or left to the clean-up); never hiding
            # the error that stopped it.
            with contextlib.suppress(DatabaseError):
                self.discard()
            raise

    def _write(self, batch: list[tuple[int, str]]) -> None:
        """One batch of entries and its copy, in one short transaction."""
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.fts}(rowid, search_grams) VALUES (%s, %s)", batch
            )
            cursor.execute(
                f"INSERT INTO {self.fts}_ahead_batch (ahead_id, entries) VALUES (%s, %s)",
                [self.ahead_id, json.dumps(batch, ensure_ascii=False)],
            )
        self.rows += len(batch)

    def __repr__(self) -> str:
        return f"<SearchEntriesAhead {self.fts} #{self.ahead_id} ({self.rows} rows)>"

    def publish(self) -> None:
        """In the publishing transaction, after the rows' INSERT: one DELETE."""
        if self.ahead_id is None:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.fts}_ahead WHERE id = %s", [self.ahead_id])

    def discard(self) -> None:
        """After the publishing transaction: take the entries out unless published."""
        ahead_id, self.ahead_id = self.ahead_id, None
        if ahead_id is None or self.connection.needs_rollback:
            return
        if self.connection.connection is None:
            return  # closed: left to the clean-up
        _remove_ahead(self.connection, self.fts, ahead_id)


def _remove_ahead(connection: Any, fts: str, ahead_id: int) -> None:
    """Take out the entries of ``ahead_id`` if it was never published (its range row
    is still there), batch by batch; then its bookkeeping."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {fts}_ahead WHERE id = %s", [ahead_id])
        unpublished = cursor.fetchone() is not None
        cursor.execute(f"SELECT id FROM {fts}_ahead_batch WHERE ahead_id = %s", [ahead_id])
        batches = [row[0] for row in cursor.fetchall()]
    for batch_id in batches:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if unpublished:
                cursor.execute(f"SELECT entries FROM {fts}_ahead_batch WHERE id = %s", [batch_id])
                entries = json.loads(cursor.fetchone()[0])
                cursor.executemany(
                    f"INSERT INTO {fts}({fts}, rowid, search_grams) VALUES ('delete', %s, %s)",
                    [tuple(entry) for entry in entries],
                )
            cursor.execute(f"DELETE FROM {fts}_ahead_batch WHERE id = %s", [batch_id])
    if unpublished:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {fts}_ahead WHERE id = %s", [ahead_id])


def search_entries_ahead(model: Any, entries: list[tuple[int, str]]) -> SearchEntriesAhead | None:
    """Write ``entries`` ((id, search_grams) of staged rows of ``model``) ahead on
    SQLite; None elsewhere (PostgreSQL's GIN index is kept by the INSERT itself and
    locks no one else out) or on a database whose index predates writing ahead."""
    connection = connections["default"]
    if connection.vendor != "sqlite" or not entries:
        return None
    fts = search_table(model)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{fts}_ai"]
        )
        row = cursor.fetchone()
    if row is None or f"{fts}_ahead" not in row[0]:
        return None  # migrate not run since: the trigger indexes them at publication
    return SearchEntriesAhead(model, entries)


def discard_abandoned_entries(older_than: dt.timedelta) -> int:
    """Take out the entries written ahead by jobs killed before publishing (their range
    row older than ``older_than``), and the leftover bookkeeping of jobs that published
    but were killed before clearing it. The number of jobs whose entries were removed."""
    connection = connections["default"]
    if connection.vendor != "sqlite":
        return 0
    cutoff = (timezone.now() - older_than).isoformat()
    removed = 0
    for table in SEARCHED_TABLES:
        fts = f"{table}_search"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s",
                [f"{fts}_ahead"],
            )
            if cursor.fetchone() is None:
                continue
            cursor.execute(f"SELECT id FROM {fts}_ahead WHERE created_at < %s", [cutoff])
            stale = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT DISTINCT ahead_id FROM {fts}_ahead_batch WHERE ahead_id NOT IN "
                f"(SELECT id FROM {fts}_ahead)"
            )
            published = [row[0] for row in cursor.fetchall()]
        for ahead_id in stale + published:
            _remove_ahead(connection, fts, ahead_id)
        removed += len(stale)
    return removed
