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
pool is given as those keys and relatives come back as keys: no ID number is read from
the files (the platform matches its registry's people by the same keys). A relative's
current post is their ``cadres`` row whose
tenure contains the as-of day (no end date, or ending on or after it).

The derivation is a few DuckDB statements over the Parquet files (the members' 户, their
relatives, then the relatives' posts); the pool is a temporary table the scans join.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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
    relative_key: int  # the engine's key of the relative's ID number
    relative_name: str
    link: str  # what the relative is to the member: 配偶, 子女, …, 同户人员
    source: str  # SOURCE_RELATIONS or SOURCE_HOUSEHOLD
    org_name: str = ""
    position: str = ""


def _sql(*, persons: bool, relations: bool, cadres: bool) -> list[str]:
    """The statements, run in order; the last one gives the rows. Each step is a
    temporary table, so that DuckDB knows how small it is when planning the next join
    (planned as one query it built its hash table on the 4 M-row register instead of
    the pool's 5,000 households: several times slower, docs/benchmarks.md §17)."""
    steps = []
    parts = []
    if relations:
        parts.append(
            """SELECT pool.person_id, r.relative_id_key AS relative_key,
                      r.relation AS link, 'relations' AS kind
                 FROM relations r JOIN pool ON r.id_key = pool.id_key
                WHERE r.relative_id_key IS NOT NULL AND r.relative_id_key <> r.id_key
               UNION ALL
               SELECT pool.person_id, r.id_key,
                      CASE r.relation WHEN '父母' THEN '子女' WHEN '子女' THEN '父母'
                           ELSE r.relation END,
                      'relations'
                 FROM relations r JOIN pool ON r.relative_id_key = pool.id_key
                WHERE r.id_key IS NOT NULL AND r.relative_id_key <> r.id_key"""
        )
    if persons:
        steps.append(
            """CREATE OR REPLACE TEMP TABLE pool_homes AS
               SELECT pool.person_id, p.id_key, p.household_key
                 FROM persons p JOIN pool ON p.id_key = pool.id_key
                WHERE p.household_key IS NOT NULL"""
        )
        parts.append(
            f"""SELECT h.person_id, o.id_key, '{HOUSEHOLD_LINK}', 'household'
                  FROM persons o JOIN pool_homes h ON o.household_key = h.household_key
                 WHERE o.id_key <> h.id_key"""
        )
    found = "\nUNION ALL\n".join(parts)
    # One row per (member, relative): a relation row beats the household. No text but
    # the relation is read from the registers: the relative's name is the 干部名册's
    # (the platform adds the registry's for a post it holds).
    steps.append(
        f"""CREATE OR REPLACE TEMP TABLE linked AS
            SELECT person_id, relative_key,
                   arg_min(link, (kind = 'household', link)) AS link,
                   CASE WHEN bool_or(kind = 'relations') THEN 'relations'
                        ELSE 'household' END AS kind
              FROM ({found}) GROUP BY person_id, relative_key"""
    )
    if not cadres:
        steps.append(
            """SELECT person_id, relative_key, NULL::VARCHAR, link, kind,
                      NULL::VARCHAR, NULL::VARCHAR
                 FROM linked ORDER BY 1, 2"""
        )
        return steps
    steps.append(
        """SELECT DISTINCT l.person_id, l.relative_key, c.name, l.link, l.kind,
                  c.org_name, c.position
             FROM linked l
             LEFT JOIN cadres c ON c.id_key = l.relative_key
                   AND (c.start_date IS NULL OR c.start_date <= $as_of)
                   AND (c.end_date IS NULL OR c.end_date >= $as_of)
            ORDER BY 1, 2, 6, 7"""
    )
    return steps


Files = Path | Sequence[Path] | None


def _files(given: Files) -> list[Path]:
    if given is None:
        return []
    return [given] if isinstance(given, Path) else list(given)


def relatives_with_posts(
    pool: Mapping[int, str],
    *,
    persons: Files,
    relations: Files,
    cadres: Files,
    as_of: date,
    connection: object | None = None,
) -> list[Relative]:
    """Every relative of the pool (``{id_key: person_id}``) found in the given Parquet
    files (each dataset: one file, several read as one — a register per region — or
    None), with each current post they hold in ``cadres``. Sorted by member, relative
    and unit, so the same files give the same list."""
    given = {"persons": _files(persons), "relations": _files(relations),
             "cadres": _files(cadres)}  # fmt: skip
    if not pool or not (given["persons"] or given["relations"]):
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
    for name, paths in given.items():
        if paths:
            literals = ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths)
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS "
                f"SELECT * FROM read_parquet([{literals}], union_by_name = true)"
            )
    sql = _sql(persons=bool(given["persons"]), relations=bool(given["relations"]),
               cadres=bool(given["cadres"]))  # fmt: skip
    try:
        for statement in sql[:-1]:
            con.execute(statement)
        rows = con.execute(sql[-1], {"as_of": as_of} if given["cadres"] else {}).fetchall()
    finally:
        for table in ("linked", "pool_homes", "pool"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return [
        Relative(
            person_id=str(person_id),
            relative_key=int(key),
            relative_name=str(name or ""),
            link=str(link or "亲属"),
            source=SOURCE_HOUSEHOLD if kind == "household" else SOURCE_RELATIONS,
            org_name=str(org or ""),
            position=str(position or ""),
        )
        for person_id, key, name, link, kind, org, position in rows
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
    registry_names: Mapping[int, str] | None = None,
) -> list[Conflict]:
    """The draw's avoid pairs: (member, unit) for every unit where a relative holds a
    current post — their 干部名册 post, the unit named exactly as one of ``orgs_by_name``
    (name → (org id, name)), and their posts in ``registry_posts`` (relative's key →
    (org id, name)); a relative the datasets do not name is called by
    ``registry_names``. One pair per (member, unit, source), in a fixed order."""
    pairs: dict[tuple[str, str, str], Conflict] = {}
    for r in relatives:
        units = list(orgs_by_name.get(r.org_name, ())) if r.org_name else []
        if registry_posts:
            units += list(registry_posts.get(r.relative_key, ()))
        if units and not r.relative_name and registry_names:
            r = replace(r, relative_name=registry_names.get(r.relative_key, ""))
        for org_id, org_name in units:
            key = (r.person_id, org_id, r.source)
            if key not in pairs:
                pairs[key] = Conflict(r.person_id, org_id, r.source, avoid_note(r, org_name))
    return [pairs[k] for k in sorted(pairs)]
