"""The 巡察 team draw at scale: ``draw_teams`` (candidate lists, CP-SAT) against the naive
model over every eligible (person, target) pair, in one run, on the same synthetic input.

Input (seeded, no database): ``--pool`` people over ``--units`` home units (a fifth can
lead; 财务/审计/工程/法律 each held by about 30 %), ``--targets`` targets each covering
itself and two subordinate units, one declared conflict per 5 people, and ``--years``
years of history (each person on about one team a year, ended on a random day).
Every result is checked with ``check_teams``.

Full size (the issue's target: a draw under 5 s)::

    PYTHONPATH=src .venv/bin/python bench/inspection_draw_bench.py \
        --targets 300 --pool 5000 --years 10

With ``--registry-rows N`` the declared conflicts are replaced by relations derived from a
synthetic registry of N rows written as the comparison engine's Parquet files: 户籍人口
(``persons``, 户号), 亲属关系 (``relations``) and 干部名册 (``cadres``), 40/30/30 %. A
pool member may not inspect a unit where a relative (a 亲属关系 row either way, or
someone of the same 户) holds a current post; the derivation is the platform's own code
(``jiandu.inspections.relatives``: one DuckDB query restricted to the pool), timed, and
its pairs feed the draw (the issue's target: 10 M rows, 300 targets, 5,000 people,
derivation + draw under 5 s)::

    PYTHONPATH=src .venv/bin/python bench/inspection_draw_bench.py \
        --targets 300 --pool 5000 --years 10 --registry-rows 10000000

Small check::

    PYTHONPATH=src .venv/bin/python bench/inspection_draw_bench.py --targets 30 --pool 500 --years 3
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta

from jiandu.inspections import draw as draw_module
from jiandu.inspections.draw import (
    Candidate,
    Conflict,
    DrawRequest,
    HistoryEntry,
    Target,
    check_teams,
    draw_teams,
)

SKILLS = ("财务", "审计", "工程", "法律")


def build(targets: int, pool: int, years: int, seed: int) -> DrawRequest:
    rng = random.Random(seed)
    units = [f"U{i}" for i in range(targets * 3 + 200)]
    people = [
        Candidate(
            f"P{i}",
            f"人员{i}",
            rng.choice(units),
            frozenset(s for s in SKILLS if rng.random() < 0.3),
            rng.random() < 0.2,
        )
        for i in range(pool)
    ]
    target_rows = [
        Target(f"U{i}", f"单位{i}", frozenset({f"U{i}", f"U{targets + i}", f"U{2 * targets + i}"}))
        for i in range(targets)
    ]
    conflicts = [Conflict(f"P{rng.randrange(pool)}", rng.choice(units)) for _ in range(pool // 5)]
    as_of = date(2026, 10, 1)
    history = [
        HistoryEntry(
            f"P{rng.randrange(pool)}",
            rng.choice(units),
            as_of - timedelta(days=rng.randrange(365 * years)),
        )
        for _ in range(pool * years // 5)
    ]
    return DrawRequest(people, target_rows, 5, seed, as_of, ["财务", "审计"], conflicts, history)


def registry_conflicts(rows: int, pool: int, units: int, seed: int) -> tuple[list, dict]:
    """Write a synthetic registry of ``rows`` rows as the comparison engine's Parquet
    files (not timed): 户籍人口 ``persons`` (three to a 户), 亲属关系 ``relations`` and
    干部名册 ``cadres`` (70 % current), 40/30/30 %, with the engine's integer key
    columns. Then derive the pool's avoid pairs from them (timed) with the platform's
    own code: ``relatives.relatives_with_posts`` (one DuckDB query) and
    ``relatives.avoid_pairs``. Pool member ``P{i}`` is registry person ``i``."""
    import tempfile
    from pathlib import Path

    import duckdb

    from jiandu.inspections.relatives import avoid_pairs, relatives_with_posts

    folder = Path(tempfile.mkdtemp(prefix="draw-bench-"))
    con = duckdb.connect()
    persons, relations = int(rows * 0.4), int(rows * 0.3)
    posts = rows - persons - relations
    t0 = time.perf_counter()
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute(f"""COPY (SELECT lpad(range::VARCHAR, 18, '0') AS id_no, range AS id_key,
                    '人员' || range AS name, (range // 3)::BIGINT AS household_key
                    FROM range({persons})) TO '{folder}/persons.parquet'""")
    con.execute(f"""COPY (SELECT lpad(a::VARCHAR, 18, '0') AS id_no, a AS id_key,
                    lpad(b::VARCHAR, 18, '0') AS relative_id_no, b AS relative_id_key,
                    '配偶' AS relation FROM (SELECT (random() * {persons})::BIGINT AS a,
                    (random() * {persons})::BIGINT AS b FROM range({relations})))
                    TO '{folder}/relations.parquet'""")
    con.execute(f"""COPY (SELECT lpad(a::VARCHAR, 18, '0') AS id_no, a AS id_key,
                    '人员' || a AS name, 'U' || (random() * {units - 1})::BIGINT AS org_name,
                    '科员' AS position, DATE '2015-01-01' AS start_date,
                    CASE WHEN random() < 0.7 THEN NULL ELSE DATE '2020-01-01' END AS end_date
                    FROM (SELECT (random() * {persons})::BIGINT AS a FROM range({posts})))
                    TO '{folder}/cadres.parquet'""")
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = relatives_with_posts(
        {i: f"P{i}" for i in range(pool)},
        persons=folder / "persons.parquet",
        relations=folder / "relations.parquet",
        cadres=folder / "cadres.parquet",
        as_of=date(2026, 10, 1),
    )
    conflicts = avoid_pairs(found, orgs_by_name={f"U{i}": [(f"U{i}", f"U{i}")]
                                                 for i in range(units)})  # fmt: skip
    derived = time.perf_counter() - t0
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return conflicts, {"registry rows": rows, "built_s": round(built, 2),
                       "derive_s": round(derived, 2), "relatives": len(found),
                       "conflicts": len(conflicts)}  # fmt: skip


def timed(request: DrawRequest) -> tuple[float, object]:
    start = time.perf_counter()
    result = draw_teams(request)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=300)
    parser.add_argument("--pool", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive model")
    parser.add_argument(
        "--registry-rows",
        type=int,
        default=0,
        help="derive the conflicts from a synthetic registry of this many rows",
    )
    args = parser.parse_args(argv)
    request = build(args.targets, args.pool, args.years, args.seed)
    derive_s = 0.0
    if args.registry_rows:
        conflicts, info = registry_conflicts(args.registry_rows, args.pool,
                                             args.targets * 3 + 200, args.seed)  # fmt: skip
        print(f"registry: {info}")
        derive_s = info["derive_s"]
        request = DrawRequest(request.candidates, request.targets, request.team_size,
                              request.seed, request.as_of, request.required_skills, conflicts,
                              request.history)  # fmt: skip
    print(f"{args.targets} targets, {args.pool} people, {len(request.history)} history rows, "
          f"{len(request.conflicts)} conflicts")  # fmt: skip
    from ortools.sat.python import cp_model  # noqa: F401  (import outside the timing)

    seconds, result = timed(request)
    problems = check_teams(request, result.teams) if result.ok else ["infeasible"]
    print(f"ours  (candidate lists): {seconds:6.2f} s  feasible={result.ok}  "
          f"broken rules={len(problems)}")  # fmt: skip
    if args.registry_rows:
        print(f"derivation + draw: {derive_s + seconds:6.2f} s (target < 5 s)")
    again = draw_teams(request)
    print(f"same seed, same teams: {again.to_dict() == result.to_dict()}")
    if not args.no_naive:
        saved = draw_module.CANDIDATE_FACTOR, draw_module.MIN_CANDIDATES
        draw_module.CANDIDATE_FACTOR, draw_module.MIN_CANDIDATES = 10**6, 10**9
        try:
            seconds_naive, naive = timed(request)
        finally:
            draw_module.CANDIDATE_FACTOR, draw_module.MIN_CANDIDATES = saved
        bad = check_teams(request, naive.teams) if naive.ok else ["infeasible"]
        print(f"naive (every eligible pair): {seconds_naive:6.2f} s  feasible={naive.ok}  "
              f"broken rules={len(bad)}")  # fmt: skip
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
