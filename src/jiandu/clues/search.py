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

import math
import re
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper

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
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_grams ON {table} "
        f"WHEN old.search_grams IS NOT new.search_grams BEGIN {delete} {insert} END",
    ]


def ensure_sqlite_index(connection: Any) -> bool:
    """Create the FTS5 tables and their triggers where missing; rebuild an index whose
    triggers were missing (SQLite drops a table's triggers when a migration rebuilds the
    table). True when something was (re)built."""
    if connection.vendor != "sqlite":
        return False
    rebuilt = False
    with connection.cursor() as cursor:
        for table in SEARCHED_TABLES:
            names = {
                row[0]
                for row in cursor.execute(
                    "SELECT name FROM sqlite_master WHERE tbl_name IN (%s, %s, %s)",
                    [table, f"{table}_search", f"{table}_search_vocab"],
                )
            }
            if table not in names:
                continue
            wanted = {
                f"{table}_search",
                *(f"{table}_search_{s}" for s in ("vocab", "ai", "ad", "au")),
            }
            if wanted <= names:
                continue
            for statement in _sqlite_ddl(table):
                cursor.execute(statement)
            fts = f"{table}_search"
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            rebuilt = True
    return rebuilt
