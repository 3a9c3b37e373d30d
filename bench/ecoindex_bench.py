"""Political-ecology index at scale: the monthly close of 2,000 units × 46 leaves (23
counted from records, 23 reported), against a per-unit-per-indicator loop, and the map
page's response time.

Loads into a scratch database (bulk inserts, not the services): a city commission, 20
county commissions, ``--units`` units under them (townships, so the map has areas), two
clues, two petitions and two problems about each unit in the month, and every reported
value of every unit. The tree is the shipped one with 7 of its reported leaves turned into
counted ones (reusing the shipped statistics), so that half the leaves are counted. Then,
in one run:

- **close**: ``index_close`` (values gathered set-based, scores, snapshot, score rows,
  warnings), ``--repeat`` times (each a new version, with a reason). The first close of
  a fresh database also warns every non-green unit (the warnings and their problems in
  the rectification loop written in bulk); later ones only newly non-green units — both
  are shown, each close with its phases (gather / score / save / warnings and audit,
  from the close's progress reports). Before the closes the process is warmed up as a web
  worker is (``jiandu.core.warmup.warm_up``: the URL configuration imported; the button's
  close runs in a thread of that process) and the warm-up is timed on its own: a cold
  process (``--cold``, or the ``jiandu index close`` command) pays it once, in the first
  link an inbox message of the loop resolves;
- **naive**: the same values fetched one query per unit × leaf (``Source.values`` for one
  unit, one ``IndexValue`` row), on ``--naive-units`` units, extrapolated to all units
  (said in the output), then the same scoring; checked equal to the close's values;
- **map page**: ``GET /ecoindex/`` as a city statistics user, ``--requests`` times after one
  warm-up request: p50/p95.

Usage::

    .venv/bin/python bench/ecoindex_bench.py [--db postgres|sqlite] [--units 2000]
        [--naive-units 100] [--repeat 3] [--requests 30] [--cold]

The scratch database is ``var/bench/ecoindex.sqlite3`` or the PostgreSQL database
``jiandu_ecoindex_bench`` (``BENCH_PG_URL``); data already loaded is reused.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

MONTH = "2026-06"
COUNTED_EXTRA = ["clues_about", "petitions_about", "problems_found", "form1", "form2",
                 "interviews", "problems_self_found"]  # fmt: skip


def _configure(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_TASKS_MODE"] = "eager"
    os.environ["JIANDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    if db == "sqlite":
        path = ROOT / "var" / "bench" / "ecoindex.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        url = os.environ.get(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/jiandu_ecoindex_bench"
        )
        os.environ["DATABASE_URL"] = url
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')


def load(units: int) -> dict[str, Any]:
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.db import transaction

    from jiandu.accounts.models import User
    from jiandu.clues.models import Clue, Petition
    from jiandu.ecoindex import reference
    from jiandu.ecoindex.models import IndexNode, IndexTree, IndexUpload, IndexValue
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org
    from jiandu.orgs.services import org_create
    from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
    from jiandu.testing import role_group

    call_command("migrate", verbosity=0)
    if Org.objects.filter(kind=OrgKind.TOWNSHIP).exists():
        return {"loaded": False, "units": Org.objects.filter(kind=OrgKind.TOWNSHIP).count()}
    t0 = time.perf_counter()
    rng = random.Random(7)
    with transaction.atomic():
        system = User.objects.create_user(username="bench-system", password=None)
        city = org_create(actor=system, name="昆明市纪委监委", kind=OrgKind.COMMISSION,
                          region_code="530100")  # fmt: skip
        user = User.objects.create_user(username="bench", password=None, org=city)
        user.groups.add(role_group("统计分析"), role_group("领导查阅"))
        codes = ["530102", "530103", "530111", "530112", "530114", "530113", "530122", "530124",
                 "530126", "530127", "530128", "530125", "530129", "530181"]  # fmt: skip
        counties = [
            org_create(
                actor=system,
                name=f"第{i + 1}区纪委监委",
                kind=OrgKind.COUNTY,
                parent=city,
                region_code=codes[i % len(codes)],
            )
            for i in range(20)
        ]
        made = Org.objects.bulk_create(
            Org(name=f"第{i + 1}乡镇", kind=OrgKind.TOWNSHIP, parent=counties[i % 20], depth=2)
            for i in range(units)
        )
        by_parent = {c.pk: c for c in counties}
        for org in made:
            org.path = f"{by_parent[org.parent_id].path}{org.pk}/"
        Org.objects.bulk_update(made, ["path"], batch_size=2000)
        if not IndexTree.objects.filter(version=2).exists():
            definition = reference.tree_definition()
            turned = 0
            for dim in definition["children"]:
                for first in dim["children"]:
                    for leaf in first["children"]:
                        if leaf["source"] == "reported" and turned < len(COUNTED_EXTRA):
                            leaf.update(source="computed", statistic=COUNTED_EXTRA[turned],
                                        department="")  # fmt: skip
                            turned += 1
            reference.create_tree(
                IndexTree, IndexNode, version=2, effective_from="2026-01",
                definition=definition, reason="基准测试：23个计算、23个填报",
            )  # fmt: skip
        tree = IndexTree.objects.get(version=2)
        day = dt.date(2026, 6, 15)
        category = ProblemCategory.objects.get(name="其他")
        source = ProblemSource.objects.get(key="supervision")
        Problem.objects.bulk_create(
            Problem(org=o, description="基准问题", category=category, source=source, found_on=day,
                    found_by_org=city, supervising_org=city)
            for i, o in enumerate(made) if i % 3 == 0 for _ in range(2)
        )  # fmt: skip
        about = [o for i, o in enumerate(made) if i % 5 == 0]
        clues = Clue.objects.bulk_create(
            Clue(source="petition", title="基准线索", received_date=day, registered_org=city,
                 handling_org=city, created_by=system)
            for _ in about for _ in range(2)
        )  # fmt: skip
        Clue.subject_orgs.through.objects.bulk_create(
            Clue.subject_orgs.through(clue_id=c.pk, org_id=about[i // 2].pk)
            for i, c in enumerate(clues)
        )
        petitions = Petition.objects.bulk_create(
            Petition(received_date=day, channel="letter", received_org=city, handling_org=city,
                     title="基准信访件", content="", created_by=system)
            for _ in about for _ in range(2)
        )  # fmt: skip
        Petition.subject_orgs.through.objects.bulk_create(
            Petition.subject_orgs.through(petition_id=p.pk, org_id=about[i // 2].pk)
            for i, p in enumerate(petitions)
        )
        reported = list(tree.nodes.filter(source="reported"))
        uploads = {}
        for leaf in reported:
            if leaf.department not in uploads:
                uploads[leaf.department] = IndexUpload.objects.create(
                    tree=tree, month=MONTH, department=leaf.department, original_name="bench",
                    size=0, sha256="", rows=units, uploaded_by=user,
                )  # fmt: skip
        IndexValue.objects.bulk_create(
            (
                IndexValue(upload=uploads[leaf.department], month=MONTH, org=o, leaf=leaf.key,
                           value=Decimal(100 if leaf.unit == "%" else rng.choice([0, 0, 0, 1])),
                           row_number=i + 2)
                for i, o in enumerate(made) for leaf in reported
            ),
            batch_size=5000,
        )  # fmt: skip
    return {"loaded": True, "units": units, "seconds": round(time.perf_counter() - t0, 1)}


def naive_values(tree: Any, org_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """One query per unit × leaf."""
    from jiandu.boards.compute import month_bounds
    from jiandu.ecoindex.models import IndexValue
    from jiandu.ecoindex.sources import SOURCES

    start, end = month_bounds(MONTH)
    out: dict[int, dict[str, Decimal]] = {}
    leaves = [n for n in tree.nodes.all() if n.method]
    for org_id in org_ids:
        own = out.setdefault(org_id, {})
        for leaf in leaves:
            if leaf.source == "computed":
                got = SOURCES[leaf.statistic].values(
                    start=start, end=end, month=MONTH, org_ids=[org_id]
                )
                if org_id in got:
                    own[leaf.key] = got[org_id]
            else:
                row = (
                    IndexValue.objects.filter(month=MONTH, org_id=org_id, leaf=leaf.key)
                    .order_by("-upload_id")
                    .values_list("value", flat=True)
                    .first()
                )
                if row is not None:
                    own[leaf.key] = row
    return out


# The close's progress reports (fractions) that start each phase.
PHASES = (("gather", 0.1), ("score", 0.5), ("save", 0.7), ("warnings_and_audit", 0.85))


def _phases(t0: float, marks: list[tuple[float, float]], t1: float) -> dict[str, float]:
    """Seconds per phase of one close (started at ``t0``, returned at ``t1``), from its
    progress reports; ``commit`` is the commit and what runs after it (the audit rows
    sealed, inbox messages delivered)."""
    at = dict(marks)
    out = {}
    for i, (name, start) in enumerate(PHASES):
        end = PHASES[i + 1][1] if i + 1 < len(PHASES) else 1.0
        if start in at and end in at:
            out[name] = round(at[end] - at[start], 3)
    if 0.1 in at:
        out["setup"] = round(at[0.1] - t0, 3)
    if 1.0 in at:
        out["commit"] = round(t1 - at[1.0], 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--naive-units", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--cold", action="store_true", help="do not warm the process up before the closes"
    )
    args = parser.parse_args()
    _configure(args.db)
    import django

    django.setup()
    from django.test import Client

    from jiandu.accounts.models import User
    from jiandu.boards.compute import month_bounds  # noqa: F401  (warms the import)
    from jiandu.ecoindex import calc
    from jiandu.ecoindex.close import gather_values, index_close, participants
    from jiandu.ecoindex.models import IndexScore, IndexSnapshot, IndexTree, rules_from_nodes

    loaded = load(args.units)
    tree = IndexTree.objects.get(version=2)
    user = User.objects.get(username="bench")
    warm_up_seconds = None
    if not args.cold:
        from jiandu.core.warmup import warm_up

        t0 = time.perf_counter()
        warm_up()  # what every web worker does before its first request (jiandu.wsgi)
        warm_up_seconds = round(time.perf_counter() - t0, 3)
    closes = []
    runs = []
    for _ in range(args.repeat):
        first = not IndexSnapshot.objects.filter(month=MONTH).exists()
        reason = "" if first else "基准测试重复结账"
        marks: list[tuple[float, float]] = []
        c0 = time.process_time()
        t0 = time.perf_counter()
        outcome = index_close(
            actor=user, month=MONTH, reason=reason, tree=tree,
            progress=lambda fraction, message, marks=marks: marks.append(
                (fraction, time.perf_counter())
            ),
        )  # fmt: skip
        t1 = time.perf_counter()
        closes.append(t1 - t0)
        # This process's CPU time (the database server's is not in it): less at the mercy
        # of other processes on a shared machine than the elapsed time.
        runs.append({"first_of_month": first, "warnings": len(outcome.warnings),
                     "seconds": round(t1 - t0, 3),
                     "cpu_seconds": round(time.process_time() - c0, 3),
                     "phases": _phases(t0, marks, t1)})  # fmt: skip
    snap = outcome.snapshot
    orgs = participants(tree)
    org_ids = [o.pk for o in orgs]
    leaves = [n for n in tree.nodes.all() if n.method]
    t0 = time.perf_counter()
    fast = gather_values(tree=tree, leaves=leaves, month=MONTH, org_ids=org_ids)
    gather_fast = time.perf_counter() - t0
    sample = org_ids[: args.naive_units]
    t0 = time.perf_counter()
    slow = naive_values(tree, sample)
    naive_sample = time.perf_counter() - t0
    assert all(slow[i] == fast[i] for i in sample), "naive and set-based values differ"
    rules = rules_from_nodes(tree, list(tree.nodes.all()))
    t0 = time.perf_counter()
    calc.compute_month(rules, {str(k): v for k, v in fast.items()}, units=[str(i) for i in org_ids])
    scoring = time.perf_counter() - t0
    naive_total = naive_sample * len(org_ids) / len(sample) + scoring
    client = Client()
    client.force_login(user)
    client.get("/ecoindex/")  # warm-up: templates, the GeoJSON area names
    times = []
    for _ in range(args.requests):
        t0 = time.perf_counter()
        response = client.get("/ecoindex/")
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    result = {
        "db": args.db,
        "units": len(org_ids),
        "leaves": len(leaves),
        "computed_leaves": sum(1 for n in leaves if n.source == "computed"),
        "load": loaded,
        "process_warm_up_seconds": warm_up_seconds,
        "closes": runs,
        "close_seconds": [round(t, 3) for t in closes],
        "close_best": round(min(closes), 3),
        "colours": snap.data["colours"],
        "gather_set_based_seconds": round(gather_fast, 3),
        "scoring_seconds": round(scoring, 3),
        "naive_sample_units": len(sample),
        "naive_sample_seconds": round(naive_sample, 3),
        "naive_extrapolated_seconds": round(naive_total, 1),
        "speedup_vs_naive": round(naive_total / min(closes), 1),
        "map_page_ms_p50": round(statistics.median(times), 1),
        "map_page_ms_p95": round(p95, 1),
        "scores_in_snapshot": IndexScore.objects.filter(snapshot=snap).count(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
