"""Relatives of the talent pool from the comparison engine's datasets (回避 for the draw).

Pure code, no Django: the platform's draw (``inspections.selectors.registry_avoid_pairs``)
and ``bench/inspection_draw_bench.py`` both call :func:`relatives_with_posts` over the
Parquet files of the engine's store (docs/user-guide/inspections.md).

A relative of a pool member is

* the other person of a 亲属关系 row (``relations``) naming the member on either side
  (the row says what ``relative_id_no`` is to ``id_no``: read the other way 父母 and 子女
  swap), source ``比对数据 亲属关系``;
* anybody else of the member's 户 in the population register (``persons``), source
  ``同户``.

People are matched on the integer keys of their ID numbers (``id_key``, written beside
every ID column by the engine's import: ``datasets.id_keys``), never on text, and the
pool is given as those keys: the ID numbers themselves are not read back from here
except the relative's, which the platform turns into the registry's search key at once
(never stored, never shown). A relative's current post is their ``cadres`` row whose
tenure contains the as-of day (no end date, or ending on or after it).

The derivation is two DuckDB statements over the Parquet files (the relatives, then
their posts); the pool is a temporary table the scans are joined to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jiandu.inspections.draw import SOURCE_HOUSEHOLD, SOURCE_RELATIONS, Conflict

REVERSED = {"父母": "子女", "子女": "父母"}
HOUSEHOLD_LINK = "同户人员"


@dataclass(frozen=True)
class Relative:
    """A relative of pool member ``person_id`` and, when they hold one, their current
    post in the ``cadres`` dataset (``org_name`` empty otherwise)."""

    person_id: str
    relative_key: int
    relative_id_no: str  # kept in memory only, to match the registry
    relative_name: str
    link: str  # what the relative is to the member: 配偶, 子女, …, 同户人员
    source: str  # SOURCE_RELATIONS or SOURCE_HOUSEHOLD
    org_name: str = ""
    position: str = ""


def _sql(*, persons: bool, relations: bool, cadres: bool) -> list[str]:
    parts = []
    if relations:
        parts.append(
            """SELECT pool.person_id, r.relative_id_key AS relative_key,
                      r.relative_id_no AS relative_id_no, r.relation AS link,
                      NULL::VARCHAR AS name, 'relations' AS kind
                 FROM relations r JOIN pool ON r.id_key = pool.id_key
                WHERE r.relative_id_key IS NOT NULL AND r.relative_id_key <> r.id_key
               UNION ALL
               SELECT pool.person_id, r.id_key, r.id_no,
                      CASE r.relation WHEN '父母' THEN '子女' WHEN '子女' THEN '父母'
                           ELSE r.relation END,
                      NULL, 'relations'
                 FROM relations r JOIN pool ON r.relative_id_key = pool.id_key
                WHERE r.id_key IS NOT NULL AND r.relative_id_key <> r.id_key"""
        )
    if persons:
        parts.append(
            f"""SELECT pool.person_id, o.id_key, o.id_no, '{HOUSEHOLD_LINK}', o.name,
                       'household'
                  FROM persons p JOIN pool ON p.id_key = pool.id_key
                  JOIN persons o ON o.household_key = p.household_key
                 WHERE o.id_key <> p.id_key"""
        )
    found = "\nUNION ALL\n".join(parts)
    # One row per (member, relative): a relation row beats the household. The name is
    # the register's (same 户) or the 干部名册's; the platform adds the registry's.
    linked = f"""
        SELECT person_id, relative_key, max(relative_id_no) AS relative_id_no,
               arg_min(link, (kind = 'household', link)) AS link, max(name) AS name,
               CASE WHEN bool_or(kind = 'relations') THEN 'relations'
                    ELSE 'household' END AS kind
          FROM ({found}) GROUP BY person_id, relative_key"""
    if not cadres:
        return [
            f"""SELECT person_id, relative_key, relative_id_no, name, link, kind,
                       NULL::VARCHAR, NULL::VARCHAR
                  FROM ({linked}) ORDER BY 1, 2"""
        ]
    # Two statements: planned as one, DuckDB took several times longer (the benchmark).
    return [
        f"CREATE OR REPLACE TEMP TABLE linked AS {linked}",
        """SELECT DISTINCT l.person_id, l.relative_key, l.relative_id_no,
                  coalesce(l.name, c.name) AS name, l.link, l.kind, c.org_name, c.position
             FROM linked l
             LEFT JOIN cadres c ON c.id_key = l.relative_key
                   AND (c.start_date IS NULL OR c.start_date <= $as_of)
                   AND (c.end_date IS NULL OR c.end_date >= $as_of)
            ORDER BY 1, 2, 7, 8""",
    ]


def relatives_with_posts(
    pool: Mapping[int, str],
    *,
    persons: Path | None,
    relations: Path | None,
    cadres: Path | None,
    as_of: date,
    connection: object | None = None,
) -> list[Relative]:
    """Every relative of the pool (``{id_key: person_id}``) found in the given Parquet
    files (any may be None), with each current post they hold in ``cadres``. Sorted by
    member, relative and unit, so the same files give the same list."""
    if not pool or (persons is None and relations is None):
        return []
    import duckdb

    con = connection if connection is not None else duckdb.connect()
    assert isinstance(con, duckdb.DuckDBPyConnection)
    keys = list(pool)
    # A temporary table from two list parameters (registering an Arrow table costs
    # about a second on the first call of a process).
    con.execute(
        "CREATE OR REPLACE TEMP TABLE pool AS SELECT unnest($k::BIGINT[]) AS id_key, "
        "unnest($p::VARCHAR[]) AS person_id",
        {"k": keys, "p": [pool[k] for k in keys]},
    )
    for name, path in (("persons", persons), ("relations", relations), ("cadres", cadres)):
        if path is not None:
            literal = str(path).replace("'", "''")
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet('{literal}')"
            )
    sql = _sql(persons=persons is not None, relations=relations is not None,
               cadres=cadres is not None)  # fmt: skip
    try:
        for statement in sql[:-1]:
            con.execute(statement)
        rows = con.execute(sql[-1], {"as_of": as_of} if cadres is not None else {}).fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS linked")
        con.execute("DROP TABLE IF EXISTS pool")
    return [
        Relative(
            person_id=str(person_id),
            relative_key=int(key),
            relative_id_no=str(id_no or ""),
            relative_name=str(name or ""),
            link=str(link or "亲属"),
            source=SOURCE_HOUSEHOLD if kind == "household" else SOURCE_RELATIONS,
            org_name=str(org or ""),
            position=str(position or ""),
        )
        for person_id, key, id_no, name, link, kind, org, position in rows
    ]


def pool_keys(numbers: Iterable[tuple[str, str]]) -> dict[int, str]:
    """``{id_key: person_id}`` for (person_id, ID number) pairs, with the engine's own
    key function (so that a key equals the datasets' ``id_key`` of the same number)."""
    import pyarrow as pa

    from jiandu.core.idnumbers import normalize
    from jiandu.datacheck.engine.datasets import id_keys

    pairs = [(pid, normalize(number)) for pid, number in numbers if normalize(number)]
    if not pairs:
        return {}
    keys = id_keys(pa.array([n for _, n in pairs], pa.string())).to_pylist()
    return {int(k): pid for (pid, _), k in zip(pairs, keys, strict=True) if k is not None}


def avoid_note(relative: Relative, org_name: str) -> str:
    """The avoid pair in words: names, never ID numbers."""
    who = relative.relative_name or "（未登记姓名）"
    return f"{relative.link}{who}在{org_name}任职"


def avoid_pairs(
    relatives: Iterable[Relative],
    *,
    orgs_by_name: Mapping[str, Iterable[tuple[str, str]]],
    registry_posts: Mapping[int, Iterable[tuple[str, str]]] | None = None,
) -> list[Conflict]:
    """The draw's avoid pairs: (member, unit) for every unit where a relative holds a
    current post — their 干部名册 post, the unit named exactly as one of ``orgs_by_name``
    (name → (org id, name)), and their posts in ``registry_posts`` (relative's key →
    (org id, name)). One pair per (member, unit, source), in a fixed order."""
    pairs: dict[tuple[str, str, str], Conflict] = {}
    for r in relatives:
        units = list(orgs_by_name.get(r.org_name, ())) if r.org_name else []
        if registry_posts:
            units += list(registry_posts.get(r.relative_key, ()))
        for org_id, org_name in units:
            key = (r.person_id, org_id, r.source)
            if key not in pairs:
                pairs[key] = Conflict(r.person_id, org_id, r.source, avoid_note(r, org_name))
    return [pairs[k] for k in sorted(pairs)]
