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
    args = parser.parse_args(argv)
    request = build(args.targets, args.pool, args.years, args.seed)
    print(f"{args.targets} targets, {args.pool} people, {len(request.history)} history rows, "
          f"{len(request.conflicts)} conflicts")  # fmt: skip
    from ortools.sat.python import cp_model  # noqa: F401  (import outside the timing)

    seconds, result = timed(request)
    problems = check_teams(request, result.teams) if result.ok else ["infeasible"]
    print(f"ours  (candidate lists): {seconds:6.2f} s  feasible={result.ok}  "
          f"broken rules={len(problems)}")  # fmt: skip
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
