"""多色榜 monthly close at scale: 2,000 units × 12 indicators × 12 months from 5M records.

Loads a synthetic year (2020) of case records into a scratch database with bulk SQL
(COPY on PostgreSQL, ``executemany`` on SQLite; not through the services), defines a
board of 2,000 participating units (each with two sub-units, so every figure is a
subtree roll-up) on 12 computed indicators in the 扶贫 domain, then measures in one run:

- **month close**: ``board_close`` for each month January → December, each month counted
  fresh and the earlier months taken from their snapshots (what happens every month);
- **cumulative board from scratch**: closing December with no earlier snapshot, so all
  twelve months are counted (what a first close, or a change of definition, costs);
- the counting alone (one grouped query per indicator slot), the ranking alone, and the
  peak Python memory of a close (tracemalloc);
- **naive**: one ORM ``statistic.count(org_ids=subtree)`` per unit × indicator slot — the
  per-cell way — on a sample of units, extrapolated to all units (said in the output),
  and checked against the close's figures.

Usage::

    .venv/bin/python bench/board_close_bench.py [--db postgres|sqlite] [--units 2000]
        [--records 5000000] [--naive-units 100]

The scratch database is ``var/bench/boards.sqlite3`` or the PostgreSQL database
``jiandu_board_bench`` (``BENCH_PG_URL``, default
postgres://postgres@127.0.0.1:5432/jiandu_board_bench); data already loaded is reused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

YEAR = 2020
BOARD_KEY = "bench-units"
# (statistic or indicator key, board column): twelve indicators, thirteen value slots.
INDICATORS = [
    "clues_received",
    "clues_disposed",
    "clues_closed",
    "criticism",
    "accountability",
    "party_discipline",
    "government_sanction",
    "organisational",
    "direct_handling",
    "principal_failures",
    "supervisory_failures",
    "exposure",
]


def _configure(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_TASKS_MODE"] = "eager"
    if db == "sqlite":
        path = ROOT / "var" / "bench" / "boards.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/jiandu_board_bench"
        )


def _ensure_pg_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --------------------------------------------------------------------------- loading


def _day(rng: random.Random) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(366))


class _Writer:
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def load(units: int, records: int, seed: int = 7) -> dict[str, Any]:
    """Org tree (a city, ``units`` counties, two sub-units each), people, and
    ``records`` case records of 2020, via bulk SQL."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue, ClueEvent, DomainTag, ExposureBatch, ExposureCase, Outcome
    from jiandu.core.access import access_changed
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org
    from jiandu.orgs.services import org_create
    from jiandu.people.models import Person
    from jiandu.testing import role_group

    call_command("migrate", verbosity=0)
    if Clue.objects.exists():
        return {"loaded": False, "orgs": Org.objects.count()}
    t0 = time.perf_counter()
    rng = random.Random(seed)
    system = User.objects.create_user(username="bench-system", password=None)
    city = org_create(
        actor=system, name="市纪委监委", kind=OrgKind.COMMISSION, region_code="530100"
    )
    officer = User.objects.create_user(username="bench", password=None, org=city)
    officer.groups.add(role_group("统计分析"), role_group("线索管理"))
    now = timezone.now()

    counties = Org.objects.bulk_create(
        Org(name=f"第{i + 1}县区纪委监委", kind=OrgKind.COUNTY, parent=city, depth=1, sort_order=i)
        for i in range(units)
    )
    for org in counties:
        org.path = f"{city.path}{org.pk}/"
    Org.objects.bulk_update(counties, ["path"], batch_size=1000)
    children = Org.objects.bulk_create(
        Org(name=f"{parent.name}下属单位{j + 1}", kind=OrgKind.TOWNSHIP, parent=parent, depth=2)
        for parent in counties
        for j in range(2)
    )
    by_id = {o.pk: o for o in counties}
    for org in children:
        org.path = f"{by_id[org.parent_id].path}{org.pk}/"
    Org.objects.bulk_update(children, ["path"], batch_size=1000)
    org_ids = [o.pk for o in counties] + [o.pk for o in children]

    poverty, _ = DomainTag.objects.get_or_create(code="poverty", defaults={"name": "扶贫"})
    other, _ = DomainTag.objects.get_or_create(code="four_winds", defaults={"name": "四风"})
    people = Person.objects.bulk_create(
        Person(name=f"干部{i}", registered_org_id=org_ids[i % len(org_ids)]) for i in range(20_000)
    )
    person_ids = [p.pk for p in people]

    n_clues = int(records * 0.40)
    n_outcomes = int(records * 0.40)
    n_events = int(records * 0.08)
    n_batches = (records - n_clues - n_outcomes - n_events) // 3
    writer = _Writer(connection)
    batch = 100_000
    statuses = ("received", "disposing", "closed", "closed")
    kinds = (
        ["criticism"] * 8
        + ["accountability"] * 4
        + ["party_discipline"] * 3
        + ["government_sanction"] * 2
        + ["organisational"] * 2
        + ["judicial_transfer"]
    )
    responsibility = ("principal", "supervisory", "leadership")

    clue_table = Clue._meta.db_table
    clue_columns = [
        "id", "number", "source", "title", "content", "received_date", "registered_org_id",
        "handling_org_id", "status", "disposal_method", "disposed_at", "closed_at",
        "conclusion", "conclusion_text", "is_escalated", "is_direct", "evidence",
        "created_by_id", "created_at", "updated_at", "domain_key", "search_grams",
    ]  # fmt: skip
    outcome_columns = [
        "clue_id", "subject_name", "kind", "subtype", "responsibility_type", "decision_date",
        "decided_by_id", "funds_recovered", "note", "recorded_by_id", "created_at",
        "updated_at", "archive_reason", "domain_key",
    ]  # fmt: skip
    event_columns = [
        "clue_id", "action", "from_status", "to_status", "disposal_method", "to_org_id",
        "note", "actor_id", "on_date", "at", "domain_key",
    ]  # fmt: skip
    keys = {poverty.pk: f",{poverty.pk},", other.pk: f",{other.pk},"}
    clue_tag = [0] * (n_clues + 1)  # clue id -> its tag (outcomes and events copy its key)
    with transaction.atomic():
        for offset in range(0, n_clues, batch):
            rows, links = [], []
            for i in range(offset + 1, min(n_clues, offset + batch) + 1):
                received = _day(rng)
                status = statuses[rng.randrange(len(statuses))]
                disposed = (
                    received + dt.timedelta(days=rng.randrange(45))
                    if status != "received"
                    else None
                )
                closed = (
                    disposed + dt.timedelta(days=rng.randrange(60))
                    if status == "closed" and disposed
                    else None
                )
                org = org_ids[rng.randrange(len(org_ids))]
                tag = poverty.pk if rng.random() < 0.8 else other.pk
                clue_tag[i] = tag
                rows.append(
                    (
                        i, f"XS{YEAR}{i:08d}", "petition", f"问题线索{i}", "", received, org, org,
                        status, "dismissed" if disposed else "", disposed, closed, "", "",
                        False, False, "{}", officer.pk, now, now, keys[tag], "",
                    )
                )  # fmt: skip
                links.append((i, tag))
            writer.write(clue_table, clue_columns, rows)
            writer.write(Clue.domains.through._meta.db_table, ["clue_id", "domaintag_id"], links)
        for offset in range(0, n_outcomes, batch):
            rows = []
            for _ in range(offset, min(n_outcomes, offset + batch)):
                kind = kinds[rng.randrange(len(kinds))]
                clue = rng.randrange(1, n_clues + 1)
                rows.append(
                    (
                        clue, "某某", kind, "",
                        responsibility[rng.randrange(3)] if kind == "accountability" else "",
                        _day(rng), org_ids[rng.randrange(len(org_ids))], 0, "", officer.pk,
                        now, now, "", keys[clue_tag[clue]],
                    )
                )  # fmt: skip
            writer.write(Outcome._meta.db_table, outcome_columns, rows)
        for offset in range(0, n_events, batch):
            rows = [
                (
                    clue, "direct_handle", "received", "received", "",
                    org_ids[rng.randrange(len(org_ids))], "", officer.pk, _day(rng), now,
                    keys[clue_tag[clue]],
                )
                for clue in (
                    rng.randrange(1, n_clues + 1)
                    for _ in range(offset, min(n_events, offset + batch))
                )
            ]  # fmt: skip
            writer.write(ClueEvent._meta.db_table, event_columns, rows)
        for offset in range(0, n_batches, batch):
            ids = range(offset + 1, min(n_batches, offset + batch) + 1)
            tags = {i: poverty.pk if rng.random() < 0.8 else other.pk for i in ids}
            writer.write(
                ExposureBatch._meta.db_table,
                ["id", "title", "published_on", "org_id", "medium", "created_by_id",
                 "created_at", "updated_at", "domain_key"],
                [(i, f"通报曝光{i}", _day(rng), org_ids[rng.randrange(len(org_ids))], "",
                  officer.pk, now, now, keys[tags[i]]) for i in ids],
            )  # fmt: skip
            writer.write(
                ExposureBatch.domains.through._meta.db_table,
                ["exposurebatch_id", "domaintag_id"],
                [(i, tags[i]) for i in ids],
            )
            writer.write(
                ExposureCase._meta.db_table,
                ["id", "batch_id", "title"],
                [(i, i, f"典型问题{i}") for i in ids],
            )
            writer.write(
                ExposureCase.persons.through._meta.db_table,
                ["exposurecase_id", "person_id"],
                [(i, person_ids[i % len(person_ids)]) for i in ids],
            )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Clue, ExposureBatch, ExposureCase):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
        cursor.execute("ANALYZE")
    # Rows written with bulk SQL bypass the signals: say that the org tree changed.
    access_changed()
    total = n_clues + n_outcomes + n_events + 3 * n_batches
    return {
        "loaded": True,
        "orgs": len(org_ids) + 1,
        "records": total,
        "clues": n_clues,
        "outcomes": n_outcomes,
        "direct_handling_events": n_events,
        "exposure_batches_cases_persons": 3 * n_batches,
        "seconds": round(time.perf_counter() - t0, 1),
    }


# --------------------------------------------------------------------------- measuring


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _timed(fn: Any) -> tuple[Any, float, int]:
    from django.db import connection

    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        t = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - t
    return value, seconds, counter.count


def _peak_memory(fn: Any) -> tuple[Any, float]:
    tracemalloc.start()
    try:
        value = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, peak / (1024 * 1024)


def setup_board(units: int, key: str = BOARD_KEY) -> Any:
    from jiandu.accounts.models import User
    from jiandu.boards.models import Board, Indicator
    from jiandu.boards.services import board_create, board_install_builtins, indicator_create
    from jiandu.clues.models import DomainTag
    from jiandu.orgs.models import Org

    board = Board.objects.filter(key=key).first()
    if board is not None:
        return board
    actor = User.objects.get(username="bench")
    city = Org.objects.get(parent__isnull=True)
    board_install_builtins(actor=actor, owner=city)
    if not Indicator.objects.filter(key="organisational").exists():
        indicator_create(
            actor=actor,
            key="organisational",
            name="组织处理",
            unit="人",
            statistic="organisational",
        )
    library = {i.key: i for i in Indicator.objects.all()}
    return board_create(
        actor=actor,
        key=key,
        title=f"{units}个单位多色榜（基准）",
        owner_org=city,
        domain=DomainTag.objects.get(code="poverty"),
        participant_rule="kind",
        participant_kinds=["county"],
        indicators=[(library[key], "") for key in INDICATORS],
    )


def measure(units: int, naive_units: int) -> dict[str, Any]:
    from django.db import connection

    from jiandu.accounts.models import User
    from jiandu.boards import compute, ranking
    from jiandu.boards.models import BoardSnapshot
    from jiandu.boards.services import board_close
    from jiandu.clues.statistics import statistic

    actor = User.objects.get(username="bench")
    board = setup_board(units)
    today = dt.date(YEAR + 1, 1, 15)
    existing = BoardSnapshot.objects.filter(board=board).count()
    results: dict[str, Any] = {"snapshots_before": existing}

    def close(month: str, reason: str = "") -> Any:
        latest = BoardSnapshot.objects.filter(board=board, month=month).exists()
        return board_close(
            actor=actor,
            board=board,
            month=month,
            reason=reason or ("基准重复测量" if latest else ""),
            today=today,
        )

    columns = compute.board_columns(board)
    unit_list = compute.board_units(board)
    slots = sum(len(c.slots) for c in columns)
    results["board"] = {"units": len(unit_list), "indicators": len(columns), "value_slots": slots}

    # 1. The cumulative board from scratch: December of a board with the same definition
    #    but no earlier snapshot, so all twelve months are counted.
    fresh = setup_board(units, key=f"{BOARD_KEY}-fresh-{existing}")
    december = f"{YEAR}-12"
    _, seconds, queries = _timed(
        lambda: board_close(actor=actor, board=fresh, month=december, today=today)
    )
    results["cumulative_from_scratch"] = {
        "what": "board_close of December with no earlier snapshot: 12 months counted",
        "seconds": round(seconds, 3),
        "queries": queries,
    }

    # 2. Month closes, January to December, each reusing the months before.
    month_times = []
    for number in range(1, 13):
        month = f"{YEAR}-{number:02d}"
        outcome, seconds, queries = _timed(lambda month=month: close(month))
        month_times.append(
            {"month": month, "seconds": round(seconds, 3), "queries": queries,
             "reused_months": sum(1 for v in outcome.snapshot.data["month_sources"].values() if v)}
        )  # fmt: skip
    results["month_close"] = {
        "what": "board_close of each month with the earlier months' snapshots reused",
        "months": month_times,
        "median_seconds": round(statistics.median(m["seconds"] for m in month_times), 3),
        "max_seconds": max(m["seconds"] for m in month_times),
        "december_seconds": month_times[-1]["seconds"],
    }
    snapshot = outcome.snapshot
    size = len(json.dumps(snapshot.data, ensure_ascii=False).encode("utf-8"))
    results["snapshot_json_mb"] = round(size / (1024 * 1024), 2)

    # 3. The parts of a December close.
    values, seconds, queries = _timed(
        lambda: compute.computed_month_values(columns=columns, units=unit_list, month=december)
    )
    results["counting_one_month"] = {"seconds": round(seconds, 3), "queries": queries}
    months = compute.year_months(december)
    spec = compute.board_spec(board=board, columns=columns, units=unit_list, months=months)
    figures = compute.MonthFigures(computed={m: values for m in months})
    observations = figures.observations(columns=columns, months=months)
    _, seconds, _ = _timed(lambda: ranking.rank_board(spec=spec, observations=observations))
    results["ranking_12_months_cumulative"] = {"seconds": round(seconds, 3)}
    _, peak = _peak_memory(lambda: close(december, "基准内存测量"))
    results["peak_python_memory_mb_december_close"] = round(peak, 1)

    # 4. Naive: one ORM count per unit × slot, on a sample of units.
    rng = random.Random(3)
    sample = rng.sample(unit_list, min(naive_units, len(unit_list)))
    start, end = compute.month_bounds(december)
    frozen = {row["unit"]: row["cells"] for row in snapshot.data["result"]["months"][-1]["units"]}
    mismatches = 0
    t = time.perf_counter()
    for unit in sample:
        for column in columns:
            numbers = []
            for slot in column.slots:
                numbers.append(
                    statistic(slot["statistic"]).count(
                        start=start, end=end, domain=column.domain, org_ids=unit.subtree
                    )
                )
            value = frozen[unit.key][column.key]["value"]
            expected = [value[s["key"]] for s in column.slots] if column.is_compound else [value]
            mismatches += numbers != expected
    naive_month = time.perf_counter() - t
    factor = len(unit_list) / len(sample)
    results["naive_month"] = {
        "what": f"statistic.count(org_ids=subtree) per unit × slot for December, "
        f"{len(sample)} of {len(unit_list)} units sampled, extrapolated ×{factor:g}",
        "sampled_units": len(sample),
        "queries": len(sample) * slots,
        "sampled_seconds": round(naive_month, 3),
        "extrapolated_seconds": round(naive_month * factor, 1),
        "cells_not_matching_the_close": mismatches,
    }
    cumulative_sample = sample[: max(1, len(sample) // 4)]
    year_start, _ = compute.month_bounds(f"{YEAR}-01")
    t = time.perf_counter()
    for unit in cumulative_sample:
        for column in columns:
            for slot in column.slots:
                statistic(slot["statistic"]).count(
                    start=year_start, end=end, domain=column.domain, org_ids=unit.subtree
                )
    naive_year = time.perf_counter() - t
    factor = len(unit_list) / len(cumulative_sample)
    results["naive_cumulative"] = {
        "what": f"the same over 1—12月 per cell, {len(cumulative_sample)} units sampled, "
        f"extrapolated ×{factor:g}",
        "sampled_seconds": round(naive_year, 3),
        "extrapolated_seconds": round(naive_year * factor, 1),
    }
    results["process_max_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    results["database"] = connection.vendor
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--naive-units", type=int, default=100)
    args = parser.parse_args()
    _configure(args.db)
    if args.db == "postgres":
        _ensure_pg_database()
    import django

    django.setup()
    loaded = load(args.units, args.records)
    if args.db == "postgres":
        # What autovacuum does on a live database after bulk writes (and after the
        # migrations' backfills): visibility map and statistics up to date, so the
        # monthly counts can be answered from the covering indexes alone.
        from django.db import connection

        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        loaded["vacuum_seconds"] = round(time.perf_counter() - t0, 1)
    result = {"db": args.db, "load": loaded, **measure(args.units, args.naive_units)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
